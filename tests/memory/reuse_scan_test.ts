/**
 * Reuse stays cheap and still finds released memory however many lists an
 * agent leaves unreleased: a new list looks at the buffers this agent
 * released first, then at a bounded, rotating slice of those it created
 * (`src/_arena_pool.ts`). Timings are never asserted; which buffer a new
 * list gets is.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { CLAIM_SCAN } from "../../src/_arena_pool.ts";
import { fill } from "./lifecycle.ts";
import { releaseLastInWorker } from "./release_elsewhere.ts";

/** Lists this agent keeps, unreleased, while the tests look for released memory. */
const UNRELEASED = 100;

/** `count` lists, each written to, none released (they stay reuse candidates). */
function unreleasedLists(count: number): ConcurrentSkipList[] {
  const lists: ConcurrentSkipList[] = [];
  for (let i = 0; i < count; i++) {
    const list = new ConcurrentSkipList({ arenaBytes: 64 * 1024 });
    list.insert(new Uint8Array([i & 0xff]), new Uint8Array([1]));
    lists.push(list);
  }
  return lists;
}

Deno.test("a list released in this agent serves the next new list, whatever else this agent holds", () => {
  const held = unreleasedLists(UNRELEASED);
  const list = new ConcurrentSkipList({ arenaBytes: 64 * 1024 });
  fill(list, 1, 0, 200);
  const buffer = list.share().memory;
  list.release();
  const next = new ConcurrentSkipList({ arenaBytes: 64 * 1024 });
  assert.equal(next.share().memory, buffer, "the released buffer, claimed first");
  assert.ok(next.isEmpty());
  for (const done of [next, ...held]) done.release();
});

Deno.test("a list released in another agent serves one of the next few new lists here", async () => {
  const held = unreleasedLists(UNRELEASED);
  const list = new ConcurrentSkipList({ arenaBytes: 64 * 1024 });
  fill(list, 7, 0, 200);
  const [frozen, fresh] = list.seal();
  const buffer = frozen.share().memory;
  assert.deepEqual(await releaseLastInWorker(frozen), ["attached 200", "released 200"]);
  // A new list that finds nothing adds a candidate: every one is looked at
  // within ceil(candidates / (CLAIM_SCAN - 1)) new lists, wherever the scan stood.
  const candidates = UNRELEASED + 2; // the held lists, the sealed one, `fresh`
  const within = Math.ceil(candidates / (CLAIM_SCAN - 1)) + 1;
  const made: ConcurrentSkipList[] = [];
  let reusedAt = -1;
  for (let i = 0; i < within && reusedAt < 0; i++) {
    const next = new ConcurrentSkipList({ arenaBytes: 64 * 1024 });
    made.push(next);
    if (next.share().memory === buffer) reusedAt = i;
  }
  assert.ok(reusedAt >= 0, `not reused within ${within} new lists`);
  assert.ok(made[reusedAt]!.isEmpty());
  for (const done of [fresh, ...made, ...held]) done.release();
});

Deno.test("released memory is still reused after garbage collections between the release and the next list", async () => {
  // In a child with gc() exposed: a weakly held entry must live as long as its buffer.
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--v8-flags=--expose-gc",
      "--allow-read",
      new URL("./reuse_after_gc.ts", import.meta.url).href,
    ],
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await child.output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assert.equal(code, 0, out);
  assert.match(out, /reused after gc: here true, elsewhere true/);
});
