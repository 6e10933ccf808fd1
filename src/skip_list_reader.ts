/**
 * The reads a live list, a frozen memtable and a snapshot have in common.
 *
 * @module
 */

import { Position } from "./_position.ts";
import { RangeIter } from "./_range_iter.ts";
import { resolveRange } from "./_range_options.ts";
import { internals } from "./_internals.ts";
import type { View } from "./_view.ts";
import { type Cursor, newCursor, newCursorAt, newCursorForPrev } from "./cursor.ts";
import type { Entry } from "./entry.ts";
import { type Iter, newIter } from "./iter.ts";
import type { RangeOptions } from "./range_options.ts";
import { newRawCursor, type RawCursor } from "./raw_cursor.ts";

/**
 * Point reads, ordered reads and cursors, the same on a
 * {@link ConcurrentSkipList} (its newest versions), a {@link FrozenMemtable}
 * and a {@link Snapshot} (the versions it can see). Not constructed directly.
 *
 * | method | cost |
 * | --- | --- |
 * | `get`, `getLive`, `containsKey`, `cursorAt`, `cursorForPrev`, `first`, `last` | O(log n) expected |
 * | `getMany` | O(k log n) for k keys |
 * | iteration step, `nextEntry`, forward `range` step | O(1) |
 * | reverse `range` step, `prevEntry` | O(1) amortized, plus O(log n) per run of ~16 entries |
 *
 * @example Code that reads any of the three
 * ```ts
 * import { ConcurrentSkipList, type SkipListReader } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * function liveKeys(reader: SkipListReader): number {
 *   return [...reader].filter((entry) => !entry.isTombstone).length;
 * }
 * const list = new ConcurrentSkipList();
 * list.insert(new Uint8Array([1]), new Uint8Array([1]));
 * const snapshot = list.snapshot();
 * list.insert(new Uint8Array([2]), new Uint8Array([2]));
 * assert.equal(liveKeys(snapshot), 1);
 * assert.equal(liveKeys(list), 2);
 * assert.equal(liveKeys(list.seal()[0]), 2);
 * ```
 */
export abstract class SkipListReader implements Iterable<Entry> {
  #view!: View;

  /** Not public: readers are lists, frozen memtables and snapshots. */
  protected constructor() {}

  static {
    internals.setReaderView = (reader, view) => {
      reader.#view = view;
    };
    internals.readerView = (value) =>
      typeof value === "object" && value !== null && #view in value ? value.#view : undefined;
  }

  /**
   * The key's newest version (in a snapshot: the newest it can see).
   *
   * The value is a view of shared memory, read-only by contract and
   * unchanged until this instance is released (see {@link Entry}); take
   * `value.slice()` for a plain copy, which `Response`, `Blob` and
   * `crypto.subtle` accept.
   *
   * @param key The key.
   * @returns `[value, false]`, `[empty, true]` for a tombstone, or `undefined` if absent.
   * @throws {TypeError} When `key` is not a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = new ConcurrentSkipList();
   * list.insert(new Uint8Array([1]), new Uint8Array([9]));
   * assert.deepEqual(list.get(new Uint8Array([1])), [new Uint8Array([9]), false]);
   * assert.equal(list.get(new Uint8Array([2])), undefined);
   * ```
   */
  get(key: Uint8Array): [value: Uint8Array, tombstone: boolean] | undefined {
    return this.#view.get(key);
  }

  /**
   * The key's live value.
   *
   * @param key The key.
   * @returns The value, or `undefined` if absent or tombstoned.
   * @throws {TypeError} When `key` is not a `Uint8Array`.
   */
  getLive(key: Uint8Array): Uint8Array | undefined {
    return this.#view.getLive(key);
  }

  /**
   * Whether the key is present and live.
   *
   * @param key The key.
   * @returns `true` when live.
   * @throws {TypeError} When `key` is not a `Uint8Array`.
   */
  containsKey(key: Uint8Array): boolean {
    return this.#view.containsKey(key);
  }

  /**
   * `getLive` for each key, in order.
   *
   * @param keys The keys.
   * @returns One value (or `undefined`) per key.
   * @throws {TypeError} When `keys` is not iterable or holds a non-`Uint8Array`.
   */
  getMany(keys: Iterable<Uint8Array>): (Uint8Array | undefined)[] {
    return this.#view.getMany(keys);
  }

  /**
   * Iterates in key order, one entry per key, tombstones included. On a live
   * list the walk is weakly consistent (see {@link Iter}).
   *
   * @returns A fresh iterator.
   */
  iter(): Iter {
    this.#view.check("iter");
    return newIter(this.#view);
  }

  /**
   * Same as `iter()`, for `for … of` and spreading.
   *
   * @returns A fresh iterator.
   */
  [Symbol.iterator](): Iter {
    return this.iter();
  }

  /**
   * A cursor before the first entry.
   *
   * @returns The cursor.
   */
  cursor(): Cursor {
    this.#view.check("cursor");
    return newCursor(this.#view);
  }

  /**
   * A cursor on the first entry whose key is `>= target`.
   *
   * @param target The lower bound.
   * @returns The cursor, or `undefined` when no key is `>= target`.
   * @throws {TypeError} When `target` is not a `Uint8Array`.
   */
  cursorAt(target: Uint8Array): Cursor | undefined {
    return newCursorAt(this.#view, "cursorAt", target);
  }

  /**
   * Iterates the entries of a range, in ascending or (`reverse`) descending
   * key order: bounds, prefix, limit and whether tombstones are yielded
   * (see {@link RangeOptions}). Exact on a snapshot and a frozen memtable.
   * On a live list it is weakly consistent in both directions, like
   * `iter()`: it never turns back and never skips a key present for the
   * whole walk; keys written meanwhile may or may not appear. The options
   * are checked at once; the walk starts at the first step.
   *
   * @param options Bounds (`gte`/`gt`, `lte`/`lt`) or `prefix`, `reverse`, `limit`, `tombstones`.
   * @returns A fresh iterator.
   * @throws {TypeError} When `options` is not an object, names an unknown
   * option, or a bound or prefix is not a `Uint8Array` (or `reverse`,
   * `tombstones` not a boolean, `limit` not a number).
   * @throws {RangeError} When `gt` and `gte` (or `lt` and `lte`) are both set,
   * `prefix` comes with a bound, or `limit` is negative, fractional or NaN.
   *
   * @example Paging backwards through a key range
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const list = new ConcurrentSkipList();
   * for (let k = 0; k < 10; k++) list.insert(new Uint8Array([k]), new Uint8Array([k * k]));
   * const keys = (options: object) => [...list.range(options)].map((entry) => entry.key[0]);
   * assert.deepEqual(keys({ gte: new Uint8Array([3]), lt: new Uint8Array([7]) }), [3, 4, 5, 6]);
   * assert.deepEqual(keys({ lt: new Uint8Array([7]), reverse: true, limit: 3 }), [6, 5, 4]);
   * assert.deepEqual(keys({ gt: new Uint8Array([4]), lte: new Uint8Array([3]) }), []);
   * assert.throws(() => list.range({ gt: new Uint8Array(), gte: new Uint8Array() }), RangeError);
   * ```
   */
  range(options?: RangeOptions): Iter {
    this.#view.check("range");
    return new RangeIter(this.#view, resolveRange("range", options));
  }

  /**
   * The entry with the smallest key, tombstones included.
   *
   * @returns The entry, or `undefined` when there is none.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const list = new ConcurrentSkipList();
   * assert.equal(list.first(), undefined);
   * list.insert(new Uint8Array([5]), new Uint8Array());
   * list.delete(new Uint8Array([2]));
   * assert.deepEqual(list.first(), { key: new Uint8Array([2]), value: new Uint8Array(), isTombstone: true });
   * ```
   */
  first(): Entry | undefined {
    this.#view.check("first");
    const position = new Position(this.#view);
    position.next();
    return position.entry();
  }

  /**
   * The entry with the largest key, tombstones included.
   *
   * @returns The entry, or `undefined` when there is none.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const list = new ConcurrentSkipList();
   * for (const k of [3, 9, 1]) list.insert(new Uint8Array([k]), new Uint8Array([k]));
   * assert.deepEqual(list.last()?.key, new Uint8Array([9]));
   * ```
   */
  last(): Entry | undefined {
    this.#view.check("last");
    const position = new Position(this.#view);
    position.seekToLast();
    return position.entry();
  }

  /**
   * A cursor on the last entry whose key is `<= target` (RocksDB's
   * `SeekForPrev`), to walk backwards from there with `prevEntry()`.
   *
   * @param target The upper bound.
   * @returns The cursor, or `undefined` when no key is `<= target`.
   * @throws {TypeError} When `target` is not a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const list = new ConcurrentSkipList();
   * for (const k of [10, 20, 30]) list.insert(new Uint8Array([k]), new Uint8Array());
   * assert.equal(list.cursorForPrev(new Uint8Array([25]))?.entry()?.key[0], 20);
   * assert.equal(list.cursorForPrev(new Uint8Array([5])), undefined);
   * ```
   */
  cursorForPrev(target: Uint8Array): Cursor | undefined {
    return newCursorForPrev(this.#view, "cursorForPrev", target);
  }

  /**
   * A cursor before the first entry that exposes offsets into the list's
   * memory instead of allocating views (see {@link RawCursor}): for flushes
   * and full scans.
   *
   * @returns The raw cursor.
   */
  rawCursor(): RawCursor {
    this.#view.check("rawCursor");
    return newRawCursor(this.#view);
  }
}
