/**
 * Memory per entry of the level stores: the same N entries (16-byte random
 * keys, 100-byte values, `view` encodings) put into a FastskipLevel and a
 * MemoryLevel, one store at a time, each fed fresh key and value arrays
 * that nobody else keeps.
 *
 * A MemoryLevel keeps the caller's arrays (as `Buffer` views) in its tree:
 * its cost is the JS heap plus the external (off-heap) backing stores of
 * those arrays, after `gc()`. A FastskipLevel copies keys and values into
 * its list's arena: its cost is the arena bytes allocated plus its JS heap
 * (the arena's `SharedArrayBuffer` does not show in `external`).
 *
 * ```sh
 * deno run --v8-flags=--expose-gc --allow-read --allow-write=bench/results --allow-env bench/level_memory.ts
 * ```
 *
 * Environment: `FASTSKIP_LEVEL_N` (default 100000), `FASTSKIP_RESULTS`
 * (output directory, default `bench/results`).
 *
 * @module
 */

import { MemoryLevel } from "memory-level";
import { ConcurrentSkipList } from "../mod.ts";
import { FastskipLevel } from "../level.ts";
import { SEED_KEYS, SEED_VALUES, writeKey } from "./keys.ts";
import { LEVEL_KEY_BYTES, LEVEL_VALUE_BYTES, levelEntries } from "./level_data.ts";
import { env } from "./env.ts";

/** One store's figures. */
export interface LevelMemoryRow {
  name: string;
  /** JS heap growth with the store alive, after `gc()`. */
  heapBytes: number;
  /** Growth of V8's external memory (`ArrayBuffer` backing stores). */
  externalBytes: number;
  /** Arena bytes allocated (FastskipLevel only). */
  arenaUsedBytes: number;
  /** Arena bytes reserved (FastskipLevel only). */
  arenaReservedBytes: number;
  /** (heap + external + arena used) / n. */
  bytesPerEntry: number;
}

const collect = (globalThis as { gc?: () => void }).gc;

function usageAfterGc(): { heap: number; external: number } {
  if (collect === undefined) throw new Error("level_memory.ts needs --v8-flags=--expose-gc");
  for (let i = 0; i < 3; i++) collect();
  const usage = Deno.memoryUsage();
  return { heap: usage.heapUsed, external: usage.external };
}

type Store = FastskipLevel<Uint8Array, Uint8Array> | MemoryLevel<Uint8Array, Uint8Array>;

/** Puts N fresh entries, 1000 per batch, as the speed benchmark fills its stores. */
async function fill(store: Store, n: number): Promise<void> {
  await store.open();
  for (let i = 0; i < n; i += 1000) {
    const ops = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      const key = new Uint8Array(LEVEL_KEY_BYTES);
      const value = new Uint8Array(LEVEL_VALUE_BYTES);
      writeKey(key, SEED_KEYS, j);
      writeKey(value, SEED_VALUES, j);
      ops.push({ type: "put" as const, key, value });
    }
    await store.batch(ops);
  }
}

async function measure(name: string, make: () => Store, n: number): Promise<LevelMemoryRow> {
  const before = usageAfterGc();
  const store = make();
  await fill(store, n);
  const after = usageAfterGc();
  let arenaUsedBytes = 0;
  let arenaReservedBytes = 0;
  if (store instanceof FastskipLevel) {
    const list = ConcurrentSkipList.attach(store.share());
    arenaUsedBytes = list.memoryUsage();
    arenaReservedBytes = list.memoryReserved();
    list.release();
  }
  const count = (await store.keys().all()).length; // also keeps the store alive until here
  if (count !== n) throw new Error(`${name}: ${count} entries, expected ${n}`);
  if (store instanceof FastskipLevel) await store.release();
  else await store.close();
  const heapBytes = after.heap - before.heap;
  const externalBytes = after.external - before.external;
  return {
    name,
    heapBytes,
    externalBytes,
    arenaUsedBytes,
    arenaReservedBytes,
    bytesPerEntry: (heapBytes + externalBytes + arenaUsedBytes) / n,
  };
}

const encodings = { keyEncoding: "view", valueEncoding: "view" } as const;
const n = levelEntries();
const outDir = env("FASTSKIP_RESULTS") ?? "bench/results";

// Warm both stores' code, so that compiled code is not counted below.
await measure("warm-up", () => new FastskipLevel(encodings), 2000);
await measure("warm-up", () => new MemoryLevel(encodings), 2000);

const rows = [
  await measure("FastskipLevel", () => new FastskipLevel(encodings), n),
  await measure("MemoryLevel", () => new MemoryLevel(encodings), n),
];

console.log(
  `Memory per entry, ${n} entries (${LEVEL_KEY_BYTES}-byte keys, ${LEVEL_VALUE_BYTES}-byte values):\n`,
);
console.log("| store | bytes/entry | JS heap | external | arena used (reserved) |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const row of rows) {
  const arena = row.arenaUsedBytes > 0
    ? `${(row.arenaUsedBytes / n).toFixed(1)} B (${(row.arenaReservedBytes / n).toFixed(1)} B)`
    : "–";
  console.log(
    `| ${row.name} | ${row.bytesPerEntry.toFixed(1)} | ${(row.heapBytes / n).toFixed(1)} B | ${
      (row.externalBytes / n).toFixed(1)
    } B | ${arena} |`,
  );
}
await Deno.writeTextFile(
  `${outDir}/level_memory.json`,
  JSON.stringify(
    {
      kind: "fastskip.level_memory",
      runtime: `Deno/${Deno.version.deno}`,
      date: new Date().toISOString(),
      n,
      keyBytes: LEVEL_KEY_BYTES,
      valueBytes: LEVEL_VALUE_BYTES,
      rows,
    },
    null,
    2,
  ) + "\n",
);
