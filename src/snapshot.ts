/**
 * Point-in-time views.
 *
 * @module
 */

import { internals } from "./_internals.ts";
import { SkipListReader } from "./skip_list_reader.ts";
import type { View } from "./_view.ts";
import { newSnapshotIter, type SnapshotIter } from "./iter.ts";

/**
 * The list as it was when `snapshot()` returned, exactly: every write that
 * completed before is in it, nothing that started after is, and a write
 * concurrent with it is wholly in or wholly out. Repeated passes yield
 * identical sequences however much other workers write, overwrite or delete
 * meanwhile. A snapshot costs nothing to take (one atomic load) and holds
 * no lock; it keeps the list's memory alive while referenced.
 *
 * Inherited, and documented on {@link SkipListReader} (`deno doc` lists a
 * class's own members only): the reads `get`, `getLive`, `containsKey`,
 * `getMany`, `iter`, `range`, `first`, `last`, `cursor`, `cursorAt`,
 * `cursorForPrev` and `rawCursor`.
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
export class Snapshot extends SkipListReader {
  #view: View;

  /** Not public: snapshots come from `snapshot()`. */
  private constructor(view: View) {
    super();
    this.#view = view;
    internals.setReaderView(this, view);
  }

  static {
    internals.newSnapshot = (view) => new Snapshot(view);
  }

  /**
   * Iterates the snapshot in key order, tombstones included.
   *
   * @returns A fresh iterator; each one yields the same sequence.
   */
  override iter(): SnapshotIter {
    return newSnapshotIter(this.#view);
  }

  /**
   * Same as {@link Snapshot.iter}, for `for … of` and spreading.
   *
   * @returns A fresh iterator.
   */
  override [Symbol.iterator](): SnapshotIter {
    return newSnapshotIter(this.#view);
  }
}

/** Creates a snapshot over `view` (internal). */
export function newSnapshot(view: View): Snapshot {
  return internals.newSnapshot(view);
}
