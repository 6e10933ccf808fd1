/**
 * `seal()` on the main thread while 4 workers write: the frozen memtable
 * holds exactly the writes that returned success on the old list, every
 * write on the old list after the seal is refused (`false` / InsertError
 * "Sealed"), and the workers carry on, on the fresh list whose handle they
 * receive by postMessage. A deliberately broken seal that does not wait for
 * writes in flight (`testHooks.broken = "seal-no-wait"`) is caught.
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList, type FrozenMemtable, InsertError } from "../../mod.ts";
import { testHooks } from "../../src/_testing.ts";
import { keyOf } from "./support/codec.ts";
import { assertHolds, type PlainEntry, readAll } from "./support/checks.ts";
import { type Agent, report, runWriters, waitWhileHealthy } from "./support/harness.ts";
import { type Control, type Park, PARKED, PARKED_OP, RELEASE } from "./support/protocol.ts";
import { SEEDS } from "./support/rng.ts";
import { modelAfter } from "./support/scenario.ts";
import { Replayer, type Workload } from "./support/workload.ts";

const WORKERS = 4;
/** Ops each worker runs on the fresh list after the seal. */
const AFTER_SEAL = 1_500;

// Only the throwing variants, so that a refusal is told from a no-op:
// `delete` of an absent key returns false whether it was sealed or not.
const workload: Workload = {
  kind: "random",
  keys: 4_000,
  ownership: "own",
  mix: { tryInsert: 3, getOrInsert: 1, put: 3, tryDelete: 2, get: 2 },
};

/** What a sealing run produced. */
interface SealRun {
  frozen: FrozenMemtable;
  fresh: ConcurrentSkipList;
  /** The frozen memtable read right after `seal()` returned. */
  atSeal: PlainEntry[];
  /** Per worker: index of its first write refused as sealed. */
  sealedAt: number[];
  ops: number;
}

/**
 * Runs the workers until `beforeSeal` resolves, seals from the main thread, hands
 * every worker the fresh list when it reports its first refused write, and
 * waits for all of them.
 */
async function sealDuringWrites(
  seed: number,
  park: Park | null,
  beforeSeal: (control: Control, agents: Agent[]) => Promise<void>,
): Promise<SealRun> {
  const list = new ConcurrentSkipList({ seed });
  const { done, result } = await runWriters({
    list,
    seed,
    workload,
    workers: WORKERS,
    ops: 0,
    afterSeal: AFTER_SEAL,
    verify: true,
    race: { points: ["splice", "stamp"], maxSpin: 100 },
    each: (worker) => ({ park: worker === 0 ? park : null }),
  }, async ({ agents, control }) => {
    await beforeSeal(control, agents);
    const [frozen, fresh] = list.seal();
    const atSeal = readAll(frozen, "frozen memtable right after seal()");
    control.set(RELEASE, 1);
    // The old list refuses writes from here too (the workers check every
    // method when they meet their first refusal).
    const key = keyOf(0x7fff_0001);
    assert.equal(list.insert(key, key), false);
    assert.throws(() => list.put(key, key), (e) => e instanceof InsertError && e.kind === "Sealed");
    assert.ok(list.isSealed());
    // Each worker reports its first refused write and gets the fresh list.
    const sealedAt: number[] = [];
    for (const agent of agents) {
      const notice = await agent.receive("sealed");
      sealedAt[notice.worker] = notice.op;
      agent.send({ type: "fresh", handle: fresh.share() });
    }
    return { frozen, fresh, atSeal, sealedAt };
  });
  let ops = 0;
  for (const writer of done) {
    assert.equal(writer.sealedAt, result.sealedAt[writer.worker]);
    ops += writer.ops;
  }
  return { ...result, ops };
}

/** The fresh list's model: each worker's ops from its first refused one on, from empty. */
function freshModel(seed: number, sealedAt: readonly number[]): Map<number, number> {
  const model = new Map<number, number>();
  sealedAt.forEach((from, worker) => {
    const replay = new Replayer(workload, WORKERS, worker, seed, model);
    replay.skipTo(from);
    replay.advanceTo(from + AFTER_SEAL);
  });
  return model;
}

/** Whether `atSeal` is exactly the old list's writes that succeeded; else why not. */
function frozenMismatch(run: SealRun, seed: number): string | null {
  const model = modelAfter(workload, seed, run.sealedAt);
  const expected = [...model].sort((a, b) => a[0] - b[0]);
  const have = new Map(run.atSeal);
  const missing = expected.filter(([key, state]) => have.get(key) !== state);
  const want = new Map(expected);
  const extra = run.atSeal.filter(([key]) => !want.has(key));
  if (missing.length === 0 && extra.length === 0) return null;
  return `${missing.length} successful writes missing or different (first: key ${
    missing[0]?.[0]
  }), ${extra.length} extra keys`;
}

Deno.test("seal() during writes freezes exactly the writes that succeeded; writers continue on the fresh list", async (t) => {
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      const run = await sealDuringWrites(seed, null, async (control, agents) => {
        // Seal amid the writes: every worker has written a good while.
        await waitWhileHealthy(
          agents,
          () => control.progressAll().every((p) => p >= 2_000),
          "every worker ran 2,000 ops",
        );
      });
      assert.ok(run.sealedAt.every((at) => at >= 2_000), `sealed at ${run.sealedAt}`);
      assert.equal(frozenMismatch(run, seed), null);
      // The frozen memtable never changes, and gets agree with iteration.
      const model = modelAfter(workload, seed, run.sealedAt);
      assertHolds(run.frozen, model, workload.keys, "frozen memtable");
      assert.deepEqual(readAll(run.frozen, "frozen memtable, later"), run.atSeal);
      // The fresh list holds exactly what the workers wrote after their switch.
      assertHolds(run.fresh, freshModel(seed, run.sealedAt), workload.keys, "fresh list");
      report("seal during writes", {
        seed,
        workers: WORKERS,
        ops: run.ops,
        sealedAt: run.sealedAt.join("/"),
        frozenKeys: run.atSeal.length,
      });
    });
  }
});

Deno.test("seal() waits for a write in flight; a seal that does not wait (seal-no-wait) is caught", async (t) => {
  // Worker 0 parks inside a write of a new key, after the seal handshake
  // (it announced itself and saw the list open) and before linking: its
  // write is in flight when seal() is called. Against the correct seal() it
  // resumes by itself 100 ms after it sees the list sealed (seal() blocks the
  // main thread until the write finishes, so nobody else could release it);
  // against the broken one only when the main thread has read the frozen
  // memtable and releases it, so the outcome never depends on timing.
  const park = (variant: string): Park => ({
    fromOp: 500,
    point: "splice",
    then: "continue",
    maxMs: variant === "correct" ? 100 : Infinity,
    valuesOnly: false,
  });
  for (const seed of SEEDS) {
    for (const variant of ["correct", "seal-no-wait"] as const) {
      await t.step(`seed ${seed.toString(16)}, ${variant}`, async () => {
        let parkedOp = -1;
        const run = await sealDuringWrites(seed, park(variant), async (control, agents) => {
          await waitWhileHealthy(agents, () => control.flag(PARKED) === 1, "worker 0 is parked");
          parkedOp = control.flag(PARKED_OP);
          testHooks.broken = variant === "correct" ? null : "seal-no-wait";
        }).finally(() => testHooks.broken = null);
        // The parked write had passed the seal check: it succeeded on the old
        // list (the worker's first refused write comes after it).
        const sealedAt = run.sealedAt[0];
        assert.ok(
          sealedAt !== undefined && sealedAt > parkedOp,
          `sealed at ${sealedAt}, parked at ${parkedOp}`,
        );
        const mismatch = frozenMismatch(run, seed);
        if (variant === "correct") {
          assert.equal(mismatch, null);
          const later = readAll(run.frozen, "frozen memtable, after the workers finished");
          assert.deepEqual(later, run.atSeal, "the frozen memtable changed after seal() returned");
        } else {
          // The broken seal returned while the write was in flight: the
          // write reported success but was missing when seal() returned. (It
          // then lands in the "frozen" memtable, which frozen readers assume
          // never changes, so the memtable is not read again here.)
          assert.notEqual(mismatch, null, "the seal-no-wait variant went unnoticed");
        }
        report("seal with a write in flight", {
          seed,
          variant,
          workers: WORKERS,
          ops: run.ops,
          parkedOp,
          detected: mismatch ?? "nothing",
        });
      });
    }
  }
});
