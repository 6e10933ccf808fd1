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
import { assertValid, readAll } from "./support/checks.ts";
import { report, runWriters } from "./support/harness.ts";
import { SEEDS } from "./support/rng.ts";
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
      // The readers are told to stop once both writers are done.
      const { readers } = await runWriters({
        list,
        seed,
        workload,
        workers: WRITERS,
        ops: WRITER_OPS,
        // Preloaded keys break the writers' model (they start absent
        // there); correctness of results is other tests' business.
        verify: false,
        readers: { count: READERS, preloaded },
      });
      assert.equal(readers.length, READERS);
      const passes = readers.reduce((sum, d) => sum + d.passes, 0);
      const seeks = readers.reduce((sum, d) => sum + d.seeks, 0);
      // A reader's last round starts after the writers finished, so each
      // made at least two full walks; the walks ran during the writes
      // unless the machine starved the readers completely.
      assert.ok(passes >= 2 * READERS);
      // Afterwards: the structure, and every key ever written is there.
      assertValid(list, "list after the writes");
      assert.ok(readAll(list, "list after the writes").length >= preloaded.length);
      report("readers during writes", {
        seed,
        workers: WRITERS + READERS,
        writerOps: WRITERS * WRITER_OPS,
        readerOps: readers.reduce((sum, d) => sum + d.ops, 0),
        walks: passes,
        seeks,
      });
    });
  }
});
