/**
 * Node: the module, bundled to one JavaScript file, shared by two
 * `worker_threads` workers (Node has no global `Worker`). CI runs:
 *
 *   deno bundle mod.ts -o /tmp/fastskip.mjs
 *   node tests/node/worker_threads_smoke.mjs /tmp/fastskip.mjs
 */

import assert from "node:assert/strict";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";

const bundle = isMainThread ? process.argv[2] : workerData.bundle;
if (!bundle) {
  console.error("usage: node tests/node/worker_threads_smoke.mjs <bundle.mjs>");
  process.exit(2);
}
const { ConcurrentSkipList } = await import(pathToFileURL(bundle).href);
const WORKERS = 2;
const KEYS = 10_000;

if (isMainThread) {
  const list = new ConcurrentSkipList();
  const workers = Array.from(
    { length: WORKERS },
    (_, id) =>
      new Worker(new URL(import.meta.url), { workerData: { id, bundle, handle: list.share() } }),
  );
  try {
    const stored = await Promise.all(workers.map((worker) =>
      new Promise((resolve, reject) => {
        worker.on("message", resolve);
        worker.on("error", reject);
      })
    ));
    assert.deepEqual(stored, [KEYS, KEYS]);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  assert.equal(list.size, WORKERS * KEYS);
  list.validate();
  const [frozen] = list.seal();
  let previous = -1;
  let count = 0;
  for (const { key } of frozen) {
    const order = key[0] << 16 | key[1] << 8 | key[2];
    assert.ok(order > previous, "keys come out in order");
    previous = order;
    count++;
  }
  assert.equal(count, WORKERS * KEYS);
  console.log(
    `node ${process.version}: ${WORKERS} worker_threads wrote ${count} keys into one list: ok`,
  );
} else {
  const list = ConcurrentSkipList.attach(workerData.handle);
  let stored = 0;
  for (let i = 0; i < KEYS; i++) {
    if (list.insert(new Uint8Array([workerData.id, i >> 8, i & 255]), new Uint8Array([i & 255]))) {
      stored++;
    }
  }
  parentPort.postMessage(stored);
}
