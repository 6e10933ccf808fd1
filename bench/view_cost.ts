/**
 * What the views fastskip returns cost, and how much of a read they are.
 *
 * Every `Entry`, `getLive` result and `cursor.entry()` hands out views of the
 * list's shared memory (`new Uint8Array(arena.buffer, offset, length)`, in
 * `src/_core.ts`); the peers return the caller's own arrays and allocate
 * nothing. Two groups:
 *
 * - `16-byte view`: a key view and a value view per step over the four kinds
 *   of buffer a view can be made of. The arena is a growable
 *   `SharedArrayBuffer`, whose views V8 builds with a call into the runtime
 *   for the buffer's current length (`Runtime_GrowableSharedArrayBufferByteLength`
 *   under perf on Node 24, which names V8's builtins); a fixed-length one, as
 *   a shared `WebAssembly.Memory` hands out (and swaps for a longer one when
 *   it grows), skips that call.
 * - `seek + 10 · 10k`: the `single_thread_bench.ts` operation of that name,
 *   taken apart: the seeks alone, the seeks and their ten steps, and the
 *   whole operation (the steps' entries, two views each, read as the
 *   benchmark reads them).
 *
 * ```sh
 * deno bench --allow-read --allow-env bench/view_cost.ts
 * ```
 *
 * @module
 */

import { ConcurrentSkipList } from "../mod.ts";
import { makeDataSet } from "./data.ts";
import { KEY_BYTES, VALUE_BYTES } from "./keys.ts";

/** Views made per iteration of the first group (half keys, half values). */
const VIEWS = 20_000;
/** Bytes the views are spread over: past the first-level cache, within the second. */
const SPAN_BYTES = 256 * 1024;
/** Bytes between two steps' views: a 16-byte key then an 8-byte value, as in a node. */
const STEP_BYTES = 64;
/** A WebAssembly page. */
const WASM_PAGE_BYTES = 64 * 1024;

const buffers: [name: string, buffer: ArrayBufferLike][] = [
  ["ArrayBuffer", new ArrayBuffer(SPAN_BYTES)],
  ["fixed SharedArrayBuffer", new SharedArrayBuffer(SPAN_BYTES)],
  [
    "growable SharedArrayBuffer (the arena's kind)",
    new SharedArrayBuffer(SPAN_BYTES, { maxByteLength: 1 << 30 }),
  ],
  [
    "shared WebAssembly.Memory's buffer (fixed length)",
    new WebAssembly.Memory({
      initial: SPAN_BYTES / WASM_PAGE_BYTES,
      maximum: (1 << 30) / WASM_PAGE_BYTES,
      shared: true,
    }).buffer,
  ],
];

/** Makes VIEWS views of `buffer` and reads a byte of each, as a scan of entries does. */
function makeViews(buffer: ArrayBufferLike): number {
  let sum = 0;
  for (let step = 0; step < VIEWS / 2; step++) {
    const at = (step * STEP_BYTES) % SPAN_BYTES;
    const key = new Uint8Array(buffer, at, KEY_BYTES);
    const value = new Uint8Array(buffer, at + KEY_BYTES, VALUE_BYTES);
    sum += key[0]! + value[0]!;
  }
  return sum;
}

for (const [name, buffer] of buffers) {
  Deno.bench({
    name,
    group: `16-byte view [${VIEWS} views]`,
    baseline: name.startsWith("growable"),
    fn() {
      if (makeViews(buffer) < 0) throw new Error("unreachable: sums are not negative");
    },
  });
}

// ---- seek + 10 at 10k, taken apart ----

const SIZE = 10_000;
/** Seeks per iteration, and entries read after each, as in `single_thread_bench.ts`. */
const BATCH = 1000;
const SEEK_ENTRIES = 10;
const POOL = 100_000;

const data = makeDataSet(SIZE, POOL, 0);
const list = new ConcurrentSkipList({ seed: 42 });
for (let i = 0; i < SIZE; i++) list.insert(data.keys[i]!, data.values[i]!);
let nextSeek = 0;

/** What each part reads after a seek: nothing, the steps only, or every entry's two views. */
type Part = "seeks" | "steps" | "entries";

function seekBatch(part: Part): number {
  const from = nextSeek;
  nextSeek = (nextSeek + BATCH) % POOL;
  let sum = 0;
  for (let i = from; i < from + BATCH; i++) {
    const cursor = list.cursorAt(data.seeks[i]!);
    if (cursor === undefined) continue;
    if (part === "seeks") {
      sum++;
      continue;
    }
    for (let k = 0; k < SEEK_ENTRIES; k++) {
      if (part === "entries") {
        const entry = cursor.entry();
        if (entry === undefined) break;
        sum += entry.key[0]! + entry.value[0]!;
      } else if (!cursor.valid()) {
        break;
      } else {
        sum++;
      }
      if (k + 1 < SEEK_ENTRIES) cursor.nextEntry();
    }
  }
  return sum;
}

for (const part of ["seeks", "steps", "entries"] as const) {
  Deno.bench({
    name: part === "seeks"
      ? "cursorAt alone"
      : part === "steps"
      ? "cursorAt + 10 steps, no entry read"
      : "cursorAt + 10 entries (the benchmark)",
    group: `seek + 10 · 10k [${BATCH} ops]`,
    baseline: part === "entries",
    fn() {
      if (seekBatch(part) <= 0) throw new Error("no seek landed: the data set is wrong");
    },
  });
}
