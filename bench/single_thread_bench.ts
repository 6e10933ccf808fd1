/**
 * Single-thread benchmarks: fastskip against the JS ordered maps people use
 * instead, on the same 16-byte random keys and 8-byte values (see
 * `peers.ts` for what each structure calls, `data.ts` for the data).
 *
 * Each `Deno.bench` group is one operation at one size, fastskip the
 * baseline, so every table reads as ratios. Group names end with
 * `[K ops]` (or `[K entries]`): the work one iteration does, which
 * `chart.ts` uses to turn time per iteration into time per operation.
 *
 * | group | one iteration |
 * | --- | --- |
 * | insert random / sequential, N ≤ 100k | a fresh structure, N inserts (random order / ascending); then, unmeasured, fastskip releases its list (also run without: `fastskip (lists not released)`) |
 * | insert random / sequential, N > 100k | 2000 inserts into the structure of N (random keys / keys above the largest) |
 * | put overwrite | 1000 overwrites of stored keys |
 * | get hit / get miss | 1000 lookups (copies of stored keys / absent keys) |
 * | seek + 10 | 1000 seeks to absent targets, reading the 10 entries from there |
 * | scan | every entry, in order (fastskip: the live list, and the `FrozenMemtable` of `seal()` by `Entry` and by `RawCursor`) |
 *
 * Read pools hold 100 000 probes used in rotation, so that successive
 * iterations do not replay the same cache-warm paths. Structures are built
 * outside the measured region (`t.start()` / `t.end()`).
 *
 * Sizes: `FASTSKIP_BENCH_SIZES` (comma-separated, default `10000,100000,1000000`).
 * Operations: `FASTSKIP_BENCH_OPS` (comma-separated group names before the
 * size, e.g. `get miss,insert random`; default all). Structures: `deno
 * bench --filter fastskip` (bench names are the structures' names).
 *
 * ```sh
 * deno bench --allow-read --allow-env bench/single_thread_bench.ts
 * FASTSKIP_BENCH_SIZES=10000 deno bench --allow-read --allow-env bench/single_thread_bench.ts
 * FASTSKIP_BENCH_SIZES=10000 FASTSKIP_BENCH_OPS="get miss" \
 *   deno bench --allow-read --allow-env --filter fastskip bench/single_thread_bench.ts
 * ```
 *
 * @module
 */

import { type DataSet, makeDataSet } from "./data.ts";
import { MARK_PREFIX } from "./deopt_trace.ts";
import { sizeLabel } from "./keys.ts";
import {
  crossCheck,
  FastskipAdapter,
  FunctionalRBTreeAdapter,
  JsSdslAdapter,
  type OrderedAdapter,
  SonicForestAvlAdapter,
  SortedBTreeAdapter,
} from "./peers.ts";
import { env } from "./env.ts";

// Before anything is timed: every adapter gives the same answers (same work).
{
  const small = makeDataSet(5000, 2000, 0);
  crossCheck(
    small.keys,
    small.values,
    small.hits,
    small.misses,
    small.seeks,
    small.keys.map((_, i) => small.putValues[i % small.putValues.length]!),
  );
}

/** Every structure, fastskip (the baseline) first. */
const FACTORIES: (() => OrderedAdapter)[] = [
  () => new FastskipAdapter(),
  () => new SortedBTreeAdapter(),
  () => new JsSdslAdapter(),
  () => new FunctionalRBTreeAdapter(),
  () => new SonicForestAvlAdapter(),
];
const NAMES = FACTORIES.map((make) => make().name);

/** Operations per iteration of the read and overwrite benchmarks. */
const BATCH = 1000;
/** Entries read after each seek. */
const SEEK_ENTRIES = 10;
/** Probes in each read pool (a multiple of BATCH). */
const POOL = 100_000;
/** Up to this size an insert iteration builds a whole structure; above, it inserts a batch. */
const BUILD_LIMIT = 100_000;
/** Inserts per iteration into a full structure (sizes above BUILD_LIMIT). */
const INSERT_BATCH = 2000;
/** Extra keys for those batches: room for 50 iterations before a rebuild. */
const EXTRA = 50 * INSERT_BATCH;

/** Every operation (group name before the size) this file registers. */
const ALL_OPS = [
  "get hit",
  "get miss",
  "seek + 10",
  "scan",
  "put overwrite",
  "insert random",
  "insert sequential",
];

/** Operations to register (`FASTSKIP_BENCH_OPS`), or undefined for all. */
const OPS = env("FASTSKIP_BENCH_OPS")?.split(",").map((op) => op.trim()).filter((op) => op !== "");
for (const op of OPS ?? []) {
  if (!ALL_OPS.includes(op)) {
    throw new RangeError(
      `FASTSKIP_BENCH_OPS: unknown operation "${op}", expected some of: ${ALL_OPS.join(", ")}`,
    );
  }
}

function readSizes(): number[] {
  const text = env("FASTSKIP_BENCH_SIZES");
  const sizes = (text ?? "10000,100000,1000000").split(",").map((s) => Number(s.trim()));
  for (const n of sizes) {
    if (!Number.isInteger(n) || n < 1000) {
      throw new RangeError(
        `FASTSKIP_BENCH_SIZES: sizes must be integers >= 1000, received ${text}`,
      );
    }
  }
  return sizes;
}

/** What one size holds while its benchmarks run; released when the next size starts. */
interface SizeState {
  n: number;
  data: DataSet;
  /** One pre-built structure per factory (built on first use). */
  fixtures: (OrderedAdapter | undefined)[];
  /** Where each fixture's batch inserts continue in the extra pools. */
  nextRandom: number[];
  nextAscending: number[];
  /** A sealed fastskip list of the same N entries, for the frozen scan. */
  frozen: FastskipAdapter | undefined;
  /** Checksum of the first BATCH hits, which every fixture must reproduce. */
  expectedHits: number | undefined;
}

let current: SizeState | undefined;

function sizeState(n: number): SizeState {
  if (current?.n !== n) {
    current = undefined; // let the previous size's structures go before building
    current = {
      n,
      data: makeDataSet(n, POOL, n > BUILD_LIMIT ? EXTRA : 0),
      fixtures: [],
      nextRandom: FACTORIES.map(() => 0),
      nextAscending: FACTORIES.map(() => 0),
      frozen: undefined,
      expectedHits: undefined,
    };
  }
  return current;
}

/** A sealed fastskip list of the same N entries, built once per size. */
function frozenTwin(n: number): FastskipAdapter {
  const state = sizeState(n);
  if (state.frozen === undefined) {
    const twin = new FastskipAdapter();
    twin.insertRange(state.data.keys, state.data.values, 0, n);
    twin.seal();
    state.frozen = twin;
  }
  return state.frozen;
}

/** Builds structure `index` of FACTORIES over the N keys (random order) and checks it. */
function build(state: SizeState, index: number): OrderedAdapter {
  const { data, n } = state;
  const adapter = FACTORIES[index]!();
  adapter.insertRange(data.keys, data.values, 0, n);
  if (adapter.size() !== n) {
    throw new Error(`${adapter.name}: size ${adapter.size()} after ${n} inserts`);
  }
  if (adapter.getRange(data.misses, 0, BATCH) !== 0) throw new Error(`${adapter.name}: a miss hit`);
  const hits = adapter.getRange(data.hits, 0, BATCH);
  state.expectedHits ??= hits;
  if (hits !== state.expectedHits) {
    throw new Error(`${adapter.name}: hit checksum ${hits}, expected ${state.expectedHits}`);
  }
  return adapter;
}

function fixture(n: number, index: number): OrderedAdapter {
  const state = sizeState(n);
  return state.fixtures[index] ??= build(state, index);
}

/** Checksums land here so that no read can be optimised away. */
let sink = 0;

function register(
  group: string,
  index: number,
  fn: (t: Deno.BenchContext) => void,
  options: { n?: number; warmup?: number; name?: string; baseline?: boolean } = {},
): void {
  if (OPS !== undefined && !OPS.includes(group.slice(0, group.indexOf(" · ")))) return;
  // `n` and `warmup` are passed only when given: an absent key leaves Deno's default.
  const { name = NAMES[index]!, baseline = index === 0, ...runs } = options;
  Deno.bench({ name, group, baseline, ...runs, fn: MARK ? marked(`${group} / ${name}`, fn) : fn });
}

/**
 * With `FASTSKIP_BENCH_MARK=1`, each benchmark prints a line when it first
 * runs, so that a V8 trace of the process (`deopts.ts`) can tell the
 * benchmark's events from those of the set-up before it. Off by default:
 * the wrapper is one more call per iteration.
 */
const MARK = env("FASTSKIP_BENCH_MARK") === "1";

function marked(label: string, fn: (t: Deno.BenchContext) => void): (t: Deno.BenchContext) => void {
  let first = true;
  return (t) => {
    if (first) {
      first = false;
      console.log(`${MARK_PREFIX}${label}`);
    }
    fn(t);
  };
}

/** A read benchmark over a pool: each iteration takes the next BATCH probes. */
function registerRead(
  group: string,
  n: number,
  pick: (data: DataSet) => Uint8Array[],
  run: (adapter: OrderedAdapter, probes: Uint8Array[], from: number) => number,
): void {
  FACTORIES.forEach((_, index) => {
    let offset = 0;
    register(group, index, (t) => {
      const adapter = fixture(n, index);
      const probes = pick(sizeState(n).data);
      t.start();
      sink += run(adapter, probes, offset);
      t.end();
      offset = (offset + BATCH) % POOL;
    });
  });
}

for (const n of readSizes()) {
  const size = sizeLabel(n);
  const ops = `[${BATCH} ops]`;

  registerRead(
    `get hit · ${size} ${ops}`,
    n,
    (d) => d.hits,
    (a, p, from) => a.getRange(p, from, from + BATCH),
  );
  registerRead(
    `get miss · ${size} ${ops}`,
    n,
    (d) => d.misses,
    (a, p, from) => a.getRange(p, from, from + BATCH),
  );
  registerRead(
    `seek + ${SEEK_ENTRIES} · ${size} ${ops}`,
    n,
    (d) => d.seeks,
    (a, p, from) => a.seekRange(p, from, from + BATCH, SEEK_ENTRIES),
  );

  // Full scans: the live fastskip list, its frozen twin, then the peers.
  const scanGroup = `scan · ${size} [${n} entries]`;
  const scanRuns = n > BUILD_LIMIT ? { n: 3, warmup: 1 } : n > 10_000 ? { n: 10, warmup: 2 } : {};
  FACTORIES.forEach((_, index) => {
    register(scanGroup, index, (t) => {
      const adapter = fixture(n, index);
      t.start();
      sink += adapter.scan();
      t.end();
    }, { ...scanRuns, name: index === 0 ? "fastskip (live list)" : NAMES[index]! });
    if (index !== 0) return;
    register(scanGroup, 0, (t) => {
      const frozen = frozenTwin(n);
      t.start();
      sink += frozen.scanFrozen();
      t.end();
    }, { ...scanRuns, name: "fastskip (FrozenMemtable)", baseline: false });
    register(scanGroup, 0, (t) => {
      const frozen = frozenTwin(n);
      t.start();
      sink += frozen.scanFrozenRaw();
      t.end();
    }, { ...scanRuns, name: "fastskip (FrozenMemtable, RawCursor)", baseline: false });
  });

  FACTORIES.forEach((_, index) => {
    let offset = 0;
    register(`put overwrite · ${size} ${ops}`, index, (t) => {
      const adapter = fixture(n, index);
      const data = sizeState(n).data;
      t.start();
      sink += adapter.putRange(data.putKeys, data.putValues, offset, offset + BATCH);
      t.end();
      offset = (offset + BATCH) % POOL;
    });
  });

  if (n <= BUILD_LIMIT) {
    // One iteration = a fresh structure of N.
    const runs = n > 10_000 ? { n: 5, warmup: 1 } : { n: 20, warmup: 3 };
    for (const order of ["random", "sequential"] as const) {
      const group = `insert ${order} · build ${size} [${n} ops]`;
      const build = (make: () => OrderedAdapter, t: Deno.BenchContext): OrderedAdapter => {
        const data = sizeState(n).data;
        const keys = order === "random" ? data.keys : data.sorted;
        t.start();
        const adapter = make();
        sink += adapter.insertRange(keys, data.values, 0, n);
        t.end();
        return adapter;
      };
      FACTORIES.forEach((make, index) => {
        // Unmeasured, as a memtable is released once flushed: the next list reuses its memory.
        register(group, index, (t) => build(make, t).dispose(), runs);
      });
      // What skipping that costs: every list faults in fresh pages (and V8 does
      // not count the buffers it drops, so they are collected late).
      register(group, 0, (t) => void build(FACTORIES[0]!, t), {
        ...runs,
        name: "fastskip (lists not released)",
        baseline: false,
      });
    }
  } else {
    // One iteration = INSERT_BATCH new keys into the structure of N (it grows
    // by at most EXTRA, a few percent; past that it is rebuilt, unmeasured).
    for (const order of ["random", "sequential"] as const) {
      FACTORIES.forEach((_, index) => {
        register(`insert ${order} · into ${size} [${INSERT_BATCH} ops]`, index, (t) => {
          const state = sizeState(n);
          const next = order === "random" ? state.nextRandom : state.nextAscending;
          if (next[index]! + INSERT_BATCH > EXTRA) {
            state.fixtures[index] = build(state, index);
            state.nextRandom[index] = state.nextAscending[index] = 0;
          }
          const adapter = fixture(n, index);
          const keys = order === "random" ? state.data.extraRandom : state.data.extraAscending;
          const from = next[index]!;
          t.start();
          const stored = adapter.insertRange(
            keys,
            state.data.extraValues,
            from,
            from + INSERT_BATCH,
          );
          t.end();
          if (stored !== INSERT_BATCH) {
            throw new Error(`${adapter.name}: stored ${stored} of ${INSERT_BATCH} new keys`);
          }
          next[index] = from + INSERT_BATCH;
        }, { n: 20, warmup: 3 });
      });
    }
  }
}

addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink); // never true; keeps `sink` observable
});
