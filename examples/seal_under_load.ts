/**
 * Sealing a list while workers write into it, and how the workers find the
 * fresh list: four workers ([seal_under_load/writer.ts](seal_under_load/writer.ts))
 * put their own keys while the main thread seals the shared list under them,
 * four times; once twice in a row, so that workers ask after a second seal.
 * Then the main thread checks that each frozen memtable, and the final live
 * list, holds exactly the writes the workers report it accepted, and that
 * every write was accepted exactly once.
 *
 *   deno run --allow-read examples/seal_under_load.ts   (read: to load the worker module)
 *   npx --yes bun@1 run examples/seal_under_load.ts
 *
 * Protocol. The main thread is the only sealer; it owns `current` (a list and its generation
 * number) and replaces it in the same synchronous turn as `seal()` returns.
 *   main ─start{gen, handle}─▶ worker; the worker puts into that list.
 *   A put throws InsertError "Sealed": the worker keeps the write; worker ─ask{sealedGen}─▶ main.
 *   main ─current{gen, handle}─▶ worker, always the current list: possibly several seals newer.
 *   The worker attaches it and retries the same write there; sealed again, it asks again.
 *
 * Uses only Web APIs (Worker, postMessage, SharedArrayBuffer, Atomics), so it
 * runs unchanged in Bun.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList, type FrozenMemtable } from "../mod.ts";
import type { FromWriter, ToWriter } from "./seal_under_load/writer.ts";

const WORKERS = 4;
/** A list is sealed (the last one: stops being written) once it holds this many writes. */
const WRITES_PER_GENERATION = 5_000;
/**
 * Rounds of sealing; in round DOUBLE_SEAL_ROUND the fresh list is sealed again at
 * once, before any worker can ask for it (as if the workers were slow to notice
 * the first seal): their asks are answered with a list two seals newer, and the
 * list between stays empty.
 */
const ROUNDS = 3;
const DOUBLE_SEAL_ROUND = 1;
/** The generation sealed empty by the double seal (generations count from 0). */
const SKIPPED_GEN = DOUBLE_SEAL_ROUND + 1;

type Report = Extract<FromWriter, { type: "done" }>;

const text = (data: Uint8Array) => new TextDecoder().decode(data);

let gen = 0;
let current = new ConcurrentSkipList({ shards: WORKERS });
/** frozen[g]: generation g, sealed. */
const frozen: FrozenMemtable[] = [];
let asks = 0;
/** Answers that skipped a generation: the worker asked after more than one seal. */
let skips = 0;

/** Seals `current` and makes its fresh sibling current, in one synchronous turn. */
function sealCurrent(): void {
  // Blocks until the puts in flight on `current` finish; later puts on it throw "Sealed".
  const [sealed, fresh] = current.seal();
  current.release(); // only this instance: the frozen memtable holds the claim now
  frozen.push(sealed);
  current = fresh;
  gen++;
}

const workers = Array.from(
  { length: WORKERS },
  // An absolute URL string, which both Deno and Bun accept.
  () =>
    new Worker(new URL("./seal_under_load/writer.ts", import.meta.url).href, { type: "module" }),
);
const send = (worker: Worker, message: ToWriter) => worker.postMessage(message);

/** Set to 1 (Atomics.store) to stop the workers; they read it between writes. */
const stop = new Int32Array(new SharedArrayBuffer(4));

let reports: Report[];
try {
  const done = Promise.all(
    workers.map((worker, index) =>
      new Promise<Report>((resolve, reject) => {
        worker.onmessage = ({ data: message }: MessageEvent<FromWriter>) => {
          if (message.type === "done") return resolve(message);
          try {
            // The answer is the current list, whichever list the worker was on.
            assert.ok(message.sealedGen < gen, `worker ${index} saw ${message.sealedGen} sealed`);
            assert.equal(current.isSealed(), false);
            asks++;
            if (gen > message.sealedGen + 1) skips++;
            send(worker, { type: "current", gen, handle: current.share() });
          } catch (error) {
            reject(error);
          }
        };
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(`worker ${index}: ${event.message}`));
        };
        const handle = current.share();
        send(worker, { type: "start", worker: index, gen, handle, stop: stop.buffer });
      })
    ),
  );

  /** Resolves once `condition()` holds; rejects if a worker failed, or after 10 s. */
  const until = async (condition: () => boolean, what: string) => {
    const deadline = performance.now() + 10_000;
    while (!condition()) {
      assert.ok(performance.now() < deadline, `timed out waiting for ${what}`);
      // `done` settles early only on a failure: workers report after the stop flag.
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 1))]);
    }
  };

  for (let round = 0; round < ROUNDS; round++) {
    await until(() => current.size >= WRITES_PER_GENERATION, `writes in generation ${gen}`);
    sealCurrent();
    // No ask is answered between these two seals: asks are handled between turns.
    if (round === DOUBLE_SEAL_ROUND) sealCurrent();
  }
  await until(() => current.size >= WRITES_PER_GENERATION, `writes in generation ${gen}`);
  Atomics.store(stop, 0, 1);
  reports = await done;
} finally {
  // Always: a live worker keeps the process running.
  for (const worker of workers) worker.terminate();
}

// What the workers say each generation accepted: key → value, per generation.
const lists = [...frozen, current]; // lists[g]: generation g
const expected = lists.map(() => new Map<string, string>());
let writes = 0;
let retried = 0;
for (const { worker, acceptedIn, sealedOn } of reports) {
  acceptedIn.forEach((g, n) => {
    assert.ok(g >= 0 && g <= gen, `w${worker}:${n} accepted by unknown generation ${g}`);
    expected[g]!.set(`w${worker}:${n}`, `v${n}`);
  });
  writes += acceptedIn.length;
  // A worker leaves a list only when it is sealed, and never comes back to it.
  sealedOn.forEach((g, i) => assert.ok(g < gen && (i === 0 || g > sealedOn[i - 1]!)));
  retried += sealedOn.length;
}
assert.equal(retried, asks);

// Each list holds exactly those: every entry expected there (none extra), as many as expected
// (none missing). A write is recorded in one generation only, so it was accepted exactly once.
lists.forEach((list, g) => {
  const inGeneration = expected[g]!; // expected has one map per list
  let count = 0;
  for (const entry of list) {
    const key = text(entry.key);
    assert.equal(entry.isTombstone, false);
    assert.equal(text(entry.value), inGeneration.get(key), `${key} in generation ${g}`);
    count++;
  }
  const accepted = inGeneration.size;
  assert.equal(count, accepted, `generation ${g}: ${count} entries, ${accepted} writes accepted`);
  assert.equal(list.size, count);
  // Sealed under the writers: some write failed on this list and moved on. Except the list
  // sealed right after it was made, which no worker was ever given.
  const failedOn = reports.some((r) => r.sealedOn.includes(g));
  if (g === SKIPPED_GEN) {
    assert.ok(count === 0 && !failedOn, `generation ${g} was never handed out`);
  } else {
    assert.ok(count >= WRITES_PER_GENERATION);
    assert.equal(failedOn, g < gen, `generation ${g}: a write failed on it`);
  }
});
// The workers on the list sealed just before the double seal asked after two seals.
assert.ok(skips > 0);
// Checked: every list's memory can serve later lists (the workers released theirs).
for (const list of lists) list.release();

const perGeneration = expected.map((e) => e.size).join(" / ");
console.log(
  `seal_under_load: ok (${WORKERS} workers, ${writes} writes, ${frozen.length} seals; ` +
    `accepted per generation ${perGeneration}; ${retried} writes retried on a fresher list, ` +
    `${skips} of them after more than one seal)`,
);
