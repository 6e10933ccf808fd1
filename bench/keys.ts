/**
 * Seeded key and value generation shared by every benchmark, so that every
 * structure sees the same bytes in the same order.
 *
 * - Keys are 16 random bytes, values 8 random bytes, each in its own
 *   `Uint8Array` (what a caller typically holds).
 * - The generator is counter-based: key `i` of a stream is a pure function of
 *   `(seed, i)`, so workers can regenerate any key in place without a pool
 *   and without allocating ({@link writeKey}).
 * - {@link compareBytes} is the unsigned lexicographic order fastskip uses,
 *   written the way a user would for the peers' comparators.
 *
 * @module
 */

/** Key length used throughout the suite. */
export const KEY_BYTES = 16;
/** Value length used throughout the suite. */
export const VALUE_BYTES = 8;

/** Seeds of the independent streams. */
export const SEED_KEYS = 0x5eed_0001;
export const SEED_VALUES = 0x5eed_0002;
export const SEED_MISSES = 0x5eed_0003;
export const SEED_SEEKS = 0x5eed_0004;
export const SEED_SAMPLE = 0x5eed_0005;
export const SEED_PUT_VALUES = 0x5eed_0006;
export const SEED_POOL = 0x5eed_0007;

/** A 32-bit finaliser (murmur3 fmix32): a bijection on 32-bit integers. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85eb_ca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2_ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Writes element `index` of stream `seed` into `out` (its first `out.length`
 * bytes, a multiple of 4 up to 16). Word 0 is `mix32(index ^ mix32(seed))`, a
 * bijection of `index`, so distinct indices below 2^32 give distinct keys.
 */
export function writeKey(out: Uint8Array, seed: number, index: number): void {
  const s = mix32(seed);
  const w0 = mix32((index ^ s) >>> 0);
  out[0] = w0 >>> 24;
  out[1] = w0 >>> 16;
  out[2] = w0 >>> 8;
  out[3] = w0;
  for (let j = 4; j < out.length; j += 4) {
    const w = mix32((w0 + Math.imul(j, 0x9e37_79b9) + s) >>> 0);
    out[j] = w >>> 24;
    out[j + 1] = w >>> 16;
    out[j + 2] = w >>> 8;
    out[j + 3] = w;
  }
}

/** `count` keys (or values) of `bytes` bytes: elements `start …` of stream `seed`. */
export function makeKeys(
  count: number,
  seed: number,
  bytes = KEY_BYTES,
  start = 0,
): Uint8Array[] {
  const keys = new Array<Uint8Array>(count);
  for (let i = 0; i < count; i++) {
    const key = new Uint8Array(bytes);
    writeKey(key, seed, start + i);
    keys[i] = key;
  }
  return keys;
}

/** A small seeded PRNG (xorshift32) for sampling indices. */
export function xorshift32(seed: number): () => number {
  let x = mix32(seed) || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/**
 * Unsigned lexicographic order over bytes, a proper prefix first: the order
 * fastskip keeps, as a plain comparator for the peers.
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** A sorted copy of `keys` (ascending by {@link compareBytes}). */
export function sortedCopy(keys: readonly Uint8Array[]): Uint8Array[] {
  return keys.slice().sort(compareBytes);
}

/** Fresh copies (own buffers) of `keys[indices[i]]`: probes equal to, not identical with, stored keys. */
export function sample(keys: readonly Uint8Array[], count: number, seed: number): Uint8Array[] {
  if (count > 0 && keys.length === 0) {
    throw new Error(`bench keys: sample() cannot draw ${count} keys from an empty array`);
  }
  const next = xorshift32(seed);
  const out = new Array<Uint8Array>(count);
  for (let i = 0; i < count; i++) out[i] = keys[next() % keys.length]!.slice();
  return out;
}

/** Throws if two adjacent keys of a sorted array are equal. */
export function assertDistinct(sorted: readonly Uint8Array[]): void {
  for (let i = 1; i < sorted.length; i++) {
    if (compareBytes(sorted[i - 1]!, sorted[i]!) >= 0) {
      throw new Error(`bench keys: keys ${i - 1} and ${i} are not strictly ascending`);
    }
  }
}

/** Human label of a size: 10k, 100k, 1M. */
export function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}
