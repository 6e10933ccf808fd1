/**
 * Node, as a user of the npm package sees it: `@fastskip/fastskip` imported by
 * name from the `node_modules` of the scratch project that `npm/check.sh`
 * installs the packed tarball into, one list shared by two `worker_threads`
 * that insert disjoint keys at the same time, and every key found afterwards.
 *
 * The worker's id is the key's last byte, so both workers write the same
 * stretch of the list at once and race on the same links.
 */

import assert from "node:assert/strict";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { ConcurrentSkipList } from "@fastskip/fastskip";

const WORKERS = 2;
const KEYS = 20_000;
const keyOf = (worker, i) => Uint8Array.of(i >> 16 & 255, i >> 8 & 255, i & 255, worker);
const valueOf = (worker, i) => Uint8Array.of(worker, i & 255);

if (isMainThread) {
  const resolved = import.meta.resolve("@fastskip/fastskip");
  assert.match(resolved, /\/node_modules\/@fastskip\/fastskip\/mod\.js$/);
  const list = new ConcurrentSkipList();
  const workers = Array.from(
    { length: WORKERS },
    (_, id) => new Worker(new URL(import.meta.url), { workerData: { id, handle: list.share() } }),
  );
  let stored;
  try {
    stored = await Promise.all(workers.map((worker) =>
      new Promise((resolve, reject) => {
        worker.on("message", resolve);
        worker.on("error", reject);
      })
    ));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  assert.deepEqual(stored, Array(WORKERS).fill(KEYS), "each worker stored every one of its keys");
  for (let worker = 0; worker < WORKERS; worker++) {
    for (let i = 0; i < KEYS; i++) {
      assert.deepEqual(
        list.get(keyOf(worker, i)),
        [valueOf(worker, i), false],
        `key ${i} of worker ${worker}`,
      );
    }
  }
  assert.equal(list.size, WORKERS * KEYS);
  const report = list.validate();
  assert.equal(report.entries, WORKERS * KEYS);
  console.log(
    `node ${process.version}: ${WORKERS} worker_threads inserted ${WORKERS * KEYS} disjoint keys ` +
      `into one list, all found; ${resolved}`,
  );
} else {
  const list = ConcurrentSkipList.attach(workerData.handle);
  let stored = 0;
  for (let i = 0; i < KEYS; i++) {
    if (list.insert(keyOf(workerData.id, i), valueOf(workerData.id, i))) stored++;
  }
  parentPort.postMessage(stored);
}
