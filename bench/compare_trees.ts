/**
 * Two versions of fastskip side by side in one process: this tree's
 * `mod.ts` (A) and another checkout's (B, e.g. a `git worktree` of a
 * branch), their rounds interleaved so that both see the same machine
 * noise. For a change to the layout or the search, where two separate
 * `deno bench` runs differ by more than the change itself on a shared
 * machine. Prints the median of the rounds (the first two left out) per
 * operation and B ÷ A.
 *
 * ```sh
 * git worktree add ../other some-branch
 * deno run -A bench/compare_trees.ts ../other/mod.ts 10000,100000,1000000 9
 * ```
 *
 * Operations, on a fresh list per round and size: random inserts (the
 * build), 20,000 get hits and misses, 5,000 seeks reading 10 entries, full
 * scans of the live list and of its sealed memtable (by `Entry` and by
 * `RawCursor`), and the same keys inserted in ascending order into another
 * fresh list.
 *
 * @module
 */

import * as A from "../mod.ts";
import { makeDataSet } from "./data.ts";

const other = Deno.args[0];
if (other === undefined) {
  throw new TypeError("compare_trees.ts: give the other tree's mod.ts as the first argument");
}
const B: typeof A = await import(new URL(other, `file://${Deno.cwd()}/`).href);
const sizes = (Deno.args[1] ?? "10000,100000,1000000").split(",").map(Number);
const rounds = Number(Deno.args[2] ?? 9);
/** Rounds left out of the medians: the compiler settles during them. */
const WARM_ROUNDS = 2;
const LOOKUPS = 20_000;
const SEEKS = 5_000;
const SEEK_ENTRIES = 10;
if (!(rounds > WARM_ROUNDS) || sizes.some((n) => !(Number.isInteger(n) && n >= 1000))) {
  throw new RangeError(
    `compare_trees.ts: sizes >= 1000 and rounds > ${WARM_ROUNDS}, received ${Deno.args.slice(1)}`,
  );
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
let sink = 0;

for (const n of sizes) {
  const data = makeDataSet(n, LOOKUPS, 0);
  const times = new Map<string, { a: number[]; b: number[] }>();
  const record = (op: string, side: "a" | "b", nsPerOp: number) => {
    if (!times.has(op)) times.set(op, { a: [], b: [] });
    times.get(op)![side].push(nsPerOp);
  };
  const timed = (op: string, side: "a" | "b", count: number, run: () => void) => {
    const start = performance.now();
    run();
    record(op, side, (performance.now() - start) * 1e6 / count);
  };
  for (let round = 0; round < rounds; round++) {
    for (const [side, lib] of [["a", A], ["b", B]] as const) {
      const list = new lib.ConcurrentSkipList({ seed: 42 });
      timed("insert random", side, n, () => {
        for (let i = 0; i < n; i++) list.insert(data.keys[i]!, data.values[i]!);
      });
      timed("get hit", side, LOOKUPS, () => {
        for (let i = 0; i < LOOKUPS; i++) sink += list.getLive(data.hits[i]!)?.length ?? 0;
      });
      timed("get miss", side, LOOKUPS, () => {
        for (let i = 0; i < LOOKUPS; i++) sink += list.getLive(data.misses[i]!)?.length ?? 0;
      });
      timed(`seek + ${SEEK_ENTRIES}`, side, SEEKS, () => {
        for (let i = 0; i < SEEKS; i++) {
          const cursor = list.cursorAt(data.seeks[i]!);
          for (let k = 0; cursor !== undefined && k < SEEK_ENTRIES; k++) {
            const entry = cursor.entry();
            if (entry === undefined) break;
            sink += entry.key[0]! + entry.value[0]!;
            if (k + 1 < SEEK_ENTRIES) cursor.nextEntry();
          }
        }
      });
      // Full scans: the live list, then the sealed one by Entry and by RawCursor.
      timed("scan live", side, n, () => {
        for (const entry of list) sink += entry.key[0]! + entry.value[0]!;
      });
      const [frozen] = list.seal();
      timed("scan frozen", side, n, () => {
        for (const entry of frozen) sink += entry.key[0]! + entry.value[0]!;
      });
      timed("scan RawCursor", side, n, () => {
        const cursor = frozen.rawCursor();
        while (cursor.nextEntry()) {
          sink += cursor.bytes[cursor.keyOffset]! + cursor.bytes[cursor.valueOffset]!;
        }
      });
      frozen.release();
      list.release();
      const ascending = new lib.ConcurrentSkipList({ seed: 42 });
      timed("insert sequential", side, n, () => {
        for (let i = 0; i < n; i++) ascending.insert(data.sorted[i]!, data.values[i]!);
      });
      ascending.release();
    }
  }
  for (const [op, { a, b }] of times) {
    const ma = median(a.slice(WARM_ROUNDS));
    const mb = median(b.slice(WARM_ROUNDS));
    console.log(
      `${n}\t${op.padEnd(18)}\tA ${ma.toFixed(0)} ns\tB ${mb.toFixed(0)} ns\tB ÷ A ${
        (mb / ma).toFixed(2)
      }`,
    );
  }
}
if (sink === 0.5) console.log(sink); // never true; keeps the reads observable
