import assert from "node:assert/strict";
import { ConcurrentSkipList, worstCaseEntryBytes } from "../../mod.ts";
import { compareBytes, randomKeys, raw } from "../support/bytes.ts";

Deno.test("a full arena fails writes with OutOfMemory and keeps everything stored before, sorted", () => {
  const list = new ConcurrentSkipList({ arenaBytes: 8192, maxArenaBytes: 64 * 1024, seed: 21 });
  const keys = randomKeys(10_000, 12, 21);
  const stored: Uint8Array[] = [];
  for (const key of keys) {
    if (!list.insert(key, key.subarray(0, 4))) break;
    stored.push(key);
  }
  assert.ok(stored.length > 500 && stored.length < keys.length, `stored ${stored.length}`);
  assert.ok(list.memoryUsage() <= 64 * 1024);
  assert.equal(list.memoryReserved(), 64 * 1024);

  // What is left is smaller than the entry that failed (at most
  // worstCaseEntryBytes(12, 4) = 228 bytes); an entry with a 256-byte value
  // needs at least 296, whatever its tower height.
  const next = keys[stored.length + 1];
  assert.ok(next !== undefined, "a key the list was never offered");
  assert.equal(worstCaseEntryBytes(12, 4), 228);
  const big = new Uint8Array(256);
  assert.equal(list.insert(next, big), false);
  assert.throws(() => list.tryInsert(next, big), { name: "InsertError", kind: "OutOfMemory" });
  assert.throws(() => list.put(next, new Uint8Array(256)), {
    name: "InsertError",
    kind: "OutOfMemory",
  });
  // A duplicate on a full list is still reported as a duplicate.
  assert.throws(() => list.tryInsert(stored[0]!, raw()), {
    name: "InsertError",
    kind: "DuplicateKey",
  });
  // A tombstone is smaller than an entry: deletes go on until even they do not fit.
  let deleted = 0;
  while (deleted < stored.length && list.delete(stored[deleted]!)) deleted++;
  assert.ok(deleted < stored.length, "the arena filled up with tombstones");
  assert.throws(() => list.tryDelete(stored[deleted]!), {
    name: "InsertError",
    kind: "OutOfMemory",
  });

  stored.forEach((key, i) => {
    assert.deepEqual(list.get(key), i < deleted ? [raw(), true] : [key.subarray(0, 4), false]);
  });
  const walked = [...list].map((entry) => [...entry.key]);
  assert.deepEqual(walked, [...stored].sort(compareBytes).map((k) => [...k]));
  assert.equal(list.size, stored.length - deleted);
  list.validate();
});

Deno.test("a value larger than the whole arena fails with OutOfMemory, not a crash", () => {
  const list = new ConcurrentSkipList({ maxArenaBytes: 1 << 16 });
  assert.throws(() => list.put(raw(1), new Uint8Array(1 << 17)), {
    name: "InsertError",
    kind: "OutOfMemory",
  });
  assert.equal(list.insert(raw(1), raw(1)), true);
  list.validate();
});

Deno.test("worstCaseEntryBytes() bounds what one insert takes", () => {
  const list = new ConcurrentSkipList({ seed: 5 });
  for (let i = 0; i < 1000; i++) {
    const before = list.memoryUsage();
    list.insert(new Uint8Array([i >> 8, i, 7]), new Uint8Array(i % 13));
    assert.ok(list.memoryUsage() - before <= worstCaseEntryBytes(3, i % 13));
  }
});

Deno.test("the arena grows on demand and reads stay valid across growth", () => {
  const list = new ConcurrentSkipList({ arenaBytes: 4096, seed: 8 });
  const other = ConcurrentSkipList.attach(list.share()); // its views lag behind the growth
  const keys = randomKeys(20_000, 16, 8);
  keys.forEach((key, i) => (i % 2 === 0 ? list : other).insert(key, key));
  assert.ok(list.memoryReserved() > 1 << 20);
  for (const key of keys) {
    assert.deepEqual(other.getLive(key), key);
    assert.deepEqual(list.getLive(key), key);
  }
  assert.equal(other.validate().entries, keys.length);
});
