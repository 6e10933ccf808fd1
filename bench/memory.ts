/**
 * Memory per entry: the same N entries (16-byte random keys, 8-byte values)
 * in fastskip and in each peer, measured one structure at a time.
 *
 * Each structure is built from fresh key and value arrays that nobody else
 * keeps (what a memtable fed from the network sees), and the JS heap delta
 * after `gc()` is everything it keeps alive. The peers store the caller's
 * arrays, so their figure splits into the keys and values as JS objects
 * (measured once, on their own) and the structure's nodes.
 *
 * fastskip copies keys and values into its arena, so its cost is the arena
 * bytes allocated (`memoryUsage()`) plus its (tiny) JS heap delta; the
 * arena's reserved size (`memoryReserved()`, grown by doubling, committed by
 * the OS only where touched) is reported beside it.
 *
 * ```sh
 * deno run --v8-flags=--expose-gc --allow-read --allow-write=bench/results --allow-env bench/memory.ts
 * ```
 *
 * Environment: `FASTSKIP_MEMORY_N` (default 1000000), `FASTSKIP_RESULTS`
 * (output directory, default `bench/results`).
 *
 * @module
 */

import { KEY_BYTES, makeKeys, SEED_KEYS, SEED_VALUES, VALUE_BYTES } from "./keys.ts";
import { allAdapters, FastskipAdapter, type OrderedAdapter } from "./peers.ts";
import { env } from "./env.ts";

/** One structure's figures. */
export interface MemoryRow {
  name: string;
  /** Arena bytes allocated (fastskip only; 0 for the peers). */
  arenaUsedBytes: number;
  /** Arena bytes reserved by the buffer (fastskip only). */
  arenaReservedBytes: number;
  /** JS heap delta of the structure holding N entries, keys and values included. */
  heapBytes: number;
  /** `heapBytes` minus the keys and values as JS objects (peers), or `heapBytes` (fastskip). */
  heapNodeBytes: number;
  /** (arenaUsedBytes + heapBytes) / n: what one entry really costs. */
  bytesPerEntry: number;
  /** (arenaUsedBytes + heapNodeBytes) / n: the structure without the caller's key and value objects. */
  nodeBytesPerEntry: number;
}

/** What `memory.json` holds. */
export interface MemoryReport {
  kind: "fastskip.memory";
  runtime: string;
  date: string;
  n: number;
  keyBytes: number;
  valueBytes: number;
  /** Heap bytes of N fresh keys plus N fresh values as `Uint8Array`s. */
  keysAndValuesBytes: number;
  rows: MemoryRow[];
}

const collect = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  if (collect === undefined) throw new Error("memory.ts needs --v8-flags=--expose-gc");
  for (let i = 0; i < 3; i++) collect();
  return Deno.memoryUsage().heapUsed;
}

/**
 * Heap growth while the object `make()` returns is alive. Everything happens
 * in this frame, so no interpreter register of a caller keeps garbage alive
 * across measurements.
 */
function heapHeldBy<T>(make: () => T, inspect: (held: T) => void): number {
  const before = heapAfterGc();
  const held = make();
  const after = heapAfterGc();
  inspect(held); // also keeps `held` alive past the measurement
  return after - before;
}

/** Heap of N fresh keys and N fresh values, without the two arrays that hold them. */
function keysAndValuesBytes(keys: Uint8Array[], values: Uint8Array[]): number {
  const withCopies = heapHeldBy(
    () => [keys.map((k) => k.slice()), values.map((v) => v.slice())],
    () => {},
  );
  const one = new Uint8Array(0);
  const arraysOnly = heapHeldBy(() => [keys.map(() => one), values.map(() => one)], () => {});
  return withCopies - arraysOnly;
}

function measure(
  Adapter: new () => OrderedAdapter,
  keys: Uint8Array[],
  values: Uint8Array[],
  keysAndValues: number,
): MemoryRow {
  const n = keys.length;
  let name = "";
  let arenaUsedBytes = 0;
  let arenaReservedBytes = 0;
  const heapBytes = heapHeldBy(() => {
    const adapter = new Adapter();
    adapter.insertRange(keys.map((k) => k.slice()), values.map((v) => v.slice()), 0, n);
    return adapter;
  }, (adapter) => {
    if (adapter.size() !== n) throw new Error(`${adapter.name}: size ${adapter.size()}`);
    name = adapter.name;
    if (adapter instanceof FastskipAdapter) {
      arenaUsedBytes = adapter.list.memoryUsage();
      arenaReservedBytes = adapter.list.memoryReserved();
    }
  });
  const heapNodeBytes = arenaUsedBytes > 0 ? heapBytes : heapBytes - keysAndValues;
  return {
    name,
    arenaUsedBytes,
    arenaReservedBytes,
    heapBytes,
    heapNodeBytes,
    bytesPerEntry: (arenaUsedBytes + heapBytes) / n,
    nodeBytesPerEntry: (arenaUsedBytes + heapNodeBytes) / n,
  };
}

function main(): void {
  const n = Number(env("FASTSKIP_MEMORY_N") ?? 1_000_000);
  const outDir = env("FASTSKIP_RESULTS") ?? "bench/results";
  const keys = makeKeys(n, SEED_KEYS);
  const values = makeKeys(n, SEED_VALUES, VALUE_BYTES);

  // Warm every adapter's code once, so that JIT code is not counted below.
  const adapters = allAdapters();
  for (const adapter of adapters) {
    adapter.insertRange(keys, values, 0, 2000);
    adapter.getRange(keys, 0, 2000);
  }
  const keysAndValues = keysAndValuesBytes(keys, values);
  const rows: MemoryRow[] = [];
  for (const adapter of adapters) {
    const Adapter = adapter.constructor as new () => OrderedAdapter;
    rows.push(measure(Adapter, keys, values, keysAndValues));
    console.error(`measured ${adapter.name}`);
  }

  const report: MemoryReport = {
    kind: "fastskip.memory",
    runtime: `Deno ${Deno.version.deno} (V8 ${Deno.version.v8})`,
    date: new Date().toISOString(),
    n,
    keyBytes: KEY_BYTES,
    valueBytes: VALUE_BYTES,
    keysAndValuesBytes: keysAndValues,
    rows,
  };

  const f = (x: number) => x.toFixed(1);
  console.log(
    `\nMemory per entry: ${n} entries, ${KEY_BYTES}-byte keys, ${VALUE_BYTES}-byte values ` +
      `(the keys and values alone, as JS Uint8Arrays: ${f(keysAndValues / n)} B)\n`,
  );
  console.log(
    "| structure | bytes/entry | of which nodes | arena used | arena reserved | JS heap |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${f(r.bytesPerEntry)} | ${f(r.nodeBytesPerEntry)} | ${
        f(r.arenaUsedBytes / n)
      } | ${f(r.arenaReservedBytes / n)} | ${f(r.heapBytes / n)} |`,
    );
  }
  Deno.mkdirSync(outDir, { recursive: true });
  const path = `${outDir}/memory.json`;
  Deno.writeTextFileSync(path, JSON.stringify(report, null, 2) + "\n");
  console.log(`\nwrote ${path}`);
}

if (import.meta.main) main();
