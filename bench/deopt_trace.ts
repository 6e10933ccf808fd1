/**
 * Reads V8's `--trace-deopt-verbose` (and `--trace-opt`) output and tells
 * which deoptimizations hit fastskip's code, why, and where.
 *
 * V8 prints three kinds of deoptimization lines:
 *
 * - `[bailout (kind: deopt-eager, reason: R): begin. deoptimizing <JSFunction F …>, <Code TIER>, opt id N, …]`:
 *   optimised code of F met a case it was not compiled for (a map it never
 *   saw, minus zero where it assumed a small integer, …) and fell back to
 *   the interpreter. With `-verbose`, a `;;; deoptimize at <url:line:col>
 *   inlined at …` line gives the position, innermost first, and
 *   `reading input frame G` lines name every frame, outermost first.
 * - `[marking dependent code <Code TIER> (<SharedFunctionInfo F>) (opt id N) for deoptimization, reason: R]`:
 *   something F's code relied on changed (a field's type, an object it
 *   embedded was collected: "embedded weak objects cleared"), so the code
 *   is thrown away; frames of it still on the stack bail out lazily later
 *   (`kind: deopt-lazy`, which this reader does not count again).
 * - `reason: prepare for on stack replacement (OSR)`: Maglev code leaving a
 *   hot loop for Turbofan's. A tier-up, not a failure: counted apart.
 *
 * A line holding {@link MARK_PREFIX} (printed by the benchmark when it
 * first runs, `FASTSKIP_BENCH_MARK=1`) splits set-up from benchmark.
 *
 * @module
 */

/** What a benchmark prints when it first runs, when marking is on. */
export const MARK_PREFIX = "[fastskip-bench] start ";

/** How an event threw optimised code away. */
export type DeoptKind = "eager" | "soft" | "lazy" | "invalidated" | "osr";

/** One deoptimization (or OSR tier-up) in a trace. */
export interface DeoptEvent {
  kind: DeoptKind;
  reason: string;
  /** The function whose optimised code was thrown away (the outermost frame). */
  function: string;
  /** `MAGLEV`, `TURBOFAN_JS`. */
  tier: string;
  /** The function's SharedFunctionInfo address as printed (ties invalidations to bailouts). */
  sfi: string;
  /** Frames of the bailout, outermost first (inlined functions after their callers). */
  frames: string[];
  /** `url:line:col` of the bailout, innermost first (emitted positions). */
  positions: string[];
  /**
   * What became of the optimised code, from `[bailout end. code_invalidation: …]`:
   * `invalidated` (thrown away: the function runs unoptimised until compiled
   * again), `unaffected` (only this frame left it), `invalidated-osr`; empty
   * for events without that line.
   */
  invalidation: string;
  /** Whether it happened after the first {@link MARK_PREFIX} line. */
  inBenchmark: boolean;
}

/** One finished optimising compile, from `--trace-opt`. */
export interface CompileEvent {
  function: string;
  sfi: string;
  tier: string;
  osr: boolean;
  inBenchmark: boolean;
}

/** Everything read from one trace. */
export interface Trace {
  deopts: DeoptEvent[];
  compiles: CompileEvent[];
  /** The benchmarks that started (the text after {@link MARK_PREFIX}). */
  marks: string[];
}

const BAILOUT =
  /^\[bailout \(kind: deopt-([a-z]+)(?:, reason: (.*?))?\): begin\. deoptimizing \S+ <JSFunction (\S*) \(sfi = (0x[0-9a-f]+)\)>, \S+ <Code ([A-Z_]+)>/;
const MARKING =
  /^\[marking dependent code \S+ <Code ([A-Z_]+)> \((0x[0-9a-f]+) <SharedFunctionInfo ?([^>]*)>\) \(opt id \d+\) for deoptimization, reason: (.*)\]$/;
const POSITION = /<([^<>]+:\d+:\d+)>/g;
const FRAME = /^\s+reading input frame (\S+) =>/;
const INVALIDATION = /^\[bailout end\. code_invalidation: ([a-z-]+)/;
const COMPILED =
  /^\[completed compiling \S+ <JSFunction (\S*) \(sfi = (0x[0-9a-f]+)\)> \(target ([A-Z_]+)\)( OSR)?/;

/**
 * Parses a trace (the process's stdout, V8's lines in order with the
 * benchmark's). With `unmarked`, there is no marker to wait for: every
 * event counts as the benchmark's, and the start is a single mark.
 */
export function parseTrace(text: string, unmarked = false): Trace {
  const deopts: DeoptEvent[] = [];
  const compiles: CompileEvent[] = [];
  const marks: string[] = [];
  if (unmarked) marks.push("(unmarked)");
  let current: DeoptEvent | undefined;
  for (const line of text.split("\n")) {
    // `deno bench` prefixes a benchmark's output with its name.
    const mark = line.indexOf(MARK_PREFIX);
    if (mark >= 0) {
      marks.push(line.slice(mark + MARK_PREFIX.length).trim());
      current = undefined;
      continue;
    }
    const inBenchmark = marks.length > 0;
    let m = BAILOUT.exec(line);
    if (m !== null) {
      const reason = m[2] ?? "(none given)";
      const kind: DeoptKind = reason.includes("on stack replacement")
        ? "osr"
        : m[1] === "lazy"
        ? "lazy"
        : m[1] === "soft"
        ? "soft"
        : "eager";
      current = {
        kind,
        reason,
        // Groups 1, 3, 4, 5 are not optional: a match holds them.
        function: m[3]!,
        tier: m[5]!,
        sfi: m[4]!,
        frames: [],
        positions: [],
        invalidation: "",
        inBenchmark,
      };
      deopts.push(current);
      continue;
    }
    m = MARKING.exec(line);
    if (m !== null) {
      current = undefined;
      deopts.push({
        kind: "invalidated",
        reason: m[4]!,
        function: m[3] === "" ? "(anonymous)" : m[3]!,
        tier: m[1]!,
        sfi: m[2]!,
        frames: [],
        positions: [],
        invalidation: "invalidated",
        inBenchmark,
      });
      continue;
    }
    m = COMPILED.exec(line);
    if (m !== null) {
      current = undefined;
      compiles.push({
        function: m[1]!,
        sfi: m[2]!,
        tier: m[3]!,
        osr: m[4] !== undefined,
        inBenchmark,
      });
      continue;
    }
    if (current === undefined) continue;
    m = INVALIDATION.exec(line);
    if (m !== null) {
      current.invalidation = m[1]!;
      current = undefined;
      continue;
    }
    if (line.includes(";;; deoptimize at ")) {
      for (const p of line.matchAll(POSITION)) current.positions.push(p[1]!);
      continue;
    }
    m = FRAME.exec(line);
    if (m !== null) {
      current.frames.push(m[1]!);
      continue;
    }
    if (line.startsWith("[")) current = undefined; // the next record began
  }
  return { deopts, compiles, marks };
}

/** Splits `file:///a/b.ts:12:3` into its URL, line and column. */
export function splitPosition(position: string): { url: string; line: number; column: number } {
  const m = /^(.*):(\d+):(\d+)$/.exec(position);
  if (m === null) return { url: position, line: 0, column: 0 };
  return { url: m[1]!, line: Number(m[2]), column: Number(m[3]) };
}

/**
 * Names of the functions, methods and classes declared in TypeScript
 * `source` (as V8 names them: `#touchNode`, `get size`, `Probe`). A
 * heuristic over declarations, for events that carry only a name.
 */
export function declaredNames(source: string): Set<string> {
  const names = new Set<string>();
  const keywords = new Set(["if", "for", "while", "switch", "catch", "function", "return"]);
  for (const line of source.split("\n")) {
    let m = /^\s*(?:export\s+)?(?:async\s+)?function\*?\s+([\w$]+)/.exec(line);
    if (m !== null) names.add(m[1]!);
    m = /^\s*(?:export\s+)?(?:abstract\s+)?class\s+([\w$]+)/.exec(line);
    if (m !== null) names.add(m[1]!);
    m =
      /^\s+(?:(?:static|override|private|protected|public|async|readonly)\s+)*(?:(get|set)\s+)?(#?[\w$]+|\[Symbol\.\w+\])\s*(?:<[^>]*>)?\(.*\)\s*(?::\s*[^{]+)?\{\s*$/
        .exec(line);
    if (m !== null && !keywords.has(m[2]!)) {
      names.add(m[1] === undefined ? m[2]! : `${m[1]} ${m[2]}`);
    }
  }
  return names;
}

/** Decides which events are the library's. */
export interface Ownership {
  /** Whether a position (`url:line:col`) is in the library's code. */
  ownsPosition(position: string): boolean;
  /** Names declared by the library (for events without positions). */
  names: ReadonlySet<string>;
  /** Names of the benchmark's own driver functions (its adapter's loops). */
  driverNames: ReadonlySet<string>;
}

/**
 * The events of `trace` in the library's code: a bailout whose positions
 * reach it, or an invalidation of a function whose SFI such a bailout
 * named, or (failing both) whose name the library declares. Driver loops
 * (`getRange`, …) count when in the benchmark and the bailout itself is in
 * library code, or when they are invalidated in the benchmark.
 */
export function libraryEvents(trace: Trace, owner: Ownership): DeoptEvent[] {
  const ownedSfi = new Set<string>();
  const owned = (e: DeoptEvent): boolean => {
    if (e.positions.length > 0) return e.positions.some((p) => owner.ownsPosition(p));
    if (ownedSfi.has(e.sfi)) return true;
    if (owner.names.has(e.function)) return true;
    return e.inBenchmark && owner.driverNames.has(e.function);
  };
  for (const e of trace.deopts) {
    if (e.positions.length > 0 && owned(e)) ownedSfi.add(e.sfi);
  }
  return trace.deopts.filter(owned);
}

/** Counts by key, largest first. */
export function tally<T>(items: readonly T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
