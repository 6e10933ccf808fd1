/**
 * Iterators over a whole list in key order.
 *
 * @module
 */

import { internals } from "./_internals.ts";
import { inheritIteratorPrototype } from "./_iterator_prototype.ts";
import { Position } from "./_position.ts";
import type { View } from "./_view.ts";
import type { Entry } from "./entry.ts";

/**
 * Walks a list in ascending key order, one entry per key (its newest version,
 * or the newest a snapshot can see), tombstones included. On a live list the
 * walk is weakly consistent: it never goes backwards and never skips a key
 * that existed when it started; keys inserted meanwhile may or may not appear.
 * Get one from `list.iter()`, `frozen.iter()` or by spreading the list.
 *
 * An `Iter` inherits from `Iterator.prototype`, so the Iterator helpers work
 * on it wherever the runtime has them (Deno, Bun, Node 22 and later):
 * `take`, `drop`, `filter`, `map`, `flatMap`, `toArray`, `reduce`, `some`,
 * `every`, `find`, `forEach`. They pull entries through `next()`, so they
 * yield what a `for … of` loop over the same iterator would. Node 20 has no
 * helpers: there an `Iter` works with `for … of` and `next()` only.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * for (const k of [3, 1, 2]) list.insert(new Uint8Array([k]), new Uint8Array([k * 10]));
 * const keys = [];
 * for (const entry of list.iter()) keys.push(entry.key[0]);
 * assert.deepEqual(keys, [1, 2, 3]);
 * ```
 *
 * @example The Iterator helpers
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * for (let k = 1; k <= 9; k++) list.insert(new Uint8Array([k]), new Uint8Array([k * 10]));
 * const values = list.range({ gte: new Uint8Array([2]) })
 *   .filter((entry) => entry.key[0]! % 2 === 1)
 *   .map((entry) => entry.value[0])
 *   .take(3)
 *   .toArray();
 * assert.deepEqual(values, [30, 50, 70]);
 * ```
 */
export class Iter {
  #position: Position | null;

  /**
   * Not public: iterators come from `iter()`, `[Symbol.iterator]()` and
   * `range()`. Iterators that walk something else than a whole list (a
   * range, several lists) pass `null` and override `next()`.
   */
  protected constructor(view: View | null) {
    this.#position = view === null ? null : new Position(view);
    this.#position?.next();
  }

  static {
    inheritIteratorPrototype(this.prototype);
    internals.newIter = (view) => new Iter(view);
  }

  /**
   * Yields the next entry, or `done` at the end of the list.
   *
   * @returns The iterator result.
   */
  next(): IteratorResult<Entry, undefined> {
    const entry = this.#position!.entry();
    if (entry === undefined) return { done: true, value: undefined };
    this.#position!.next();
    return { done: false, value: entry };
  }
}

/**
 * What an {@link Iter} inherits from `Iterator.prototype`: the Iterator
 * helpers (typed by `lib.esnext`; present at run time where the runtime has
 * them) and `[Symbol.iterator]()`, which returns the iterator itself. The
 * class extends nothing so that the module also loads where there is no
 * global `Iterator` (Node 20); it re-parents its prototype instead.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * list.insert(new Uint8Array([1]), new Uint8Array([10]));
 * const iter = list.iter();
 * assert.equal(iter[Symbol.iterator](), iter);
 * assert.equal(iter.some((entry) => entry.value[0] === 10), true);
 * ```
 */
export interface Iter extends IteratorObject<Entry, undefined, unknown> {
  /**
   * Returns this iterator, so that it can be used in `for … of`.
   *
   * @returns This iterator.
   */
  [Symbol.iterator](): this;
}

/**
 * An {@link Iter} over a {@link Snapshot}: every pass over one snapshot yields
 * the same entries, whatever is written meanwhile.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * list.insert(new Uint8Array([1]), new Uint8Array([1]));
 * const snapshot = list.snapshot();
 * list.insert(new Uint8Array([2]), new Uint8Array([2]));
 * assert.equal([...snapshot.iter()].length, 1);
 * ```
 */
export class SnapshotIter extends Iter {
  static {
    internals.newSnapshotIter = (view) => new SnapshotIter(view);
  }
}

/** Creates an iterator over `view` (internal: not exported by `mod.ts`). */
export function newIter(view: View): Iter {
  return internals.newIter(view);
}

/** Creates a snapshot iterator over `view` (internal). */
export function newSnapshotIter(view: View): SnapshotIter {
  return internals.newSnapshotIter(view);
}
