/**
 * Limits under concurrency: writers racing to fill a small arena (and to
 * grow it) keep exactly the writes that reported success, and writers
 * racing past `maxEntries` overshoot it by at most one entry each.
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { FULL, INSERTED } from "./support/codec.ts";
import { HistoryLog } from "./support/history.ts";
import { assertValid, readAll } from "./support/checks.ts";
import { report, runWriters } from "./support/harness.ts";
import { SEEDS } from "./support/rng.ts";
import type { Workload } from "./support/workload.ts";

const WORKERS = 4;

Deno.test("writers racing to fill the arena keep exactly the writes that succeeded", async (t) => {
  const keys = 60_000; // about three times what 1 MiB holds
  const workload: Workload = {
    kind: "permutation",
    keys,
    ownership: "own", // each key written once, by one worker: a false insert means "full"
    order: "shuffled",
    methods: ["insert", "tryInsert", "put", "getOrInsert"],
  };
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      // Starts at 64 KiB: the workers also race to grow it, up to 1 MiB.
      const list = new ConcurrentSkipList({ seed, arenaBytes: 64 * 1024, maxArenaBytes: 1 << 20 });
      const log = HistoryLog.create(WORKERS, keys / WORKERS);
      await runWriters({ list, log, seed, workload, workers: WORKERS, ops: keys / WORKERS });
      const stored = new Map<number, number>();
      let refused = 0;
      for (const op of log.operations()) {
        const ok = op.op === "getOrInsert" ? op.result === INSERTED : op.result === 1;
        if (ok) stored.set(op.key, op.value);
        else {
          // insert says false; tryInsert (also logged as "insert"), put and
          // getOrInsert throw OutOfMemory. Nothing else.
          const refusal = op.result === FULL || op.op === "insert" && op.result === 0;
          assert.ok(refusal, `${op.op} by worker ${op.process} returned ${op.result}`);
          refused++;
        }
      }
      assert.ok(refused > 0 && stored.size > 0, "the arena never filled up");
      assert.ok(list.memoryUsage() <= 1 << 20);
      const entries = readAll(list, "full list");
      assert.equal(entries.length, stored.size);
      for (const [key, state] of entries) assert.equal(state, stored.get(key), `key ${key}`);
      assertValid(list, "full list");
      assert.equal(list.size, stored.size);
      report("arena full", { seed, workers: WORKERS, ops: keys, stored: stored.size, refused });
    });
  }
});

Deno.test("writers racing past maxEntries overshoot it by at most one entry each", async (t) => {
  const keys = 40_000;
  const maxEntries = 3_000;
  const workload: Workload = {
    kind: "permutation",
    keys,
    ownership: "own",
    order: "shuffled",
    methods: ["insert"],
  };
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      const list = new ConcurrentSkipList({ seed, maxEntries });
      await runWriters({
        list,
        seed,
        workload,
        workers: WORKERS,
        ops: keys / WORKERS,
        // Linger between the limit check and the link: overshoot if you can.
        race: { points: ["splice", "stamp"], maxSpin: 300 },
      });
      assertValid(list, "list past maxEntries");
      assert.ok(list.size >= maxEntries, `only ${list.size} entries`);
      assert.ok(
        list.size <= maxEntries + WORKERS - 1,
        `size ${list.size} overshoots maxEntries ${maxEntries} by more than one per writer`,
      );
      report("maxEntries", { seed, workers: WORKERS, ops: keys, size: list.size, maxEntries });
    });
  }
});
