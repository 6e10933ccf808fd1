/**
 * Writer worker: attaches the shared list and runs one seeded op stream on
 * it (see {@link WriterTask}), checking what it can locally:
 *
 * - with `verify`, every result against a model of the worker's own keys
 *   (one writer per key, so every result is determined);
 * - every value read back (get, getOrInsert) against its checksum and key;
 * - in seal mode, that once a write is refused as sealed every kind of write
 *   on the old list is refused, then it asks for the fresh list and goes on.
 *
 * It records each call in the shared history log when given one, publishes
 * its progress after each op, and reports problems in its `done` message
 * rather than throwing, so the test sees all of them.
 *
 * @module
 */

import { BatchError, ConcurrentSkipList, InsertError, type SkipListHandle } from "../../../mod.ts";
import { type RacePoint, testHooks } from "../../../src/_testing.ts";
import {
  ABSENT,
  CORRUPT,
  decodeValue,
  describeCode,
  ERROR,
  FULL,
  INSERTED,
  KeyCodec,
  opOf,
  SEALED,
  stateOfRead,
  TOMBSTONE,
  ValueCodec,
} from "../support/codec.ts";
import { HistoryLog } from "../support/history.ts";
import {
  Control,
  type FromWorker,
  KILL,
  PARKED,
  PARKED_OP,
  RELEASE,
  type WriterTask,
} from "../support/protocol.ts";
import { deriveSeed, Rng } from "../support/rng.ts";
import { describeError, Problems, scope, timerTurn } from "../support/worker_scope.ts";
import {
  applySpec,
  describeResult,
  isWrite,
  type Op,
  OP_CODES,
  OpStream,
  specOpOf,
} from "../support/workload.ts";

/** Resolves with the handle of the next `fresh` message. */
let freshWaiter: ((handle: SkipListHandle) => void) | null = null;

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === "write") {
    const task = message;
    run(task).then(
      (done) => scope.postMessage(done),
      (error) =>
        scope.postMessage({ type: "failed", worker: task.worker, error: describeError(error) }),
    );
  } else if (message.type === "fresh") {
    const waiter = freshWaiter;
    freshWaiter = null;
    waiter?.(message.handle);
  }
};

const keys = new KeyCodec();
const values = new ValueCodec();

/** Calls `op` on `list`; returns its result code (see `applySpec`). */
function call(list: ConcurrentSkipList, op: Op, writer: number, problems: Problems): number {
  const key = keys.key(op.key);
  try {
    switch (op.op) {
      case "insert":
        return list.insert(key, values.value(writer, opOf(op.value), op.key)) ? 1 : 0;
      case "tryInsert":
        list.tryInsert(key, values.value(writer, opOf(op.value), op.key));
        return 1;
      case "getOrInsert": {
        const [value, inserted] = list.getOrInsert(
          key,
          values.value(writer, opOf(op.value), op.key),
        );
        return inserted ? INSERTED : decodeValue(value, op.key);
      }
      case "put":
        list.put(key, values.value(writer, opOf(op.value), op.key));
        return 1;
      case "delete":
        return list.delete(key) ? 1 : 0;
      case "tryDelete":
        return list.tryDelete(key) ? 1 : 0;
      case "get":
        return stateOfRead(list.get(key), op.key);
    }
  } catch (error) {
    if (error instanceof InsertError) {
      if (error.kind === "Sealed") return SEALED;
      if (error.kind === "OutOfMemory") return FULL;
      if (error.kind === "DuplicateKey") {
        // tryInsert on an existing key; getOrInsert on a tombstoned one.
        if (op.op === "tryInsert") return 0;
        if (op.op === "getOrInsert") return TOMBSTONE;
      }
    }
    problems.add(`${op.op}(key ${op.key}) threw ${describeError(error)}`);
    return ERROR;
  }
}

/** Checks that every kind of write on a sealed list is refused. */
function checkAllWritesRefused(list: ConcurrentSkipList, problems: Problems): void {
  const key = keys.key(0x7fff_0000).slice();
  const value = new Uint8Array([1, 2, 3]);
  const expectSealed = (what: string, action: () => void) => {
    try {
      action();
      problems.add(`${what} on the sealed list did not throw`);
    } catch (error) {
      if (!(error instanceof InsertError) || error.kind !== "Sealed") {
        problems.add(`${what} on the sealed list threw ${describeError(error)}, not Sealed`);
      }
    }
  };
  if (list.insert(key, value)) problems.add("insert on the sealed list returned true");
  if (list.delete(key)) problems.add("delete on the sealed list returned true");
  expectSealed("tryInsert", () => list.tryInsert(key, value));
  expectSealed("put", () => list.put(key, value));
  expectSealed("tryDelete", () => list.tryDelete(key));
  expectSealed("getOrInsert", () => list.getOrInsert(key, value));
  try {
    list.insertBatch([[key, value]]);
    problems.add("insertBatch on the sealed list did not throw");
  } catch (error) {
    if (!(error instanceof BatchError) || error.succeeded !== 0) {
      problems.add(`insertBatch on the sealed list threw ${describeError(error)}`);
    }
  }
  if (list.get(key) !== undefined) problems.add("a refused write is visible on the sealed list");
  if (!list.isSealed()) problems.add("isSealed() is false on a list that refuses writes");
}

/** A control word nobody writes, for {@link spin} to load. */
const SPIN_WORD = 15;

/** Spins `n` iterations of an atomic load (~10 ns each). */
function spin(i32: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) Atomics.load(i32, SPIN_WORD);
}

async function run(task: WriterTask): Promise<FromWorker> {
  const control = new Control(task.control);
  const log = task.log === null ? null : new HistoryLog(task.log);
  const problems = new Problems();
  const stream = new OpStream(task.workload, task.workers, task.worker, task.seed);
  let list = ConcurrentSkipList.attach(task.handle);
  /** Model of this worker's keys on the current list (with `verify`). */
  let model = new Map<number, number>();

  // Race windows: a seeded spin at the chosen points.
  const spinRng = new Rng(deriveSeed(task.seed, 500 + task.worker));
  const race = task.race;
  const raceHook = race === null ? null : (point: RacePoint) => {
    if (race.points.includes(point)) spin(control.i32, spinRng.below(race.maxSpin + 1));
  };
  testHooks.race = raceHook;
  testHooks.broken = task.broken;

  const park = task.park;
  let parked = false;
  let limit = task.afterSeal === null ? task.ops : Infinity;
  let sealedAt = -1;
  let i = 0;
  control.arriveAndWait();
  try {
    let op = stream.next();
    while (i < limit) {
      if (task.gated) control.awaitBudget(i);
      if (
        park !== null && !parked && i >= park.fromOp && isWrite(op.op) &&
        !model.has(op.key) && !(park.valuesOnly && specOpOf(op.op) === "delete")
      ) {
        parked = true;
        const index = i;
        testHooks.race = (point) => {
          if (point !== park.point) return raceHook?.(point);
          control.set(PARKED_OP, index);
          control.set(PARKED, 1);
          if (park.then === "die") {
            while (control.flag(KILL) === 0) Atomics.wait(control.i32, KILL, 0, 5);
            scope.close(); // ends the isolate here: the write never finishes
            throw new Error("still running after close()");
          }
          // Wait for RELEASE, or carry on by ourselves `maxMs` after the list
          // was seen sealed (a seal() that waits for this write blocks the
          // thread that would release it).
          let sealedSince = -1;
          while (control.flag(RELEASE) === 0) {
            if (sealedSince < 0 && list.isSealed()) sealedSince = performance.now();
            if (sealedSince >= 0 && performance.now() - sealedSince >= park.maxMs) break;
            Atomics.wait(control.i32, RELEASE, 0, 5);
          }
        };
      }
      const record = log === null ? -1 : log.begin(task.worker, OP_CODES[op.op], op.key, op.value);
      const result = call(list, op, task.worker, problems);
      if (log !== null) log.end(record, result);
      if (parked) testHooks.race = raceHook;

      if (result === SEALED) {
        if (task.afterSeal === null || sealedAt >= 0) {
          problems.add(`op ${i} ${op.op}(key ${op.key}) was refused as sealed`);
        } else {
          // The old list is sealed: every write on it must now fail. Then
          // continue on the fresh list, retrying this op there.
          sealedAt = i;
          checkAllWritesRefused(list, problems);
          const fresh = new Promise<SkipListHandle>((resolve) => freshWaiter = resolve);
          scope.postMessage({ type: "sealed", worker: task.worker, op: i });
          list = ConcurrentSkipList.attach(await fresh);
          model = new Map();
          limit = i + task.afterSeal;
          continue;
        }
      }
      if (task.verify) {
        const before = model.get(op.key) ?? ABSENT;
        const [after, expected] = applySpec(before, specOpOf(op.op), op.value);
        if (result !== expected) {
          problems.add(
            `op ${i} ${op.op}(key ${op.key}) returned ${
              describeResult(specOpOf(op.op), result)
            }, the model says ${describeResult(specOpOf(op.op), expected)} (state ${
              describeCode(before)
            })`,
          );
        }
        if (after !== ABSENT) model.set(op.key, after);
      } else if (result === ERROR || result === CORRUPT) {
        // Without a model, at least corrupt values and errors are problems.
        problems.add(`op ${i} ${op.op}(key ${op.key}) returned ${describeCode(result)}`);
      }
      i++;
      control.setProgress(task.worker, i);
      if (task.yieldEvery > 0 && i % task.yieldEvery === 0) await timerTurn();
      if (i < limit) op = stream.next();
    }
  } finally {
    testHooks.race = null;
    testHooks.broken = null;
  }
  return {
    type: "done",
    worker: task.worker,
    ops: i,
    sealedAt,
    passes: 0,
    seeks: 0,
    problems: problems.list,
    problemCount: problems.count,
  };
}
