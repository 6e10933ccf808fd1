/**
 * Reads a V8 `.cpuprofile` (what `deno run --cpu-prof` writes) and prints
 * where the time went, as markdown: self time by function, and the hottest
 * source lines when the profile has line ticks.
 *
 * ```sh
 * cd /tmp && FASTSKIP_PROFILE_N=10000 deno run --cpu-prof --cpu-prof-dir=/tmp/prof \
 *   --allow-read --allow-env /path/to/bench/profile.ts miss
 * deno run --allow-read --allow-env bench/cpu_profile.ts /tmp/prof/*.cpuprofile
 * deno run --allow-read --allow-env bench/cpu_profile.ts --top=25 --lines=15 a.cpuprofile
 * deno run --allow-read --allow-env bench/cpu_profile.ts --under=getRange a.cpuprofile
 * ```
 *
 * `--under=NAME` keeps only the samples taken inside a function called
 * NAME (`getRange`, `insertRange`: the measured loops of `peers.ts`), so
 * that data generation and start-up do not dilute the shares.
 *
 * Functions are keyed by name and module, so the same method of two
 * modules stays apart. Positions are mapped back to TypeScript lines
 * through Deno's emit cache (`source_lines.ts`). V8's profiler attributes
 * samples in inlined code to the inlined function when it can, so `search`
 * shows up under its own name even inside an optimised `getRange`.
 *
 * @module
 */

import { describePosition } from "./source_lines.ts";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}

/** The parts of a `.cpuprofile` this reader uses. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function over a profile. */
export interface FunctionTime {
  /** `search (src/_skiplist.ts)`, or a V8 pseudo-frame like `(garbage collector)`. */
  name: string;
  /** Microseconds of samples whose innermost frame is this function. */
  selfMicros: number;
  /** Microseconds of samples with this function anywhere on the stack. */
  totalMicros: number;
}

/** Self time of one source line (from V8's per-line ticks). */
export interface LineTime {
  /** `src/_keys.ts:64 (compareProbe)`. */
  line: string;
  ticks: number;
}

/** The summary of one profile. */
export interface ProfileSummary {
  /** Sampled microseconds in all. */
  totalMicros: number;
  functions: FunctionTime[];
  lines: LineTime[];
}

/** Repository-relative path of a module URL (the file name alone outside it). */
function modulePath(url: string): string {
  const root = new URL("../", import.meta.url).href;
  return url.startsWith(root) ? url.slice(root.length) : url.replace(/^.*\//, "");
}

/**
 * A function's display name. By name and module only: the line V8 gives
 * for frames of optimised code is not reliably the function's first line.
 */
function frameName(frame: CallFrame): string {
  const name = frame.functionName || "(anonymous)";
  return frame.url === "" ? name : `${name} (${modulePath(frame.url)})`;
}

/**
 * Self and total time by function, and line ticks, of `profile`; with
 * `under`, only of the samples taken inside a function of that name (the
 * measured loop, leaving out data generation).
 */
export function summarize(profile: CpuProfile, under?: string): ProfileSummary {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const names = new Map<number, string>();
  for (const node of profile.nodes) names.set(node.id, frameName(node.callFrame));
  const inside = (id: number): boolean => {
    if (under === undefined) return true;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)!.callFrame.functionName === under) return true;
    }
    return false;
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));

  // Time per node: each sample's delta belongs to the sample before it (V8's convention).
  const nodeMicros = new Map<number, number>();
  let totalMicros = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const sample = profile.samples[i]!;
    if (!inside(sample)) continue;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    nodeMicros.set(sample, (nodeMicros.get(sample) ?? 0) + delta);
    totalMicros += delta;
  }

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, micros] of nodeMicros) {
    const name = names.get(id)!;
    self.set(name, (self.get(name) ?? 0) + micros);
    // Each function once per stack, however often it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const onStack = names.get(at)!;
      if (seen.has(onStack)) continue;
      seen.add(onStack);
      total.set(onStack, (total.get(onStack) ?? 0) + micros);
    }
  }
  const functions = [...total.keys()].map((name) => ({
    name,
    selfMicros: self.get(name) ?? 0,
    totalMicros: total.get(name)!,
  })).sort((a, b) => b.selfMicros - a.selfMicros || b.totalMicros - a.totalMicros);

  const lineTicks = new Map<string, number>();
  for (const node of profile.nodes) {
    if (!inside(node.id)) continue;
    const frame = node.callFrame;
    for (const { line, ticks } of node.positionTicks ?? []) {
      const key = `${describePosition(frame.url, line)} (${frame.functionName || "anonymous"})`;
      lineTicks.set(key, (lineTicks.get(key) ?? 0) + ticks);
    }
  }
  const lines = [...lineTicks].map(([line, ticks]) => ({ line, ticks }))
    .sort((a, b) => b.ticks - a.ticks);
  return { totalMicros, functions, lines };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "–" : `${(100 * part / whole).toFixed(1)} %`;
}

/** The summary as markdown tables (top `top` functions, `lineCount` lines). */
export function formatSummary(summary: ProfileSummary, top: number, lineCount: number): string {
  const out = [
    `${(summary.totalMicros / 1000).toFixed(0)} ms sampled`,
    "",
    "| function | self | total |",
    "| --- | ---: | ---: |",
    ...summary.functions.slice(0, top).map((f) =>
      `| ${f.name} | ${percent(f.selfMicros, summary.totalMicros)} | ${
        percent(f.totalMicros, summary.totalMicros)
      } |`
    ),
  ];
  const allTicks = summary.lines.reduce((sum, l) => sum + l.ticks, 0);
  if (lineCount > 0 && allTicks > 0) {
    out.push(
      "",
      "| line | share of line ticks |",
      "| --- | ---: |",
      ...summary.lines.slice(0, lineCount).map((l) =>
        `| ${l.line} | ${percent(l.ticks, allTicks)} |`
      ),
    );
  }
  return out.join("\n");
}

function main(): void {
  let top = 20;
  let lineCount = 10;
  let under: string | undefined;
  const files: string[] = [];
  for (const arg of Deno.args) {
    if (arg.startsWith("--top=")) top = Number(arg.slice(6));
    else if (arg.startsWith("--under=")) under = arg.slice(8);
    else if (arg.startsWith("--lines=")) lineCount = Number(arg.slice(8));
    else files.push(arg);
  }
  if (files.length === 0) {
    throw new Error(
      "usage: cpu_profile.ts [--top=N] [--lines=N] [--under=FUNCTION] file.cpuprofile…",
    );
  }
  for (const file of files) {
    const profile = JSON.parse(Deno.readTextFileSync(file)) as CpuProfile;
    console.log(`#### ${file}\n\n${formatSummary(summarize(profile, under), top, lineCount)}\n`);
  }
}

if (import.meta.main) main();
