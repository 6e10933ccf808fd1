/**
 * Snapshots taken on the main thread while 4 workers write, overwrite and
 * delete: each snapshot is exact (it holds every write that had completed
 * before `snapshot()` was called, nothing that started after it returned,
 * and each write in between wholly or not at all) and stable (every re-read,
 * by iteration, `get` or `cursorAt`, now or after thousands more writes, is
 * identical to the first).
 *
 * Each key has one writer (an `own` workload), so a worker's writes apply in
 * its program order and the snapshot must show, per worker, the state after
 * some prefix of its ops: at least the ops it had published as completed
 * before the snapshot, at most those it could have started before the
 * snapshot returned.
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList, type Entry, type Snapshot } from "../../mod.ts";
import { ABSENT, describeCode, KeyCodec } from "./support/codec.ts";
import { assertValid, type PlainEntry, readAll, stateOf } from "./support/checks.ts";
import { report, runWriters, waitWhileHealthy } from "./support/harness.ts";
import { BUDGET } from "./support/protocol.ts";
import { Rng, SEEDS } from "./support/rng.ts";
import { modelAfter } from "./support/scenario.ts";
import { applySpec, type Op, OpStream, specOpOf, type Workload } from "./support/workload.ts";

const WORKERS = 4;
/** Snapshots taken while the workers write, one per stretch of writes. */
const SNAPSHOTS = 20;
/** Ops each worker may run per stretch (see `WriterTask.gated`). */
const STRETCH = 1_500;
const OPS = SNAPSHOTS * STRETCH;
const workload: Workload = {
  kind: "random",
  keys: 3_000,
  ownership: "own",
  mix: { insert: 3, tryInsert: 1, getOrInsert: 1, put: 3, delete: 2, tryDelete: 1, get: 1 },
};

/** One worker's ops (generated on demand), and its model advanced op by op. */
class WorkerModel {
  readonly #stream: OpStream;
  readonly #ops: Op[] = [];
  readonly model = new Map<number, number>();
  position = 0;

  constructor(worker: number, seed: number) {
    this.#stream = new OpStream(workload, WORKERS, worker, seed);
  }

  /** The worker's op number `index`. */
  op(index: number): Op {
    while (this.#ops.length <= index) this.#ops.push(this.#stream.next());
    return this.#ops[index]!;
  }

  advanceTo(position: number): void {
    for (; this.position < position; this.position++) {
      const op = this.op(this.position);
      const before = this.model.get(op.key) ?? ABSENT;
      const after = applySpec(before, specOpOf(op.op), op.value)[0];
      if (after !== ABSENT) this.model.set(op.key, after);
    }
  }
}

/**
 * Checks that `state` (key -> state, as read from the snapshot) shows, for
 * worker `w`, the state after some prefix `c` of its ops with
 * `from <= c <= to`; `model` is at `from`. Returns an error or null.
 */
function checkPrefix(
  state: ReadonlyMap<number, number>,
  worker: number,
  model: WorkerModel,
  from: number,
  to: number,
): string | null {
  const touched = new Set<number>();
  for (let c = from; c < to; c++) touched.add(model.op(c).key);
  for (let key = worker; key < workload.keys; key += WORKERS) {
    if (touched.has(key)) continue;
    const want = model.model.get(key) ?? ABSENT;
    const have = state.get(key) ?? ABSENT;
    if (want !== have) {
      return `key ${key} of worker ${worker} is ${describeCode(have)} in the snapshot, but ${
        describeCode(want)
      } after its ${from} completed ops (no op in flight touches it)`;
    }
  }
  const candidate = new Map<number, number>();
  for (const key of touched) candidate.set(key, model.model.get(key) ?? ABSENT);
  for (let c = from;; c++) {
    if ([...touched].every((key) => (state.get(key) ?? ABSENT) === candidate.get(key))) {
      return null;
    }
    if (c >= to) break;
    const op = model.op(c);
    candidate.set(op.key, applySpec(candidate.get(op.key)!, specOpOf(op.op), op.value)[0]);
  }
  return `worker ${worker}: the snapshot matches no prefix of its ops between ${from} (completed) ` +
    `and ${to} (possibly started): ${
      [...touched].map((k) => `key ${k} = ${describeCode(state.get(k) ?? ABSENT)}`).join(", ")
    }`;
}

/** Reads `snapshot` every way there is and checks each agrees with `first`. */
function rereadSnapshot(
  snapshot: Snapshot,
  first: readonly PlainEntry[],
  rng: Rng,
  what: string,
): void {
  assert.deepEqual(
    readAll(snapshot, `${what}, iterated again`),
    first,
    `${what}: iteration changed`,
  );
  const byKey = new Map(first);
  const codec = new KeyCodec();
  for (let key = 0; key < workload.keys; key++) {
    const state = stateOf(snapshot, key, codec);
    const want = byKey.get(key) ?? ABSENT;
    if (state !== want) {
      assert.fail(
        `${what}: get(key ${key}) is ${describeCode(state)}, iteration said ${describeCode(want)}`,
      );
    }
  }
  for (let n = 0; n < 16; n++) {
    const target = rng.below(workload.keys + 10);
    const cursor = snapshot.cursorAt(codec.prefix(target));
    const start = first.findIndex(([key]) => key >= target);
    if (start < 0) {
      assert.equal(cursor, undefined, `${what}: cursorAt(${target}) found an entry after the last`);
      continue;
    }
    assert.ok(cursor !== undefined, `${what}: cursorAt(${target}) found nothing`);
    const steps: Entry[] = [];
    for (const entry of cursor) {
      steps.push(entry);
      if (steps.length === 20) break;
    }
    const walked = readAll(steps, `${what}, cursorAt(${target})`);
    assert.deepEqual(
      walked,
      first.slice(start, start + 20),
      `${what}: cursorAt(${target}) differs`,
    );
  }
}

Deno.test("snapshots taken during writes are exact and read back identically", async (t) => {
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      const list = new ConcurrentSkipList({ seed });
      const models = Array.from({ length: WORKERS }, (_, w) => new WorkerModel(w, seed));
      const rng = new Rng(seed);
      const taken: { snapshot: Snapshot; first: PlainEntry[]; at: number[] }[] = [];
      let windowOps = 0;
      const { done } = await runWriters({
        list,
        seed,
        workload,
        workers: WORKERS,
        ops: OPS,
        gated: true,
        verify: true,
        // Two workers linger between linking a version and stamping it:
        // the window in which a snapshot must decide "wholly in or out".
        each: (worker) => ({
          race: worker < 2 ? { points: ["stamp", "splice"], maxSpin: 300 } : null,
        }),
      }, async ({ agents, control }) => {
        for (let k = 1; k <= SNAPSHOTS; k++) {
          // Let every worker run one more stretch; take the snapshot once all
          // of them are a quarter into it (so, amid their writes).
          control.set(BUDGET, k * STRETCH);
          const amid = (k - 1) * STRETCH + STRETCH / 4;
          await waitWhileHealthy(
            agents,
            () => control.progressAll().every((p) => p >= amid),
            `every worker ran ${amid} ops`,
          );
          const before = control.progressAll(); // completed before snapshot() is called
          const snapshot = list.snapshot();
          const after = control.progressAll(); // one more op each may have started
          const what = `snapshot ${k} (progress ${before})`;
          const first = readAll(snapshot, what);
          const state = new Map(first);
          // models, before and after hold one item per worker.
          for (let w = 0; w < WORKERS; w++) {
            const model = models[w]!, from = before[w]!;
            model.advanceTo(from);
            const to = after[w]! + 1;
            windowOps += to - from;
            const problem = checkPrefix(state, w, model, from, to);
            if (problem !== null) assert.fail(`${what}: ${problem}`);
          }
          // Re-read an earlier snapshot too, while the workers still write.
          rereadSnapshot(snapshot, first, rng, what);
          taken.push({ snapshot, first, at: before });
          const old = taken[rng.below(taken.length)]!; // taken holds this one at least
          assert.deepEqual(readAll(old.snapshot, `${what}: an earlier snapshot`), old.first);
        }
      });
      // Every snapshot still reads the same after all the writes that followed it.
      taken.forEach(({ snapshot, first }, i) =>
        rereadSnapshot(snapshot, first, rng, `snapshot ${i}, re-read after all writes`)
      );
      // And the list itself ends in the state of all ops.
      const counts = done.map((d) => d.ops);
      const final = modelAfter(workload, seed, counts);
      assert.deepEqual(
        readAll(list.snapshot(), "final snapshot"),
        [...final].sort((a, b) => a[0] - b[0]),
      );
      assertValid(list, "list after the writes");
      report("snapshots", {
        seed,
        workers: WORKERS,
        ops: counts.reduce((a, b) => a + b),
        snapshots: taken.length,
        opsInFlightWindows: windowOps,
      });
    });
  }
});
