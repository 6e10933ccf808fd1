/**
 * Scale: a million concurrent operations per run (4 workers x 125,000 ops x
 * 2 seeds) of every kind, each result checked by its worker against the
 * model of its own keys, then the whole list against the merged model.
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { assertHolds } from "./support/checks.ts";
import { report, runWriters } from "./support/harness.ts";
import { SEEDS } from "./support/rng.ts";
import { modelAfter } from "./support/scenario.ts";
import type { Workload } from "./support/workload.ts";

const WORKERS = 4;
const OPS = 125_000;
const workload: Workload = {
  kind: "random",
  keys: 120_000,
  ownership: "own",
  mix: { insert: 3, tryInsert: 1, getOrInsert: 1, put: 2, delete: 1, tryDelete: 1, get: 3 },
};

Deno.test("a million concurrent operations leave every key exactly as its writer left it", async (t) => {
  let total = 0;
  for (const seed of SEEDS.slice(0, 2)) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      const list = new ConcurrentSkipList({ seed, arenaBytes: 1 << 20 });
      const started = performance.now();
      const { done } = await runWriters({
        list,
        seed,
        workload,
        workers: WORKERS,
        ops: OPS,
        verify: true, // every one of the results is checked in its worker
      });
      const elapsed = performance.now() - started;
      const ops = done.reduce((sum, d) => sum + d.ops, 0);
      assert.equal(ops, WORKERS * OPS);
      total += ops;
      const model = modelAfter(workload, seed, done.map((d) => d.ops));
      const structure = assertHolds(list, model, workload.keys, "list after a million ops");
      assert.equal(structure.entries, model.size);
      report("scale", {
        seed,
        workers: WORKERS,
        ops,
        entries: structure.entries,
        versions: structure.versions,
        height: structure.height,
        writeSeconds: (elapsed / 1000).toFixed(1),
      });
    });
  }
  assert.ok(total >= 1_000_000, `only ${total} operations`);
});
