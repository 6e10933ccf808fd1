/**
 * The data set of one size N, identical for every structure: N random
 * 16-byte keys with 8-byte values, the same keys sorted, pools of probes
 * (copies of stored keys), misses, seek targets and overwrite values, and,
 * for batch inserts into a full structure, extra keys (random, and ascending
 * above the largest stored key).
 *
 * @module
 */

import {
  assertDistinct,
  KEY_BYTES,
  makeKeys,
  sample,
  SEED_KEYS,
  SEED_MISSES,
  SEED_PUT_VALUES,
  SEED_SAMPLE,
  SEED_SEEKS,
  SEED_VALUES,
  sortedCopy,
  VALUE_BYTES,
} from "./keys.ts";

/** Everything one size needs. */
export interface DataSet {
  n: number;
  /** N distinct random keys, in insertion order. */
  keys: Uint8Array[];
  /** `values[i]` goes with `keys[i]` (and with `sorted[i]` for sequential builds). */
  values: Uint8Array[];
  /** The same N keys, ascending. */
  sorted: Uint8Array[];
  /** Copies of stored keys in random order (equal bytes, not the same objects). */
  hits: Uint8Array[];
  /** Keys that are not stored. */
  misses: Uint8Array[];
  /** Seek targets (not stored, so every seek is a true lower bound). */
  seeks: Uint8Array[];
  /** Copies of stored keys to overwrite, and their new values. */
  putKeys: Uint8Array[];
  putValues: Uint8Array[];
  /** Extra random keys (not among `keys`) for batch inserts into a full structure. */
  extraRandom: Uint8Array[];
  /** Extra ascending keys, all above the largest stored key. */
  extraAscending: Uint8Array[];
  /** Values for the extra keys. */
  extraValues: Uint8Array[];
}

/** The key right after `key` in a 128-bit big-endian count (wraps only past all-0xff). */
function increment(key: Uint8Array): Uint8Array {
  const next = key.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] !== 0xff) {
      next[i]!++;
      return next;
    }
    next[i] = 0;
  }
  throw new Error("bench data: no key above the largest one");
}

/**
 * Builds the data set of size `n`.
 *
 * @param n Stored keys.
 * @param pool Size of the probe, miss, seek and overwrite pools.
 * @param extra Size of the extra-key pools (0 when batch inserts are not measured).
 */
export function makeDataSet(n: number, pool: number, extra: number): DataSet {
  const keys = makeKeys(n, SEED_KEYS);
  const values = makeKeys(n, SEED_VALUES, VALUE_BYTES);
  const sorted = sortedCopy(keys);
  assertDistinct(sorted);
  const extraRandom = makeKeys(extra, SEED_KEYS, KEY_BYTES, n); // same stream, later indices
  const extraAscending: Uint8Array[] = [];
  if (extra > 0) {
    let last = sorted[n - 1];
    if (last === undefined) {
      throw new Error(
        `bench data: makeDataSet() needs a stored key to put the extra keys above, received n = ${n}`,
      );
    }
    for (let i = 0; i < extra; i++) extraAscending.push(last = increment(last));
  }
  return {
    n,
    keys,
    values,
    sorted,
    hits: sample(keys, pool, SEED_SAMPLE),
    misses: makeKeys(pool, SEED_MISSES),
    seeks: makeKeys(pool, SEED_SEEKS),
    putKeys: sample(keys, pool, SEED_SAMPLE + 1),
    putValues: makeKeys(pool, SEED_PUT_VALUES, VALUE_BYTES),
    extraRandom,
    extraAscending,
    extraValues: makeKeys(extra, SEED_VALUES, VALUE_BYTES, n),
  };
}
