/**
 * A shared history log: every worker records `{op, key, value, result,
 * tInvoke, tReturn}` for each call into its own segment of one
 * SharedArrayBuffer; timestamps come from one shared `Atomics.add` clock, so
 * "a returned before b was invoked" is exactly `a.ret < b.invoke`.
 *
 * A record is published (count raised) at invocation, so the op of a worker
 * killed mid-call stays in the log as pending (`ret` 0).
 *
 * @module
 */

import type { Operation } from "./linearizability.ts";
import { OP_NAMES, specOpOf } from "./workload.ts";

const LINE = 16;
/** Word of the shared clock (its own cache line). */
const CLOCK = 0;
const WORKERS = LINE;
const CAPACITY = LINE + 1;
/** First per-worker count line. */
const COUNTS = 2 * LINE;

const REC_OP = 0;
const REC_KEY = 1;
const REC_VALUE = 2;
const REC_RESULT = 3;
const REC_INVOKE = 4;
const REC_RETURN = 5;
const REC_WORDS = 6;

/** One shared log. */
export class HistoryLog {
  readonly buffer: SharedArrayBuffer;
  readonly #i32: Int32Array;
  readonly workers: number;
  readonly capacity: number;
  readonly #records: number;

  /** A new, empty log for `workers` workers of up to `capacity` ops each. */
  static create(workers: number, capacity: number): HistoryLog {
    const records = COUNTS + workers * LINE;
    const buffer = new SharedArrayBuffer(4 * (records + workers * capacity * REC_WORDS));
    const i32 = new Int32Array(buffer);
    i32[CLOCK] = 1; // 0 means "not returned yet"
    i32[WORKERS] = workers;
    i32[CAPACITY] = capacity;
    return new HistoryLog(buffer);
  }

  /** Opens a log made by {@link HistoryLog.create} (in any agent). */
  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.#i32 = new Int32Array(buffer);
    // The header words exist in every buffer create() makes.
    this.workers = this.#i32[WORKERS]!;
    this.capacity = this.#i32[CAPACITY]!;
    this.#records = COUNTS + this.workers * LINE;
  }

  /** A timestamp after every timestamp drawn so far. */
  tick(): number {
    return Atomics.add(this.#i32, CLOCK, 1);
  }

  /**
   * Records the invocation of an op by `worker`; returns the record index for
   * {@link HistoryLog.end}. The invocation timestamp is drawn last, right
   * before the caller makes the call.
   */
  begin(worker: number, opCode: number, key: number, value: number): number {
    const i32 = this.#i32;
    const count = Atomics.load(i32, COUNTS + worker * LINE);
    if (count >= this.capacity) throw new Error(`history log full for worker ${worker}`);
    const at = this.#records + (worker * this.capacity + count) * REC_WORDS;
    i32[at + REC_OP] = opCode;
    i32[at + REC_KEY] = key;
    i32[at + REC_VALUE] = value;
    Atomics.store(i32, at + REC_RETURN, 0);
    Atomics.store(i32, at + REC_INVOKE, Atomics.add(i32, CLOCK, 1));
    Atomics.store(i32, COUNTS + worker * LINE, count + 1);
    return at;
  }

  /** Records the result of the op at `record`, then its return timestamp. */
  end(record: number, result: number): void {
    const i32 = this.#i32;
    const ret = Atomics.add(i32, CLOCK, 1);
    Atomics.store(i32, record + REC_RESULT, result);
    Atomics.store(i32, record + REC_RETURN, ret);
  }

  /** Ops recorded by `worker`. */
  count(worker: number): number {
    return Atomics.load(this.#i32, COUNTS + worker * LINE);
  }

  /** Every recorded op, as checker input (pending ops get `ret = Infinity`). */
  operations(): Operation[] {
    const i32 = this.#i32;
    const out: Operation[] = [];
    for (let worker = 0; worker < this.workers; worker++) {
      const count = this.count(worker);
      for (let n = 0; n < count; n++) {
        const at = this.#records + (worker * this.capacity + n) * REC_WORDS;
        const ret = Atomics.load(i32, at + REC_RETURN);
        const code = i32[at + REC_OP]!;
        const op = OP_NAMES[code];
        if (op === undefined) {
          throw new Error(`history: op ${n} of worker ${worker} has an unknown op code ${code}`);
        }
        out.push({
          process: worker,
          op: specOpOf(op),
          key: i32[at + REC_KEY]!,
          value: i32[at + REC_VALUE]!,
          result: Atomics.load(i32, at + REC_RESULT),
          invoke: Atomics.load(i32, at + REC_INVOKE),
          ret: ret === 0 ? Infinity : ret,
        });
      }
    }
    return out;
  }
}
