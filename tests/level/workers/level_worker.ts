/**
 * A worker of the Worker test: attaches a FastskipLevel to the shared list,
 * writes its own keys, races the others on shared keys, writes batches, and
 * meanwhile reads what the others write, checking every value it reads and
 * that each batch it sees through an iterator is a prefix of that batch.
 *
 * @module
 */

import { FastskipLevel } from "../../../level.ts";
import type { FromWorker, Job, ToWorker } from "./protocol.ts";

interface Scope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}
const scope = globalThis as unknown as Scope;

let job: Job | null = null;

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === "job") {
    job = message;
    scope.postMessage({ type: "ready" });
  } else if (job !== null) {
    run(job).catch((error) => scope.postMessage({ type: "failed", error: String(error?.stack) }));
  }
};

async function run(job: Job): Promise<void> {
  const { worker, workers, ownKeys, raceKeys, batches, batchSize } = job;
  const db = FastskipLevel.attach<string, string>(job.handle);
  const problems: string[] = [];
  let writes = 0;
  let foreignHits = 0;
  let passes = 0;
  const other = (worker + 1) % workers;

  for (let i = 0; i < ownKeys; i++) {
    const key = `own:${worker}:${i}`;
    await db.put(key, `${worker}:${i}`);
    writes++;
    // Read-your-write, synchronously.
    const back = db.getSync(key);
    if (back !== `${worker}:${i}`) problems.push(`${key} read back as ${back}`);
    // Another worker's key of the same index: absent yet, or exactly its value.
    const theirs = await db.get(`own:${other}:${i}`);
    if (theirs !== undefined) {
      foreignHits++;
      if (theirs !== `${other}:${i}`) problems.push(`own:${other}:${i} is ${theirs}`);
    }
    if (i < raceKeys) {
      await db.put(`race:${i}`, `${worker}`);
      writes++;
    }
    if (i % 500 === 0) passes += await checkBatches(db, batchSize, problems);
  }

  for (let b = 0; b < batches; b++) {
    const ops = [];
    for (let j = 0; j < batchSize; j++) {
      ops.push({ type: "put" as const, key: batchKey(worker, b, j), value: `${j}` });
    }
    await db.batch(ops);
    writes += batchSize;
    if (b % 20 === 0) passes += await checkBatches(db, batchSize, problems);
  }

  await db.release(); // this worker's hold on the list; the others keep theirs
  scope.postMessage({ type: "done", worker, writes, foreignHits, passes, problems });
}

/** `batch:<worker>:<b>:<j>`, with fixed-width numbers so that string order is numeric order. */
export function batchKey(worker: number, batch: number, index: number): string {
  return `batch:${worker}:${String(batch).padStart(5, "0")}:${String(index).padStart(3, "0")}`;
}

/**
 * Walks every batch key through one explicit snapshot and checks what a
 * writer's batches look like at one point in time: each writer's batches are
 * `0, 1, …, m` with none missing, all complete but possibly the last, and
 * that one a prefix of its keys (a batch's writes commit in order, and the
 * writer starts a batch after the previous one). A second pass over the same
 * snapshot must show the same keys.
 *
 * @returns The passes made (2).
 */
async function checkBatches(
  db: FastskipLevel<string, string>,
  batchSize: number,
  problems: string[],
): Promise<number> {
  const snapshot = db.snapshot();
  try {
    const first = await db.keys({ gte: "batch:", lt: "batch;", snapshot }).all();
    // Per writer: the batch being read and how many of its keys were seen.
    const last = new Map<string, { batch: number; seen: number }>();
    for (const key of first) {
      const [, w = "", b, j] = key.split(":");
      const batch = Number(b);
      const index = Number(j);
      const at = last.get(w);
      if (at === undefined || at.batch !== batch) {
        const expectedBatch = at === undefined ? 0 : at.batch + 1;
        if (batch !== expectedBatch || (at !== undefined && at.seen !== batchSize)) {
          problems.push(
            `writer ${w}: batch ${batch} visible after batch ${at?.batch} with ${at?.seen} of ${batchSize} keys`,
          );
          return 1;
        }
        last.set(w, { batch, seen: 0 });
      }
      const current = last.get(w)!; // set just above
      if (index !== current.seen) {
        problems.push(`writer ${w}: batch ${batch} shows key ${index} without key ${current.seen}`);
        return 1;
      }
      current.seen++;
    }
    const second = await db.keys({ gte: "batch:", lt: "batch;", snapshot }).all();
    if (second.length !== first.length || second.some((key, i) => key !== first[i])) {
      problems.push(
        `two passes over one snapshot differ: ${first.length} and ${second.length} keys`,
      );
    }
    return 2;
  } finally {
    await snapshot.close();
  }
}
