/**
 * Resident memory over seal cycles, as an LSM engine runs them: fill a list
 * to `maxMemoryBytes`, seal it, iterate the frozen memtable (the flush), then
 * release it (or, with `--drop`, only drop it, as a program that does not
 * release would), and go on in the fresh list.
 *
 *   deno run --allow-read bench/memory_growth.ts [cycles=80] [memtableMiB=64] [--drop]
 *
 * Without a release V8 keeps the dropped buffers resident (it does not count
 * `SharedArrayBuffer` memory towards garbage collection): the peak grows by
 * about one memtable per cycle. With it, two buffers serve every cycle.
 *
 * @module
 */

import { ConcurrentSkipList } from "../mod.ts";

const positional = Deno.args.filter((arg) => !arg.startsWith("--"));
const drop = Deno.args.includes("--drop");
const cycles = Number(positional[0] ?? 80);
const memtableBytes = Number(positional[1] ?? 64) * 2 ** 20;
const MiB = (bytes: number) => Math.round(bytes / 2 ** 20);
const rss = () => Deno.memoryUsage().rss;

let list = new ConcurrentSkipList({ maxMemoryBytes: memtableBytes });
const key = new Uint8Array(16);
const keyView = new DataView(key.buffer);
const value = new Uint8Array(64);
let peak = rss();
let sequence = 0;
for (let cycle = 0; cycle < cycles; cycle++) {
  while (!list.isUnderBackpressure()) {
    keyView.setUint32(0, Math.random() * 2 ** 32);
    keyView.setUint32(4, sequence++);
    list.insert(key, value);
  }
  const sealed = list;
  const [frozen, fresh] = sealed.seal();
  let flushed = 0;
  for (const _ of frozen) flushed++;
  if (!drop) {
    sealed.release();
    frozen.release();
  }
  list = fresh;
  peak = Math.max(peak, rss());
  if (cycle % 10 === 0) {
    console.log(`cycle ${cycle}: ${flushed} entries flushed, rss ${MiB(rss())} MiB`);
  }
}
console.log(
  `${cycles} cycles of ${MiB(memtableBytes)} MiB memtables, ${drop ? "dropped" : "released"}: ` +
    `peak rss ${MiB(peak)} MiB`,
);
