/**
 * A level iterator's walk over one fastskip reader: the range abstract-level
 * asked for, live entries only, and `seek()` inside it.
 *
 * @module
 */

import type { Entry, RangeOptions, SkipListReader } from "../mod.ts";
import { asBytes } from "./bytes.ts";

/**
 * The range options abstract-level hands to the private API: bounds already
 * encoded to the `view` format, `reverse` a boolean. Several bounds may be
 * set at once; as in memory-level, `gte` wins over `gt` and `lte` over `lt`.
 */
export interface LevelRange {
  gt?: ArrayBufferView;
  gte?: ArrayBufferView;
  lt?: ArrayBufferView;
  lte?: ArrayBufferView;
  reverse?: boolean;
}

/** One end of a range: its key and whether the key itself is in. */
interface Bound {
  readonly key: Uint8Array;
  readonly inclusive: boolean;
}

/** The byte order the list keeps (unsigned, a proper prefix first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    const order = a[i]! - b[i]!;
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function lowerOf(range: LevelRange): Bound | null {
  if ("gte" in range && range.gte !== undefined) {
    return { key: asBytes(range.gte), inclusive: true };
  }
  if ("gt" in range && range.gt !== undefined) return { key: asBytes(range.gt), inclusive: false };
  return null;
}

function upperOf(range: LevelRange): Bound | null {
  if ("lte" in range && range.lte !== undefined) {
    return { key: asBytes(range.lte), inclusive: true };
  }
  if ("lt" in range && range.lt !== undefined) return { key: asBytes(range.lt), inclusive: false };
  return null;
}

/**
 * Walks a range of `reader` (a snapshot, so the walk is exact), yielding
 * live entries in the range's direction. `seek(target)` restarts it from
 * `target`, still within the range; a target outside the range ends the walk
 * until the next seek, as memory-level does.
 */
export class RangeWalk {
  readonly #reader: SkipListReader;
  readonly #lower: Bound | null;
  readonly #upper: Bound | null;
  readonly #reverse: boolean;
  /** The walk; `null` after a seek outside the range. */
  #entries: Iterator<Entry, undefined> | null;

  constructor(reader: SkipListReader, range: LevelRange) {
    this.#reader = reader;
    this.#lower = lowerOf(range);
    this.#upper = upperOf(range);
    this.#reverse = range.reverse === true;
    this.#entries = reader.range(this.#options(this.#lower, this.#upper));
  }

  /** The next live entry (views of the list's memory), or `undefined` at the end. */
  next(): Entry | undefined {
    const entries = this.#entries;
    if (entries === null) return undefined;
    const result = entries.next();
    if (result.done) {
      this.#entries = null;
      return undefined;
    }
    return result.value;
  }

  /**
   * Moves to the first key `>= target` (reverse: the last key `<= target`)
   * that lies in the range.
   */
  seek(target: ArrayBufferView): void {
    const key = asBytes(target);
    if (this.#outside(key)) {
      this.#entries = null;
    } else if (this.#reverse) {
      this.#entries = this.#reader.range(this.#options(this.#lower, { key, inclusive: true }));
    } else {
      this.#entries = this.#reader.range(this.#options({ key, inclusive: true }, this.#upper));
    }
  }

  /** Whether `key` lies outside the range (on either side). */
  #outside(key: Uint8Array): boolean {
    const lower = this.#lower;
    if (lower !== null) {
      const order = compareBytes(key, lower.key);
      if (order < 0 || (order === 0 && !lower.inclusive)) return true;
    }
    const upper = this.#upper;
    if (upper !== null) {
      const order = compareBytes(key, upper.key);
      if (order > 0 || (order === 0 && !upper.inclusive)) return true;
    }
    return false;
  }

  #options(lower: Bound | null, upper: Bound | null): RangeOptions {
    const options: RangeOptions = { reverse: this.#reverse, tombstones: false };
    if (lower !== null) {
      if (lower.inclusive) options.gte = lower.key;
      else options.gt = lower.key;
    }
    if (upper !== null) {
      if (upper.inclusive) options.lte = upper.key;
      else options.lt = upper.key;
    }
    return options;
  }
}
