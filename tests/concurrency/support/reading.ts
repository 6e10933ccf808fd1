/**
 * The scenario both reader tests run: two writers insert, overwrite and
 * delete sparse keys while two readers walk the list (forwards, or
 * backwards and bounded) over keys some of which were stored before anyone
 * started; the readers check themselves (workers/reader.ts), this module
 * sets the scene and checks what is left.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../../mod.ts";
import { assertValid, readAll } from "./checks.ts";
import { KeyCodec, ValueCodec } from "./codec.ts";
import { runWriters } from "./harness.ts";
import type { Done, ReaderTask } from "./protocol.ts";
import type { Workload } from "./workload.ts";

const WRITERS = 2;
const READERS = 2;

const workload: Workload = {
  kind: "random",
  keys: 12_000,
  ownership: "own",
  // Sparse keys, so new nodes keep appearing everywhere, above and below
  // every walk; deletes leave tombstones, which walks still yield.
  mix: { insert: 4, put: 2, delete: 2, tryDelete: 1 },
};

/** What differs between the reader scenarios. */
export interface Reading {
  /** Ops per writer. */
  readonly writerOps: number;
  /** Key ids `preload.first`, `+ preload.every`, … exist before anyone starts. */
  readonly preload: { readonly first: number; readonly every: number };
  /** Writer id of the preloaded values (outside the writers' ids). */
  readonly preloader: number;
  /** The readers' task fields (their seed defaults to the writers'). */
  readonly readers?: Partial<Pick<ReaderTask, "seed" | "walks">>;
}

/** What a reader scenario left. */
export interface ReadingRun {
  readonly list: ConcurrentSkipList;
  readonly preloaded: readonly number[];
  readonly writers: Done[];
  /** One `done` per reader. */
  readonly readers: Done[];
}

/**
 * Runs the scenario under `seed`: preloads the keys, runs the writers with
 * the readers beside them (stopped once the writers are done), then checks
 * the list passes `validate()` with an exact `size`, and reads back in order
 * and intact, with at least the preloaded keys.
 */
export async function readWhileWriting(seed: number, reading: Reading): Promise<ReadingRun> {
  const list = new ConcurrentSkipList({ seed, arenaBytes: 64 * 1024 });
  const preloaded: number[] = [];
  const keys = new KeyCodec();
  const values = new ValueCodec();
  for (let key = reading.preload.first; key < workload.keys; key += reading.preload.every) {
    assert.ok(list.insert(keys.key(key), values.value(reading.preloader, preloaded.length, key)));
    preloaded.push(key);
  }
  const { done, readers } = await runWriters({
    list,
    seed,
    workload,
    workers: WRITERS,
    ops: reading.writerOps,
    // Preloaded keys break the writers' model (they start absent there);
    // correctness of results is other tests' business.
    verify: false,
    readers: { count: READERS, preloaded, ...reading.readers },
  });
  assert.equal(readers.length, READERS);
  assertValid(list, "list after the writes");
  assert.ok(readAll(list, "list after the writes").length >= preloaded.length);
  return { list, preloaded, writers: done, readers };
}
