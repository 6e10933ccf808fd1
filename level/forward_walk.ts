/**
 * A level iterator's walk in ascending key order, on the list's raw cursor:
 * each step exposes where the entry lies in the list's memory, and the
 * copies handed to the level user are made from there, with no view of the
 * shared memory and no entry object per step (`bench/level_profile.ts`
 * showed those, and the slab copies of the views, as most of a step).
 *
 * @module
 */

import { MAX_KEY_BYTES, type RawCursor, type SkipListReader } from "../mod.ts";
import { asBytes, copyStored, StoredBytes } from "./bytes.ts";
import { type Bound, type LevelRange, lowerOf, outside, upperOf } from "./range_bounds.ts";
import type { RangeWalk } from "./range_walk.ts";

/** Negative, 0 or positive as `bytes[offset, offset + length)` sorts before, at or after `key`. */
function compareStored(bytes: Uint8Array, offset: number, length: number, key: Uint8Array): number {
  const common = Math.min(length, key.length);
  for (let i = 0; i < common; i++) {
    const order = bytes[offset + i]! - key[i]!;
    if (order !== 0) return order;
  }
  return length - key.length;
}

/** Ascending walk over a range of one reader (a snapshot, so the walk is exact). */
export class ForwardWalk implements RangeWalk {
  readonly #reader: SkipListReader;
  readonly #lower: Bound | null;
  readonly #upper: Bound | null;
  /** Made at the first step, moved by every later step and seek. */
  #cursor: RawCursor | null = null;
  /** Where the next step starts, when it must seek first (null: the first key). */
  #from: Bound | null;
  /** Whether the next step must start the walk at `#from` rather than move on. */
  #starting = true;
  /** Whether the walk is over (until a seek inside the range). */
  #done = false;
  /** The list's memory and its word view, as of the cursor's last move. */
  #stored: StoredBytes | null = null;

  constructor(reader: SkipListReader, range: LevelRange) {
    this.#reader = reader;
    this.#lower = lowerOf(range);
    this.#upper = upperOf(range);
    this.#from = this.#lower;
  }

  next(): boolean {
    if (this.#done) return false;
    const cursor = this.#cursor ??= this.#reader.rawCursor();
    let on = this.#starting ? this.#start(cursor) : cursor.nextEntry();
    this.#starting = false;
    const upper = this.#upper;
    for (; on; on = cursor.nextEntry()) {
      if (upper !== null) {
        const order = compareStored(cursor.bytes, cursor.keyOffset, cursor.keyLength, upper.key);
        if (order > 0 || (order === 0 && !upper.inclusive)) break;
      }
      if (cursor.isTombstone) continue;
      // The memory grows as other writes land: its views change only then.
      if (this.#stored?.bytes !== cursor.bytes) this.#stored = new StoredBytes(cursor.bytes);
      return true;
    }
    this.#done = true;
    return false;
  }

  key(): Uint8Array {
    const cursor = this.#cursor!;
    return copyStored(this.#stored!, cursor.keyOffset, cursor.keyLength);
  }

  value(): Uint8Array {
    const cursor = this.#cursor!;
    return copyStored(this.#stored!, cursor.valueOffset, cursor.valueLength);
  }

  keyView(): Uint8Array {
    const cursor = this.#cursor!;
    return cursor.bytes.subarray(cursor.keyOffset, cursor.keyOffset + cursor.keyLength);
  }

  seek(target: ArrayBufferView): void {
    const key = asBytes(target);
    this.#done = outside(key, this.#lower, this.#upper);
    this.#from = { key, inclusive: true };
    this.#starting = true;
  }

  /** Puts the cursor on the first entry at or after `#from` (dead or not); false if none. */
  #start(cursor: RawCursor): boolean {
    const from = this.#from;
    if (from === null) return cursor.nextEntry();
    // A bound may be longer than any key: seek its longest key-sized prefix,
    // which sorts at or before it, and step over the keys below the bound.
    const key = from.key;
    let on = cursor.seek(key.length > MAX_KEY_BYTES ? key.subarray(0, MAX_KEY_BYTES) : key);
    for (; on; on = cursor.nextEntry()) {
      const order = compareStored(cursor.bytes, cursor.keyOffset, cursor.keyLength, key);
      if (order > 0 || (order === 0 && from.inclusive)) break;
    }
    return on;
  }
}
