/**
 * Stability across seal cycles: does the 20th memtable fill as fast as the
 * 2nd? An LSM engine fills a memtable, seals it, flushes the frozen one and
 * releases it, over and over in one process; anything that degrades per
 * cycle (optimised code thrown away when an arena dies, buffers not reused,
 * garbage piling up) shows here and in no single-list benchmark.
 *
 * Each cycle fills the list with N random 16-byte keys (8-byte values,
 * first insert of each key), seals it, iterates the frozen memtable with
 * `rawCursor()` (the flush), releases it, and goes on in the fresh list
 * `seal()` returned. Keys are new each cycle (the suite's key stream, later
 * indices), made before the cycle's timer starts. Per cycle it reports the
 * fill's wall time and the process's CPU time over it (user + system, all
 * threads: above the wall time, V8's background threads were working beside
 * the fill; below it, the process waited for a core), the flush, and the
 * resident set.
 *
 * ```sh
 * deno run --allow-read --allow-env --allow-write=bench/results bench/seal_cycles.ts
 * FASTSKIP_SEAL_N=20000 FASTSKIP_SEAL_CYCLES=10 deno run --allow-read --allow-env bench/seal_cycles.ts --no-write
 * ```
 *
 * Target: the 20th fill no slower than the 2nd by more than 10 % (the 1st
 * also pays for compiling). Writes `bench/results/seal_cycles.json` unless
 * `--no-write`; `chart.ts` puts the table and the target into `summary.md`.
 * About 10–20 s at the defaults (N = 100 000, 20 cycles).
 *
 * @module
 */

import { ConcurrentSkipList } from "../mod.ts";
import { KEY_BYTES, makeKeys, SEED_KEYS, SEED_VALUES, VALUE_BYTES } from "./keys.ts";
import { FASTSKIP_OPTIONS } from "./peers.ts";
import { envOr } from "./env.ts";

/** One cycle's measurements. */
export interface CycleResult {
  cycle: number;
  /** Wall time of the N inserts. */
  fillMs: number;
  /** Process CPU time (user + system, all threads) over the same span. */
  fillCpuMs: number;
  /** Wall time of seal + full `rawCursor()` scan + release. */
  flushMs: number;
  /** Resident set after the release. */
  rssMiB: number;
  /** JS heap in use after the release. */
  heapMiB: number;
}

/** The whole run. */
export interface SealCyclesReport {
  n: number;
  cycles: number;
  runtime: string;
  /** Where the CPU time came from (`Deno.cpuUsage`, or `node:process`). */
  cpuSource: string;
  results: CycleResult[];
}

/** Microseconds of CPU (user + system) this process has used. */
async function cpuClock(): Promise<{ source: string; read: () => number }> {
  const deno = Deno as unknown as { cpuUsage?: () => { user: number; system: number } };
  if (typeof deno.cpuUsage === "function") {
    const usage = deno.cpuUsage;
    return {
      source: "Deno.cpuUsage",
      read: () => {
        const u = usage();
        return u.user + u.system;
      },
    };
  }
  const process = (await import("node:process")).default;
  return {
    source: "process.cpuUsage (node:process)",
    read: () => {
      const u = process.cpuUsage();
      return u.user + u.system;
    },
  };
}

/** Runs `cycles` fill–seal–flush–release cycles of `n` keys. */
export async function runSealCycles(n: number, cycles: number): Promise<SealCyclesReport> {
  const cpu = await cpuClock();
  const value = makeKeys(1, SEED_VALUES, VALUE_BYTES)[0]!; // one key asked, one given
  const results: CycleResult[] = [];
  let list = new ConcurrentSkipList(FASTSKIP_OPTIONS);
  for (let cycle = 0; cycle < cycles; cycle++) {
    const keys = makeKeys(n, SEED_KEYS, KEY_BYTES, cycle * n);
    const wall0 = performance.now();
    const cpu0 = cpu.read();
    let stored = 0;
    for (let i = 0; i < n; i++) if (list.insert(keys[i]!, value)) stored++;
    const cpu1 = cpu.read();
    const wall1 = performance.now();
    if (stored !== n) throw new Error(`seal_cycles: cycle ${cycle} stored ${stored} of ${n} keys`);

    const [frozen, fresh] = list.seal();
    const cursor = frozen.rawCursor();
    let flushed = 0;
    let checksum = 0;
    while (cursor.nextEntry()) {
      flushed++;
      checksum += cursor.bytes[cursor.keyOffset]!;
    }
    frozen.release();
    const wall2 = performance.now();
    if (flushed !== n) throw new Error(`seal_cycles: cycle ${cycle} flushed ${flushed} of ${n}`);
    if (checksum < 0) throw new Error("unreachable: keeps the checksum observable");
    list = fresh;

    const memory = Deno.memoryUsage();
    results.push({
      cycle: cycle + 1,
      fillMs: wall1 - wall0,
      fillCpuMs: (cpu1 - cpu0) / 1000,
      flushMs: wall2 - wall1,
      rssMiB: memory.rss / 2 ** 20,
      heapMiB: memory.heapUsed / 2 ** 20,
    });
  }
  list.release();
  return { n, cycles, runtime: `Deno ${Deno.version.deno}`, cpuSource: cpu.source, results };
}

/** Fill time of cycle `c` (1-based) over that of cycle 2, or undefined. */
export function drift(report: SealCyclesReport, c = report.cycles): number | undefined {
  const second = report.results[1];
  const last = report.results[c - 1];
  return second === undefined || last === undefined ? undefined : last.fillMs / second.fillMs;
}

function median(values: number[]): number {
  if (values.length === 0) throw new Error("seal_cycles: median() of no values");
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/**
 * A steadier reading of the same drift on a shared machine: the median fill
 * of the last three cycles over that of cycles 2–4, by wall and by CPU time.
 */
export function medianDrift(report: SealCyclesReport): { wall: number; cpu: number } | undefined {
  const r = report.results;
  if (r.length < 5) return undefined;
  const early = r.slice(1, 4);
  const late = r.slice(-3);
  return {
    wall: median(late.map((c) => c.fillMs)) / median(early.map((c) => c.fillMs)),
    cpu: median(late.map((c) => c.fillCpuMs)) / median(early.map((c) => c.fillCpuMs)),
  };
}

/**
 * The cycles among 2 and the last that ran below 90 % of a core (CPU ÷
 * wall): the process waited for a core, and the fill times measure the
 * machine's load more than the library.
 */
export function contendedCycles(report: SealCyclesReport): number[] {
  const r = report.results;
  return [r[1], r[r.length - 1]].filter((c): c is CycleResult =>
    c !== undefined && c.fillCpuMs / c.fillMs < 0.9
  ).map((c) => c.cycle);
}

/** The report as markdown: a line on the target, then one row per cycle. */
export function formatSealCycles(report: SealCyclesReport): string {
  const r = drift(report);
  const last = report.results[report.results.length - 1];
  const second = report.results[1];
  const ns = (ms: number) => `${(ms * 1e6 / report.n).toFixed(0)} ns`;
  const lines = [
    `${report.cycles} cycles of ${report.n} random 16-byte keys each (fill, seal, rawCursor flush, release; ${report.runtime}, CPU time from ${report.cpuSource}):`,
    "",
  ];
  // r is defined only when cycle 2 is, so last and second are too.
  if (r !== undefined && last !== undefined && second !== undefined) {
    lines.push(
      `fill ${report.cycles} ÷ fill 2: **${r.toFixed(2)}×** (${ns(last.fillMs)} vs ${
        ns(second.fillMs)
      } per insert; target ≤ 1.10×)`,
      "",
    );
  }
  const contended = contendedCycles(report);
  if (contended.length > 0) {
    lines.push(
      `(fills ${
        contended.join(" and ")
      } ran below 90 % of a core: the machine was shared, so this ratio is mostly noise; re-run on a quiet machine)`,
      "",
    );
  }
  const steady = medianDrift(report);
  if (steady !== undefined) {
    lines.push(
      `median of the last 3 fills ÷ median of fills 2–4: ${steady.wall.toFixed(2)}× by wall time, ${
        steady.cpu.toFixed(2)
      }× by CPU time`,
      "",
    );
  }
  lines.push(
    "| cycle | fill | per insert | CPU ÷ wall | flush | rss | JS heap |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...report.results.map((c) =>
      `| ${c.cycle} | ${c.fillMs.toFixed(1)} ms | ${ns(c.fillMs)} | ${
        (c.fillCpuMs / c.fillMs).toFixed(2)
      } | ${c.flushMs.toFixed(1)} ms | ${c.rssMiB.toFixed(0)} MiB | ${c.heapMiB.toFixed(0)} MiB |`
    ),
  );
  return lines.join("\n");
}

async function main(): Promise<void> {
  const n = Number(envOr("FASTSKIP_SEAL_N", "100000"));
  const cycles = Number(envOr("FASTSKIP_SEAL_CYCLES", "20"));
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`FASTSKIP_SEAL_N must be a positive integer, received ${n}`);
  }
  if (!Number.isInteger(cycles) || cycles < 2) {
    throw new RangeError(`FASTSKIP_SEAL_CYCLES must be an integer >= 2, received ${cycles}`);
  }
  const report = await runSealCycles(n, cycles);
  console.log(formatSealCycles(report));
  if (!Deno.args.includes("--no-write")) {
    const dir = new URL("results/", import.meta.url);
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(
      new URL("seal_cycles.json", dir),
      JSON.stringify(report, null, 2) + "\n",
    );
  }
}

if (import.meta.main) await main();
