import assert from "node:assert/strict";
import { ConcurrentSkipList, FrozenMemtable, SealError } from "../../mod.ts";
import { bytes, plain, raw } from "../support/bytes.ts";

Deno.test("seal() returns the frozen list and a fresh empty one with the same options", () => {
  const list = new ConcurrentSkipList({
    maxEntries: 3,
    maxMemoryBytes: 1 << 20,
    shards: 2,
    arenaBytes: 1 << 16,
  });
  list.insert(raw(1), raw(1));
  const [frozen, fresh] = list.seal();
  assert.ok(frozen instanceof FrozenMemtable);
  assert.equal(frozen.size, 1);
  assert.equal(fresh.isEmpty(), true);
  assert.equal(fresh.isSealed(), false);
  assert.equal(fresh.maxEntries(), 3);
  assert.equal(fresh.maxMemoryBytes(), 1 << 20);
  assert.equal(fresh.memoryReserved(), 1 << 16);
});

Deno.test("a sealed list refuses every write and keeps its contents", () => {
  const list = new ConcurrentSkipList();
  list.insert(raw(1), raw(1));
  const before = plain(list);
  list.seal();
  assert.equal(list.isSealed(), true);
  assert.equal(list.insert(raw(2), raw(2)), false);
  assert.equal(list.delete(raw(1)), false);
  assert.throws(() => list.put(raw(1), raw(3)), { name: "InsertError", kind: "Sealed" });
  assert.deepEqual(plain(list), before);
});

Deno.test("seal() twice throws AlreadySealed", () => {
  const list = new ConcurrentSkipList();
  list.seal();
  assert.throws(() => list.seal(), (error) => {
    assert.ok(error instanceof SealError);
    assert.equal(error.kind, "AlreadySealed");
    assert.equal(error.message, "memtable is already sealed");
    return true;
  });
});

Deno.test("limits do not seal the list", () => {
  const list = new ConcurrentSkipList({ maxEntries: 1 });
  list.insert(raw(1), raw());
  assert.equal(list.insert(raw(2), raw()), false);
  assert.equal(list.isSealed(), false);
  assert.equal(list.isUnderBackpressure(), true);
  const [frozen] = list.seal();
  assert.equal(frozen.size, 1);
});

Deno.test("a frozen memtable answers every read", () => {
  const list = new ConcurrentSkipList({ seed: 9 });
  for (const key of ["a", "b", "c"]) list.insert(bytes(key), bytes(key));
  list.delete(bytes("b"));
  const [frozen] = list.seal();
  assert.deepEqual(frozen.get(bytes("b")), [raw(), true]);
  assert.deepEqual(frozen.getLive(bytes("a")), bytes("a"));
  assert.equal(frozen.containsKey(bytes("b")), false);
  assert.deepEqual(frozen.getMany([bytes("c"), bytes("z")]), [bytes("c"), undefined]);
  assert.deepEqual([...frozen.cursorAt(bytes("b"))!].map((e) => e.isTombstone), [true, false]);
  assert.deepEqual([...frozen.cursor()].length, 3);
  assert.deepEqual(plain(frozen.snapshot()), plain(frozen.iter()));
  assert.equal(frozen.size, 2);
  assert.equal(frozen.isEmpty(), false);
  assert.ok(frozen.memoryUsage() > 0 && frozen.memoryUsage() <= frozen.memoryReserved());
  assert.equal(frozen.memoryIdle(), frozen.memoryReserved() - frozen.memoryUsage());
  assert.equal(frozen.memoryUtilization(), frozen.memoryUsage() / frozen.memoryReserved());
  assert.equal(frozen.validate().entries, 3);
});

Deno.test("seal() rejects a bad timeout without sealing", () => {
  const list = new ConcurrentSkipList();
  assert.throws(() => list.seal({ timeoutMs: -1 }), RangeError);
  assert.throws(() => list.seal({ timeoutMs: Number.NaN }), RangeError);
  assert.equal(list.isSealed(), false);
});
