/**
 * Node 20 has no global `Iterator` and no Iterator helpers: the module must
 * still load there, and its iterators and cursors still work with `for … of`
 * and `next()`, inheriting from the same prototype as Node's own iterators.
 * Where the runtime has the helpers (Node 22 and later), the same checks
 * find them. CI runs:
 *
 *   deno bundle mod.ts -o /tmp/fastskip.mjs
 *   node --test-reporter=tap tests/node/iterator_fallback.mjs /tmp/fastskip.mjs
 */

import assert from "node:assert/strict";
import test from "node:test";
import { pathToFileURL } from "node:url";

const bundle = process.argv[2];
if (!bundle) {
  console.error("usage: node tests/node/iterator_fallback.mjs <bundle.mjs>");
  process.exit(2);
}
const { ConcurrentSkipList, mergeReaders } = await import(pathToFileURL(bundle).href);

/** `%IteratorPrototype%`, which every runtime has, named `Iterator.prototype` or not. */
const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
/** Whether this runtime has the Iterator helpers (Node 22+), or not (Node 20). */
const hasHelpers = typeof globalThis.Iterator === "function";

const keys = (entries) => [...entries].map((entry) => entry.key[0]);

/** Keys 1..5 (key 3 deleted), and a frozen memtable of key 6 for the merge. */
function fixture() {
  const older = new ConcurrentSkipList();
  older.insert(new Uint8Array([6]), new Uint8Array([6]));
  const [frozen, sealed] = older.seal();
  sealed.release();
  const list = new ConcurrentSkipList();
  for (const k of [5, 1, 4, 2, 3]) list.insert(new Uint8Array([k]), new Uint8Array([k]));
  list.delete(new Uint8Array([3]));
  return { list, frozen };
}

test("the module loads and its iterators walk with for … of and next()", () => {
  const { list, frozen } = fixture();
  assert.deepEqual(keys(list), [1, 2, 3, 4, 5]);
  assert.deepEqual(keys(list.iter()), [1, 2, 3, 4, 5]);
  assert.deepEqual(keys(list.range({ reverse: true, limit: 3, tombstones: false })), [5, 4, 2]);
  assert.deepEqual(keys(list.snapshot().iter()), [1, 2, 3, 4, 5]);
  assert.deepEqual(keys(mergeReaders([list, frozen]).range({ gte: new Uint8Array([4]) })), [
    4,
    5,
    6,
  ]);
  const iter = list.iter();
  const first = iter.next();
  assert.equal(first.done, false);
  assert.equal(first.value.key[0], 1);
  assert.deepEqual(keys(iter), [2, 3, 4, 5]);
  assert.deepEqual(iter.next(), { done: true, value: undefined });
  const cursor = list.cursorAt(new Uint8Array([4]));
  assert.equal(cursor[Symbol.iterator](), cursor);
  assert.deepEqual(keys(cursor), [4, 5]);
  list.release();
  frozen.release();
});

test("iterators and cursors inherit from the prototype of the runtime's own iterators", () => {
  const { list, frozen } = fixture();
  const made = [
    list.iter(),
    list.range(),
    list.snapshot().iter(),
    mergeReaders([list, frozen]).range(),
    list.cursor(),
  ];
  for (const iterator of made) {
    assert.ok(Object.prototype.isPrototypeOf.call(iteratorPrototype, iterator));
    assert.equal(iterator[Symbol.iterator](), iterator);
  }
  list.release();
  frozen.release();
});

test("the Iterator helpers are there exactly when the runtime has them", () => {
  const { list, frozen } = fixture();
  const iter = list.iter();
  if (hasHelpers) {
    assert.deepEqual(keys(iter.filter((entry) => !entry.isTombstone).take(3)), [1, 2, 4]);
  } else {
    assert.equal(globalThis.Iterator, undefined);
    assert.equal(iter.take, undefined);
    assert.equal(list.cursor().map, undefined);
    assert.throws(() => iter.toArray(), TypeError);
    assert.deepEqual(keys(iter), [1, 2, 3, 4, 5]); // the failed call took nothing
  }
  list.release();
  frozen.release();
});
