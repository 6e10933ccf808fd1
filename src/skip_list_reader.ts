/**
 * The reads a live list, a frozen memtable and a snapshot have in common.
 *
 * @module
 */

import type { View } from "./_view.ts";
import { type Cursor, newCursor, newCursorAt } from "./cursor.ts";
import type { Entry } from "./entry.ts";
import { type Iter, newIter } from "./iter.ts";
import { newRawCursor, type RawCursor } from "./raw_cursor.ts";

let bind: (reader: SkipListReader, view: View) => void;

/**
 * Point reads, ordered reads and cursors, the same on a
 * {@link ConcurrentSkipList} (its newest versions), a {@link FrozenMemtable}
 * and a {@link Snapshot} (the versions it can see). Not constructed directly.
 *
 * | method | cost |
 * | --- | --- |
 * | `get`, `getLive`, `containsKey`, `cursorAt` | O(log n) expected |
 * | `getMany` | O(k log n) for k keys |
 * | iteration step, `nextEntry` | O(1) |
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
    bind = (reader, view) => {
      reader.#view = view;
    };
  }

  /**
   * The key's newest version (in a snapshot: the newest it can see).
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

/** Gives a reader the view it reads (internal: called by each subclass's constructor). */
export function bindReader(reader: SkipListReader, view: View): void {
  bind(reader, view);
}
