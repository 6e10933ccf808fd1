/**
 * Quick start: the everyday operations of a fastskip list, each checked.
 *
 *   deno run examples/quick_start.ts          (no permissions needed)
 *   npx --yes bun@1 run examples/quick_start.ts
 *
 * Uses no Deno-only API, so it runs unchanged in Bun.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList, InsertError } from "../mod.ts";

// Keys and values are bytes; these two helpers keep the example readable.
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined) =>
  data === undefined ? undefined : new TextDecoder().decode(data);

const list = new ConcurrentSkipList();

// insert: the first value wins, a second insert of the same key is refused.
assert.equal(list.insert(bytes("apple"), bytes("red")), true);
assert.equal(list.insert(bytes("apple"), bytes("green")), false);
assert.equal(text(list.getLive(bytes("apple"))), "red");

// tryInsert says why it refused.
assert.throws(() => list.tryInsert(bytes("apple"), bytes("green")), {
  name: "InsertError",
  kind: "DuplicateKey",
});

// put: overwrite. Readers see the newest version.
list.put(bytes("apple"), bytes("green"));
assert.equal(text(list.getLive(bytes("apple"))), "green");

// delete records a tombstone; get() reports it, getLive() hides it.
list.insert(bytes("banana"), bytes("yellow"));
assert.equal(list.delete(bytes("banana")), true); // a live entry was deleted
assert.deepEqual(list.get(bytes("banana")), [new Uint8Array(0), true]);
assert.equal(list.getLive(bytes("banana")), undefined);
assert.equal(list.containsKey(bytes("banana")), false);

// Deleting an absent key still records a tombstone (it must shadow older
// tables in an LSM tree), but reports that nothing live was deleted.
assert.equal(list.delete(bytes("cherry")), false);
assert.deepEqual(list.get(bytes("cherry")), [new Uint8Array(0), true]);

// An absent key: get() is undefined.
assert.equal(list.get(bytes("durian")), undefined);

// Iteration is in unsigned-byte key order, one entry per key (its newest
// version), tombstones included: callers filter them.
list.insert(bytes("Zebra"), bytes("capital letters sort first"));
const seen = [...list].map((e) => [text(e.key), e.isTombstone ? "(deleted)" : text(e.value)]);
assert.deepEqual(seen, [
  ["Zebra", "capital letters sort first"],
  ["apple", "green"],
  ["banana", "(deleted)"],
  ["cherry", "(deleted)"],
]);

// getMany: several getLive() in one call.
assert.deepEqual(list.getMany([bytes("apple"), bytes("banana")]).map(text), ["green", undefined]);

// Statistics: size counts live keys only.
assert.equal(list.size, 2);
assert.ok(list.memoryUsage() > 0 && list.memoryUsage() <= list.memoryReserved());

// Limits make writes fail rather than grow without bound.
const small = new ConcurrentSkipList({ maxEntries: 2 });
small.insert(bytes("a"), bytes("1"));
small.insert(bytes("b"), bytes("2"));
assert.equal(small.insert(bytes("c"), bytes("3")), false);
assert.throws(
  () => small.put(bytes("c"), bytes("3")),
  (e) => e instanceof InsertError && e.kind === "OutOfMemory",
);

// seal(): freeze for a flush, keep writing in the fresh list.
const [frozen, fresh] = list.seal();
assert.equal(list.insert(bytes("late"), bytes("refused")), false);
assert.equal(fresh.insert(bytes("late"), bytes("accepted")), true);
assert.equal([...frozen].length, 4);
// Flushed: release it, so that its memory serves a later list (V8 would not
// collect it soon). Its reads, and the sealed list's, throw from now on.
frozen.release();
assert.throws(() => frozen.get(bytes("a")), TypeError);
assert.throws(() => list.get(bytes("a")), TypeError);
fresh.release();

console.log("quick_start: ok");
