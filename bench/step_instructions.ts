/**
 * Instructions per lookup and per scan step on a frozen list, against a
 * hand-written lookup over the same records, independently of machine
 * noise: run one variant twice under cachegrind with different repetition
 * counts and divide the difference by the extra operations.
 *
 * ```sh
 * for reps in 5 25; do
 *   valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
 *     deno run --v8-flags=--single-threaded --allow-read bench/step_instructions.ts lookup $reps |&
 *     grep "I *refs"
 * done
 * # lookups, hand: (I refs at 25 − I refs at 5) / (20 × 10,000) per lookup
 * # scans (raw, entry, handscan): the same with reps 3 and 7, divided by 4 × 100,000
 * # entries (reps 1 still includes the compiler's warm-up)
 * ```
 *
 * Variants: `hand` (a lookup written directly over the records, with the
 * library's probe and key comparison), `lookup` (`containsKey` on the
 * frozen list), `raw` (a `RawCursor` step), `entry` (an iteration step
 * yielding an `Entry`), `handscan` (a step written directly over the
 * records: next link, newest version, its stamp, the key's first byte). The
 * process first fills a private list of 100k entries and seals it, so the
 * search has seen both a private and a frozen list, as in the benchmarks.
 * Last measured (format 4): hand 1,860, lookup 2,770, raw 665, entry 1,590.
 * Format 5, before and after `Position.next` stepped a private or frozen
 * list by plain loads itself (reps 3 and 7): raw 427 → 252, entry 1,185 →
 * 1,075; handscan 93.
 *
 * @module
 */

import { ConcurrentSkipList } from "../mod.ts";
import { bufferOf } from "../src/_backing.ts";
import { compareProbe, Probe } from "../src/_keys.ts";
import {
  headAddress,
  HEIGHT,
  LEVEL_WORDS,
  LINK_BOUND,
  NODE_NEXT,
  NODE_VERSIONS,
  STRIPE_COUNT,
  VERSION_STAMP,
} from "../src/_layout.ts";
import { keyLengthOf, keyWordOf } from "../src/_records.ts";
import { VALUE_BYTES, writeKey } from "./keys.ts";

const ENTRIES = 100_000;
/** Lookups per repetition. */
const PROBES = 10_000;

const variant = Deno.args[0] ?? "lookup";
const reps = Number(Deno.args[1] ?? 1);
const VARIANTS = ["hand", "lookup", "raw", "entry", "handscan"];
if (!VARIANTS.includes(variant) || !(reps >= 0)) {
  throw new RangeError(`usage: step_instructions.ts ${VARIANTS.join("|")} REPS`);
}

const list = new ConcurrentSkipList({ arenaBytes: 64 << 20, seed: 1 });
const key = new Uint8Array(16);
const value = new Uint8Array(VALUE_BYTES);
for (let i = 0; i < ENTRIES; i++) {
  writeKey(key, 1, i);
  list.insert(key, value);
}
const probes: Uint8Array[] = [];
for (let i = 0; i < PROBES; i++) {
  const probe = new Uint8Array(16);
  writeKey(probe, 1, (i * 7919) % ENTRIES);
  probes.push(probe);
}
const [frozen] = list.seal();
// Read without the library's layers (a frozen list never changes).
const buffer = bufferOf(frozen.share().memory);
const i32 = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
const head = headAddress(i32[STRIPE_COUNT]!);

/** A lookup by bounds over the records, as `src/_search.ts` does it, with nothing around it. */
function handFind(probe: Probe): number {
  const nodeNext = NODE_NEXT, levelWords = LEVEL_WORDS, linkBound = LINK_BOUND;
  const probeBound = probe.bound;
  let node = head;
  let above = 0;
  for (let level = i32[HEIGHT]! - 1; level >= 0; level--) {
    for (;;) {
      const link = node + nodeNext + levelWords * level;
      const next = i32[link]!;
      if (next === 0 || next === above) break;
      const bound = i32[link + linkBound]!;
      if (probeBound > bound) {
        node = next;
        continue;
      }
      if (probeBound < bound) break; // exact bounds: the list was never shared
      const order = compareProbe(probe, i32, keyWordOf(i32, next), keyLengthOf(i32, next));
      if (order === 0) return next;
      if (order < 0) {
        above = next;
        break;
      }
      node = next;
    }
  }
  return 0;
}

const probe = new Probe();
const runs: Record<string, () => number> = {
  hand: () => {
    let found = 0;
    for (const key of probes) {
      probe.set(key);
      if (handFind(probe) !== 0) found++;
    }
    return found;
  },
  lookup: () => {
    let found = 0;
    for (const key of probes) if (frozen.containsKey(key)) found++;
    return found;
  },
  raw: () => {
    let sum = 0;
    const cursor = frozen.rawCursor();
    while (cursor.nextEntry()) sum += cursor.bytes[cursor.keyOffset]!;
    return sum;
  },
  handscan: () => {
    let sum = 0;
    const u8 = new Uint8Array(buffer, 0, buffer.byteLength);
    for (let node = i32[head + NODE_NEXT]!; node !== 0; node = i32[node + NODE_NEXT]!) {
      const version = i32[node + NODE_VERSIONS]!;
      if (i32[version + VERSION_STAMP]! === 0) continue;
      sum += u8[keyWordOf(i32, node) * 4]!;
    }
    return sum;
  },
  entry: () => {
    let sum = 0;
    for (const entry of frozen) sum += entry.key[0]! + entry.value[0]!;
    return sum;
  },
};
let sum = 0;
for (let r = 0; r < reps; r++) sum += runs[variant]!();
console.log(`${variant} × ${reps}: ${sum}`);
