/**
 * Readers in their own workers walk the live list backwards (`range({
 * reverse: true })`, `seekToLast` + `prevEntry`), run bounded ranges in
 * both directions and land with `cursorForPrev`, while writers insert,
 * overwrite and delete: a reverse walk never goes forwards, a bounded range
 * never leaves its bounds, and neither skips a key that existed when it
 * started (see support/range_walks.ts for the checks).
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
const WRITER_OPS = 40_000;
/** Writer id of the preloaded values (outside the writers' ids). */
const PRELOADER = 111;

const workload: Workload = {
  kind: "random",
  keys: 12_000,
  ownership: "own",
  // New nodes keep appearing everywhere, above and below every walk; deletes
  // leave tombstones, which ranges yield unless asked not to.
  mix: { insert: 4, put: 2, delete: 2, tryDelete: 1 },
};

Deno.test("reverse and bounded ranges during writes never go the wrong way, never leave their bounds, never skip a key that existed", async (t) => {
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      const list = new ConcurrentSkipList({ seed, arenaBytes: 64 * 1024 });
      // Every 5th key exists before anyone starts.
      const preloaded: number[] = [];
      const keys = new KeyCodec();
      const values = new ValueCodec();
      for (let key = 2; key < workload.keys; key += 5) {
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
        verify: false, // preloaded keys are not in the writers' model
        readers: { count: READERS, preloaded, seed: seed ^ 0x7261_6e67, walks: "ranges" },
      });
      assert.equal(readers.length, READERS);
      const walks = readers.reduce((sum, d) => sum + d.passes, 0);
      const ranges = readers.reduce((sum, d) => sum + d.seeks, 0);
      // Each reader's last round starts after the writers finished, so it made
      // at least two whole reverse walks and some bounded ranges.
      assert.ok(walks >= 2 * READERS, `${walks} reverse walks`);
      assert.ok(ranges > 0, `${ranges} bounded ranges and landings`);
      assertValid(list, "list after the writes");
      // Every value intact, and the list read backwards is the list read forwards, reversed.
      assert.ok(readAll(list, "list after the writes").length >= preloaded.length);
      assert.deepEqual(
        [...list.range({ reverse: true })].map((e) => [...e.key]),
        [...list].map((e) => [...e.key]).reverse(),
      );
      report("ranges during writes", {
        seed,
        workers: WRITERS + READERS,
        writerOps: WRITERS * WRITER_OPS,
        readerOps: readers.reduce((sum, d) => sum + d.ops, 0),
        reverseWalks: walks,
        rangesAndLandings: ranges,
        roundsDuringWrites: readers.reduce((sum, d) => sum + (d.roundsDuringWrites ?? 0), 0),
      });
    });
  }
});
