/**
 * What a range read takes.
 *
 * @module
 */

/**
 * Which entries `range()` yields, in which order, and how many. Every field
 * is optional: `range()` with no options walks everything in ascending key
 * order, tombstones included.
 *
 * - At most one lower bound (`gte` or `gt`) and one upper bound (`lte` or
 *   `lt`); a lower bound above the upper one is an empty range, not an error.
 * - `prefix` stands for the range of keys that start with it; it cannot be
 *   combined with a bound.
 * - `limit` counts yielded entries only: with `tombstones: false`, skipped
 *   tombstones do not count.
 *
 * @example The newest three live entries of a log, newest first
 * ```ts
 * import { ConcurrentSkipList, type RangeOptions } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * const list = new ConcurrentSkipList();
 * for (const day of ["01", "02", "03", "04", "05"]) list.insert(bytes(`log:${day}`), bytes(day));
 * list.insert(bytes("user:ada"), bytes("ada"));
 * list.delete(bytes("log:04"));
 * const latest: RangeOptions = { prefix: bytes("log:"), reverse: true, limit: 3, tombstones: false };
 * const days = [...list.range(latest)].map((entry) => new TextDecoder().decode(entry.value));
 * assert.deepEqual(days, ["05", "03", "02"]);
 * ```
 */
export interface RangeOptions {
  /** Lower bound, inclusive: keys `>= gte`. Not together with `gt`. */
  gte?: Uint8Array;
  /** Lower bound, exclusive: keys `> gt`. Not together with `gte`. */
  gt?: Uint8Array;
  /** Upper bound, inclusive: keys `<= lte`. Not together with `lt`. */
  lte?: Uint8Array;
  /** Upper bound, exclusive: keys `< lt`. Not together with `lte`. */
  lt?: Uint8Array;
  /** Only keys that start with these bytes (the empty prefix: every key). Not with a bound. */
  prefix?: Uint8Array;
  /** Descending key order. Default `false`. */
  reverse?: boolean;
  /** At most this many entries (a non-negative integer, or `Infinity`). Default: no limit. */
  limit?: number;
  /**
   * Whether tombstones are yielded (flagged `isTombstone`). Default `true`;
   * `false` yields live entries only.
   */
  tombstones?: boolean;
}
