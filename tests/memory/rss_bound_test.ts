/**
 * Memory that comes back: an engine that seals at `maxMemoryBytes = M`,
 * flushes each frozen memtable and releases every instance keeps its
 * resident memory within a small multiple of M over any number of cycles.
 *
 * V8 does not count `SharedArrayBuffer` memory towards its collection
 * heuristics: without reuse the same loops grow by about M per cycle (80
 * dropped 64 MiB memtables reached 4.6 GB). The bound asserted here, 4 × M
 * above the resident memory before the first cycle, leaves room for the two
 * buffers in use (the one being filled, the one being flushed) and the
 * heaps' own growth, and is far from what one missing reuse costs.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList, type FrozenMemtable, type SkipListHandle } from "../../mod.ts";
import { fill, flush } from "./lifecycle.ts";
import type { LifecycleReply, LifecycleTask } from "./lifecycle_worker.ts";

const M = 16 << 20;
const CYCLES = 100;
/** Entries per cycle: about 90 % of M at ~310 bytes an entry (checked below). */
const ENTRIES = 48_000;
const MiB = (bytes: number) => Math.round(bytes / 2 ** 20);
const rss = () => Deno.memoryUsage().rss;

/** Checks one sealed cycle's size and what its flush found. */
function checkCycle(cycle: number, frozen: FrozenMemtable, entries: number, foreign: number) {
  assert.equal(entries, ENTRIES, `cycle ${cycle}: the flush saw every entry once`);
  assert.equal(foreign, 0, `cycle ${cycle}: no entry of another cycle`);
  assert.ok(frozen.memoryUsage() > 0.8 * M, `cycle ${cycle}: a memtable of about M`);
}

/** Asserts the bound and prints the figures the README quotes. */
function report(shape: string, before: number, peak: number, buffers: number): void {
  console.log(
    `${shape}: ${CYCLES} cycles of ${MiB(M)} MiB memtables: rss before ${MiB(before)} MiB, ` +
      `peak ${MiB(peak)} MiB (+${MiB(peak - before)} MiB), ${buffers} buffers used`,
  );
  assert.ok(
    peak - before < 4 * M,
    `resident memory grew by ${MiB(peak - before)} MiB, past 4 × ${MiB(M)} MiB`,
  );
}

Deno.test("100 seal cycles of 16 MiB memtables in one agent stay within 4 × M of resident memory", () => {
  const before = rss();
  let peak = before;
  const buffers = new Set<SkipListHandle["memory"]>();
  let list = new ConcurrentSkipList({ maxMemoryBytes: M });
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    buffers.add(list.share().memory);
    fill(list, cycle, 0, ENTRIES);
    const [frozen, fresh] = list.seal();
    const { entries, foreign } = flush(frozen, cycle);
    checkCycle(cycle, frozen, entries, foreign);
    frozen.release();
    list = fresh;
    peak = Math.max(peak, rss());
  }
  list.release();
  report("one agent", before, peak, buffers.size);
  assert.ok(buffers.size <= 3, `${buffers.size} buffers served ${CYCLES} lists`);
});

/** A Worker answering lifecycle tasks one at a time. */
class LifecycleAgent {
  readonly worker = new Worker(new URL("./lifecycle_worker.ts", import.meta.url), {
    type: "module",
  });

  ask(task: LifecycleTask): Promise<LifecycleReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${task.type}`)), 120_000);
      this.worker.onmessage = ({ data }: MessageEvent<LifecycleReply>) => {
        clearTimeout(timer);
        if (data.type === "failed") reject(new Error(data.error));
        else resolve(data);
      };
      this.worker.onerror = (event) => {
        clearTimeout(timer);
        event.preventDefault();
        reject(new Error(event.message));
      };
      this.worker.postMessage(task);
    });
  }
}

Deno.test("100 seal cycles with writer and flusher Workers stay within 4 × M and refuse stale handles", async () => {
  const writers = [new LifecycleAgent(), new LifecycleAgent()];
  const flusher = new LifecycleAgent();
  const all = [...writers, flusher];
  try {
    // Warm the workers up on a small list, so that the baseline holds their heaps.
    const warm = new ConcurrentSkipList();
    await Promise.all(
      all.map((agent, writer) =>
        agent.ask({ type: "fill", handle: warm.share(), cycle: 0, writer, count: 100 })
      ),
    );
    warm.release();
    const before = rss();
    let peak = before;
    const buffers = new Set<SkipListHandle["memory"]>();
    let list = new ConcurrentSkipList({ maxMemoryBytes: M });
    let staleHandle = list.share();
    let staleRefused = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      buffers.add(list.share().memory);
      const handle = list.share();
      await Promise.all(
        writers.map((agent, writer) =>
          agent.ask({ type: "fill", handle, cycle, writer, count: ENTRIES / writers.length })
        ),
      );
      const [frozen, fresh] = list.seal();
      list.release(); // handed over: only this instance stops; frozen keeps the claim
      const flushed = await flusher.ask({ type: "flush", handle: frozen.share(), cycle });
      assert.equal(flushed.type, "flushed");
      if (flushed.type === "flushed") checkCycle(cycle, frozen, flushed.entries, flushed.foreign);
      frozen.release(); // the last instance: its buffer serves a later list
      list = fresh;
      // A handle of a list whose instances were all released never attaches,
      // whether its buffer was reused yet or not.
      if (cycle % 10 === 9) {
        const answer = await writers[0]!.ask({ type: "attach", handle: staleHandle });
        assert.equal(answer.type, "attached");
        if (answer.type === "attached") {
          assert.match(answer.error ?? "attached", /^TypeError: .*was released/);
          staleRefused++;
        }
        staleHandle = list.share();
        list.validate();
      }
      peak = Math.max(peak, rss());
    }
    list.release();
    report("writer and flusher Workers", before, peak, buffers.size);
    assert.ok(buffers.size <= 3, `${buffers.size} buffers served ${CYCLES} lists`);
    assert.equal(staleRefused, CYCLES / 10);
  } finally {
    for (const agent of all) agent.worker.terminate();
  }
});
