/**
 * Readers in their own workers iterate (`iter()`, cursor `nextEntry()`) and
 * seek (`cursorAt`, `cursor.seek`) while writers insert, overwrite and
 * delete: keys always come in ascending order, nothing is yielded twice,
 * no key that existed when a walk or seek started is skipped, and every
 * value read is intact (see workers/reader.ts for how "existed" is known).
 */

import assert from "node:assert/strict";
import { report } from "./support/harness.ts";
import { readWhileWriting } from "./support/reading.ts";
import { SEEDS } from "./support/rng.ts";

Deno.test("readers iterating and seeking during writes never go backwards and never skip a key that existed", async (t) => {
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      // Every 7th key exists before anyone starts.
      const { writers, readers } = await readWhileWriting(seed, {
        writerOps: 25_000,
        preload: { first: 3, every: 7 },
        preloader: 110,
      });
      const passes = readers.reduce((sum, d) => sum + d.passes, 0);
      const seeks = readers.reduce((sum, d) => sum + d.seeks, 0);
      // A reader's last round starts after the writers finished, so each
      // made at least two full walks; the walks ran during the writes
      // unless the machine starved the readers completely.
      assert.ok(passes >= 2 * readers.length);
      report("readers during writes", {
        seed,
        workers: writers.length + readers.length,
        writerOps: writers.reduce((sum, d) => sum + d.ops, 0),
        readerOps: readers.reduce((sum, d) => sum + d.ops, 0),
        walks: passes,
        seeks,
      });
    });
  }
});
