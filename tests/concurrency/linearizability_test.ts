/**
 * Linearizability of concurrent insert / put / delete / get from real
 * Workers: every call is recorded in a shared log with timestamps from one
 * atomic clock, and each key's sub-history is checked against the sequential
 * specification (support/linearizability.ts). The race hooks widen the
 * windows between search, link and commit stamp; a deliberately broken
 * variant (`blind-link`) shows the checks catch a broken protocol.
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { KeyCodec } from "./support/codec.ts";
import { HistoryLog } from "./support/history.ts";
import { assertValid, stateOf } from "./support/checks.ts";
import { report, runWriters } from "./support/harness.ts";
import { checkHistory, type Operation } from "./support/linearizability.ts";
import type { RaceSpin } from "./support/protocol.ts";
import { SEEDS } from "./support/rng.ts";
import type { Workload } from "./support/workload.ts";

const WORKERS = 4;

/**
 * Runs `workload` on a fresh list from 4 writers recording into one log,
 * appends a final `get` of every key (made after all writers finished, so
 * the final state must be the end of some linearization), checks it.
 */
async function runAndCheck(
  seed: number,
  workload: Workload,
  ops: number,
  race: (worker: number) => RaceSpin | null,
): Promise<{ history: Operation[]; list: ConcurrentSkipList }> {
  const list = new ConcurrentSkipList({ seed, arenaBytes: 256 * 1024 });
  const log = HistoryLog.create(WORKERS, ops);
  await runWriters({
    list,
    log,
    seed,
    workload,
    workers: WORKERS,
    ops,
    each: (worker) => ({ race: race(worker) }),
  });
  const history = log.operations();
  assert.equal(history.length, WORKERS * ops);
  assert.ok(history.every((op) => op.ret !== Infinity), "an op never returned");
  // The final state, read after everything returned: a sequential observer.
  const codec = new KeyCodec();
  for (let key = 0; key < workload.keys; key++) {
    const invoke = log.tick();
    const state = stateOf(list, key, codec);
    history.push({
      process: WORKERS,
      op: "get",
      key,
      value: 0,
      result: state,
      invoke,
      ret: log.tick(),
    });
  }
  const check = checkHistory(history);
  assert.ok(
    check.ok,
    `${check.violations.length} keys are not linearizable:\n${
      check.violations.slice(0, 3).map((v) => v.message).join("\n")
    }`,
  );
  assertValid(list, "list after the history");
  return { history, list };
}

Deno.test("hot keys under mixed insert, put, delete and get stay linearizable", async (t) => {
  const workload: Workload = {
    kind: "random",
    keys: 8,
    ownership: "shared",
    mix: { insert: 3, tryInsert: 1, getOrInsert: 1, put: 3, delete: 2, tryDelete: 1, get: 4 },
  };
  const ops = 20_000;
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      const { history } = await runAndCheck(seed, workload, ops, () => null);
      // The history really is concurrent on these keys.
      const overlapping = countOverlaps(history);
      assert.ok(overlapping > 0, "no two ops on one key overlapped: nothing was tested");
      report("hot keys", {
        seed,
        workers: WORKERS,
        ops: WORKERS * ops,
        overlappingPairs: overlapping,
      });
    });
  }
});

Deno.test("histories recorded under widened race windows are linearizable", async (t) => {
  // Workers 0-2 spin a seeded 0-3 µs at the race points; worker 3 runs flat out.
  const spin = (worker: number): RaceSpin | null =>
    worker < 3 ? { points: ["splice", "link", "stamp"], maxSpin: 300 } : null;
  const wide: Workload = {
    kind: "random",
    keys: 1_500,
    ownership: "shared",
    mix: { insert: 4, getOrInsert: 1, put: 2, delete: 2, get: 3 },
  };
  const hot: Workload = {
    kind: "random",
    keys: 6,
    ownership: "shared",
    mix: { insert: 1, put: 4, delete: 3, tryDelete: 1, get: 4 },
  };
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}, 1,500 keys (node links race)`, async () => {
      const { history } = await runAndCheck(seed, wide, 6_000, spin);
      report("race windows, wide", {
        seed,
        workers: WORKERS,
        ops: WORKERS * 6_000,
        overlappingPairs: countOverlaps(history),
      });
    });
    await t.step(`seed ${seed.toString(16)}, 6 keys (versions and stamps race)`, async () => {
      const { history } = await runAndCheck(seed, hot, 6_000, spin);
      report("race windows, hot", {
        seed,
        workers: WORKERS,
        ops: WORKERS * 6_000,
        overlappingPairs: countOverlaps(history),
      });
    });
  }
});

Deno.test("a blind relink after a lost level-0 CAS is caught (testHooks.broken = blind-link)", async (t) => {
  // Every worker inserts the same keys in ascending order, so all of them
  // meet in the list's tail gap; spinning between search and CAS makes them
  // lose level-0 CAS races there. The broken variant relinks after the
  // predecessor without comparing keys: duplicates and unsorted keys follow.
  const keys = 6_000;
  const workload: Workload = {
    kind: "permutation",
    keys,
    ownership: "shared",
    order: "ascending",
    methods: ["insert", "insert", "tryInsert", "getOrInsert"],
  };
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      const list = new ConcurrentSkipList({ seed });
      const log = HistoryLog.create(WORKERS, keys);
      const { done } = await runWriters({
        list,
        log,
        seed,
        workload,
        workers: WORKERS,
        ops: keys,
        broken: "blind-link",
        race: { points: ["splice"], maxSpin: 1_000 },
        clean: false, // the broken variant may make workers see errors: count them below
      });
      const check = checkHistory(log.operations());
      let structure = "passed";
      try {
        list.validate();
      } catch (error) {
        structure = (error as Error).message;
      }
      const workerErrors = done.reduce((sum, d) => sum + d.problemCount, 0);
      report("blind-link", {
        seed,
        workers: WORKERS,
        ops: WORKERS * keys,
        nonLinearizableKeys: check.violations.length,
        workerErrors,
        validate: JSON.stringify(structure.slice(0, 60)),
      });
      assert.ok(
        !check.ok,
        `the checker found the blind-link history linearizable (validate: ${structure})`,
      );
      assert.notEqual(structure, "passed", "validate() accepted the blind-link structure");
    });
  }
});

/** Pairs of ops on one key whose intervals overlap (a measure of contention). */
function countOverlaps(history: readonly Operation[]): number {
  const byKey = new Map<number, Operation[]>();
  for (const op of history) {
    const list = byKey.get(op.key) ?? [];
    list.push(op);
    byKey.set(op.key, list);
  }
  let pairs = 0;
  for (const ops of byKey.values()) {
    ops.sort((a, b) => a.invoke - b.invoke);
    // Each op overlaps the later-invoked ops that start before it returns.
    for (let i = 0; i < ops.length; i++) {
      for (let j = i + 1; j < ops.length && ops[j]!.invoke < ops[i]!.ret; j++) pairs++;
    }
  }
  return pairs;
}
