/**
 * A writer of the preemptive-kill test (`preemptive_kill.mjs`), run as a
 * `worker_threads` worker: attaches the shared list and writes in one tight
 * synchronous loop, never yielding to its event loop, logging each write as
 * `kill_log.mjs` describes, until the main thread raises STOP, its op budget
 * is spent, or it is terminated (anywhere: Node interrupts running code).
 *
 * workerData: `bundle` (path of the bundled module). Then one message, its
 * task: `handle` (`list.share()`), `log` (its Int32Array log), `writer` (its
 * id), `seed`, `ops` (budget), `pool` (an Int32Array of key ids it may
 * overwrite and delete, besides the keys it creates). It attaches the list
 * only then, so it can be started (and load the module) before the list is
 * ready for it. It replies `{ ops }` when it stopped.
 *
 * Ops: insert a fresh key, put a fresh key, put a key of the pool, delete a
 * key of the pool, delete a fresh key (a tombstone for an absent key). Fresh
 * keys are the writer's own (`freshKeyId(writer, op)`) and join its pool.
 */

import { parentPort, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { deriveSeed, freshKeyId, KeyCodec, Rng, ValueCodec } from "./kill_codec.mjs";
import { acknowledge, begin, capacityOf, DELETE, FULL, INSERT, PUT, STOP } from "./kill_log.mjs";

const { ConcurrentSkipList } = await import(pathToFileURL(workerData.bundle).href);
parentPort.once("message", run);

function run({ handle, log, writer, seed, ops: budget, pool: initialPool }) {
  const list = ConcurrentSkipList.attach(handle);
  const rng = new Rng(deriveSeed(seed, writer));
  const keys = new KeyCodec();
  const values = new ValueCodec();
  const pool = Array.from(initialPool);
  const ops = Math.min(budget, capacityOf(log));
  let n = 0;
  for (; n < ops; n++) {
    if (Atomics.load(log, STOP) !== 0) break;
    const roll = rng.below(100);
    let kind;
    let key;
    if (pool.length === 0 || roll < 40) {
      [kind, key] = [INSERT, freshKeyId(writer, n)];
    } else if (roll < 48) {
      [kind, key] = [PUT, freshKeyId(writer, n)];
    } else if (roll < 73) {
      [kind, key] = [PUT, pool[rng.below(pool.length)]];
    } else if (roll < 90) {
      [kind, key] = [DELETE, pool[rng.below(pool.length)]];
    } else {
      [kind, key] = [DELETE, freshKeyId(writer, n)];
    }
    if (key === freshKeyId(writer, n)) pool.push(key);
    begin(log, n, kind, key);
    let result;
    if (kind === INSERT) {
      result = list.insert(keys.key(key), values.value(writer, n, key)) ? 1 : 0;
    } else if (kind === PUT) {
      list.put(keys.key(key), values.value(writer, n, key));
      result = 1;
    } else {
      result = list.delete(keys.key(key)) ? 1 : 0;
    }
    acknowledge(log, n, result);
  }
  if (n === capacityOf(log)) Atomics.store(log, FULL, 1);
  parentPort.postMessage({ ops: n });
}
