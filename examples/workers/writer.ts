/**
 * Worker module of `examples/workers.ts`: attaches the shared list from its
 * handle and writes into it alongside the other workers.
 *
 * Each worker inserts its own keys (`own:<worker>:<n>`) and races every other
 * worker on the same shared keys (`race:<n>`): `insert` keeps the first value,
 * so exactly one worker wins each race key. It reports which races it won.
 *
 * Plain Web Worker code (no Deno or Bun API), so it runs in both.
 *
 * @module
 */

import { ConcurrentSkipList, type SkipListHandle } from "../../mod.ts";

export interface Job {
  worker: number;
  handle: SkipListHandle;
  ownKeys: number;
  raceKeys: number;
}

export interface Result {
  worker: number;
  inserted: number;
  wonRaces: number[];
}

/** The worker global, typed without the Deno-only `lib.deno.worker`. */
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<Job>) => void) | null;
  postMessage(message: Result): void;
};

const bytes = (text: string) => new TextEncoder().encode(text);

scope.onmessage = ({ data: job }) => {
  // The same list as the main thread's: attach maps the same SharedArrayBuffer.
  // `using` releases this worker's instance when the job is done.
  using list = ConcurrentSkipList.attach(job.handle);
  let inserted = 0;
  const wonRaces: number[] = [];
  for (let n = 0; n < Math.max(job.ownKeys, job.raceKeys); n++) {
    if (n < job.ownKeys && list.insert(bytes(`own:${job.worker}:${n}`), bytes(`${n}`))) inserted++;
    // Interleaved with the own keys; whichever worker gets to race:n first wins it.
    if (n < job.raceKeys && list.insert(bytes(`race:${n}`), bytes(`won by ${job.worker}`))) {
      wonRaces.push(n);
    }
  }
  scope.postMessage({ worker: job.worker, inserted, wonRaces });
};
