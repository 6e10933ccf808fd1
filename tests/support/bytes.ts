/** Small helpers shared by the unit and property tests. */

import type { Entry } from "../../mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of `text`. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** `data` decoded as UTF-8. */
export function text(data: Uint8Array): string {
  return decoder.decode(data);
}

/** Bytes from a list of numbers. */
export function raw(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

/** The unsigned lexicographic order fastskip promises, a proper prefix first. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** An entry as plain data, easy to compare with `deepEqual`. */
export interface PlainEntry {
  key: number[];
  value: number[];
  isTombstone: boolean;
}

/** Copies entries out of shared memory into plain arrays. */
export function plain(entries: Iterable<Entry>): PlainEntry[] {
  return [...entries].map((entry) => ({
    key: [...entry.key],
    value: [...entry.value],
    isTombstone: entry.isTombstone,
  }));
}

/** A seeded xorshift32 generator of 32-bit integers. */
export function random32(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** `count` distinct random keys of `length` bytes, from a seed. */
export function randomKeys(count: number, length: number, seed: number): Uint8Array[] {
  if (count > 256 ** length) {
    throw new RangeError(`only ${256 ** length} keys have ${length} bytes`);
  }
  const next = random32(seed);
  const seen = new Set<string>();
  const keys: Uint8Array[] = [];
  while (keys.length < count) {
    const key = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      const word = next();
      for (let j = 0; j < 4 && i + j < length; j++) key[i + j] = word >>> (8 * j) & 0xff;
    }
    const id = key.join(",");
    if (seen.has(id)) continue;
    seen.add(id);
    keys.push(key);
  }
  return keys;
}
