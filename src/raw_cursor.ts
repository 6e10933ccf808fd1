/**
 * A cursor that allocates nothing per entry, for flushes and full scans.
 *
 * @module
 */

import { internals } from "./_internals.ts";
import { TOMBSTONE } from "./_layout.ts";
import { keyLengthOf, keyOffsetOf, valueLengthOf, valueOffsetOf } from "./_records.ts";
import { Position } from "./_position.ts";
import type { View } from "./_view.ts";

/**
 * Walks a list in key order like {@link Cursor}, but instead of creating two
 * views and an entry object per step it exposes where the current entry
 * lies in the list's memory: the key is `bytes[keyOffset, keyOffset +
 * keyLength)` and the value `bytes[valueOffset, valueOffset + valueLength)`.
 * A flush can copy those ranges straight into its output buffer; at a million
 * entries that is the difference between allocation-bound and memory-bound.
 *
 * `bytes` is the list's shared memory itself: treat it as read-only (writing
 * to it corrupts the list for every worker), and read the field again after
 * each move, since a live list's memory grows (a frozen one's never does).
 * The ranges stay valid and unchanged for good, like the views `get` returns.
 *
 * @example Copying a frozen memtable into one buffer, key by key
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * for (const k of [3, 1, 2]) list.insert(new Uint8Array([k]), new Uint8Array([k, k]));
 * list.delete(new Uint8Array([2]));
 * const [frozen] = list.seal();
 * const out: number[] = [];
 * const raw = frozen.rawCursor();
 * while (raw.nextEntry()) {
 *   const { bytes, keyOffset, keyLength } = raw;
 *   out.push(...bytes.subarray(keyOffset, keyOffset + keyLength), raw.isTombstone ? 0 : raw.valueLength);
 * }
 * assert.deepEqual(out, [1, 2, 2, 0, 3, 2]);
 * ```
 */
export class RawCursor {
  /** The list's memory (read-only by contract; read it again after each move). */
  bytes: Uint8Array;
  /** Where the current key starts in `bytes`. */
  keyOffset = 0;
  /** The current key's length. */
  keyLength = 0;
  /** Where the current value starts in `bytes`. */
  valueOffset = 0;
  /** The current value's length (0 for a tombstone). */
  valueLength = 0;
  /** Whether the current entry is a tombstone. */
  isTombstone = false;
  #position: Position;

  /** Not public: raw cursors come from `rawCursor()`. */
  private constructor(view: View) {
    this.#position = new Position(view);
    this.bytes = view.core.arena.u8;
  }

  static {
    internals.newRawCursor = (view) => new RawCursor(view);
  }

  /**
   * Whether the cursor is on an entry.
   *
   * @returns `false` before the first entry and past the last.
   */
  valid(): boolean {
    return this.#position.valid();
  }

  /**
   * Moves to the next entry (from before the first: to the first).
   *
   * @returns `false` when there is none; the cursor is then past the end.
   */
  nextEntry(): boolean {
    return this.#position.next() && this.#expose();
  }

  /**
   * Moves to the first entry whose key is `>= target`, from the start.
   *
   * @param target The lower bound.
   * @returns `false` when no key is `>= target`; the cursor is then past the end.
   * @throws {TypeError} When `target` is not a `Uint8Array`.
   */
  seek(target: Uint8Array): boolean {
    return this.#position.seek("seek", target) && this.#expose();
  }

  /** Publishes where the entry the position is on lies; returns true. */
  #expose(): boolean {
    const { node, version, view } = this.#position;
    const core = view.core;
    const i32 = core.links.node(node);
    this.keyOffset = keyOffsetOf(i32, node);
    this.keyLength = keyLengthOf(i32, node);
    const valueLength = valueLengthOf(core.links.version(version), version);
    this.isTombstone = valueLength === TOMBSTONE;
    this.valueLength = valueLength === TOMBSTONE ? 0 : valueLength;
    this.valueOffset = valueOffsetOf(version);
    this.bytes = core.arena.u8; // after the views above: it reaches both records
    return true;
  }
}

/** A raw cursor before the first entry of `view` (internal). */
export function newRawCursor(view: View): RawCursor {
  return internals.newRawCursor(view);
}
