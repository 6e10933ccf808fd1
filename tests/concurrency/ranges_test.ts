/**
 * Readers in their own workers walk the live list backwards (`range({
 * reverse: true })`, `seekToLast` + `prevEntry`), run bounded ranges in
 * both directions and land with `cursorForPrev`, while writers insert,
 * overwrite and delete: a reverse walk never goes forwards, a bounded range
 * never leaves its bounds, and neither skips a key that existed when it
 * started (see support/range_walks.ts for the checks).
 */

import assert from "node:assert/strict";
import { report } from "./support/harness.ts";
import { readWhileWriting } from "./support/reading.ts";
import { SEEDS } from "./support/rng.ts";

Deno.test("reverse and bounded ranges during writes never go the wrong way, never leave their bounds, never skip a key that existed", async (t) => {
  for (const seed of SEEDS) {
    await t.step(`seed ${seed.toString(16)}`, async () => {
      // Every 5th key exists before anyone starts.
      const { list, writers, readers } = await readWhileWriting(seed, {
        writerOps: 40_000,
        preload: { first: 2, every: 5 },
        preloader: 111,
        readers: { seed: seed ^ 0x7261_6e67, walks: "ranges" },
      });
      const walks = readers.reduce((sum, d) => sum + d.passes, 0);
      const ranges = readers.reduce((sum, d) => sum + d.seeks, 0);
      // Each reader's last round starts after the writers finished, so it made
      // at least two whole reverse walks and some bounded ranges.
      assert.ok(walks >= 2 * readers.length, `${walks} reverse walks`);
      assert.ok(ranges > 0, `${ranges} bounded ranges and landings`);
      // The list read backwards is the list read forwards, reversed.
      assert.deepEqual(
        [...list.range({ reverse: true })].map((e) => [...e.key]),
        [...list].map((e) => [...e.key]).reverse(),
      );
      report("ranges during writes", {
        seed,
        workers: writers.length + readers.length,
        writerOps: writers.reduce((sum, d) => sum + d.ops, 0),
        readerOps: readers.reduce((sum, d) => sum + d.ops, 0),
        reverseWalks: walks,
        rangesAndLandings: ranges,
        roundsDuringWrites: readers.reduce((sum, d) => sum + (d.roundsDuringWrites ?? 0), 0),
      });
    });
  }
});
