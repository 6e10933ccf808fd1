/**
 * Range reads against the forward reads they are measured by, on 16-byte
 * random keys and 8-byte values (`keys.ts`), at N entries (default 100k).
 * Each group's baseline is the forward read; the other rows read as ratios
 * to it, and the targets are ratios:
 *
 * | group | baseline | compared | target |
 * | --- | --- | --- | --- |
 * | reverse scan, frozen | `range()` | `range({ reverse: true })`, `prevEntry` walk | ≤ 2× per entry |
 * | reverse scan, live list | `range()` | the same | ≤ 3× per entry |
 * | bounded 10 | `cursorAt` + 10 steps | `range({ gte, lt })` holding 10 entries; `{ gte, limit: 10 }` | ≤ 1× |
 * | merge of 3 | one frozen memtable of N, `range()` | `mergeReaders` over three of N/3 each | ≤ 3× per entry |
 *
 * Every row reads the same entries (checked before timing) and touches each
 * entry's key and value, as a flush or a listing would.
 *
 * ```sh
 * deno bench --allow-read --allow-env bench/range_bench.ts
 * FASTSKIP_RANGE_N=10000 deno bench --allow-read --allow-env bench/range_bench.ts
 * ```
 *
 * @module
 */

import {
  ConcurrentSkipList,
  type Entry,
  type FrozenMemtable,
  mergeReaders,
  type SkipListReader,
} from "../mod.ts";
import { makeKeys, SEED_KEYS, SEED_VALUES, sizeLabel, sortedCopy, VALUE_BYTES } from "./keys.ts";

function readN(): number {
  let text: string | undefined;
  try {
    text = Deno.env.get("FASTSKIP_RANGE_N");
  } catch {
    text = undefined; // no --allow-env: the default
  }
  const n = Number(text ?? 100_000);
  if (!Number.isInteger(n) || n < 1000) {
    throw new RangeError(`FASTSKIP_RANGE_N must be an integer >= 1000, received ${text}`);
  }
  return n;
}

const N = readN();
const SIZE = sizeLabel(N);
/** Bounded reads per iteration of the bounded-10 group. */
const BATCH = 1000;
/** Entries in each bounded read. */
const SPAN = 10;

const keys = makeKeys(N, SEED_KEYS);
const values = makeKeys(N, SEED_VALUES, VALUE_BYTES);
const sorted = sortedCopy(keys);

function build(from: number, step: number): ConcurrentSkipList {
  const list = new ConcurrentSkipList({ seed: 42 + from, maxArenaBytes: 1 << 30 });
  for (let i = from; i < N; i += step) list.insert(keys[i]!, values[i]!);
  return list;
}

const live = build(0, 1);
const frozen: FrozenMemtable = build(0, 1).seal()[0];
/** The same N entries in three memtables (every third key each), all sealed. */
const thirds: FrozenMemtable[] = [0, 1, 2].map((from) => build(from, 3).seal()[0]);
const merged = mergeReaders(thirds);

/** Bounded-read starts: random indices into the sorted keys, each with SPAN keys after it. */
const starts = (() => {
  let x = 0x5eed_00aa;
  return Array.from({ length: 100 * BATCH }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % (N - SPAN - 1);
  });
})();

/** Checksums land here so that no read can be optimised away. */
let sink = 0;

function scan(entries: Iterable<Entry>): number {
  let sum = 0;
  let count = 0;
  for (const entry of entries) {
    sum += entry.key[0]! + entry.value[0]!;
    count++;
  }
  return sum + count;
}

function prevWalk(reader: SkipListReader): number {
  const cursor = reader.cursor();
  let sum = 0;
  let count = 0;
  for (let ok = cursor.seekToLast(); ok; ok = cursor.prevEntry()) {
    const entry = cursor.entry()!;
    sum += entry.key[0]! + entry.value[0]!;
    count++;
  }
  return sum + count;
}

function cursorSpans(reader: SkipListReader, from: number): number {
  let sum = 0;
  for (let i = from; i < from + BATCH; i++) {
    const cursor = reader.cursorAt(sorted[starts[i]!]!)!;
    for (let k = 0; k < SPAN; k++) {
      const entry = cursor.entry()!;
      sum += entry.key[0]! + entry.value[0]!;
      cursor.nextEntry();
    }
  }
  return sum;
}

function rangeSpans(reader: SkipListReader, from: number, bounded: boolean): number {
  let sum = 0;
  for (let i = from; i < from + BATCH; i++) {
    const start = starts[i]!;
    const range = bounded
      ? reader.range({ gte: sorted[start]!, lt: sorted[start + SPAN]! })
      : reader.range({ gte: sorted[start]!, limit: SPAN });
    for (const entry of range) sum += entry.key[0]! + entry.value[0]!;
  }
  return sum;
}

// Before anything is timed: every row of a group reads the same entries.
{
  const forward = scan(frozen.range());
  for (
    const [what, got] of [
      ["reverse frozen", scan(frozen.range({ reverse: true }))],
      ["prevEntry frozen", prevWalk(frozen)],
      ["forward live", scan(live.range())],
      ["reverse live", scan(live.range({ reverse: true }))],
      ["prevEntry live", prevWalk(live)],
      ["merge of 3", scan(merged.range())],
      ["merge of 3, reverse", scan(merged.range({ reverse: true }))],
    ] as const
  ) {
    if (got !== forward) throw new Error(`${what}: checksum ${got}, expected ${forward}`);
  }
  const spans = cursorSpans(live, 0);
  if (rangeSpans(live, 0, true) !== spans || rangeSpans(live, 0, false) !== spans) {
    throw new Error("bounded ranges and cursor spans read different entries");
  }
}

const scanRuns = N > 50_000 ? { n: 10, warmup: 2 } : { n: 30, warmup: 5 };

for (const [kind, reader] of [["frozen", frozen], ["live list", live]] as const) {
  const group = `reverse scan · ${kind} · ${SIZE} [${N} entries]`;
  Deno.bench({
    name: "forward range()",
    group,
    baseline: true,
    ...scanRuns,
    fn: () => {
      sink += scan(reader.range());
    },
  });
  Deno.bench({
    name: "range({ reverse: true })",
    group,
    ...scanRuns,
    fn: () => {
      sink += scan(reader.range({ reverse: true }));
    },
  });
  Deno.bench({
    name: "seekToLast + prevEntry",
    group,
    ...scanRuns,
    fn: () => {
      sink += prevWalk(reader);
    },
  });
}

{
  const group = `bounded ${SPAN} · live list · ${SIZE} [${BATCH} ops]`;
  let offset = 0;
  const next = () => {
    const from = offset;
    offset = (offset + BATCH) % starts.length;
    return from;
  };
  Deno.bench({
    name: `cursorAt + ${SPAN} steps`,
    group,
    baseline: true,
    fn: () => {
      sink += cursorSpans(live, next());
    },
  });
  Deno.bench({
    name: `range({ gte, lt }) of ${SPAN}`,
    group,
    fn: () => {
      sink += rangeSpans(live, next(), true);
    },
  });
  Deno.bench({
    name: `range({ gte, limit: ${SPAN} })`,
    group,
    fn: () => {
      sink += rangeSpans(live, next(), false);
    },
  });
}

{
  const group = `merge · frozen · ${SIZE} [${N} entries]`;
  Deno.bench({
    name: "one memtable, range()",
    group,
    baseline: true,
    ...scanRuns,
    fn: () => {
      sink += scan(frozen.range());
    },
  });
  Deno.bench({
    name: "mergeReaders of 3, range()",
    group,
    ...scanRuns,
    fn: () => {
      sink += scan(merged.range());
    },
  });
  Deno.bench({
    name: "mergeReaders of 3, reverse",
    group,
    ...scanRuns,
    fn: () => {
      sink += scan(merged.range({ reverse: true }));
    },
  });
}

addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink); // never true; keeps `sink` observable
});
