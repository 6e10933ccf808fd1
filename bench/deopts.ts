/**
 * Deoptimizations per benchmark: runs each single-thread benchmark of
 * fastskip (the groups of `single_thread_bench.ts`, fastskip alone, one per
 * child process, at 10k entries) under V8's `--trace-deopt-verbose` and
 * `--trace-opt`, and prints, per benchmark, how often V8 threw away
 * optimised code of the library, why, and where, as markdown.
 *
 * ```sh
 * deno run --allow-read --allow-env --allow-run --allow-write=bench/results bench/deopts.ts
 * FASTSKIP_DEOPTS_N=100000 deno run --allow-read --allow-env --allow-run bench/deopts.ts --no-write
 * deno run --allow-read --allow-env --allow-run bench/deopts.ts --only="get miss,insert random"
 * ```
 *
 * Each child is `deno bench --filter <fastskip's bench> bench/single_thread_bench.ts`
 * with `FASTSKIP_BENCH_OPS` naming its group, so the loops, the data and the
 * harness are the benchmark's own, and `FASTSKIP_BENCH_MARK=1` so that the
 * events of the set-up (data generation, the cross-check of every adapter,
 * which also runs the peers) are told apart from those of the benchmark.
 * An event counts as the library's when its bailout position is in `src/`
 * or `mod.ts`, or it invalidates a function such a bailout named, or one
 * whose name `src/` declares (`deopt_trace.ts`); the adapter's loops
 * (`getRange`, …) count when the benchmark's own code deopts them.
 *
 * Writes `bench/results/deopts.md` and `deopts.json` (unless `--no-write`);
 * `chart.ts` puts the table into `summary.md`. About 30–40 s on 2 cores.
 *
 * @module
 */

import {
  declaredNames,
  type DeoptEvent,
  libraryEvents,
  type Ownership,
  parseTrace,
  splitPosition,
  tally,
} from "./deopt_trace.ts";
import { describePosition } from "./source_lines.ts";
import { env } from "./env.ts";

/** One benchmark of `single_thread_bench.ts`, as a child process selects it. */
interface Benchmark {
  label: string;
  /** Its group's operation (`FASTSKIP_BENCH_OPS`). */
  op: string;
  /** `deno bench --filter`: fastskip's bench name in the group. */
  filter: string;
}

const FASTSKIP = "/^fastskip$/";
const BENCHMARKS: Benchmark[] = [
  { label: "get hit", op: "get hit", filter: FASTSKIP },
  { label: "get miss", op: "get miss", filter: FASTSKIP },
  { label: "seek + 10", op: "seek + 10", filter: FASTSKIP },
  { label: "scan (live list)", op: "scan", filter: "/^fastskip \\(live list\\)$/" },
  { label: "scan (FrozenMemtable)", op: "scan", filter: "/^fastskip \\(FrozenMemtable\\)$/" },
  {
    label: "scan (FrozenMemtable, RawCursor)",
    op: "scan",
    filter: "/^fastskip \\(FrozenMemtable, RawCursor\\)$/",
  },
  { label: "put overwrite", op: "put overwrite", filter: FASTSKIP },
  { label: "insert random", op: "insert random", filter: FASTSKIP },
  { label: "insert sequential", op: "insert sequential", filter: FASTSKIP },
];

/** The loops of `FastskipAdapter` (`peers.ts`) the benchmarks time. */
const DRIVER_NAMES = new Set([
  "insertRange",
  "putRange",
  "getRange",
  "seekRange",
  "scan",
  "scanFrozen",
  "scanFrozenRaw",
]);

/** One deoptimization as reported (plain data: what the tables print). */
export interface ReportedDeopt {
  kind: DeoptEvent["kind"];
  reason: string;
  /** The function whose optimised code was thrown away. */
  function: string;
  tier: string;
  /** Innermost function, source line and optimised caller ({@link whereOf}). */
  where: string;
  /** What became of the optimised code (`invalidated`, `unaffected`, …). */
  invalidation: string;
}

/** One benchmark's result. */
export interface BenchmarkDeopts {
  label: string;
  /** The library's deoptimizations while the benchmark ran (OSR tier-ups left out). */
  deopts: ReportedDeopt[];
  /** The library's deoptimizations during the set-up before it. */
  setupDeopts: number;
  /** OSR tier-ups of the library's code (and the adapter's loops) in the benchmark. */
  osr: number;
  /** Turbofan compiles of the library's functions in the benchmark, by function name. */
  compiles: string[];
  /** Deoptimizations of any code in the process (context: start-up, harness, peers). */
  allDeopts: number;
  seconds: number;
}

/** The whole report. */
export interface DeoptReport {
  n: number;
  runtime: string;
  v8: string;
  /** Whether set-up events were told apart (see `hasStdbuf`). */
  setupSeparated: boolean;
  benchmarks: BenchmarkDeopts[];
}

const root = new URL("../", import.meta.url);

/** The library's source: what counts as its positions and names. */
function ownership(): Ownership {
  const names = new Set<string>();
  for (const entry of Deno.readDirSync(new URL("src/", root))) {
    if (!entry.name.endsWith(".ts")) continue;
    for (const name of declaredNames(Deno.readTextFileSync(new URL(`src/${entry.name}`, root)))) {
      names.add(name);
    }
  }
  const src = new URL("src/", root).href;
  const mod = new URL("mod.ts", root).href;
  return {
    ownsPosition: (position) => {
      const { url } = splitPosition(position);
      return url.startsWith(src) || url === mod;
    },
    names,
    driverNames: DRIVER_NAMES,
  };
}

/**
 * V8 prints its traces through C's `stdout`, which a pipe makes fully
 * buffered, while the benchmark's marker line goes straight to the file
 * descriptor: without line buffering (`stdbuf -oL`, GNU coreutils) the
 * marker lands before the events that preceded it. Without `stdbuf` the
 * set-up cannot be told apart and every event counts as the benchmark's.
 */
function hasStdbuf(): boolean {
  try {
    return new Deno.Command("stdbuf", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** Runs one benchmark in a child under the trace flags; returns its output. */
async function traceOf(benchmark: Benchmark, n: number, stdbuf: boolean): Promise<string> {
  const program = stdbuf ? "stdbuf" : Deno.execPath();
  const command = new Deno.Command(program, {
    args: [
      ...(stdbuf ? ["-oL", Deno.execPath()] : []),
      "bench",
      "--no-check",
      "--allow-read",
      "--allow-env",
      "--v8-flags=--trace-deopt-verbose,--trace-opt",
      "--filter",
      benchmark.filter,
      new URL("bench/single_thread_bench.ts", root).pathname,
    ],
    env: {
      FASTSKIP_BENCH_SIZES: String(n),
      FASTSKIP_BENCH_OPS: benchmark.op,
      // Without line-buffered traces the marker would split them wrongly.
      FASTSKIP_BENCH_MARK: stdbuf ? "1" : "0",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  const text = new TextDecoder().decode(stdout);
  if (code !== 0) {
    throw new Error(
      `deopts: the ${benchmark.label} child exited with ${code}:\n${
        new TextDecoder().decode(stderr).slice(-2000)
      }`,
    );
  }
  return text;
}

/** Runs and reads one benchmark. */
async function measure(
  benchmark: Benchmark,
  n: number,
  owner: Ownership,
  stdbuf: boolean,
): Promise<BenchmarkDeopts> {
  const start = performance.now();
  const trace = parseTrace(await traceOf(benchmark, n, stdbuf), !stdbuf);
  if (trace.marks.length === 0) {
    throw new Error(
      `deopts: ${benchmark.label}: the benchmark never started (filter ${benchmark.filter})`,
    );
  }
  const library = libraryEvents(trace, owner);
  const inBenchmark = library.filter((e) => e.inBenchmark && e.kind !== "lazy");
  const ownedSfi = new Set(library.map((e) => e.sfi));
  const counted = (e: DeoptEvent) => e.kind !== "lazy" && e.kind !== "osr";
  return {
    label: benchmark.label,
    deopts: inBenchmark.filter(counted).map((e) => ({
      kind: e.kind,
      reason: e.reason,
      function: e.function,
      tier: e.tier,
      where: whereOf(e),
      invalidation: e.invalidation,
    })),
    setupDeopts: library.filter((e) => !e.inBenchmark && counted(e)).length,
    osr: inBenchmark.filter((e) => e.kind === "osr").length,
    compiles: trace.compiles.filter((c) =>
      c.inBenchmark && c.tier === "TURBOFAN_JS" &&
      (ownedSfi.has(c.sfi) || owner.names.has(c.function))
    ).map((c) => c.function),
    allDeopts: trace.deopts.filter(counted).length,
    seconds: (performance.now() - start) / 1000,
  };
}

/** Where an event happened: innermost frame and source line, and the code it cost. */
export function whereOf(e: DeoptEvent): string {
  if (e.kind === "invalidated") return `${e.function} (code dropped)`;
  if (e.positions.length === 0) return e.function;
  const { url, line, column } = splitPosition(e.positions[0]!);
  const at = describePosition(url, line, column);
  // One frame per position, unless V8 left some inlined frames out: then
  // the innermost function is not known by name, only by its line.
  const inner = e.frames.length >= e.positions.length ? e.frames[e.frames.length - 1] : undefined;
  if (inner === undefined) return `${at} in ${e.function}`;
  return inner === e.function ? `${inner} (${at})` : `${inner} (${at}) in ${e.function}`;
}

function top(entries: [string, number][], count: number): string {
  if (entries.length === 0) return "–";
  const shown = entries.slice(0, count).map(([k, v]) => (v > 1 ? `${k} ×${v}` : k));
  if (entries.length > count) shown.push(`+${entries.length - count} more`);
  return shown.join("; ");
}

/** A count of compiles, naming the functions compiled more than once (re-optimized). */
function compiles(names: string[]): string {
  const again = tally(names, (name) => name).filter(([, count]) => count > 1);
  return again.length === 0 ? String(names.length) : `${names.length} (${top(again, 4)})`;
}

/** The report as markdown: a table per benchmark, then every event of the benchmarks. */
export function formatDeopts(report: DeoptReport): string {
  const lines = [
    `Deoptimizations of fastskip's code per benchmark (${report.n} entries, one child process each, ${report.runtime}, V8 ${report.v8}); OSR tier-ups and lazy bailouts left out:`,
    "",
    "| benchmark | deopts | top reasons | where (function, source line, optimised caller) | Turbofan compiles | in set-up |",
    "| --- | ---: | --- | --- | ---: | ---: |",
  ];
  for (const b of report.benchmarks) {
    lines.push(
      `| ${b.label} | ${b.deopts.length} | ${top(tally(b.deopts, (e) => e.reason), 3)} | ${
        top(tally(b.deopts, (e) => e.where), 3)
      } | ${compiles(b.compiles)} | ${b.setupDeopts} |`,
    );
  }
  lines.push(
    "",
    '"Turbofan compiles": optimising compiles of the library\'s functions during the benchmark (in brackets the functions compiled more than once: re-optimized after a deopt, or compiled again on its own after being inlined); "in set-up": the library\'s deopts before the benchmark started (data, the cross-check of all adapters)' +
      (report.setupSeparated
        ? "."
        : " (not told apart here: no `stdbuf`, so every event is counted as the benchmark's)."),
    "",
    "| benchmark | kind | reason | where | tier | optimised code |",
    "| --- | --- | --- | --- | --- | --- |",
  );
  for (const b of report.benchmarks) {
    for (const e of b.deopts) {
      lines.push(
        `| ${b.label} | ${e.kind} | ${e.reason} | ${e.where} | ${e.tier} | ${
          e.invalidation || "–"
        } |`,
      );
    }
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const n = Number(env("FASTSKIP_DEOPTS_N") ?? "10000");
  if (!Number.isInteger(n) || n < 1000) {
    throw new RangeError(`FASTSKIP_DEOPTS_N must be an integer >= 1000, received ${n}`);
  }
  const write = !Deno.args.includes("--no-write");
  const only = Deno.args.find((a) => a.startsWith("--only="))?.slice(7).split(",").map((s) =>
    s.trim()
  );
  const chosen = only === undefined ? BENCHMARKS : BENCHMARKS.filter((b) => only.includes(b.label));
  if (chosen.length === 0) {
    throw new RangeError(
      `deopts: --only names no benchmark; expected some of: ${
        BENCHMARKS.map((b) => b.label).join(", ")
      }`,
    );
  }
  const owner = ownership();
  const stdbuf = hasStdbuf();
  const benchmarks: BenchmarkDeopts[] = [];
  for (const benchmark of chosen) {
    const result = await measure(benchmark, n, owner, stdbuf);
    console.error(
      `${benchmark.label}: ${result.deopts.length} deopts (${result.seconds.toFixed(1)} s)`,
    );
    benchmarks.push(result);
  }
  const report: DeoptReport = {
    n,
    runtime: `Deno ${Deno.version.deno}`,
    v8: Deno.version.v8,
    setupSeparated: stdbuf,
    benchmarks,
  };
  const markdown = formatDeopts(report);
  console.log(markdown);
  if (write) {
    const dir = new URL("bench/results/", root);
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(new URL("deopts.json", dir), JSON.stringify(report, null, 2) + "\n");
    Deno.writeTextFileSync(
      new URL("deopts.md", dir),
      `<!-- deno-fmt-ignore-file -->\n\n${markdown}\n`,
    );
  }
}

if (import.meta.main) await main();
