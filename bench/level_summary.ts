/**
 * The level store's results side by side: time per operation of
 * FastskipLevel, of a FastskipLevel whose list was shared (`Atomics` on
 * every read and write) and of MemoryLevel (and the interface's floor),
 * their ratios against the targets (at most 0.75× memory-level's time, goal
 * 0.5×), and memory per entry. Reads `level.json` (`deno bench --json bench/level_bench.ts`)
 * and `level_memory.json` (`bench/level_memory.ts`); prints markdown and
 * writes it to `level_summary.md`.
 *
 * ```sh
 * deno run --allow-read=bench/results --allow-write=bench/results bench/level_summary.ts
 * ```
 *
 * @module
 */

import type { LevelMemoryRow } from "./level_memory.ts";

interface BenchStats {
  avg: number;
  min: number;
  p75: number;
}

interface BenchJson {
  runtime: string;
  cpu: string;
  benches: {
    group: string | null;
    name: string;
    results: ({ ok: BenchStats } | { failed: unknown })[];
  }[];
}

const dir = Deno.args[0] ?? "bench/results";
const GROUP = /^(.*) (\S+) \[(\d+) (?:ops|entries)\]$/;
const TARGET = 0.75;
const GOAL = 0.5;

function readJson<T>(path: string): T {
  try {
    return JSON.parse(Deno.readTextFileSync(path)) as T;
  } catch (error) {
    throw new Error(`level_summary: cannot read ${path}: ${error}`);
  }
}

function time(ns: number): string {
  return ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
    ? `${(ns / 1e3).toFixed(2)} µs`
    : `${ns.toFixed(0)} ns`;
}

const bench = readJson<BenchJson>(`${dir}/level.json`);
const memory = readJson<
  { n: number; keyBytes: number; valueBytes: number; rows: LevelMemoryRow[] }
>(
  `${dir}/level_memory.json`,
);

/** Per group: time per operation (avg and min) by store. */
const groups = new Map<string, { size: string; per: Map<string, BenchStats> }>();
for (const entry of bench.benches) {
  const match = entry.group === null ? null : GROUP.exec(entry.group);
  const result = entry.results[0];
  if (match === null || result === undefined || !("ok" in result)) continue;
  const op = match[1]!, size = match[2]!, count = Number(match[3]!);
  const group = groups.get(op) ?? groups.set(op, { size, per: new Map() }).get(op)!;
  const { avg, min, p75 } = result.ok;
  group.per.set(entry.name, { avg: avg / count, min: min / count, p75: p75 / count });
}

const out: string[] = [
  `### FastskipLevel vs MemoryLevel (${bench.runtime}, ${bench.cpu})`,
  "",
  `${memory.n} entries, ${memory.keyBytes}-byte keys, ${memory.valueBytes}-byte values, \`view\` encodings; time per operation (avg), and FastskipLevel ÷ MemoryLevel (avg and min; target ≤ ${TARGET}×, goal ≤ ${GOAL}×). "shared" is a FastskipLevel after \`db.share()\`, which reads and writes its list with \`Atomics\` from then on:`,
  "",
  "| operation | FastskipLevel | shared | MemoryLevel | abstract-level floor | ratio (avg) | ratio (min) | shared ratio (avg) | target met |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
];
for (const [op, { per }] of groups) {
  const ours = per.get("FastskipLevel");
  const theirs = per.get("MemoryLevel");
  if (ours === undefined || theirs === undefined) continue;
  const floor = per.get("abstract-level floor");
  const shared = per.get("FastskipLevel, shared");
  const ratio = ours.avg / theirs.avg;
  const ratioMin = ours.min / theirs.min;
  const sharedRatio = shared ? `${(shared.avg / theirs.avg).toFixed(2)}×` : "–";
  out.push(
    `| ${op} | ${time(ours.avg)} | ${shared ? time(shared.avg) : "–"} | ${time(theirs.avg)} | ${
      floor ? time(floor.avg) : "–"
    } | ${ratio.toFixed(2)}× | ${ratioMin.toFixed(2)}× | ${sharedRatio} | ${
      ratio <= GOAL ? "goal" : ratio <= TARGET ? "yes" : "no"
    } |`,
  );
}
out.push("", "Memory per entry (JS heap + external backing stores + arena bytes used):", "");
out.push("| store | bytes/entry |", "| --- | ---: |");
for (const row of memory.rows) out.push(`| ${row.name} | ${row.bytesPerEntry.toFixed(1)} |`);
const text = out.join("\n") + "\n";
console.log(text);
await Deno.writeTextFile(`${dir}/level_summary.md`, "<!-- deno-fmt-ignore-file -->\n\n" + text);
