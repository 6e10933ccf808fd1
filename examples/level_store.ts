/**
 * FastskipLevel, the level store: memory-level's API (abstract-level) on a
 * fastskip list, and the same data shared with a Worker.
 *
 *   deno run --allow-read examples/level_store.ts   (read: to load the worker module)
 *
 * @module
 */

import assert from "node:assert/strict";
import { FastskipLevel } from "../level.ts";
import type { Job, Result } from "./level_store/worker.ts";

interface User {
  name: string;
  score: number;
}

// Open it as you would a MemoryLevel: encodings as options, opening is deferred.
const db = new FastskipLevel<string, User>({ valueEncoding: "json" });

await db.batch([
  { type: "put", key: "user:1", value: { name: "ada", score: 36 } },
  { type: "put", key: "user:2", value: { name: "grace", score: 85 } },
  { type: "put", key: "user:3", value: { name: "edsger", score: 72 } },
]);
await db.del("user:2");
assert.deepEqual(await db.get("user:1"), { name: "ada", score: 36 });
assert.equal(await db.get("user:2"), undefined); // deleted: not found
assert.equal(db.getSync("user:3")?.name, "edsger");
assert.equal(await db.has("user:2"), false);

// Range reads in key order, both ways, and seek.
assert.deepEqual(await db.keys({ gte: "user:", lt: "user;" }).all(), ["user:1", "user:3"]);
assert.deepEqual(await db.keys({ reverse: true, limit: 1 }).all(), ["user:3"]);
const iterator = db.iterator();
iterator.seek("user:2"); // the first key >= "user:2"
assert.equal((await iterator.next())?.[0], "user:3");
await iterator.close();

// A snapshot keeps reading the data of its moment.
const snapshot = db.snapshot();
await db.put("user:1", { name: "ada", score: 99 });
assert.equal((await db.get("user:1", { snapshot }))?.score, 36);
assert.equal((await db.get("user:1"))?.score, 99);
await snapshot.close();

// Sublevels, as in every abstract-level store.
const events = db.sublevel<string, string>("events", { valueEncoding: "utf8" });
await events.put("0000", "signed up");

// Share it: the worker attaches a store to the same list and writes there;
// this thread reads the worker's writes directly, nothing is copied over.
const worker = new Worker(new URL("./level_store/worker.ts", import.meta.url).href, {
  type: "module",
});
let result: Result;
try {
  result = await new Promise<Result>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<Result>) => resolve(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`worker: ${event.message}`));
    };
    const job: Job = { handle: db.share(), events: 1000 };
    worker.postMessage(job);
  });
} finally {
  worker.terminate();
}
assert.equal(result.sawScore, 99); // the worker read this thread's last put
const all = await events.keys().all();
assert.equal(all.length, 1 + result.written);
assert.equal(await events.get("1000"), "event 1000 from the worker");

// close() keeps the data for a later open(); release() lets the memory go.
await db.close();
await db.open();
assert.equal((await db.get("user:3"))?.score, 72);
await db.release();

console.log(`level_store: ${all.length} events, ${result.written} written by the worker: ok`);
