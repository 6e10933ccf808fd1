/**
 * Reader worker: walks and seeks the live list while writers write, until
 * the control block's STOP flag is raised, and checks the weak-consistency
 * contract of iterators and cursors:
 *
 * - keys come in strictly ascending order (never backwards, never twice);
 * - no key that existed when the walk or seek started is skipped;
 * - every value read is intact (checksum, and written for that key).
 *
 * A key "existed" when a write of it had completed before the walk started:
 * the reader regenerates every writer's op stream (same seeds) up to the
 * progress the writers published, read right before the walk. Tombstones
 * are yielded too, so a key never drops out once its node exists.
 *
 * With `walks: "ranges"` it walks backwards and runs bounded ranges instead,
 * with the same checks mirrored (see `support/range_walks.ts`).
 *
 * @module
 */

import { ConcurrentSkipList, type Cursor, type Entry } from "../../../mod.ts";
import { CORRUPT, decodeValue, KeyCodec, keyIdOf } from "../support/codec.ts";
import { Control, type FromWorker, type ReaderTask, STOP } from "../support/protocol.ts";
import { deriveSeed, Rng } from "../support/rng.ts";
import { rangeWalks } from "../support/range_walks.ts";
import { describeError, makeYield, Problems, scope } from "../support/worker_scope.ts";
import { isWrite, OpStream } from "../support/workload.ts";

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type !== "read") return;
  run(message).then(
    (done) => scope.postMessage(done),
    (error) =>
      scope.postMessage({ type: "failed", worker: message.reader, error: describeError(error) }),
  );
};

async function run(task: ReaderTask): Promise<FromWorker> {
  const list = ConcurrentSkipList.attach(task.handle);
  const control = new Control(task.control);
  const problems = new Problems();
  const rng = new Rng(deriveSeed(task.seed, 900 + task.reader));
  const keyCount = task.workload.keys;
  const codec = new KeyCodec();
  const pause = makeYield();

  // Keys known to exist (a completed write created their node).
  const existed = new Uint8Array(keyCount);
  const existing: number[] = [];
  const note = (key: number) => {
    if (existed[key] === 0) {
      existed[key] = 1;
      existing.push(key);
    }
  };
  for (const key of task.preloaded) note(key);
  const streams: OpStream[] = [];
  for (let w = 0; w < task.writers; w++) {
    streams.push(new OpStream(task.workload, task.writers, w, task.writerSeed));
  }
  /** Marks what every writer had completed by now. */
  const catchUp = () => {
    const progress = control.progressAll();
    for (let w = 0; w < task.writers; w++) {
      const stream = streams[w]!, completed = progress[w]!; // one of each per writer
      while (stream.index < completed) {
        const op = stream.next();
        if (isWrite(op.op)) note(op.key);
      }
    }
  };
  /** The first existing key id in [from, to), or -1. */
  const existingIn = (from: number, to: number): number => {
    for (let key = Math.max(0, from); key < Math.min(to, keyCount); key++) {
      if (existed[key] === 1) return key;
    }
    return -1;
  };
  /** Checks one entry read by a walk; returns its key id. */
  const checkEntry = (entry: Entry, what: string): number => {
    const id = keyIdOf(entry.key);
    if (id < 0 || id >= keyCount) {
      problems.add(`${what} yielded a key that no writer writes: [${entry.key}]`);
      return -1;
    }
    if (entry.isTombstone ? entry.value.length !== 0 : decodeValue(entry.value, id) === CORRUPT) {
      problems.add(`${what} yielded a corrupt value for key ${id}`);
    }
    return id;
  };

  const seen = new Int32Array(keyCount);
  control.arriveAndWait();
  let passes = 0;
  let seeks = 0;
  let reads = 0;

  /** A full walk with `iter()` or with a cursor's `nextEntry()`. */
  const walk = (useCursor: boolean) => {
    catchUp(); // before the walk starts: these keys must all be met
    const pass = ++passes;
    const what = useCursor ? `cursor walk ${pass}` : `iteration ${pass}`;
    let previous = -1;
    const visit = (entry: Entry) => {
      reads++;
      const id = checkEntry(entry, what);
      if (id < 0) return;
      if (id <= previous) {
        problems.add(`${what} went ${id === previous ? "twice over" : "backwards to"} key ${id}`);
      }
      previous = id;
      seen[id] = pass;
    };
    if (useCursor) {
      const cursor = list.cursor();
      while (cursor.nextEntry()) visit(cursor.entry()!);
      if (cursor.valid()) problems.add(`${what}: cursor still valid past the end`);
    } else {
      for (const entry of list.iter()) visit(entry);
    }
    let missing = 0;
    for (const key of existing) {
      if (seen[key] !== pass) {
        if (missing++ < 3) {
          problems.add(`${what} skipped key ${key}, which existed when it started`);
        }
      }
    }
  };

  /** Checks that the cursor is on the first key >= target among those that existed. */
  const checkLanding = (cursor: Cursor | undefined, target: number, what: string): number => {
    if (cursor === undefined || !cursor.valid()) {
      const skipped = existingIn(target, keyCount);
      if (skipped >= 0) problems.add(`${what} found nothing, but key ${skipped} existed`);
      return -1;
    }
    const id = checkEntry(cursor.entry()!, what);
    if (id < 0) return -1;
    if (id < target) problems.add(`${what} landed on key ${id}, below its target ${target}`);
    const skipped = existingIn(target, id);
    if (skipped >= 0) problems.add(`${what} landed on key ${id}, skipping key ${skipped}`);
    return id;
  };

  /** Seeks (cursorAt, then cursor.seek), each followed by a few steps. */
  const seekRound = () => {
    for (let n = 0; n < 64; n++) {
      catchUp();
      seeks++;
      const target = rng.below(keyCount);
      const bytes = rng.below(2) === 0 ? codec.prefix(target) : codec.key(target);
      const what = `seek ${seeks} to key ${target}`;
      const cursor = list.cursorAt(bytes);
      let at = checkLanding(cursor, target, what);
      if (cursor === undefined) continue;
      // Step on: strictly ascending, nothing that existed skipped in between.
      for (let step = 0; step < 8 && at >= 0; step++) {
        reads++;
        if (!cursor.nextEntry()) {
          const skipped = existingIn(at + 1, keyCount);
          if (skipped >= 0) problems.add(`${what}: ran off the end, skipping key ${skipped}`);
          break;
        }
        const id = checkEntry(cursor.entry()!, what);
        if (id <= at) problems.add(`${what}: stepped backwards from ${at} to ${id}`);
        const skipped = existingIn(at + 1, id);
        if (skipped >= 0) problems.add(`${what}: stepped from ${at} to ${id}, skipping ${skipped}`);
        at = id;
      }
      // Seek the same cursor again, possibly backwards.
      catchUp();
      const again = rng.below(keyCount);
      cursor.seek(codec.key(again));
      checkLanding(cursor, again, `${what}, then seek to ${again}`);
    }
  };

  // Reverse and bounded walks (walks: "ranges"), with the same idea of "existed".
  const counts = { passes: 0, seeks: 0, reads: 0 };
  const ranges = rangeWalks(
    { list, codec, rng, keyCount, existed, existing, catchUp, checkEntry, problems },
    counts,
  );

  let roundsDuringWrites = 0;
  for (let round = 0;; round++) {
    const stop = control.flag(STOP) === 1;
    if (!stop) roundsDuringWrites++;
    const mode = rng.below(3);
    if (task.walks === "ranges") {
      // In turn, a reverse walk first: every round kind runs during the
      // writes as soon as three rounds do.
      const kind = round % 3;
      if (kind === 0) ranges.reverseWalk(round % 2 === 0);
      else if (kind === 1) ranges.boundedRound();
      else ranges.forPrevRound();
    } else if (mode === 0) walk(false);
    else if (mode === 1) walk(true);
    else seekRound();
    if (stop && passes + counts.passes >= 2) break; // a last round after the writers finished
    if (round % 4 === 3) await pause();
  }
  passes += counts.passes;
  seeks += counts.seeks;
  reads += counts.reads;
  return {
    type: "done",
    worker: task.reader,
    ops: reads + seeks,
    sealedAt: -1,
    passes,
    seeks,
    roundsDuringWrites,
    problems: problems.list,
    problemCount: problems.count,
  };
}
