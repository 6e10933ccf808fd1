/**
 * Options of a list, their defaults, and the checks that turn bad ones into
 * clear errors before any memory is allocated.
 *
 * @module
 */

import type { ArenaOptions } from "./_arena.ts";
import { firstFreeWord, FORMAT_MAX_ARENA_BYTES, MAX_STRIPES } from "./_layout.ts";

/**
 * How a list is sized and limited. Every field is optional.
 *
 * @example A memtable that reports backpressure at 64 MiB
 * ```ts
 * import { ConcurrentSkipList, type SkipListOptions } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const options: SkipListOptions = { arenaBytes: 1 << 20, maxMemoryBytes: 64 << 20, seed: 42 };
 * const list = new ConcurrentSkipList(options);
 * assert.equal(list.maxMemoryBytes(), 64 << 20);
 * ```
 */
export interface SkipListOptions {
  /** Initial arena size in bytes; it grows on demand up to `maxArenaBytes`. Default 1 MiB. */
  arenaBytes?: number;
  /**
   * Hard ceiling of the arena in bytes; beyond it writes fail with
   * `"OutOfMemory"`. Default 1 GiB (at least `arenaBytes`); at most 4 GiB − 64 KiB.
   */
  maxArenaBytes?: number;
  /**
   * Expected number of concurrent writers. A sizing hint for the statistics
   * stripes, never a limit: any number of workers may write. Default 4.
   */
  shards?: number;
  /** Soft threshold on `memoryUsage()`; writes of new entries fail past it. 0 = unlimited. */
  maxMemoryBytes?: number;
  /** Soft threshold on `size`; writes of new entries fail past it. 0 = unlimited. */
  maxEntries?: number;
  /** Seeds tower heights, for reproducible tests (a 32-bit integer). Default: random. */
  seed?: number;
}

/**
 * Default initial arena: 1 MiB.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList, DEFAULT_ARENA_BYTES } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 * assert.equal(new ConcurrentSkipList().memoryReserved(), DEFAULT_ARENA_BYTES);
 * ```
 */
export const DEFAULT_ARENA_BYTES: number = 1 << 20;

/**
 * Default arena ceiling: 1 GiB. It is reserved address space, committed as
 * the arena grows, so many memtables can coexist.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_ARENA_BYTES } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 * assert.equal(DEFAULT_MAX_ARENA_BYTES, 2 ** 30);
 * ```
 */
export const DEFAULT_MAX_ARENA_BYTES: number = 1 << 30;

/**
 * Default `shards` hint: 4 statistics stripes.
 *
 * @example
 * ```ts
 * import { DEFAULT_SHARDS } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 * assert.equal(DEFAULT_SHARDS, 4);
 * ```
 */
export const DEFAULT_SHARDS: number = 4;

const OPTION_NAMES = new Set([
  "arenaBytes",
  "maxArenaBytes",
  "shards",
  "maxMemoryBytes",
  "maxEntries",
  "seed",
]);

/** Throws unless `value` is an integer in [min, max]. */
function checkInteger(
  what: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new RangeError(`${what}: ${name} must be an integer, received ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`${what}: ${name} must be between ${min} and ${max}, received ${value}`);
  }
  return value;
}

/** A short description of a bad argument, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `a string (${JSON.stringify(value.slice(0, 20))})`;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return `${typeof value} ${String(value)}`;
  }
  if (typeof value === "object") return `an instance of ${value.constructor?.name ?? "Object"}`;
  return typeof value;
}

/** Validates user options and fills in the defaults. */
export function resolveOptions(options: SkipListOptions | undefined): ArenaOptions {
  const what = "Cannot create skip list";
  if (options === undefined) options = {};
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      throw new TypeError(
        `${what}: unknown option ${JSON.stringify(name)} (known: ${[...OPTION_NAMES].join(", ")})`,
      );
    }
  }
  const headerBytes = 4 * firstFreeWord(MAX_STRIPES);
  const maxArenaBytes = options.maxArenaBytes === undefined
    ? undefined
    : checkInteger(what, "maxArenaBytes", options.maxArenaBytes, 1, FORMAT_MAX_ARENA_BYTES);
  let arenaBytes = options.arenaBytes === undefined
    ? Math.min(DEFAULT_ARENA_BYTES, maxArenaBytes ?? DEFAULT_ARENA_BYTES)
    : checkInteger(what, "arenaBytes", options.arenaBytes, 1, FORMAT_MAX_ARENA_BYTES);
  if (maxArenaBytes !== undefined && arenaBytes > maxArenaBytes) {
    throw new RangeError(
      `${what}: arenaBytes (${arenaBytes}) must not exceed maxArenaBytes (${maxArenaBytes})`,
    );
  }
  const shards = options.shards === undefined
    ? DEFAULT_SHARDS
    : checkInteger(what, "shards", options.shards, 1, 1 << 20);
  const maxMemoryBytes = options.maxMemoryBytes === undefined
    ? 0
    : checkInteger(what, "maxMemoryBytes", options.maxMemoryBytes, 0, Number.MAX_SAFE_INTEGER);
  const maxEntries = options.maxEntries === undefined
    ? 0
    : checkInteger(what, "maxEntries", options.maxEntries, 0, Number.MAX_SAFE_INTEGER);
  const seed = options.seed === undefined
    ? (Math.random() * 0x1_0000_0000) | 0
    : checkInteger(what, "seed", options.seed, -0x8000_0000, 0xffff_ffff) | 0;
  let stripeCount = 1;
  while (stripeCount < shards && stripeCount < MAX_STRIPES) stripeCount *= 2;
  // The control block must fit: a tiny arena is rounded up rather than refused.
  const minimum = Math.max(headerBytes, 4096);
  const ceilingBytes = maxArenaBytes ?? Math.max(DEFAULT_MAX_ARENA_BYTES, arenaBytes);
  if (ceilingBytes < minimum) {
    throw new RangeError(
      `${what}: maxArenaBytes must be at least ${minimum}, received ${ceilingBytes}`,
    );
  }
  const ceiling = Math.floor(ceilingBytes / 8) * 8;
  arenaBytes = Math.min(ceiling, Math.max(minimum, Math.ceil(arenaBytes / 8) * 8));
  return {
    arenaBytes,
    maxArenaBytes: ceiling,
    shards,
    stripeCount,
    maxMemoryBytes,
    maxEntries,
    seed,
  };
}
