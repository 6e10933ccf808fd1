/**
 * The level store against memory-level, through the abstract-level API: the
 * same 100k entries (16-byte random keys, 100-byte values, `view` encodings)
 * in a FastskipLevel (the baseline), a FastskipLevel whose list was shared
 * (`db.share()`: from then on this agent reads and writes it with `Atomics`,
 * as every store does once workers may attach it) and a MemoryLevel, and,
 * for put and get, an AbstractLevel whose private methods do nothing: the
 * floor of the interface itself.
 *
 * | group | one iteration |
 * | --- | --- |
 * | put | 1000 `put`s overwriting stored keys |
 * | get | 1000 `get`s of stored keys (copies, from a pool of 100 000) |
 * | batch of 100 | 10 `batch`es of 100 overwrites |
 * | iterator gte + limit: 10 | 100 `iterator({ gte, limit: 10 }).all()` from absent targets |
 * | full iteration | `iterator().all()` over every entry |
 *
 * Group names end with the work of one iteration (`[1000 ops]`), to turn time
 * per iteration into time per operation. Memory per entry is measured apart,
 * by `level_memory.ts` (it needs `--expose-gc`).
 *
 * ```sh
 * deno bench --allow-read --allow-env bench/level_bench.ts
 * FASTSKIP_LEVEL_N=10000 deno bench --allow-read --allow-env bench/level_bench.ts
 * ```
 *
 * @module
 */

import { AbstractLevel } from "abstract-level";
import { MemoryLevel } from "memory-level";
import { FastskipLevel } from "../level.ts";
import { compareBytes, sizeLabel } from "./keys.ts";
import { fillStore, levelData, levelEntries } from "./level_data.ts";

/** What every store in the comparison is: keys and values as `Uint8Array`s. */
type Store = AbstractLevel<unknown, Uint8Array, Uint8Array>;

/**
 * An abstract-level store that stores nothing: what the interface itself
 * costs per call (option handling, encodings, promises).
 */
class FloorLevel extends AbstractLevel<Uint8Array, Uint8Array, Uint8Array> {
  constructor() {
    super({ encodings: { view: true } }, { keyEncoding: "view", valueEncoding: "view" });
  }
  _put(): Promise<void> {
    return Promise.resolve();
  }
  _get(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}

const N = levelEntries();
const POOL = 100_000;
const OPS = 1000;
const BATCH = 100;
const ITERATORS = 100;
const LIMIT = 10;

const data = levelData(N, POOL);
const { probes, seeks, putKeys, putValues } = data;

const encodings = { keyEncoding: "view", valueEncoding: "view" } as const;

/** Opens a store and fills it with the N entries. */
function filled(store: Store): Promise<Store> {
  return fillStore(store, data);
}

const fastskip = await filled(new FastskipLevel<Uint8Array, Uint8Array>(encodings) as Store);
const sharedStore = new FastskipLevel<Uint8Array, Uint8Array>(encodings);
sharedStore.share(); // reads and writes through Atomics from now on, as when workers attach it
const shared = await filled(sharedStore as Store);
const memory = await filled(new MemoryLevel<Uint8Array, Uint8Array>(encodings) as Store);
const floor = new FloorLevel() as Store;
await floor.open();

// Before anything is timed: the stores give the same answers (same work).
for (const store of [fastskip, shared]) {
  const a = await store.getMany(probes.slice(0, 1000));
  const b = await memory.getMany(probes.slice(0, 1000));
  for (let i = 0; i < a.length; i++) {
    if (a[i] === undefined || compareBytes(a[i]!, b[i]!) !== 0) {
      throw new Error(`level bench: get(probe ${i}) differs between the stores`);
    }
  }
  const rangeA = await store.keys({ gte: seeks[0]!, limit: LIMIT }).all();
  const rangeB = await memory.keys({ gte: seeks[0]!, limit: LIMIT }).all();
  if (
    rangeA.length !== LIMIT || rangeA.some((key, i) => compareBytes(key, rangeB[i]!) !== 0)
  ) {
    throw new Error("level bench: iterator({ gte, limit }) differs between the stores");
  }
}
for (const store of [fastskip, shared, memory]) {
  if ((await store.keys().all()).length !== N) {
    throw new Error(`level bench: a store does not hold ${N} entries`);
  }
}

// Untimed warm-up of every measured path, in every store, before the first
// benchmark: otherwise the first one run (FastskipLevel's put) also pays for
// compiling the code all the stores share (abstract-level's, the core's)
// and for the garbage the fills left behind.
const WARM_UP = 5000;
for (const store of [fastskip, shared, memory, floor]) {
  for (let i = 0; i < WARM_UP; i++) await store.put(putKeys[i]!, putValues[i]!);
  for (let i = 0; i < WARM_UP; i++) await store.get(probes[i]!);
  if (store === floor) continue;
  for (let b = 0; b < WARM_UP; b += BATCH) {
    const ops = [];
    for (let i = b; i < b + BATCH; i++) {
      ops.push({ type: "put" as const, key: putKeys[i]!, value: putValues[i]! });
    }
    await store.batch(ops);
  }
  for (let i = 0; i < WARM_UP / LIMIT; i++) {
    await store.iterator({ gte: seeks[i]!, limit: LIMIT }).all();
  }
  await store.iterator().all();
}

const size = sizeLabel(N);
const stores: [name: string, store: Store][] = [
  ["FastskipLevel", fastskip],
  ["FastskipLevel, shared", shared],
  ["MemoryLevel", memory],
];

/** A cursor into a pool, advanced by each iteration. */
let cursor = 0;
function nextStart(step: number): number {
  const start = cursor;
  cursor = (cursor + step) % POOL;
  return start;
}

for (const [name, store] of [...stores, ["abstract-level floor", floor] as const]) {
  Deno.bench({
    name,
    group: `put ${size} [${OPS} ops]`,
    baseline: store === fastskip,
    async fn() {
      const start = nextStart(OPS);
      for (let i = start; i < start + OPS; i++) await store.put(putKeys[i]!, putValues[i]!);
    },
  });
}

for (const [name, store] of [...stores, ["abstract-level floor", floor] as const]) {
  Deno.bench({
    name,
    group: `get ${size} [${OPS} ops]`,
    baseline: store === fastskip,
    async fn() {
      const start = nextStart(OPS);
      for (let i = start; i < start + OPS; i++) await store.get(probes[i]!);
    },
  });
}

for (const [name, store] of stores) {
  Deno.bench({
    name,
    group: `batch of ${BATCH} ${size} [${OPS / BATCH} ops]`,
    baseline: store === fastskip,
    async fn(t) {
      const start = nextStart(OPS);
      const batches = [];
      for (let b = start; b < start + OPS; b += BATCH) {
        const ops = [];
        for (let i = b; i < b + BATCH; i++) {
          ops.push({ type: "put" as const, key: putKeys[i]!, value: putValues[i]! });
        }
        batches.push(ops);
      }
      t.start();
      for (const ops of batches) await store.batch(ops);
      t.end();
    },
  });
}

for (const [name, store] of stores) {
  Deno.bench({
    name,
    group: `iterator gte + limit: ${LIMIT} ${size} [${ITERATORS} ops]`,
    baseline: store === fastskip,
    async fn() {
      const start = nextStart(ITERATORS);
      for (let i = start; i < start + ITERATORS; i++) {
        await store.iterator({ gte: seeks[i]!, limit: LIMIT }).all();
      }
    },
  });
}

for (const [name, store] of stores) {
  Deno.bench({
    name,
    group: `full iteration ${size} [${N} entries]`,
    baseline: store === fastskip,
    async fn() {
      await store.iterator().all();
    },
  });
}
