/**
 * A linearizability checker for histories of a concurrent map, after Wing &
 * Gong (1993) with Lowe's memoization (2017), made compositional by key
 * (a map is linearizable iff each key's sub-history is, Herlihy & Wing's
 * locality).
 *
 * For one key, the search keeps, for every process, how many of its ops are
 * already linearized (a process's ops are sequential, so the linearized set
 * is a prefix per process). An op may go next iff it was invoked before every
 * not-yet-linearized op returned (`invoke < min ret`), and applying it to the
 * sequential specification ({@link applySpec}) yields the result it
 * returned. Configurations (prefix lengths + state) already explored are
 * remembered, so the search is polynomial in the history length for a fixed
 * number of processes. A pending op (`ret = Infinity`, its worker died) may
 * be linearized with any result, or never.
 *
 * @module
 */

import { ABSENT, describeCode } from "./codec.ts";
import { applySpec, describeResult, type SpecOp } from "./workload.ts";

/** One completed (or pending) call. */
export interface Operation {
  /** Who called it; one process has at most one op in flight. */
  process: number;
  op: SpecOp;
  key: number;
  /** The value id written (insert, put, getOrInsert); ignored otherwise. */
  value: number;
  /** What it returned (see {@link applySpec}); ignored while pending. */
  result: number;
  /** Timestamp drawn right before the call. */
  invoke: number;
  /** Timestamp drawn right after it returned; `Infinity` if it never did. */
  ret: number;
}

/** Why one key's sub-history is not linearizable. */
export interface Violation {
  key: number;
  message: string;
}

/** What {@link checkHistory} found. */
export interface CheckResult {
  ok: boolean;
  keys: number;
  operations: number;
  /** Configurations visited over all keys. */
  explored: number;
  violations: Violation[];
}

/** Options of {@link checkHistory}. */
export interface CheckOptions {
  /** State of a key before the history (default: absent). */
  initial?: (key: number) => number;
  /** Give up on a key after this many configurations (reported as a violation). */
  maxConfigurations?: number;
}

function describeOp(op: Operation): string {
  const args = op.op === "insert" || op.op === "put" || op.op === "getOrInsert"
    ? `(${describeCode(op.value)})`
    : "()";
  const result = op.ret === Infinity ? "pending" : `-> ${describeResult(op.op, op.result)}`;
  const ret = op.ret === Infinity ? "∞" : String(op.ret);
  return `p${op.process} ${op.op}${args} ${result} [${op.invoke}, ${ret}]`;
}

/**
 * Checks one key's sub-history (all ops must share one key). Returns the
 * number of configurations explored and, if it is not linearizable, why.
 */
export function checkKey(
  ops: readonly Operation[],
  initial: number = ABSENT,
  maxConfigurations = 2_000_000,
): { explored: number; violation?: string } {
  // Per process, ops in invocation order; check each process is sequential.
  const byProcess = new Map<number, Operation[]>();
  for (const op of ops) {
    let list = byProcess.get(op.process);
    if (list === undefined) byProcess.set(op.process, list = []);
    list.push(op);
  }
  const procs = [...byProcess.values()];
  for (const list of procs) {
    list.sort((a, b) => a.invoke - b.invoke);
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1]!, op = list[i]!;
      if (before.ret > op.invoke) {
        return {
          explored: 0,
          violation: `malformed history: ${describeOp(before)} overlaps ${
            describeOp(op)
          } of the same process`,
        };
      }
    }
  }
  const P = procs.length;
  const pos = new Int32Array(P);
  const lengths = procs.map((list) => list.length);
  let state = initial;
  const visited = new Set<string>();
  // The next op of process p; undefined once all of its ops are linearized (pos[p] = length).
  const nextOp = (p: number): Operation | undefined => procs[p]![pos[p]!];

  // Moves available from the current configuration: [process, next state].
  const moves = (): number[] => {
    let minRet = Infinity;
    for (let p = 0; p < P; p++) {
      const op = nextOp(p);
      if (op !== undefined) minRet = Math.min(minRet, op.ret);
    }
    const out: number[] = [];
    for (let p = 0; p < P; p++) {
      const op = nextOp(p);
      if (op === undefined || !(op.invoke < minRet)) continue;
      const [next, expected] = applySpec(state, op.op, op.value);
      if (op.ret !== Infinity && op.result !== expected) continue;
      out.push(p, next);
    }
    return out;
  };
  const complete = (): boolean => {
    for (let p = 0; p < P; p++) {
      const left = lengths[p]! - pos[p]!;
      if (left > 1 || (left === 1 && nextOp(p)!.ret !== Infinity)) return false;
    }
    return true;
  };

  // Iterative depth-first search; each frame holds the moves of one
  // configuration, the next one to try, and the state to restore.
  interface Frame {
    moves: number[];
    next: number;
    state: number;
    /** Process whose op led here (-1 at the root). */
    via: number;
  }
  const stack: Frame[] = [];
  let explored = 0;
  let deepest = -1;
  let deepestReport = "";
  let enter = true;
  let via = -1;
  for (;;) {
    if (enter) {
      if (complete()) return { explored };
      const memo = `${pos.join(",")}|${state}`;
      if (!visited.has(memo)) {
        visited.add(memo);
        if (++explored > maxConfigurations) {
          return {
            explored,
            violation: `gave up after ${maxConfigurations} configurations (inconclusive)`,
          };
        }
        let done = 0;
        for (let p = 0; p < P; p++) done += pos[p]!;
        if (done > deepest) {
          deepest = done;
          // Every list holds at least the op that created it.
          deepestReport = procs.map((list, p) => {
            const op = nextOp(p);
            return op !== undefined ? describeOp(op) : `p${list[0]!.process} done`;
          }).join("; ");
          deepestReport += ` — state ${describeCode(state)} after ${done} ops`;
        }
        stack.push({ moves: moves(), next: 0, state, via });
      } else if (via >= 0) {
        // Already explored: undo the move that led here (made from the frame on top).
        pos[via]!--;
        state = stack[stack.length - 1]!.state;
      }
    }
    const frame = stack[stack.length - 1];
    if (frame === undefined) break;
    if (frame.next < frame.moves.length) {
      // moves holds [process, next state] pairs.
      const p = frame.moves[frame.next]!;
      state = frame.moves[frame.next + 1]!;
      frame.next += 2;
      pos[p]!++;
      via = p;
      enter = true;
      continue;
    }
    // Exhausted: undo the move into this frame and resume the parent.
    stack.pop();
    if (frame.via >= 0) pos[frame.via]!--;
    const parent = stack[stack.length - 1];
    if (parent === undefined) break;
    state = parent.state;
    enter = false;
  }
  return {
    explored,
    violation: `no linearization; the longest linearizable prefix (${deepest} ops) ends at: ` +
      deepestReport,
  };
}

/** Checks a whole history key by key. */
export function checkHistory(ops: readonly Operation[], options: CheckOptions = {}): CheckResult {
  const byKey = new Map<number, Operation[]>();
  for (const op of ops) {
    let list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, list = []);
    list.push(op);
  }
  const violations: Violation[] = [];
  let explored = 0;
  for (const [key, list] of [...byKey].sort((a, b) => a[0] - b[0])) {
    const initial = options.initial?.(key) ?? ABSENT;
    const result = checkKey(list, initial, options.maxConfigurations);
    explored += result.explored;
    if (result.violation !== undefined) {
      violations.push({ key, message: `key ${key}: ${result.violation}` });
    }
  }
  return {
    ok: violations.length === 0,
    keys: byKey.size,
    operations: ops.length,
    explored,
    violations,
  };
}
