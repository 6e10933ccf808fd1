/**
 * Snapshots: a point-in-time view that later writes do not disturb.
 *
 *   deno run examples/snapshots.ts            (no permissions needed)
 *
 * A snapshot holds every write that completed before `snapshot()` returned
 * and nothing that started after, in any worker; passes over it repeat
 * exactly. It costs O(1) to take: nothing is copied, old versions simply
 * stay in the arena (which never reuses memory).
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../mod.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined) =>
  data === undefined ? undefined : new TextDecoder().decode(data);

const list = new ConcurrentSkipList();
list.insert(bytes("account:alice"), bytes("100"));
list.insert(bytes("account:bob"), bytes("50"));
list.insert(bytes("account:carol"), bytes("75"));

const before = list.snapshot();

// Writes after the snapshot: an overwrite, a delete, a new key.
list.put(bytes("account:alice"), bytes("60"));
list.delete(bytes("account:bob"));
list.insert(bytes("account:dave"), bytes("10"));

// The live list sees them...
assert.equal(text(list.getLive(bytes("account:alice"))), "60");
assert.equal(list.getLive(bytes("account:bob")), undefined);

// ...the snapshot does not: point reads, iteration and cursors all agree.
assert.equal(text(before.getLive(bytes("account:alice"))), "100");
assert.deepEqual(before.get(bytes("account:bob")), [bytes("50"), false]);
assert.equal(before.get(bytes("account:dave")), undefined, "inserted after the snapshot");

const listing = (source: Iterable<{ key: Uint8Array; value: Uint8Array; isTombstone: boolean }>) =>
  [...source].filter((e) => !e.isTombstone).map((e) => `${text(e.key)}=${text(e.value)}`);
const firstPass = listing(before);
assert.deepEqual(firstPass, ["account:alice=100", "account:bob=50", "account:carol=75"]);

// More writes, then a second pass over the same snapshot: identical.
list.put(bytes("account:carol"), bytes("0"));
list.delete(bytes("account:alice"));
assert.deepEqual(listing(before), firstPass);

// A cursor on a snapshot reads the snapshot's versions.
const cursor = before.cursorAt(bytes("account:b"));
assert.ok(cursor); // undefined when no key is >= the target
assert.ok(cursor.valid());
assert.equal(text(cursor.entry()?.key), "account:bob");
assert.equal(text(cursor.entry()?.value), "50");

// A later snapshot sees everything up to its own moment, tombstones included.
const after = list.snapshot();
assert.deepEqual(listing(after), ["account:carol=0", "account:dave=10"]);
assert.deepEqual(
  [...after].filter((e) => e.isTombstone).map((e) => text(e.key)),
  ["account:alice", "account:bob"],
);

// A snapshot stays valid across seal(): it reads the (now frozen) memory.
const [frozen] = list.seal();
assert.deepEqual(listing(before), firstPass);
assert.deepEqual(listing(frozen), listing(after));

// Releasing the frozen memtable ends the snapshots of the list it came from:
// its memory may serve another list from now on.
frozen.release();
assert.throws(() => listing(before), /released/);

console.log("snapshots: ok");
