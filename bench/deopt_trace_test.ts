/**
 * The trace reader of `deopts.ts`, on lines copied from V8's output.
 *
 * ```sh
 * deno test --allow-read --allow-env bench/deopt_trace_test.ts
 * ```
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  declaredNames,
  libraryEvents,
  MARK_PREFIX,
  type Ownership,
  parseTrace,
  splitPosition,
  tally,
} from "./deopt_trace.ts";
import { whereOf } from "./deopts.ts";
import { decodeMappings } from "./source_lines.ts";

const SRC = "file:///repo/src/";

const TRACE = [
  // Set-up: an OSR tier-up of a data generator, and a compile.
  "[bailout (kind: deopt-eager, reason: prepare for on stack replacement (OSR)): begin. deoptimizing 0x195a0efc0f11 <JSFunction makeKeys (sfi = 0x85d3844e0b1)>, 0x2cee97e88551 <Code MAGLEV>, opt id 5, bytecode offset 92, deopt exit 16, FP to SP delta 144, caller SP 0x7fbdc32702a0, pc 0x7fbd7c004a33]",
  "[completed compiling 0x195a0efc0f91 <JSFunction compareBytes (sfi = 0x85d3844e141)> (target TURBOFAN_JS) - took 0.007, 1.808, 0.031 ms]",
  `fastskip: ${MARK_PREFIX}get miss · 10k [1000 ops] / fastskip`,
  // The benchmark: an eager deopt inside inlined library code…
  "[bailout (kind: deopt-eager, reason: minus zero): begin. deoptimizing 0x3ceee6f3fea1 <JSFunction getRange (sfi = 0x2dfd2456e181)>, 0x32037ed766e9 <Code TURBOFAN_JS>, opt id 52, bytecode offset 43, deopt exit 48, FP to SP delta 192, caller SP 0x7ffe230cf050, pc 0x7ff04c01e99f]",
  `            ;;; deoptimize at <${SRC}_skiplist.ts:255:12> inlined at <${SRC}_skiplist.ts:228:24> inlined at <file:///repo/bench/peers.ts:59:26>`,
  "  reading input frame getRange => bytecode_offset=30, args=4, height=7, retval=0(#0); inputs:",
  "      0: 0x3ceee6f3fea1 ;  [fp -  16]  0x3ceee6f3fea1 <JSFunction getRange (sfi = 0x2dfd2456e181)>",
  "  reading inlined arguments frame getLive => height=2, parameter_count=3; inputs:",
  "  reading input frame find => bytecode_offset=5, args=1, height=2, retval=0(#0); inputs:",
  "  reading input frame search => bytecode_offset=43, args=1, height=10, retval=0(#0); inputs:",
  "[bailout end. code_invalidation: invalidated, took 0.204 ms]",
  // …code of the same function invalidated later, named by its SFI only…
  "[marking dependent code 0x36e33ce122f1 <Code MAGLEV> (0x2dfd2456e181 <SharedFunctionInfo getRange>) (opt id 174) for deoptimization, reason: embedded weak objects cleared]",
  // …a library function known by name, a peer's, and a lazy bailout (not counted again).
  "[marking dependent code 0x36e33ce12301 <Code TURBOFAN_JS> (0x11 <SharedFunctionInfo compareProbe>) (opt id 175) for deoptimization, reason: embedded weak objects cleared]",
  "[marking dependent code 0x36e33ce12311 <Code MAGLEV> (0x22 <SharedFunctionInfo tt>) (opt id 176) for deoptimization, reason: embedded weak objects cleared]",
  "[bailout (kind: deopt-lazy, reason: (unknown)): begin. deoptimizing 0x04f1a211ad61 <JSFunction doVisitFull (sfi = 0x36c13433fdc1)>, 0x28b6697ec111 <Code MAGLEV>, opt id 203, bytecode offset 14, deopt exit 10, FP to SP delta 24, caller SP 0x7f03d9ac6e30, pc 0x7f03980b8311]",
  "[completed compiling 0x03b839debbc1 <JSFunction search (sfi = 0x881e7055af9)> (target TURBOFAN_JS) - took 0.000, 0.540, 0.014 ms]",
].join("\n");

const OWNER: Ownership = {
  ownsPosition: (position) => splitPosition(position).url.startsWith(SRC),
  names: new Set(["compareProbe", "search", "find"]),
  driverNames: new Set(["getRange"]),
};

Deno.test("parseTrace() reads bailouts with their frames and positions, invalidations, compiles and the marker", () => {
  const trace = parseTrace(TRACE);
  assert.deepEqual(trace.marks, ["get miss · 10k [1000 ops] / fastskip"]);
  assert.deepEqual(trace.deopts.map((e) => [e.kind, e.function, e.inBenchmark]), [
    ["osr", "makeKeys", false],
    ["eager", "getRange", true],
    ["invalidated", "getRange", true],
    ["invalidated", "compareProbe", true],
    ["invalidated", "tt", true],
    ["lazy", "doVisitFull", true],
  ]);
  const eager = trace.deopts[1];
  assert.ok(eager !== undefined, "the eager bailout was read");
  assert.equal(eager.reason, "minus zero");
  assert.equal(eager.tier, "TURBOFAN_JS");
  assert.equal(eager.invalidation, "invalidated");
  assert.deepEqual(eager.frames, ["getRange", "find", "search"]);
  assert.deepEqual(eager.positions, [
    `${SRC}_skiplist.ts:255:12`,
    `${SRC}_skiplist.ts:228:24`,
    "file:///repo/bench/peers.ts:59:26",
  ]);
  assert.equal(trace.deopts[2]?.reason, "embedded weak objects cleared");
  assert.deepEqual(trace.compiles.map((c) => [c.function, c.inBenchmark]), [
    ["compareBytes", false],
    ["search", true],
  ]);
});

Deno.test("parseTrace() without a marker counts every event as the benchmark's", () => {
  const trace = parseTrace(
    TRACE.split("\n").filter((l) => !l.includes(MARK_PREFIX)).join("\n"),
    true,
  );
  assert.ok(trace.deopts.every((e) => e.inBenchmark));
});

Deno.test("libraryEvents() keeps bailouts in library code, invalidations of their functions and of library names", () => {
  const events = libraryEvents(parseTrace(TRACE), OWNER);
  assert.deepEqual(events.map((e) => [e.kind, e.function]), [
    ["eager", "getRange"], // position in src/
    ["invalidated", "getRange"], // the SFI the bailout named
    ["invalidated", "compareProbe"], // a name src/ declares
  ]);
});

Deno.test("declaredNames() finds functions, classes, methods, private methods and accessors, not statements", () => {
  const names = declaredNames([
    "export function compareProbe(",
    "  probe: Probe,",
    "): number {",
    "export class SkipListCore {",
    "  #touchNode(node: number): number {",
    "  get size(): number {",
    "  static attach(handle: Handle): FrozenMemtable {",
    "  override search(): number {",
    "    if (next === 0) {",
    "    for (let i = 0; i < n; i++) {",
    "    foo(bar);",
  ].join("\n"));
  assert.deepEqual([...names].sort(), [
    "#touchNode",
    "SkipListCore",
    "attach",
    "compareProbe",
    "get size",
    "search",
  ]);
});

Deno.test("tally() counts by key, largest first", () => {
  assert.deepEqual(tally(["b", "a", "b", "c", "b", "a"], (x) => x), [["b", 3], ["a", 2], ["c", 1]]);
});

Deno.test("decodeMappings() follows source lines across segments and emitted lines", () => {
  // Line 1: a segment at column 0 → source line 0, one at column 4 → line 1;
  // line 2: column 0 → line 3 (the source line is relative to the last segment).
  const lines = decodeMappings("AAAA,IACA;AAEA");
  assert.deepEqual(lines, [
    [{ column: 0, sourceLine: 0 }, { column: 4, sourceLine: 1 }],
    [{ column: 0, sourceLine: 3 }],
  ]);
});

Deno.test("whereOf() names the innermost frame, its line and the optimised function that paid", () => {
  const [, eager, invalidated] = parseTrace(TRACE).deopts;
  assert.ok(eager !== undefined && invalidated !== undefined, "both events were read");
  // Outside this repository and Deno's emit cache: the emitted line.
  assert.equal(whereOf(eager), "search (_skiplist.ts, emitted line 255) in getRange");
  assert.equal(whereOf(invalidated), "getRange (code dropped)");
  const unnamed = { ...eager, frames: ["getRange"] }; // V8 left the inlined frames out
  assert.equal(whereOf(unnamed), "_skiplist.ts, emitted line 255 in getRange");
});
