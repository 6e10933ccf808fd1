/**
 * Bun worker of `concurrent_inserts.ts`: attaches the shared list, waits at
 * the start line, then inserts (1) the contended keys every worker inserts,
 * in ascending order so that all workers meet in the list's tail gap, and
 * (2) its own disjoint keys, recording in the shared results array which
 * inserts returned true.
 *
 * @module
 */

import { ConcurrentSkipList, InsertError, type SkipListHandle } from "../../mod.ts";
import { decodeValue, KeyCodec, ValueCodec } from "../concurrency/support/codec.ts";

/** What the script sends. */
export interface InsertJob {
  readonly handle: SkipListHandle;
  readonly worker: number;
  readonly workers: number;
  /** Contended keys `0 … contended-1`, inserted by every worker. */
  readonly contended: number;
  /** Disjoint keys per worker, after the contended ones. */
  readonly own: number;
  /** Int32 words: [0] ready count, [1] go flag, then one result per insert. */
  readonly shared: SharedArrayBuffer;
}

/** What the worker answers. */
export interface InsertReport {
  readonly worker: number;
  readonly wins: number;
  readonly problems: string[];
}

interface Scope {
  onmessage: ((event: MessageEvent<InsertJob>) => void) | null;
  postMessage(message: InsertReport): void;
}
const scope = globalThis as unknown as Scope;

scope.onmessage = ({ data: job }) => {
  const list = ConcurrentSkipList.attach(job.handle);
  const results = new Int32Array(job.shared);
  const keys = new KeyCodec();
  const values = new ValueCodec();
  const problems: string[] = [];
  let wins = 0;
  Atomics.add(results, 0, 1);
  while (Atomics.load(results, 1) === 0) Atomics.wait(results, 1, 0, 50);
  // (1) Contended: alternate insert, tryInsert, getOrInsert by worker.
  const base = 2 + job.worker * (job.contended + job.own);
  for (let key = 0; key < job.contended; key++) {
    const value = values.value(job.worker, key, key);
    let won = false;
    switch (job.worker % 3) {
      case 0:
        won = list.insert(keys.key(key), value);
        break;
      case 1:
        try {
          list.tryInsert(keys.key(key), value);
          won = true;
        } catch (error) {
          if (!(error instanceof InsertError) || error.kind !== "DuplicateKey") {
            problems.push(`tryInsert(${key}) threw ${error}`);
          }
        }
        break;
      default: {
        const [stored, inserted] = list.getOrInsert(keys.key(key), value);
        won = inserted;
        if (!inserted && decodeValue(stored, key) < 0) {
          problems.push(`getOrInsert(${key}) returned a corrupt value`);
        }
      }
    }
    if (won) wins++;
    results[base + key] = won ? 1 : 0;
  }
  // (2) Disjoint: worker w owns keys contended + i * workers + w.
  for (let i = 0; i < job.own; i++) {
    const key = job.contended + i * job.workers + job.worker;
    const won = list.insert(keys.key(key), values.value(job.worker, job.contended + i, key));
    if (!won) problems.push(`insert of own key ${key} returned false`);
    results[base + job.contended + i] = won ? 1 : 0;
  }
  scope.postMessage({ worker: job.worker, wins, problems: problems.slice(0, 10) });
};
