/**
 * Concurrent inserts from real Workers: disjoint keys (nothing lost, nothing
 * duplicated) and the same keys from every worker (exactly one winner per
 * key, whose value is the one stored).
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { describeCode, INSERTED, TOMBSTONE } from "./support/codec.ts";
import { HistoryLog } from "./support/history.ts";
import { assertHolds, assertValid, readAll, stateOf } from "./support/checks.ts";
import { report, runWriters } from "./support/harness.ts";
import { checkHistory, type Operation } from "./support/linearizability.ts";
import { SEEDS } from "./support/rng.ts";
import { modelAfter } from "./support/scenario.ts";
import type { Workload } from "./support/workload.ts";

const WORKERS = 4;

Deno.test("concurrent inserts of disjoint keys lose nothing", async (t) => {
  const keysPerWorker = 15_000;
  const workload: Workload = {
    kind: "permutation",
    keys: WORKERS * keysPerWorker,
    ownership: "own", // worker w owns the key ids ≡ w (mod 4): neighbours interleave
    order: "shuffled",
    methods: ["insert", "tryInsert", "getOrInsert", "insert"],
  };
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      // A small initial arena: the workers also race to grow it.
      const list = new ConcurrentSkipList({ seed, arenaBytes: 64 * 1024 });
      await runWriters({
        list,
        seed,
        workload,
        workers: WORKERS,
        ops: keysPerWorker,
        verify: true, // each insert must succeed, getOrInsert must say "inserted"
      });
      const model = modelAfter(workload, seed, Array(WORKERS).fill(keysPerWorker));
      assert.equal(model.size, workload.keys);
      const structure = assertHolds(list, model, workload.keys, "list after disjoint inserts");
      assert.equal(structure.entries, workload.keys);
      assert.equal(structure.liveEntries, workload.keys);
      assert.equal(structure.versions, workload.keys);
      assert.equal(list.size, workload.keys);
      report("disjoint inserts", { seed, workers: WORKERS, ops: workload.keys });
    });
  }
});

Deno.test("the same keys inserted by every worker have exactly one winner, whose value is stored", async (t) => {
  const keys = 4_000;
  for (const seed of SEEDS) {
    for (const order of ["same", "shuffled"] as const) {
      await t.step(`seed ${seed.toString(16)}, ${order} order`, async () => {
        const workload: Workload = {
          kind: "permutation",
          keys,
          ownership: "shared",
          order,
          methods: ["insert", "tryInsert", "getOrInsert", "insert"],
        };
        const list = new ConcurrentSkipList({ seed, arenaBytes: 64 * 1024 });
        const log = HistoryLog.create(WORKERS, keys);
        await runWriters({
          list,
          log,
          seed,
          workload,
          workers: WORKERS,
          ops: keys,
          // Two workers widen the window between search and CAS.
          each: (worker) => ({
            race: worker < 2 ? { points: ["splice", "link"], maxSpin: 60 } : null,
          }),
        });
        const history = log.operations();
        assert.equal(history.length, WORKERS * keys);
        // Per key: who won, and what the losers were told.
        const winners = new Map<number, Operation[]>();
        for (const op of history) {
          // insert / tryInsert return 1 when they stored; getOrInsert says INSERTED
          // (otherwise it returns a value id, which may be any number >= 0).
          const won = op.op === "getOrInsert" ? op.result === INSERTED : op.result === 1;
          if (won) {
            const list = winners.get(op.key) ?? [];
            list.push(op);
            winners.set(op.key, list);
          } else {
            // A loser: insert / tryInsert say false, getOrInsert returns a live value.
            const lost = op.op === "getOrInsert" ? op.result >= 0 : op.result === 0;
            assert.ok(lost, `${op.op} on key ${op.key} returned ${describeCode(op.result)}`);
          }
        }
        let contended = 0;
        for (let key = 0; key < keys; key++) {
          const won = winners.get(key) ?? [];
          assert.equal(won.length, 1, `key ${key} has ${won.length} winners`);
          const winnerOp = won[0]!;
          const winner = winnerOp.value;
          assert.equal(stateOf(list, key), winner, `key ${key} does not hold its winner's value`);
          for (const op of history) {
            if (op.key !== key || op === winnerOp) continue;
            // A losing getOrInsert returns the live value: the winner's.
            if (op.op === "getOrInsert") assert.equal(op.result, winner);
            if (op.invoke < winnerOp.ret) contended++;
          }
        }
        const structure = assertValid(list, "list after contended inserts");
        assert.equal(structure.entries, keys);
        assert.equal(structure.versions, keys, "a losing insert left a version behind");
        assert.equal(list.size, keys);
        const entries = readAll(list, "list after contended inserts");
        assert.deepEqual(entries.map((e) => e[0]), Array.from({ length: keys }, (_, i) => i));
        assert.ok(entries.every((e) => e[1] !== TOMBSTONE));
        const check = checkHistory(history);
        assert.ok(check.ok, check.violations.slice(0, 3).map((v) => v.message).join("\n"));
        report("same-key inserts", {
          seed,
          order,
          workers: WORKERS,
          ops: history.length,
          overlappingLosers: contended,
        });
      });
    }
  }
});
