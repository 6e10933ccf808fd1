import assert from "node:assert/strict";
import { ConcurrentSkipList, type Entry, mergeReaders } from "../../mod.ts";
import { bytes, raw, text } from "../support/bytes.ts";

function letters(): ConcurrentSkipList {
  const list = new ConcurrentSkipList({ seed: 11 });
  for (const key of ["c", "a", "e", "g"]) list.insert(bytes(key), bytes(key));
  return list;
}

const keys = (entries: Iterable<Entry>) => [...entries].map((e) => text(e.key));

Deno.test("range() with no options walks every entry in ascending order, tombstones flagged", () => {
  const list = letters();
  list.delete(bytes("e"));
  const entries = [...list.range()];
  assert.deepEqual(keys(entries), ["a", "c", "e", "g"]);
  assert.deepEqual(entries.map((e) => e.isTombstone), [false, false, true, false]);
});

Deno.test("range() copies its bounds: changing the caller's arrays afterwards moves nothing", () => {
  const list = letters();
  const lower = bytes("b");
  const upper = bytes("f");
  const range = list.range({ gte: lower, lt: upper });
  lower[0] = 0x7a; // "z"
  upper[0] = 0x61; // "a"
  assert.deepEqual(keys(range), ["c", "e"]);
});

Deno.test("range() with a prefix ending in 0xff bytes stops at the first key past the prefix", () => {
  const list = new ConcurrentSkipList({ seed: 2 });
  for (
    const key of [[0x61], [0x61, 0xff], [0x61, 0xff, 0], [0x61, 0xff, 0xff, 9], [0x62], [0xff], [
      0xff,
      0xff,
    ]]
  ) {
    list.insert(raw(...key), raw());
  }
  const ranged = (prefix: number[], reverse = false) =>
    [...list.range({ prefix: raw(...prefix), reverse })].map((e) => [...e.key]);
  assert.deepEqual(ranged([0x61, 0xff]), [[0x61, 0xff], [0x61, 0xff, 0], [0x61, 0xff, 0xff, 9]]);
  assert.deepEqual(ranged([0x61, 0xff], true), [[0x61, 0xff, 0xff, 9], [0x61, 0xff, 0], [
    0x61,
    0xff,
  ]]);
  assert.deepEqual(ranged([0xff]), [[0xff], [0xff, 0xff]]);
  assert.deepEqual(ranged([0xff, 0xff], true), [[0xff, 0xff]]);
  assert.equal(ranged([]).length, 7);
});

Deno.test("range() starts its walk at the first step and stops at its limit without reading on", () => {
  const list = letters();
  const range = list.range({ gt: bytes("a"), limit: 2 });
  list.insert(bytes("b"), bytes("b")); // after range() returned, before the first step
  assert.deepEqual(keys(range), ["b", "c"]);
  assert.equal(range.next().done, true);
});

Deno.test("prevEntry() past the first entry leaves the cursor before it, where nextEntry() starts again", () => {
  const cursor = letters().cursorAt(bytes("c"))!;
  assert.equal(cursor.prevEntry(), true);
  assert.equal(text(cursor.entry()!.key), "a");
  assert.equal(cursor.prevEntry(), false);
  assert.equal(cursor.valid(), false);
  assert.equal(cursor.entry(), undefined);
  assert.equal(cursor.prevEntry(), false, "stays before the first");
  assert.equal(cursor.nextEntry(), true);
  assert.equal(text(cursor.entry()!.key), "a");
});

Deno.test("prevEntry() from past the end goes to the last entry, also after a seek found nothing", () => {
  const cursor = letters().cursorAt(bytes("g"))!;
  assert.equal(cursor.nextEntry(), false);
  assert.equal(cursor.prevEntry(), true);
  assert.equal(text(cursor.entry()!.key), "g");
  assert.equal(cursor.seek(bytes("h")), false);
  assert.equal(cursor.prevEntry(), true, "the last key below the failed seek's target");
  assert.equal(text(cursor.entry()!.key), "g");
});

Deno.test("seekForPrev() lands on the last key <= target; when none is, the cursor is before the first", () => {
  const cursor = letters().cursor();
  assert.equal(cursor.seekForPrev(bytes("e")), true);
  assert.equal(text(cursor.entry()!.key), "e");
  assert.equal(cursor.seekForPrev(bytes("d\xff")), true);
  assert.equal(text(cursor.entry()!.key), "c");
  assert.equal(cursor.seekForPrev(bytes("z")), true);
  assert.equal(text(cursor.entry()!.key), "g");
  assert.equal(cursor.seekForPrev(raw()), false);
  assert.equal(cursor.valid(), false);
  assert.deepEqual(keys(cursor), ["a", "c", "e", "g"], "iterating goes forward from the first");
});

Deno.test("seekToFirst() and seekToLast() reposition from anywhere; on an empty list they fail", () => {
  const cursor = letters().cursorAt(bytes("c"))!;
  assert.equal(cursor.seekToLast(), true);
  assert.equal(text(cursor.entry()!.key), "g");
  assert.equal(cursor.seekToFirst(), true);
  assert.equal(text(cursor.entry()!.key), "a");
  const empty = new ConcurrentSkipList().cursor();
  assert.equal(empty.seekToFirst(), false);
  assert.equal(empty.seekToLast(), false);
  assert.equal(empty.prevEntry(), false);
  assert.equal(empty.nextEntry(), false);
});

Deno.test("a cursor turns around at any point: forward after backward and back again", () => {
  const list = new ConcurrentSkipList({ seed: 4 });
  for (let k = 0; k < 200; k++) list.insert(raw(k), raw());
  const cursor = list.cursorForPrev(raw(150))!;
  const path: number[] = [cursor.entry()!.key[0]!];
  for (const move of ["p", "p", "n", "p", "p", "p", "n", "n", "n", "n", "p"]) {
    assert.ok(move === "p" ? cursor.prevEntry() : cursor.nextEntry());
    path.push(cursor.entry()!.key[0]!);
  }
  assert.deepEqual(path, [150, 149, 148, 149, 148, 147, 146, 147, 148, 149, 150, 149]);
});

Deno.test("first() and last() include tombstones and are undefined on an empty reader", () => {
  const list = letters();
  list.delete(bytes("a"));
  list.delete(bytes("z"));
  assert.deepEqual([list.first()?.isTombstone, text(list.first()!.key)], [true, "a"]);
  assert.deepEqual([list.last()?.isTombstone, text(list.last()!.key)], [true, "z"]);
  const empty = new ConcurrentSkipList();
  const snapshot = empty.snapshot();
  empty.insert(raw(1), raw());
  assert.equal(snapshot.first(), undefined, "the snapshot predates the insert");
  assert.equal(snapshot.last(), undefined);
  assert.equal(new ConcurrentSkipList().seal()[0].last(), undefined);
});

Deno.test("a reverse range on a live list never yields a key inserted above its position", () => {
  const list = new ConcurrentSkipList({ seed: 9 });
  for (let k = 0; k < 200; k += 2) list.insert(raw(k), raw());
  const range = list.range({ reverse: true, lt: raw(150) });
  const seen = [range.next().value!.key[0]];
  assert.deepEqual(seen, [148]);
  for (let k = 149; k < 256; k += 2) list.insert(raw(k), raw()); // above: behind the walk
  for (let k = 1; k < 149; k += 2) list.insert(raw(k), raw()); // below: may or may not appear
  for (const entry of range) {
    assert.ok(entry.key[0]! < seen[seen.length - 1]!, `${entry.key[0]} after ${seen.at(-1)}`);
    seen.push(entry.key[0]!);
  }
  const even = seen.filter((k) => k % 2 === 0);
  assert.deepEqual(even, Array.from({ length: 75 }, (_, i) => 148 - 2 * i), "none skipped");
});

Deno.test("mergeReaders over a snapshot and its live list: the live list's later writes win where it comes first", () => {
  const list = letters();
  const snapshot = list.snapshot();
  list.put(bytes("a"), bytes("A"));
  list.delete(bytes("c"));
  const values = (entries: Iterable<Entry>) =>
    [...entries].map((e) => e.isTombstone ? "-" : text(e.value));
  assert.deepEqual(values(mergeReaders([list, snapshot])), ["A", "-", "e", "g"]);
  assert.deepEqual(values(mergeReaders([snapshot, list])), ["a", "c", "e", "g"]);
  assert.deepEqual(
    keys(mergeReaders([list, snapshot]).range({ tombstones: false, reverse: true })),
    ["g", "e", "a"],
  );
});

Deno.test("mergeReaders of no readers is an empty reader", () => {
  const merged = mergeReaders([]);
  assert.deepEqual([...merged], []);
  assert.deepEqual([...merged.range({ reverse: true })], []);
  assert.equal(merged.first(), undefined);
  assert.equal(merged.last(), undefined);
  assert.equal(merged.get(raw(1)), undefined);
  assert.equal(merged.containsKey(raw(1)), false);
});

Deno.test("mergeReaders with tombstones: false leaves a shadowed key out without counting it towards limit", () => {
  const older = new ConcurrentSkipList();
  for (let k = 1; k <= 6; k++) older.insert(raw(k), raw(k));
  const [frozen, active] = older.seal();
  active.delete(raw(2));
  active.delete(raw(3));
  const merged = mergeReaders([active, frozen]);
  const ranged = merged.range({ tombstones: false, limit: 3 });
  assert.deepEqual([...ranged].map((e) => e.key[0]), [1, 4, 5]);
  assert.deepEqual([...merged.range({ limit: 3 })].map((e) => e.isTombstone), [false, true, true]);
});
