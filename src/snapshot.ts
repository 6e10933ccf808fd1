/**
 * Point-in-time views.
 *
 * @module
 */

import type { View } from "./_view.ts";
import { type Cursor, newCursor, newCursorAt } from "./cursor.ts";
import type { Entry } from "./entry.ts";
import { newSnapshotIter, type SnapshotIter } from "./iter.ts";
import { newRawCursor, type RawCursor } from "./raw_cursor.ts";

let makeSnapshot: (view: View) => Snapshot;

/**
 * The list as it was when `snapshot()` returned, exactly: every write that
 * completed before is in it, nothing that started after is, and a write
 * concurrent with it is wholly in or wholly out. Repeated passes yield
 * identical sequences however much other workers write, overwrite or delete
 * meanwhile. A snapshot costs nothing to take (one atomic load) and holds
 * no lock; it keeps the list's memory alive while referenced.
 *
 * @example Reads that do not move
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const key = new Uint8Array([7]);
 * const list = new ConcurrentSkipList();
 * list.insert(key, new Uint8Array([1]));
 * const snapshot = list.snapshot();
 * list.put(key, new Uint8Array([2]));
 * list.delete(key);
 * assert.deepEqual(snapshot.getLive(key), new Uint8Array([1]));
 * assert.equal(list.getLive(key), undefined);
 * ```
 */
export class Snapshot implements Iterable<Entry> {
  #view: View;

  /** Not public: snapshots come from `snapshot()`. */
  private constructor(view: View) {
    this.#view = view;
  }

  static {
    makeSnapshot = (view) => new Snapshot(view);
  }

  /**
   * Iterates the snapshot in key order, tombstones included.
   *
   * @returns A fresh iterator; each one yields the same sequence.
   */
  iter(): SnapshotIter {
    return newSnapshotIter(this.#view);
  }

  /**
   * Same as {@link Snapshot.iter}, for `for … of` and spreading.
   *
   * @returns A fresh iterator.
   */
  [Symbol.iterator](): SnapshotIter {
    return newSnapshotIter(this.#view);
  }

  /**
   * The key's version as of the snapshot.
   *
   * @param key The key.
   * @returns `[value, false]`, `[empty, true]` for a tombstone, or `undefined` if absent.
   * @throws {TypeError} When `key` is not a `Uint8Array`.
   */
  get(key: Uint8Array): [value: Uint8Array, tombstone: boolean] | undefined {
    return this.#view.get(key);
  }

  /**
   * The key's live value as of the snapshot.
   *
   * @param key The key.
   * @returns The value, or `undefined` if absent or tombstoned.
   * @throws {TypeError} When `key` is not a `Uint8Array`.
   */
  getLive(key: Uint8Array): Uint8Array | undefined {
    return this.#view.getLive(key);
  }

  /**
   * Whether the key was present and live.
   *
   * @param key The key.
   * @returns `true` when live in the snapshot.
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
   * A cursor before the snapshot's first entry.
   *
   * @returns The cursor.
   */
  cursor(): Cursor {
    return newCursor(this.#view);
  }

  /**
   * A cursor before the first entry that exposes offsets into the list's
   * memory instead of allocating views (see {@link RawCursor}): for flushes
   * and full scans.
   *
   * @returns The raw cursor.
   */
  rawCursor(): RawCursor {
    return newRawCursor(this.#view);
  }

  /**
   * A cursor on the snapshot's first entry whose key is `>= target`.
   *
   * @param target The lower bound.
   * @returns The cursor, or `undefined` when no key is `>= target`.
   * @throws {TypeError} When `target` is not a `Uint8Array`.
   */
  cursorAt(target: Uint8Array): Cursor | undefined {
    return newCursorAt(this.#view, "cursorAt", target);
  }
}

/** Creates a snapshot over `view` (internal). */
export function newSnapshot(view: View): Snapshot {
  return makeSnapshot(view);
}
