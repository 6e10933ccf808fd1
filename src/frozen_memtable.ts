/**
 * The read-only memtable `seal()` hands out, ready to flush.
 *
 * @module
 */

import type { Arena } from "./_arena.ts";
import { checkStructure } from "./_structure.ts";
import { FrozenCore } from "./_frozen_core.ts";
import type { SkipListCore } from "./_skiplist.ts";
import { STATE, STATE_FROZEN } from "./_layout.ts";
import { View } from "./_view.ts";
import { type Cursor, newCursor, newCursorAt } from "./cursor.ts";
import type { Entry } from "./entry.ts";
import { type FrozenMemtableHandle, openHandle } from "./handle.ts";
import { type Iter, newIter } from "./iter.ts";
import { newSnapshot, type Snapshot } from "./snapshot.ts";
import { newRawCursor, type RawCursor } from "./raw_cursor.ts";
import type { ValidateOptions, ValidationReport } from "./validation.ts";

let makeFrozen: (core: SkipListCore) => FrozenMemtable;

/**
 * A sealed list: read-only, complete (it holds exactly the writes that
 * returned success before `seal()` returned) and unchanging, so a flusher can
 * walk it at leisure, in this worker or another (`share()` / `attach()`).
 * Iteration yields tombstones: write them out, they shadow older tables.
 * Its memory is reclaimed when no worker references it any more.
 *
 * @example Flushing a sealed memtable
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * let memtable = new ConcurrentSkipList();
 * memtable.insert(bytes("b"), bytes("2"));
 * memtable.insert(bytes("a"), bytes("1"));
 * memtable.delete(bytes("c"));
 * const [frozen, fresh] = memtable.seal();
 * memtable = fresh; // writers continue here
 * const table = [...frozen].map((e) => [new TextDecoder().decode(e.key), e.isTombstone]);
 * assert.deepEqual(table, [["a", false], ["b", false], ["c", true]]);
 * ```
 */
export class FrozenMemtable implements Iterable<Entry> {
  #core: SkipListCore;
  #view: View;

  /** Not public: frozen memtables come from `seal()` and `attach()`. */
  private constructor(core: SkipListCore) {
    this.#core = core;
    this.#view = new View(core);
  }

  static {
    makeFrozen = (core) => new FrozenMemtable(core);
  }

  /**
   * Opens, in this worker, a frozen memtable shared by `frozen.share()`.
   *
   * @param handle What `share()` returned (possibly posted from another worker).
   * @returns The same memtable.
   * @throws {TypeError} When `handle` is not a frozen memtable's handle.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList, FrozenMemtable } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const [frozen] = new ConcurrentSkipList().seal();
   * assert.ok(FrozenMemtable.attach(frozen.share()).isEmpty());
   * assert.throws(() => FrozenMemtable.attach({} as never), TypeError);
   * ```
   */
  static attach(handle: FrozenMemtableHandle): FrozenMemtable {
    const arena = openHandle("FrozenMemtable", handle, "fastskip.FrozenMemtable");
    return newFrozenMemtable(arena);
  }

  /**
   * A structured-cloneable handle to this memtable, for `FrozenMemtable.attach`.
   *
   * @returns The handle.
   */
  share(): FrozenMemtableHandle {
    return { kind: "fastskip.FrozenMemtable", buffer: this.#core.arena.buffer };
  }

  /**
   * Iterates in key order, one entry per key, tombstones included.
   *
   * @returns A fresh iterator.
   */
  iter(): Iter {
    return newIter(this.#view);
  }

  /**
   * Same as {@link FrozenMemtable.iter}, for `for … of` and spreading.
   *
   * @returns A fresh iterator.
   */
  [Symbol.iterator](): Iter {
    return newIter(this.#view);
  }

  /**
   * A snapshot; since nothing changes any more, it sees what the memtable holds.
   *
   * @returns The snapshot.
   */
  snapshot(): Snapshot {
    return newSnapshot(new View(this.#core, this.#core.snapshotBound()));
  }

  /**
   * A cursor before the first entry.
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
   * The key's newest version.
   *
   * @param key The key.
   * @returns `[value, false]`, `[empty, true]` for a tombstone, or `undefined`.
   * @throws {TypeError} When `key` is not a `Uint8Array`.
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

  /** Live keys (tombstoned ones not counted). */
  get size(): number {
    return this.#core.size();
  }

  /**
   * Whether no key is live.
   *
   * @returns `true` when `size` is 0.
   */
  isEmpty(): boolean {
    return this.#core.size() === 0;
  }

  /**
   * Arena bytes allocated.
   *
   * @returns Bytes.
   */
  memoryUsage(): number {
    return this.#core.memoryUsage();
  }

  /**
   * Arena bytes reserved (backed by the buffer).
   *
   * @returns Bytes.
   */
  memoryReserved(): number {
    return this.#core.memoryReserved();
  }

  /**
   * `memoryUsage() / memoryReserved()`.
   *
   * @returns A ratio in 0..1.
   */
  memoryUtilization(): number {
    return this.#core.memoryUsage() / this.#core.memoryReserved();
  }

  /**
   * `memoryReserved() - memoryUsage()`.
   *
   * @returns Bytes.
   */
  memoryIdle(): number {
    return Math.max(0, this.#core.memoryReserved() - this.#core.memoryUsage());
  }

  /**
   * Checks the structure of the shared memory (see {@link ValidationReport}).
   *
   * @param options `quiescent` (default `true`).
   * @returns What was found.
   * @throws {Error} Naming the first broken invariant.
   */
  validate(options?: ValidateOptions): ValidationReport {
    return checkStructure(this.#core, options?.quiescent ?? true);
  }
}

/** Wraps a sealed arena (internal); throws a `TypeError` if it is not frozen. */
export function newFrozenMemtable(arena: Arena): FrozenMemtable {
  // Observes the sealer's store of STATE_FROZEN: everything written before
  // it is visible, and nothing changes after it (see _frozen_core.ts).
  if (Atomics.load(arena.i32, STATE) !== STATE_FROZEN) {
    throw new TypeError("Cannot attach FrozenMemtable: the list behind the handle is not sealed");
  }
  return makeFrozen(new FrozenCore(arena));
}
