/**
 * A plain workload for profilers: fastskip alone, one operation kind at a
 * time, on the suite's 1M random keys. Run it under V8's sampling profiler
 * and read the ticks with `node --prof-process` (or any V8 log reader):
 *
 * ```sh
 * deno run --allow-read --allow-env \
 *   --v8-flags=--prof,--logfile=/tmp/fastskip.log,--no-logfile-per-isolate \
 *   bench/profile.ts insert get
 * node --prof-process /tmp/fastskip.log | head -60
 * ```
 *
 * or under V8's CPU profiler, read by `cpu_profile.ts`:
 *
 * ```sh
 * FASTSKIP_PROFILE_N=10000 FASTSKIP_PROFILE_ROUNDS=20 deno run --allow-read --allow-env \
 *   --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.ts miss
 * deno run --allow-read --allow-env bench/cpu_profile.ts --under=getRange /tmp/prof/*.cpuprofile
 * ```
 *
 * Arguments: the phases to run, in order, out of `insert` (random order),
 * `sequential` (ascending keys), `put` (overwrites), `get`, `miss`, `seek`,
 * `scan`, `frozen`, `raw` (the frozen list through `rawCursor()`) (default:
 * `insert get`). A list is built once (by the `insert` or `sequential` phase
 * if asked, else untimed before the first phase); up to 100k entries the
 * insert phases build a fresh list per round, as the benchmark's build
 * groups do, and leave the last one for the phases after them.
 * `FASTSKIP_PROFILE_N` sets N (default 1000000); `FASTSKIP_PROFILE_ROUNDS`
 * repeats the phases (default 3; one build above 100k entries).
 *
 * @module
 */

import {
  makeKeys,
  sample,
  SEED_KEYS,
  SEED_MISSES,
  SEED_SAMPLE,
  SEED_SEEKS,
  SEED_VALUES,
  sortedCopy,
  VALUE_BYTES,
} from "./keys.ts";
import { FastskipAdapter } from "./peers.ts";
import { envOr } from "./env.ts";

const N = Number(envOr("FASTSKIP_PROFILE_N", "1000000"));
const ROUNDS = Number(envOr("FASTSKIP_PROFILE_ROUNDS", "3"));
const phases = Deno.args.length > 0 ? Deno.args : ["insert", "get"];
// Not data.ts's makeDataSet: its sort would dominate a profile of reads.
const keys = makeKeys(N, SEED_KEYS);
const data = {
  keys,
  values: makeKeys(N, SEED_VALUES, VALUE_BYTES),
  hits: sample(keys, 100_000, SEED_SAMPLE),
  misses: makeKeys(100_000, SEED_MISSES),
  seeks: makeKeys(100_000, SEED_SEEKS),
  sorted: phases.includes("sequential") ? sortedCopy(keys) : [],
  putValues: phases.includes("put") ? makeKeys(100_000, SEED_VALUES + 1, VALUE_BYTES) : [],
};
/** Builds per insert phase: fresh lists of N, as the benchmark's build groups make. */
const BUILDS = N <= 100_000 ? ROUNDS : 1;
const adapter = new FastskipAdapter();
let sink = 0;

function time(label: string, ops: number, fn: () => number): void {
  const start = performance.now();
  sink += fn();
  const ms = performance.now() - start;
  console.log(`${label.padEnd(8)} ${ops} ops  ${(ms * 1e6 / ops).toFixed(0).padStart(6)} ns/op`);
}

function build(label: string, keys: Uint8Array[]): void {
  for (let r = 0; r < BUILDS; r++) {
    adapter.reset();
    time(label, N, () => adapter.insertRange(keys, data.values, 0, N));
  }
}

if (!phases.includes("insert") && !phases.includes("sequential")) {
  adapter.insertRange(data.keys, data.values, 0, N);
}
for (const phase of phases) {
  switch (phase) {
    case "insert":
      build("insert", data.keys);
      break;
    case "sequential":
      build("seq", data.sorted);
      break;
    case "put":
      for (let r = 0; r < ROUNDS; r++) {
        time("put", data.hits.length, () => {
          adapter.putRange(data.hits, data.putValues, 0, data.hits.length);
          return 0;
        });
      }
      break;
    case "get":
      for (let r = 0; r < ROUNDS; r++) {
        time("get", data.hits.length, () => adapter.getRange(data.hits, 0, data.hits.length));
      }
      break;
    case "miss":
      for (let r = 0; r < ROUNDS; r++) {
        time(
          "miss",
          data.misses.length,
          () => adapter.getRange(data.misses, 0, data.misses.length),
        );
      }
      break;
    case "seek":
      for (let r = 0; r < ROUNDS; r++) {
        time(
          "seek+10",
          data.seeks.length,
          () => adapter.seekRange(data.seeks, 0, data.seeks.length, 10),
        );
      }
      break;
    case "scan":
      for (let r = 0; r < ROUNDS; r++) time("scan", N, () => adapter.scan());
      break;
    case "frozen":
      if (adapter.frozen === undefined) adapter.seal();
      for (let r = 0; r < ROUNDS; r++) time("frozen", N, () => adapter.scanFrozen());
      break;
    case "raw":
      if (adapter.frozen === undefined) adapter.seal();
      for (let r = 0; r < ROUNDS; r++) time("raw", N, () => adapter.scanFrozenRaw());
      break;
    default:
      throw new Error(`unknown phase ${phase}`);
  }
}
if (sink === 0.5) console.log(sink);
