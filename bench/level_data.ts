/**
 * The data of the level store benchmarks (`level_bench.ts`, `level_memory.ts`):
 * 100k entries of 16-byte random keys and 100-byte values.
 *
 * @module
 */

import type { AbstractLevel } from "abstract-level";
import {
  makeKeys,
  sample,
  SEED_KEYS,
  SEED_PUT_VALUES,
  SEED_SAMPLE,
  SEED_SEEKS,
  SEED_VALUES,
} from "./keys.ts";

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

/** The entries, and the probes, seek targets and overwrites the operations draw from. */
export interface LevelData {
  readonly keys: Uint8Array[];
  readonly values: Uint8Array[];
  /** Copies of stored keys (`get`). */
  readonly probes: Uint8Array[];
  /** Random keys (iterator `gte`). */
  readonly seeks: Uint8Array[];
  /** Copies of stored keys, with new values (`put`, `batch`). */
  readonly putKeys: Uint8Array[];
  readonly putValues: Uint8Array[];
}

/** `entries` entries and pools of `pool` operations, the same in every benchmark process. */
export function levelData(entries: number, pool: number): LevelData {
  const keys = makeKeys(entries, SEED_KEYS, LEVEL_KEY_BYTES);
  return {
    keys,
    values: makeKeys(entries, SEED_VALUES, LEVEL_VALUE_BYTES),
    probes: sample(keys, pool, SEED_SAMPLE),
    seeks: makeKeys(pool, SEED_SEEKS, LEVEL_KEY_BYTES),
    putKeys: sample(keys, pool, SEED_SAMPLE + 1),
    putValues: makeKeys(pool, SEED_PUT_VALUES, LEVEL_VALUE_BYTES),
  };
}

/** Opens `store` and writes every entry of `data`, in batches of 1000. */
export async function fillStore<S extends AbstractLevel<unknown, Uint8Array, Uint8Array>>(
  store: S,
  data: LevelData,
): Promise<S> {
  await store.open();
  const { keys, values } = data;
  for (let i = 0; i < keys.length; i += 1000) {
    const ops = [];
    for (let j = i; j < Math.min(keys.length, i + 1000); j++) {
      ops.push({ type: "put" as const, key: keys[j]!, value: values[j]! });
    }
    await store.batch(ops);
  }
  return store;
}
