import assert from "node:assert/strict";
import { ConcurrentSkipList, FrozenMemtable, mergeReaders } from "../../mod.ts";
import { bufferOf } from "../../src/_backing.ts";
import { STRIPE_INFLIGHT, STRIPE_LIVE, STRIPE_NODES, STRIPES } from "../../src/_layout.ts";
import { raw } from "../support/bytes.ts";

const released = { name: "TypeError", message: /was released/ };

/** A list holding keys 1..n, each with the value [n]. */
function listOf(n: number): ConcurrentSkipList {
  const list = new ConcurrentSkipList();
  for (let i = 1; i <= n; i++) list.insert(raw(i), raw(n));
  return list;
}

Deno.test("release() makes every method of the list, its snapshots, cursors and iterators throw TypeError", () => {
  const list = listOf(3);
  const snapshot = list.snapshot();
  const cursor = list.cursorAt(raw(1))!;
  const iter = list.iter();
  const rawCursor = list.rawCursor();
  const range = list.range({ reverse: true });
  const merged = mergeReaders([list]);
  list.release();
  const calls: [string, () => unknown][] = [
    ["get", () => list.get(raw(1))],
    ["getLive", () => list.getLive(raw(1))],
    ["containsKey", () => list.containsKey(raw(1))],
    ["getMany", () => list.getMany([raw(1)])],
    ["insert", () => list.insert(raw(9), raw(9))],
    ["tryInsert", () => list.tryInsert(raw(9), raw(9))],
    ["put", () => list.put(raw(9), raw(9))],
    ["insertBatch", () => list.insertBatch([[raw(9), raw(9)]])],
    ["getOrInsert", () => list.getOrInsert(raw(9), raw(9))],
    ["delete", () => list.delete(raw(1))],
    ["tryDelete", () => list.tryDelete(raw(1))],
    ["iter", () => list.iter()],
    ["[Symbol.iterator]", () => [...list]],
    ["cursor", () => list.cursor()],
    ["cursorAt", () => list.cursorAt(raw(1))],
    ["cursorForPrev", () => list.cursorForPrev(raw(1))],
    ["range", () => list.range({ gte: raw(1) })],
    ["first", () => list.first()],
    ["last", () => list.last()],
    ["rawCursor", () => list.rawCursor()],
    ["snapshot", () => list.snapshot()],
    ["size", () => list.size],
    ["isEmpty", () => list.isEmpty()],
    ["memoryUsage", () => list.memoryUsage()],
    ["memoryReserved", () => list.memoryReserved()],
    ["memoryUtilization", () => list.memoryUtilization()],
    ["memoryIdle", () => list.memoryIdle()],
    ["avgKeySize", () => list.avgKeySize()],
    ["avgValueSize", () => list.avgValueSize()],
    ["totalInserts", () => list.totalInserts()],
    ["maxMemoryBytes", () => list.maxMemoryBytes()],
    ["maxEntries", () => list.maxEntries()],
    ["isUnderBackpressure", () => list.isUnderBackpressure()],
    ["isSealed", () => list.isSealed()],
    ["share", () => list.share()],
    ["seal", () => list.seal()],
    ["validate", () => list.validate()],
    ["snapshot.get", () => snapshot.get(raw(1))],
    ["snapshot.iter", () => [...snapshot]],
    ["snapshot.cursorAt", () => snapshot.cursorAt(raw(1))],
    ["cursor.entry", () => cursor.entry()],
    ["cursor.valid", () => cursor.valid()],
    ["cursor.nextEntry", () => cursor.nextEntry()],
    ["cursor.seek", () => cursor.seek(raw(2))],
    ["cursor.prevEntry", () => cursor.prevEntry()],
    ["cursor.seekForPrev", () => cursor.seekForPrev(raw(2))],
    ["cursor.seekToFirst", () => cursor.seekToFirst()],
    ["cursor.seekToLast", () => cursor.seekToLast()],
    ["range.next", () => range.next()],
    ["mergeReaders(...).get", () => merged.get(raw(1))],
    ["mergeReaders(...).range", () => [...merged.range()]],
    ["iter.next", () => iter.next()],
    ["rawCursor.nextEntry", () => rawCursor.nextEntry()],
  ];
  for (const [name, call] of calls) assert.throws(call, released, name);
  list.release(); // a second release does nothing
  assert.throws(() => list.get(raw(1)), /Cannot get: this ConcurrentSkipList was released/);
});

Deno.test("[Symbol.dispose]() releases, so a using declaration ends the instance at its scope", () => {
  let escaped: ConcurrentSkipList | undefined;
  {
    using list = listOf(2);
    assert.equal(list.size, 2);
    escaped = list;
  }
  assert.throws(() => escaped!.size, released);
});

Deno.test("seal() hands the claim to the frozen memtable: releasing the sealed list leaves it readable", () => {
  const list = listOf(3);
  const before = list.snapshot();
  const [frozen, fresh] = list.seal();
  list.release(); // handed over: stops only this instance and what it made
  assert.throws(() => list.get(raw(1)), released);
  assert.throws(() => [...before], released);
  assert.deepEqual(frozen.getLive(raw(2)), raw(3));
  assert.equal(frozen.size, 3);
  frozen.release();
  assert.throws(() => frozen.get(raw(1)), /Cannot get: this FrozenMemtable was released/);
  assert.ok(fresh.isEmpty()); // the fresh list is an instance of its own
  fresh.release();
});

Deno.test("releasing the frozen memtable also releases the instance that sealed it", () => {
  const list = listOf(2);
  const [frozen, fresh] = list.seal();
  assert.deepEqual(list.getLive(raw(1)), raw(2)); // the sealed list still reads
  frozen.release();
  assert.throws(() => list.getLive(raw(1)), released);
  fresh.release();
});

Deno.test("a list whose instances are all released serves the next list, empty and valid", () => {
  const list = listOf(50);
  const [frozen, fresh] = list.seal();
  const buffer = frozen.share().memory;
  frozen.release();
  const [frozen2, fresh2] = fresh.seal(); // fresh2 reuses the released buffer
  assert.equal(fresh2.share().memory, buffer);
  assert.ok(fresh2.isEmpty());
  assert.equal([...fresh2].length, 0);
  assert.equal(fresh2.get(raw(1)), undefined);
  for (let i = 1; i <= 20; i++) fresh2.insert(raw(i), raw(i));
  assert.equal(fresh2.size, 20);
  assert.deepEqual(fresh2.getLive(raw(7)), raw(7));
  const report = fresh2.validate();
  assert.equal(report.entries, 20);
  frozen2.release();
  fresh2.release();
});

Deno.test("an unreleased instance in another agent keeps the memory out of reuse", () => {
  const list = listOf(5);
  const elsewhere = ConcurrentSkipList.attach(list.share()); // as a worker would
  const [frozen, fresh] = list.seal();
  const buffer = frozen.share().memory;
  frozen.release();
  const [frozen2, fresh2] = fresh.seal();
  assert.notEqual(fresh2.share().memory, buffer, "still held by the attached instance");
  assert.equal(elsewhere.size, 5);
  elsewhere.release();
  const [frozen3, fresh3] = fresh2.seal();
  assert.equal(fresh3.share().memory, buffer, "free once the last instance is released");
  for (const done of [frozen2, frozen3, fresh3]) done.release();
});

Deno.test("attach() of a handle whose list was released throws TypeError, reused or not", () => {
  const list = listOf(5);
  const handle = list.share();
  const [frozen, fresh] = list.seal();
  const frozenHandle = frozen.share();
  frozen.release();
  assert.throws(() => ConcurrentSkipList.attach(handle), {
    name: "TypeError",
    message: /every instance of the list behind the handle was released/,
  });
  assert.throws(() => FrozenMemtable.attach(frozenHandle), /was released/);
  const [frozen2, fresh2] = fresh.seal(); // reuses the buffer
  assert.equal(fresh2.share().memory, handle.memory);
  assert.throws(() => ConcurrentSkipList.attach(handle), /now serves another list/);
  // The handle of the list now in the buffer attaches as usual.
  const again = ConcurrentSkipList.attach(fresh2.share());
  again.insert(raw(1), raw(1));
  assert.equal(fresh2.size, 1);
  for (const done of [again, frozen2, fresh2]) done.release();
});

Deno.test("attach() refuses a handle without a generation, naming it", () => {
  const list = new ConcurrentSkipList();
  assert.throws(
    () =>
      ConcurrentSkipList.attach({ kind: list.share().kind, memory: list.share().memory } as never),
    /handle\.generation must be an integer made by list\.share\(\), received undefined/,
  );
  list.release();
});

/** The word view of a list's buffer, to stage what a killed writer leaves behind. */
function words(list: ConcurrentSkipList): Int32Array {
  return new Int32Array(bufferOf(list.share().memory));
}

Deno.test("a forced seal recounts the statistics a killed writer never added", () => {
  const list = new ConcurrentSkipList();
  for (let i = 0; i < 10; i++) list.put(raw(i), raw(i, i));
  list.delete(raw(0));
  // As a writer terminated between its commit and its accounting leaves it:
  // one write announced for good, a key and a live entry never counted.
  const i32 = words(list);
  Atomics.add(i32, STRIPES + STRIPE_INFLIGHT, 1);
  Atomics.sub(i32, STRIPES + STRIPE_LIVE, 1);
  Atomics.sub(i32, STRIPES + STRIPE_NODES, 1);
  assert.equal(list.size, 8);
  assert.throws(() => list.seal({ timeoutMs: 10 }), { name: "SealError", kind: "Timeout" });
  const [frozen, fresh] = list.seal({ force: true });
  assert.equal(frozen.size, 9);
  assert.equal(frozen.avgKeySize(), 1);
  assert.equal(frozen.avgValueSize(), 2);
  const report = frozen.validate();
  assert.equal(report.liveEntries, 9);
  assert.equal(report.statisticsLag, 0);
  frozen.release();
  fresh.release();
});

Deno.test("validate() on a live list allows and reports the lag of writes left in flight", () => {
  const list = new ConcurrentSkipList();
  for (let i = 0; i < 10; i++) list.insert(raw(i), raw(i));
  const i32 = words(list);
  Atomics.add(i32, STRIPES + STRIPE_INFLIGHT, 1); // a writer died mid-write
  Atomics.sub(i32, STRIPES + STRIPE_LIVE, 1); // after its commit, before its count
  const report = list.validate();
  assert.equal(report.writesInFlight, 1);
  assert.equal(report.statisticsLag, 1);
  // More lag than the writes in flight can explain is a broken list.
  Atomics.sub(i32, STRIPES + STRIPE_LIVE, 1);
  assert.throws(() => list.validate(), /size is 8 but 10 keys are live \(1 writes in flight/);
  Atomics.add(i32, STRIPES + STRIPE_LIVE, 2);
  Atomics.sub(i32, STRIPES + STRIPE_INFLIGHT, 1);
  const clean = list.validate();
  assert.deepEqual([clean.writesInFlight, clean.statisticsLag], [0, 0]);
  list.release();
});
