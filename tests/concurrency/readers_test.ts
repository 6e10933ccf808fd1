/**
 * Readers in their own workers iterate (`iter()`, cursor `nextEntry()`) and
 * seek (`cursorAt`, `cursor.seek`) while writers insert, overwrite and
 * delete: keys always come in ascending order, nothing is yielded twice,
 * no key that existed when a walk or seek started is skipped, and every
 * value read is intact (see workers/reader.ts for how "existed" is known).
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { KeyCodec, ValueCodec } from "./support/codec.ts";
import {
  readAll,
  READER_URL,
  report,
  startTogether,
  withAgents,
  WRITER_URL,
} from "./support/harness.ts";
import { Control, STOP } from "./support/protocol.ts";
import { SEEDS } from "./support/rng.ts";
import { writerTask } from "./support/scenario.ts";
import type { Workload } from "./support/workload.ts";

const WRITERS = 2;
const READERS = 2;
const WRITER_OPS = 25_000;
/** Writer id of the preloaded values (outside the writers' ids). */
const PRELOADER = 110;

const workload: Workload = {
  kind: "random",
  keys: 12_000,
  ownership: "own",
  // Sparse keys, so new nodes keep appearing everywhere; deletes leave
  // tombstones, which iteration still yields.
  mix: { insert: 4, put: 2, delete: 2, tryDelete: 1 },
};

Deno.test("readers iterating and seeking during writes never go backwards and never skip a key that existed", async (t) => {
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      const list = new ConcurrentSkipList({ seed, arenaBytes: 64 * 1024 });
      // Every 7th key exists before anyone starts.
      const preloaded: number[] = [];
      const keys = new KeyCodec();
      const values = new ValueCodec();
      for (let key = 3; key < workload.keys; key += 7) {
        assert.ok(list.insert(keys.key(key), values.value(PRELOADER, preloaded.length, key)));
        preloaded.push(key);
      }
      const control = Control.create(WRITERS);
      const specs = [
        ...Array.from({ length: WRITERS }, (_, i) => ({ url: WRITER_URL, name: `writer ${i}` })),
        ...Array.from({ length: READERS }, (_, i) => ({ url: READER_URL, name: `reader ${i}` })),
      ];
      const result = await withAgents(specs, async (agents) => {
        for (let w = 0; w < WRITERS; w++) {
          agents[w].send(writerTask({
            handle: list.share(),
            control: control.buffer,
            worker: w,
            workers: WRITERS,
            seed,
            workload,
            ops: WRITER_OPS,
            // Preloaded keys break the writers' model (they start absent
            // there); correctness of results is other tests' business.
            verify: false,
          }));
        }
        for (let r = 0; r < READERS; r++) {
          agents[WRITERS + r].send({
            type: "read",
            handle: list.share(),
            control: control.buffer,
            reader: r,
            seed,
            writers: WRITERS,
            writerSeed: seed,
            workload,
            preloaded,
          });
        }
        await startTogether(control, WRITERS + READERS);
        const writers = [];
        for (let w = 0; w < WRITERS; w++) writers.push(await agents[w].finish());
        control.set(STOP, 1);
        const readers = [];
        for (let r = 0; r < READERS; r++) readers.push(await agents[WRITERS + r].finish());
        return { writers, readers };
      });
      const passes = result.readers.reduce((sum, d) => sum + d.passes, 0);
      const seeks = result.readers.reduce((sum, d) => sum + d.seeks, 0);
      // A reader's last round starts after the writers finished, so each
      // made at least two full walks; the walks ran during the writes
      // unless the machine starved the readers completely.
      assert.ok(passes >= 2 * READERS);
      // Afterwards: the structure, and every key ever written is there.
      const structure = list.validate();
      assert.equal(list.size, structure.liveEntries);
      assert.ok(readAll(list, "list after the writes").length >= preloaded.length);
      report("readers during writes", {
        seed,
        workers: WRITERS + READERS,
        writerOps: WRITERS * WRITER_OPS,
        readerOps: result.readers.reduce((sum, d) => sum + d.ops, 0),
        walks: passes,
        seeks,
      });
    });
  }
});
