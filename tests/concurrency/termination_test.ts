/**
 * A worker that dies while others write.
 *
 * Deno 2.9.6's `worker.terminate()` does not interrupt synchronous code: it
 * lands at the worker's next event-loop turn. So:
 *
 * - a writer that yields every 64 ops is terminated between two of its ops:
 *   the others go on reading and writing, the structure stays valid, `size`
 *   stays exact, and `seal()` is not held up;
 * - to kill a writer inside a write, it is parked there (a race hook spinning
 *   at "splice" or "stamp"), the main thread calls `terminate()` and raises
 *   KILL, and the parked worker calls `self.close()`, which in Deno 2.9.6
 *   ends the isolate on the spot without running `finally` blocks: exactly
 *   what a kill landing at that instruction does. Its in-flight announcement
 *   stays raised for good, so `seal({ timeoutMs })` must fail with
 *   SealError "Timeout" instead of hanging, and `seal({ force: true })` must
 *   then freeze the list.
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList, InsertError, SealError, type ValidationReport } from "../../mod.ts";
import { ABSENT, keyOf, ValueCodec, valueId } from "./support/codec.ts";
import { assertHolds, assertMatchesModel, assertValid, stateOf } from "./support/checks.ts";
import {
  type Agent,
  delay,
  report,
  runWriters,
  waitWhileHealthy,
  type WriterPlan,
} from "./support/harness.ts";
import {
  BUDGET,
  type Control,
  KILL,
  PARKED,
  PARKED_OP,
  type WriterTask,
} from "./support/protocol.ts";
import { SEEDS } from "./support/rng.ts";
import { modelAfter } from "./support/scenario.ts";
import { type Op, OpStream, type Workload } from "./support/workload.ts";

const WORKERS = 4;
/** The worker that dies; workers 0-2 survive. */
const DOOMED = 3;
/** The survivors write in stretches (gated), so the main thread can check at each pause. */
const STRETCH = 1_000;
const STRETCHES = 8;
const workload: Workload = {
  kind: "random",
  keys: 4_000,
  ownership: "own",
  mix: { insert: 3, tryInsert: 1, getOrInsert: 1, put: 3, delete: 2, tryDelete: 1, get: 2 },
};
/** Writer id of the values the main thread writes (outside the workers' ids). */
const MAIN_WRITER = 120;

/** The doomed worker's op number `index`. */
function doomedOp(seed: number, index: number): Op {
  const stream = new OpStream(workload, WORKERS, DOOMED, seed);
  for (let i = 0; i < index; i++) stream.next();
  return stream.next();
}

/**
 * After the kill: lets the survivors run all their stretches. While they
 * write, the main thread reads and writes keys of its own (recorded in
 * `extra`); at each pause it checks the structure with
 * `validate({ quiescent: false })` (the dead worker may have left a write
 * in flight). Returns the number of validations run.
 */
async function survive(
  list: ConcurrentSkipList,
  control: Control,
  agents: readonly Agent[],
  extra: Map<number, number>,
): Promise<number> {
  const survivors = agents.slice(0, DOOMED);
  const values = new ValueCodec();
  let validations = 0;
  for (let k = 1; k <= STRETCHES; k++) {
    control.set(BUDGET, k * STRETCH);
    for (let j = 0; j < 25; j++) {
      const key = workload.keys + extra.size; // beyond the workers' keys
      list.put(keyOf(key), values.value(MAIN_WRITER, extra.size, key));
      extra.set(key, valueId(MAIN_WRITER, extra.size));
      assert.equal(stateOf(list, key), extra.get(key));
    }
    await waitWhileHealthy(
      survivors,
      () => survivors.every((_, w) => control.progress(w) >= k * STRETCH),
      `the survivors finished stretch ${k}`,
    );
    list.validate({ quiescent: false });
    validations++;
  }
  return validations;
}

/** Survivors' tasks are gated; the doomed worker's task comes from `doomed`. */
function plan(list: ConcurrentSkipList, seed: number, doomed: Partial<WriterTask>): WriterPlan {
  return {
    list,
    seed,
    workload,
    workers: WORKERS,
    ops: STRETCHES * STRETCH,
    gated: true,
    verify: true,
    each: (worker) => worker === DOOMED ? { gated: false, ...doomed } : {},
  };
}

Deno.test("a worker terminated between writes leaves the list readable, writable and exact", async (t) => {
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      const list = new ConcurrentSkipList({ seed });
      const extra = new Map<number, number>();
      let killedAt = -1;
      const doomed = { ops: 10_000_000, yieldEvery: 64 };
      const run = await runWriters(plan(list, seed, doomed), async ({ agents, control }) => {
        control.set(BUDGET, STRETCH); // the survivors write while the doomed one is killed
        await waitWhileHealthy(
          agents,
          () => control.progress(DOOMED) >= 1_500,
          "the doomed worker is well into its writes",
        );
        agents[DOOMED]!.terminate();
        // It stops at its next event-loop turn: wait until its progress has
        // held still for 300 ms.
        let last = -1;
        let since = Date.now();
        await waitWhileHealthy(agents, () => {
          const now = control.progress(DOOMED);
          if (now !== last) [last, since] = [now, Date.now()];
          return Date.now() - since >= 300;
        }, "the terminated worker stopped");
        killedAt = last;
        return await survive(list, control, agents, extra);
      });
      const { done, result: validations } = run;
      assert.ok(killedAt >= 1_500 && killedAt < 10_000_000);
      const model = modelAfter(workload, seed, [...done.map((d) => d.ops), killedAt]);
      for (const [key, state] of extra) model.set(key, state);
      // Quiescent now: it died between writes, so nothing is left in flight.
      const structure = assertHolds(list, model, workload.keys, "list after the kill");
      // Nothing holds seal() up.
      const [frozen] = list.seal({ timeoutMs: 10_000 });
      assert.equal(frozen.size, structure.liveEntries);
      assertValid(frozen, "frozen memtable");
      report("terminated between writes", {
        seed,
        workers: WORKERS,
        ops: done.reduce((sum, d) => sum + d.ops, killedAt),
        killedAfter: killedAt,
        validationsAfterKill: validations,
      });
    });
  }
});

/** What a kill inside a write left behind. */
interface KillRun {
  list: ConcurrentSkipList;
  /** `validate({ quiescent: false })` after the survivors finished. */
  structure: ValidationReport;
  model: Map<number, number>;
  killed: Op;
  killedAt: number;
  ops: number;
  validations: number;
}

/**
 * Parks the doomed worker inside a write of a value to a new key, at
 * `point`, kills it there, lets the survivors finish, and checks the list
 * reads exactly as the completed writes say (plus the killed one, if it
 * died after linking).
 */
async function killInsideWrite(seed: number, point: "splice" | "stamp"): Promise<KillRun> {
  const list = new ConcurrentSkipList({ seed });
  const extra = new Map<number, number>();
  let killedAt = -1;
  const doomed: Partial<WriterTask> = {
    ops: 1_000_000,
    park: { fromOp: 300, point, then: "die", maxMs: 0, valuesOnly: true },
  };
  const run = await runWriters(plan(list, seed, doomed), async ({ agents, control }) => {
    control.set(BUDGET, STRETCH);
    await waitWhileHealthy(agents, () => control.flag(PARKED) === 1, "the writer is parked");
    killedAt = control.flag(PARKED_OP);
    agents[DOOMED]!.terminate();
    control.set(KILL, 1); // the parked worker ends itself on the spot
    await delay(50);
    assert.equal(control.progress(DOOMED), killedAt, "the killed write completed");
    return await survive(list, control, agents, extra);
  });
  const { done, result: validations } = run;
  const killed = doomedOp(seed, killedAt);
  // Linked (and visible to everyone) if it died after linking.
  const model = modelAfter(workload, seed, [
    ...done.map((d) => d.ops),
    killedAt + (point === "stamp" ? 1 : 0),
  ]);
  for (const [key, state] of extra) model.set(key, state);
  assert.equal(stateOf(list, killed.key), model.get(killed.key) ?? ABSENT);
  assertMatchesModel(list, model, workload.keys, "list after the kill");
  const structure = list.validate({ quiescent: false });
  const ops = done.reduce((sum, d) => sum + d.ops, killedAt);
  return { list, structure, model, killed, killedAt, ops, validations };
}

Deno.test("a worker killed inside a write: seal() times out instead of hanging, then seal({ force: true }) freezes the list", async (t) => {
  for (const seed of SEEDS) {
    for (const point of ["splice", "stamp"] as const) {
      await t.step(`seed ${seed.toString(16)}, killed at "${point}"`, async () => {
        const run = await killInsideWrite(seed, point);
        const list = run.list;
        // Its announcement stays counted: validate() allows the lag that one
        // unfinished write can leave, and reports it.
        const live = list.validate();
        assert.equal(live.writesInFlight, 1);
        assert.ok(live.statisticsLag <= 1 && live.pendingStamps <= 1);

        // seal() gives up instead of hanging; the list stays sealed.
        assert.throws(
          () => list.seal({ timeoutMs: 200 }),
          (error) => error instanceof SealError && error.kind === "Timeout",
        );
        assert.ok(list.isSealed());
        const key = keyOf(0x7fff_0002);
        assert.equal(list.insert(key, key), false);
        assert.throws(
          () => list.tryInsert(key, key),
          (error) => error instanceof InsertError && error.kind === "Sealed",
        );
        // Waiting again times out again; forcing freezes it as it is.
        assert.throws(
          () => list.seal({ timeoutMs: 20 }),
          (error) => error instanceof SealError && error.kind === "Timeout",
        );
        const [frozen, fresh] = list.seal({ force: true });
        assert.throws(
          () => list.seal(),
          (error) => error instanceof SealError && error.kind === "AlreadySealed",
        );
        // Exact: the forced seal recounted.
        const frozenStructure = assertHolds(frozen, run.model, workload.keys, "frozen memtable");
        assert.equal(frozenStructure.liveEntries, run.structure.liveEntries);
        assert.ok(fresh.insert(key, key));
        assert.deepEqual(fresh.getLive(key), key);
        assertValid(fresh, "fresh list");
        report("killed inside a write", {
          seed,
          point,
          workers: WORKERS,
          ops: run.ops,
          killedOp: `${run.killed.op}#${run.killedAt}`,
          validationsAfterKill: run.validations,
        });
      });
    }
  }
});

// Guards the accounting done by whoever commits a write's stamp, not by its writer after the link.
Deno.test("a worker killed after linking a new key leaves size equal to the live entries, on the list and on its force-sealed memtable", async (t) => {
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      const run = await killInsideWrite(seed, "stamp");
      assert.equal(
        run.list.size,
        run.structure.liveEntries,
        `size is ${run.list.size} but ${run.structure.liveEntries} keys are live ` +
          `(the killed write was ${run.killed.op}(key ${run.killed.key}), a new key)`,
      );
      const [frozen] = run.list.seal({ force: true });
      assertValid(frozen, "force-sealed memtable");
    });
  }
});
