/**
 * Several Workers on one FastskipLevel at once: each attaches a store to the
 * list the main thread's store shares, and they put, batch and read at the
 * same time. Nothing may be lost, no value may be wrong, and every iterator
 * pass must see each batch as a prefix.
 *
 * @module
 */

import assert from "node:assert/strict";
import { FastskipLevel } from "../../level.ts";
import type { FromWorker, Job, Report } from "./workers/protocol.ts";
import { batchKey } from "./workers/level_worker.ts";

const WORKER_URL = new URL("./workers/level_worker.ts", import.meta.url).href;
const WAIT_MS = 120_000;

/** Resolves with the first message of `type` from `worker`, rejects on a failure or crash. */
function receive<T extends FromWorker["type"]>(
  worker: Worker,
  name: string,
  type: T,
): Promise<Extract<FromWorker, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: no "${type}" in ${WAIT_MS} ms`)),
      WAIT_MS,
    );
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      clearTimeout(timer);
      const message = event.data;
      if (message.type === type) resolve(message as Extract<FromWorker, { type: T }>);
      else if (message.type === "failed") reject(new Error(`${name} failed: ${message.error}`));
      else reject(new Error(`${name}: "${message.type}" instead of "${type}"`));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      clearTimeout(timer);
      reject(new Error(`${name} crashed: ${event.message}`));
    };
  });
}

Deno.test("FastskipLevel shared by four Workers putting, batching and reading at once loses nothing", async () => {
  const WORKERS = 4;
  const job = { ownKeys: 4000, raceKeys: 1000, batches: 100, batchSize: 10 };
  await using db = new FastskipLevel<string, string>();
  await db.open();

  const workers: Worker[] = [];
  let reports: Report[];
  try {
    for (let w = 0; w < WORKERS; w++) {
      workers.push(new Worker(WORKER_URL, { type: "module", name: `level-${w}` }));
    }
    // Every worker attaches first, then all start at once.
    await Promise.all(workers.map((worker, w) => {
      const ready = receive(worker, `level-${w}`, "ready");
      const message: Job = { type: "job", worker: w, workers: WORKERS, handle: db.share(), ...job };
      worker.postMessage(message);
      return ready;
    }));
    const done = workers.map((worker, w) => receive(worker, `level-${w}`, "done"));
    for (const worker of workers) worker.postMessage({ type: "go" });
    reports = await Promise.all(done);
  } finally {
    for (const worker of workers) worker.terminate();
  }

  for (const report of reports) {
    assert.deepEqual(report.problems, [], `worker ${report.worker}`);
    assert.equal(report.writes, job.ownKeys + job.raceKeys + job.batches * job.batchSize);
    assert.ok(report.passes > 0, `worker ${report.worker} checked batches while others wrote`);
  }

  // Every acknowledged put of every worker is here, with its value.
  const own = await db.iterator({ gte: "own:", lt: "own;" }).all();
  assert.equal(own.length, WORKERS * job.ownKeys);
  const values = new Map(own);
  for (let w = 0; w < WORKERS; w++) {
    for (let i = 0; i < job.ownKeys; i++) {
      assert.equal(values.get(`own:${w}:${i}`), `${w}:${i}`);
    }
  }
  // One value per race key, written by one of the workers.
  const races = await db.iterator({ gte: "race:", lt: "race;" }).all();
  assert.equal(races.length, job.raceKeys);
  for (const [key, value] of races) {
    assert.ok(Number(value) >= 0 && Number(value) < WORKERS, `${key} = ${value}`);
  }
  // Every batch whole.
  for (let w = 0; w < WORKERS; w++) {
    for (let b = 0; b < job.batches; b++) {
      const keys = await db.keys({ gte: batchKey(w, b, 0), lte: batchKey(w, b, 999) }).all();
      assert.equal(keys.length, job.batchSize, `writer ${w} batch ${b}`);
    }
  }
  const total = await db.keys().all();
  assert.equal(
    total.length,
    WORKERS * (job.ownKeys + job.batches * job.batchSize) + job.raceKeys,
  );
  const hits = reports.reduce((sum, report) => sum + report.foreignHits, 0);
  console.log(
    `${WORKERS} workers: ${
      reports.reduce((sum, r) => sum + r.writes, 0)
    } writes, ${hits} reads found another worker's key, ${
      reports.reduce((sum, r) => sum + r.passes, 0)
    } snapshot passes over the batches`,
  );
});
