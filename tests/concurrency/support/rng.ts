/**
 * Seeded randomness for the concurrency suite: every worker draws from its
 * own xorshift32 stream derived from (scenario seed, worker id), so a failing
 * run can be replayed from its seed. Never `Math.random`.
 *
 * @module
 */

/** The seeds every scenario runs under (each test loops over them). */
export const SEEDS: readonly number[] = [0x5eed_0001, 0x5eed_0002, 0x5eed_0003];

/** murmur3's 32-bit finalizer: spreads nearby integers over 32 bits. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85eb_ca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2_ae35);
  return (x ^ x >>> 16) >>> 0;
}

/** The seed of stream `stream` of a scenario run with `seed`. */
export function deriveSeed(seed: number, stream: number): number {
  return mix32(seed ^ Math.imul(stream + 1, 0x9e37_79b9)) || 1;
}

/** A xorshift32 generator. */
export class Rng {
  #x: number;

  constructor(seed: number) {
    this.#x = (seed | 0) || 0x9e37_79b9;
  }

  /** A uniform unsigned 32-bit integer. */
  next(): number {
    let x = this.#x;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#x = x;
    return x >>> 0;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.next() / 0x1_0000_0000) * n);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = items[i]!; // 0 <= j <= i < items.length
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}
