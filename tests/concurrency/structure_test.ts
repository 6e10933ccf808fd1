/**
 * `validate({ quiescent: false })` is documented as the structural check to
 * run while other workers write. It must pass on a correct list whatever
 * the writers do meanwhile, and still pass once they are done.
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { assertHolds } from "./support/checks.ts";
import { report, runWriters, waitWhileHealthy } from "./support/harness.ts";
import { BUDGET } from "./support/protocol.ts";
import { SEEDS } from "./support/rng.ts";
import { modelAfter } from "./support/scenario.ts";
import type { Workload } from "./support/workload.ts";

const WORKERS = 4;
const STRETCH = 2_000;
const STRETCHES = 6;
const workload: Workload = {
  kind: "random",
  keys: 2_000,
  ownership: "own",
  // Mostly new versions and new nodes: allocations while the check walks.
  mix: { insert: 2, put: 4, delete: 2, get: 1 },
};

// Guards the walk re-reading the allocation pointer instead of reading it once, before it starts.
Deno.test("validate({ quiescent: false }) while workers write accepts records allocated during its walk", async (t) => {
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      const list = new ConcurrentSkipList({ seed, arenaBytes: 64 * 1024 });
      const failures: string[] = [];
      let checks = 0;
      const { done } = await runWriters({
        list,
        seed,
        workload,
        workers: WORKERS,
        ops: STRETCH * STRETCHES,
        gated: true,
        verify: true,
      }, async ({ agents, control }) => {
        for (let k = 1; k <= STRETCHES; k++) {
          control.set(BUDGET, k * STRETCH);
          // Check (repeatedly) while every worker is inside this stretch.
          const target = k * STRETCH;
          await waitWhileHealthy(
            agents,
            () => control.progressAll().every((p) => p >= target - STRETCH / 2),
            `every worker is halfway through stretch ${k}`,
          );
          // At least once per stretch, up to 5 times while they are still in it.
          for (let n = 0; n === 0 || n < 5 && control.progressAll().some((p) => p < target); n++) {
            try {
              list.validate({ quiescent: false });
            } catch (error) {
              failures.push((error as Error).message);
            }
            checks++;
          }
        }
      });
      // Quiescent now: the same list passes the strict check, and holds
      // exactly what the workers wrote, so any failure above was spurious.
      assertHolds(
        list,
        modelAfter(workload, seed, done.map((d) => d.ops)),
        workload.keys,
        "list",
      );
      report("validate during writes", {
        seed,
        workers: WORKERS,
        ops: WORKERS * STRETCH * STRETCHES,
        checks,
        failures: failures.length,
      });
      assert.ok(checks >= STRETCHES, `only ${checks} checks ran during the writes`);
      assert.equal(
        failures.length,
        0,
        `${failures.length} of ${checks} checks made during writes failed; the first: ${
          failures[0]
        }`,
      );
    });
  }
});
