import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { raw } from "../support/bytes.ts";

Deno.test("size counts live keys and never goes negative", () => {
  const list = new ConcurrentSkipList();
  assert.equal(list.size, 0);
  list.delete(raw(1));
  list.delete(raw(1));
  assert.equal(list.size, 0);
  list.insert(raw(2), raw());
  list.put(raw(2), raw(1));
  list.put(raw(3), raw(1));
  assert.equal(list.size, 2);
  list.delete(raw(2));
  list.delete(raw(2));
  assert.equal(list.size, 1);
  list.put(raw(1), raw());
  assert.equal(list.size, 2);
  assert.equal(list.isEmpty(), false);
});

Deno.test("avgKeySize() and avgValueSize() average keys and values separately", () => {
  const list = new ConcurrentSkipList();
  assert.equal(list.avgKeySize(), 0);
  assert.equal(list.avgValueSize(), 0);
  list.insert(new Uint8Array(2), new Uint8Array(10));
  list.insert(new Uint8Array(4), new Uint8Array(30));
  assert.equal(list.avgKeySize(), 3);
  assert.equal(list.avgValueSize(), 20);
  list.delete(new Uint8Array(6)); // a 6-byte key with a tombstone: keys change, values do not
  assert.equal(list.avgKeySize(), 4);
  assert.equal(list.avgValueSize(), 20);
});

Deno.test("totalInserts() counts insert attempts that reached the list", () => {
  const list = new ConcurrentSkipList();
  list.insert(raw(1), raw());
  list.insert(raw(1), raw()); // duplicate, still an attempt
  list.put(raw(2), raw());
  list.getOrInsert(raw(3), raw());
  try {
    list.insertBatch([[raw(4), raw()], [raw(4), raw()]]);
  } catch { /* one duplicate */ }
  list.delete(raw(5)); // not an insert
  assert.equal(list.totalInserts(), 6);
  list.seal();
  list.insert(raw(9), raw()); // refused before reaching the list
  assert.equal(list.totalInserts(), 6);
});

Deno.test("memory statistics agree with each other", () => {
  const list = new ConcurrentSkipList({ arenaBytes: 64 * 1024 });
  assert.equal(list.memoryReserved(), 64 * 1024);
  const empty = list.memoryUsage();
  for (let i = 0; i < 5000; i++) list.insert(new Uint8Array([i >> 8, i]), new Uint8Array(8));
  assert.ok(list.memoryUsage() > empty);
  assert.ok(list.memoryReserved() > 64 * 1024, "the arena grew");
  assert.ok(list.memoryUsage() <= list.memoryReserved());
  assert.equal(list.memoryIdle(), list.memoryReserved() - list.memoryUsage());
  const utilization = list.memoryUtilization();
  assert.ok(utilization > 0 && utilization <= 1);
});

Deno.test("isUnderBackpressure() starts at 90 % of a limit", () => {
  const list = new ConcurrentSkipList({ maxEntries: 10 });
  for (let i = 0; i < 8; i++) list.insert(raw(i), raw());
  assert.equal(list.isUnderBackpressure(), false);
  list.insert(raw(8), raw());
  assert.equal(list.isUnderBackpressure(), true);
  assert.equal(new ConcurrentSkipList().isUnderBackpressure(), false);
});

Deno.test("withShards, withCapacity and withCapacityAndShards set what they say", () => {
  assert.equal(ConcurrentSkipList.withShards(16).insert(raw(1), raw()), true);
  assert.equal(ConcurrentSkipList.withCapacity(1 << 17).memoryReserved(), 1 << 17);
  const list = ConcurrentSkipList.withCapacityAndShards(1 << 16, 2, 1 << 20, 5);
  assert.equal(list.memoryReserved(), 1 << 16);
  assert.equal(list.maxMemoryBytes(), 1 << 20);
  assert.equal(list.maxEntries(), 5);
});
