/**
 * The range of a level iterator or `clear`, as abstract-level hands it to
 * the private API, read into its two ends.
 *
 * @module
 */

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
export interface Bound {
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

/** The lower end of `range`, or null. */
export function lowerOf(range: LevelRange): Bound | null {
  if ("gte" in range && range.gte !== undefined) {
    return { key: asBytes(range.gte), inclusive: true };
  }
  if ("gt" in range && range.gt !== undefined) return { key: asBytes(range.gt), inclusive: false };
  return null;
}

/** The upper end of `range`, or null. */
export function upperOf(range: LevelRange): Bound | null {
  if ("lte" in range && range.lte !== undefined) {
    return { key: asBytes(range.lte), inclusive: true };
  }
  if ("lt" in range && range.lt !== undefined) return { key: asBytes(range.lt), inclusive: false };
  return null;
}

/** Whether `key` lies outside the range between `lower` and `upper` (on either side). */
export function outside(key: Uint8Array, lower: Bound | null, upper: Bound | null): boolean {
  if (lower !== null) {
    const order = compareBytes(key, lower.key);
    if (order < 0 || (order === 0 && !lower.inclusive)) return true;
  }
  if (upper !== null) {
    const order = compareBytes(key, upper.key);
    if (order > 0 || (order === 0 && !upper.inclusive)) return true;
  }
  return false;
}
