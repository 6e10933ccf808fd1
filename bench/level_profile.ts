/**
 * A plain workload for profilers: the level benchmark's operations
 * (`level_bench.ts`), one kind at a time, on a FastskipLevel or a
 * MemoryLevel filled with the same 100k entries, timed per operation. Run it
 * under V8's CPU profiler and read the profile with `cpu_profile.ts`; each
 * phase runs inside a function of its own name (`putPhase`, `getPhase`,
 * `batchPhase`, `seekPhase`, `fullPhase`), for `--under`; it prints the
 * fastest and the median round of each phase:
 *
 * ```sh
 * deno run --allow-read --allow-env --cpu-prof --cpu-prof-dir=/tmp/prof \
 *   bench/level_profile.ts full
 * deno run --allow-read --allow-env bench/cpu_profile.ts --under=fullPhase /tmp/prof/*.cpuprofile
 * ```
 *
 * Arguments: the phases to run, in order, out of `put`, `get`, `batch`,
 * `seek` (`iterator({ gte, limit: 10 }).all()`), `full` (`iterator().all()`)
 * and `keys` (`keys().all()`) (default: all but `keys`), and `--memory` to
 * run them on a MemoryLevel instead. `FASTSKIP_LEVEL_N` sets the entries
 * (default 100000), `FASTSKIP_PROFILE_ROUNDS` the rounds per phase (default 5).
 *
 * @module
 */

import type { AbstractLevel } from "abstract-level";
import { MemoryLevel } from "memory-level";
import { FastskipLevel } from "../level.ts";
import { fillStore, levelData, levelEntries } from "./level_data.ts";
import { envOr } from "./env.ts";

type Store = AbstractLevel<unknown, Uint8Array, Uint8Array>;

const N = levelEntries();
const ROUNDS = Number(envOr("FASTSKIP_PROFILE_ROUNDS", "5"));
const OPS = Math.min(N, 100_000);
const args = Deno.args.filter((arg) => arg !== "--memory");
const phases = args.length > 0 ? args : ["put", "get", "batch", "seek", "full"];
const encodings = { keyEncoding: "view", valueEncoding: "view" } as const;

const data = levelData(N, OPS);
const { probes, seeks, putKeys, putValues } = data;

const store =
  (Deno.args.includes("--memory")
    ? new MemoryLevel<Uint8Array, Uint8Array>(encodings)
    : new FastskipLevel<Uint8Array, Uint8Array>(encodings)) as Store;
await fillStore(store, data);

async function putPhase(): Promise<number> {
  for (let i = 0; i < OPS; i++) await store.put(putKeys[i]!, putValues[i]!);
  return OPS;
}

async function getPhase(): Promise<number> {
  for (let i = 0; i < OPS; i++) await store.get(probes[i]!);
  return OPS;
}

async function batchPhase(): Promise<number> {
  for (let b = 0; b < OPS; b += 100) {
    const ops = [];
    for (let i = b; i < b + 100; i++) {
      ops.push({ type: "put" as const, key: putKeys[i]!, value: putValues[i]! });
    }
    await store.batch(ops);
  }
  return OPS / 100;
}

async function seekPhase(): Promise<number> {
  const count = OPS / 10;
  for (let i = 0; i < count; i++) await store.iterator({ gte: seeks[i]!, limit: 10 }).all();
  return count;
}

async function fullPhase(): Promise<number> {
  return (await store.iterator().all()).length;
}

async function keysPhase(): Promise<number> {
  return (await store.keys().all()).length;
}

const run: Record<string, () => Promise<number>> = {
  put: putPhase,
  get: getPhase,
  batch: batchPhase,
  seek: seekPhase,
  full: fullPhase,
  keys: keysPhase,
};

for (const phase of phases) {
  const fn = run[phase];
  if (fn === undefined) throw new Error(`level_profile: unknown phase ${phase}`);
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    const ops = await fn();
    times.push((performance.now() - start) * 1e6 / ops);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  console.log(
    `${phase.padEnd(6)} ns/op: min ${times[0]!.toFixed(0).padStart(6)}, median ${
      median.toFixed(0).padStart(6)
    } (${ROUNDS} rounds)`,
  );
}
await store.close();
