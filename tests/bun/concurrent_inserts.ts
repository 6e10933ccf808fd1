/**
 * Bun check: 4 Bun workers share one list (`share()` / `attach()`, the
 * growable SharedArrayBuffer posted to each) and insert at once, then the
 * script checks the invariants: exactly one winning insert per contended
 * key, whose value is the one stored; every disjoint insert stored; every
 * value intact; `validate()` passes and `size` matches.
 *
 * Run with `bun run tests/bun/concurrent_inserts.ts` (not `bun test`, which
 * would pick up Deno's test files). Exits non-zero on any failure.
 *
 * @module
 */

import process from "node:process";
import { ConcurrentSkipList } from "../../mod.ts";
import { decodeValue, KeyCodec, keyIdOf, valueId } from "../concurrency/support/codec.ts";
import type { InsertJob, InsertReport } from "./insert_worker.ts";

const WORKERS = 4;
const CONTENDED = 20_000;
const OWN = 25_000;
const SEED = 0x5eed_0001;

const failures: string[] = [];
function check(ok: boolean, message: string): void {
  if (!ok && failures.length < 20) failures.push(message);
}

const runtime = typeof (globalThis as { Bun?: unknown }).Bun === "undefined" ? "not Bun" : "Bun";
const list = new ConcurrentSkipList({ seed: SEED, arenaBytes: 64 * 1024 });
const shared = new SharedArrayBuffer(4 * (2 + WORKERS * (CONTENDED + OWN)));
const results = new Int32Array(shared);
const workers: Worker[] = [];
const started = performance.now();
let reports: InsertReport[] = [];
try {
  for (let w = 0; w < WORKERS; w++) {
    workers.push(
      new Worker(new URL("./insert_worker.ts", import.meta.url).href, { type: "module" }),
    );
  }
  const done = workers.map((worker, w) =>
    new Promise<InsertReport>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<InsertReport>) => resolve(event.data);
      worker.onerror = (event: ErrorEvent) => reject(new Error(`worker ${w}: ${event.message}`));
      const job: InsertJob = {
        handle: list.share(),
        worker: w,
        workers: WORKERS,
        contended: CONTENDED,
        own: OWN,
        shared,
      };
      worker.postMessage(job);
    })
  );
  // Start line: every worker attached, then all go at once.
  const deadline = Date.now() + 60_000;
  while (Atomics.load(results, 0) < WORKERS) {
    if (Date.now() > deadline) throw new Error("workers did not start within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  Atomics.store(results, 1, 1);
  Atomics.notify(results, 1);
  reports = await Promise.race([
    Promise.all(done),
    new Promise<never>((_, reject) => {
      const timer = setTimeout(
        () => reject(new Error("workers did not finish within 120 s")),
        120_000,
      );
      Promise.all(done).finally(() => clearTimeout(timer));
    }),
  ]);
} catch (error) {
  check(false, `run failed: ${error}`);
} finally {
  for (const worker of workers) worker.terminate();
}
const elapsed = performance.now() - started;

for (const report of reports) {
  for (const problem of report.problems) check(false, `worker ${report.worker}: ${problem}`);
}

// One winner per contended key; the stored value is the winner's.
const keys = new KeyCodec();
let contendedWins = 0;
if (reports.length === WORKERS) {
  for (let key = 0; key < CONTENDED; key++) {
    const winners: number[] = [];
    for (let w = 0; w < WORKERS; w++) {
      if (results[2 + w * (CONTENDED + OWN) + key] === 1) winners.push(w);
    }
    contendedWins += winners.length;
    check(winners.length === 1, `key ${key} has ${winners.length} winners (${winners})`);
    const stored = list.getLive(keys.key(key));
    check(stored !== undefined, `key ${key} is missing`);
    if (stored !== undefined && winners.length === 1) {
      check(
        decodeValue(stored, key) === valueId(winners[0]!, key),
        `key ${key}: not the winner's value`,
      );
    }
  }
}

// Every key once, in order, each value intact; the structure is sound.
const total = CONTENDED + WORKERS * OWN;
let previous = -1;
let entries = 0;
for (const entry of list) {
  const id = keyIdOf(entry.key);
  check(id > previous, `iteration went from key ${previous} to ${id}`);
  check(!entry.isTombstone && decodeValue(entry.value, id) >= 0, `key ${id}: corrupt value`);
  previous = id;
  entries++;
}
check(entries === total, `iteration yielded ${entries} keys, expected ${total}`);
check(list.size === total, `size is ${list.size}, expected ${total}`);
try {
  const structure = list.validate();
  check(structure.entries === total, `validate() counted ${structure.entries} keys`);
  check(structure.versions === total, `validate() counted ${structure.versions} versions`);
} catch (error) {
  check(false, `validate() failed: ${error}`);
}

const ops = WORKERS * (CONTENDED + OWN);
console.log(
  `fastskip concurrent inserts (${runtime}): ${WORKERS} workers, ${ops} inserts ` +
    `(${CONTENDED} keys contended by all, ${OWN} own each), ${contendedWins} contended wins, ` +
    `${entries} keys, ${(elapsed / 1000).toFixed(2)} s`,
);
if (failures.length > 0) {
  console.log(`FAILED (${failures.length} problems):\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log("ok: one winner per key, values intact, validate() passed");
