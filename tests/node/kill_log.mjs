/**
 * A writer's acknowledgement log: an Int32Array over a SharedArrayBuffer of
 * its own, which the main thread reads after killing the writer.
 *
 * For its op number n the writer (1) writes record n (op, kind, key id) with
 * plain stores, (2) `Atomics.store`s STARTED = n + 1, (3) calls the write,
 * (4) writes the result into record n, (5) `Atomics.store`s ACKED = n + 1.
 * A kill can land anywhere, so once the writer is dead:
 *
 * - records 0 .. ACKED - 1 are writes that returned, each with its result
 *   (an `Atomics.load` of ACKED makes the plain stores before it visible);
 * - if STARTED = ACKED + 1, record ACKED is the one write that may have been
 *   in flight (anywhere from before the call to after its return); if
 *   STARTED = ACKED, the writer died between two writes.
 */

/** Word: ops begun (stored before each write is called). */
export const STARTED = 0;
/** Word: ops acknowledged (stored after each write returned and its result was recorded). */
export const ACKED = 1;
/** Word: set by the main thread to make a writer stop after its current op. */
export const STOP = 2;
/** Word: set by a writer that stopped because its log was full (it then was not killed mid-loop). */
export const FULL = 3;
/** Words before the first record (the header on a cache line of its own). */
const HEADER = 16;
/** Words per record. */
const RECORD = 4;
/** Record fields. */
const OP = 0;
const KIND = 1;
const KEY = 2;
const RESULT = 3;

/** Record kind: `insert(key, value)` (result 1 when it returned true). */
export const INSERT = 1;
/** Record kind: `put(key, value)` (result 1: it returned). */
export const PUT = 2;
/** Record kind: `delete(key)` (result 1 when it returned true). */
export const DELETE = 3;

/** Result of a record whose write has not returned. */
const NO_RESULT = -1;

/** Name of a record kind. */
export function kindName(kind) {
  return kind === INSERT ? "insert" : kind === PUT ? "put" : kind === DELETE ? "delete" : "?";
}

/** A fresh log with room for `capacity` records. */
export function createLog(capacity) {
  return new Int32Array(new SharedArrayBuffer((HEADER + capacity * RECORD) * 4));
}

/** Records a log of `log.length` words has room for. */
export function capacityOf(log) {
  return (log.length - HEADER) / RECORD;
}

/** Steps (1) and (2): record `n` is about to be written. */
export function begin(log, n, kind, key) {
  const at = HEADER + n * RECORD;
  log[at + OP] = n;
  log[at + KIND] = kind;
  log[at + KEY] = key;
  log[at + RESULT] = NO_RESULT;
  Atomics.store(log, STARTED, n + 1); // publishes the record before the call
}

/** Steps (4) and (5): record `n` returned `result`. */
export function acknowledge(log, n, result) {
  log[HEADER + n * RECORD + RESULT] = result;
  Atomics.store(log, ACKED, n + 1); // after the write returned: the main thread may count it
}

/**
 * What a stopped (or dead) writer's log says: its acknowledged records, and
 * the one record it may have left in flight (`null` when it stopped between
 * two writes).
 */
export function readLog(log) {
  const acked = Atomics.load(log, ACKED);
  const started = Atomics.load(log, STARTED);
  if (started !== acked && started !== acked + 1) {
    throw new Error(
      `a writer's log is inconsistent: ${started} ops started, ${acked} acknowledged`,
    );
  }
  const record = (n) => {
    const at = HEADER + n * RECORD;
    if (log[at + OP] !== n) {
      throw new Error(`record ${n} of a writer's log names op ${log[at + OP]}`);
    }
    return { op: n, kind: log[at + KIND], key: log[at + KEY] >>> 0, result: log[at + RESULT] };
  };
  const records = [];
  for (let n = 0; n < acked; n++) records.push(record(n));
  return {
    acked,
    records,
    inFlight: started === acked + 1 ? record(acked) : null,
    full: Atomics.load(log, FULL) === 1,
  };
}
