/**
 * The data of the level store benchmarks (`level_bench.ts`, `level_memory.ts`):
 * 100k entries of 16-byte random keys and 100-byte values.
 *
 * @module
 */

/** Bytes per key. */
export const LEVEL_KEY_BYTES = 16;
/** Bytes per value. */
export const LEVEL_VALUE_BYTES = 100;
/** Entries, unless `FASTSKIP_LEVEL_N` says otherwise. */
export const LEVEL_ENTRIES = 100_000;

/** `FASTSKIP_LEVEL_N`, or the default size. */
export function levelEntries(): number {
  try {
    return Number(Deno.env.get("FASTSKIP_LEVEL_N") ?? LEVEL_ENTRIES);
  } catch {
    return LEVEL_ENTRIES;
  }
}
