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
 * Arguments: the phases to run, in order, out of `insert`, `get`, `miss`,
 * `seek`, `scan`, `frozen` (default: `insert get`). A list is built once (by
 * the `insert` phase if asked, else untimed before the first phase).
 * `FASTSKIP_PROFILE_N` sets N (default 1000000); `FASTSKIP_PROFILE_ROUNDS`
 * repeats the read phases (default 3).
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
  VALUE_BYTES,
} from "./keys.ts";
import { FastskipAdapter } from "./peers.ts";

function env(name: string, fallback: string): string {
  try {
    return Deno.env.get(name) ?? fallback;
  } catch {
    return fallback;
  }
}

const N = Number(env("FASTSKIP_PROFILE_N", "1000000"));
const ROUNDS = Number(env("FASTSKIP_PROFILE_ROUNDS", "3"));
const phases = Deno.args.length > 0 ? Deno.args : ["insert", "get"];
// Not data.ts's makeDataSet: its sort would dominate a profile of reads.
const keys = makeKeys(N, SEED_KEYS);
const data = {
  keys,
  values: makeKeys(N, SEED_VALUES, VALUE_BYTES),
  hits: sample(keys, 100_000, SEED_SAMPLE),
  misses: makeKeys(100_000, SEED_MISSES),
  seeks: makeKeys(100_000, SEED_SEEKS),
};
const adapter = new FastskipAdapter();
let sink = 0;

function time(label: string, ops: number, fn: () => number): void {
  const start = performance.now();
  sink += fn();
  const ms = performance.now() - start;
  console.log(`${label.padEnd(8)} ${ops} ops  ${(ms * 1e6 / ops).toFixed(0).padStart(6)} ns/op`);
}

if (!phases.includes("insert")) adapter.insertRange(data.keys, data.values, 0, N);
for (const phase of phases) {
  switch (phase) {
    case "insert":
      time("insert", N, () => adapter.insertRange(data.keys, data.values, 0, N));
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
    default:
      throw new Error(`unknown phase ${phase}`);
  }
}
if (sink === 0.5) console.log(sink);
