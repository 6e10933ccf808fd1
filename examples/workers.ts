/**
 * Several workers writing one list at once, and the main thread checking
 * the result: no lost write, exactly one winner per contended key.
 *
 *   deno run --allow-read examples/workers.ts   (read: to load the worker module)
 *   npx --yes bun@1 run examples/workers.ts
 *
 * Uses only Web APIs (Worker, postMessage), so it runs unchanged in Bun.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../mod.ts";
import type { Job, Result } from "./workers/writer.ts";

const WORKERS = 4;
const OWN_KEYS = 20_000;
const RACE_KEYS = 5_000;

const text = (data: Uint8Array) => new TextDecoder().decode(data);

// `shards` is a hint (expected writers) for the statistics stripes, not a limit.
const list = new ConcurrentSkipList({ shards: WORKERS });

const workers = Array.from(
  { length: WORKERS },
  // An absolute URL string, which both Deno and Bun accept.
  () => new Worker(new URL("./workers/writer.ts", import.meta.url).href, { type: "module" }),
);
let results: Result[];
try {
  results = await Promise.all(
    workers.map((worker, index) =>
      new Promise<Result>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<Result>) => resolve(event.data);
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(`worker ${index}: ${event.message}`));
        };
        // The handle is structured-cloneable: it carries the SharedArrayBuffer, not a copy.
        const job: Job = {
          worker: index,
          handle: list.share(),
          ownKeys: OWN_KEYS,
          raceKeys: RACE_KEYS,
        };
        worker.postMessage(job);
      })
    ),
  );
} finally {
  // Always: a live worker keeps the process running.
  for (const worker of workers) worker.terminate();
}

// No write lost: every worker stored all of its own keys, and they are all here.
for (const result of results) assert.equal(result.inserted, OWN_KEYS);
assert.equal(list.size, WORKERS * OWN_KEYS + RACE_KEYS);

// Exactly one winner per race key, and the stored value names that winner.
const winners = new Map<number, number>();
for (const result of results) {
  for (const n of result.wonRaces) {
    assert.equal(winners.has(n), false, `race:${n} won twice`);
    winners.set(n, result.worker);
  }
}
assert.equal(winners.size, RACE_KEYS);
for (const [n, worker] of winners) {
  assert.equal(text(list.getLive(new TextEncoder().encode(`race:${n}`))!), `won by ${worker}`);
}

// The list is in order whoever wrote what.
let previous = "";
let count = 0;
for (const entry of list) {
  const key = text(entry.key);
  assert.ok(previous < key, `${previous} before ${key}`); // ASCII keys: string order = byte order
  previous = key;
  count++;
}
assert.equal(count, list.size);

const wins = results.map((r) => r.wonRaces.length).join(" / ");
console.log(`workers: ok (${WORKERS} workers, ${count} keys, race wins per worker ${wins})`);
