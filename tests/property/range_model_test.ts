/**
 * Model-based property tests of the reads that move both ways: `range()`
 * with every combination of options, cursors stepping and seeking in both
 * directions, `first()` / `last()`, and `mergeReaders` over several
 * memtables. Each runs on the live list, on snapshots taken along the way
 * (then overtaken by later writes, so a reverse walk meets nodes it must
 * not see) and on the frozen list, against a model: sorted arrays of plain
 * entries. `validate()` checks every list after each sequence.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ConcurrentSkipList,
  type Cursor,
  type Entry,
  mergeReaders,
  type RangeOptions,
  type SkipListReader,
} from "../../mod.ts";
import { compareBytes, plain, type PlainEntry } from "../support/bytes.ts";

const RUNS = Number(Deno.env.get("FASTSKIP_PROPERTY_RUNS") ?? 10_000);
const SEED = Number(Deno.env.get("FASTSKIP_PROPERTY_SEED") ?? 20261128);
/** Each sequence here runs many reads; a tenth of the sequences keeps the time comparable. */
const SEQUENCES = Math.max(50, Math.floor(RUNS / 10));

// Small alphabets make equal keys, prefixes and bounds that hit keys frequent;
// 0xff makes prefixes whose end is found by dropping bytes.
const keyArb = fc.uint8Array({ minLength: 0, maxLength: 5 }).map((bytes) =>
  bytes.map((b) => [0, 1, 0x61, 0x62, 0xfe, 0xff][b % 6]!)
);
const valueArb = fc.uint8Array({ minLength: 0, maxLength: 6 });

const writeArb = fc.oneof(
  fc.record({ op: fc.constant("insert" as const), key: keyArb, value: valueArb }),
  fc.record({ op: fc.constant("put" as const), key: keyArb, value: valueArb }),
  fc.record({ op: fc.constant("delete" as const), key: keyArb }),
);
type Write = typeof writeArb extends fc.Arbitrary<infer T> ? T : never;

/** Range options with every field present or absent, prefix or bounds. */
const rangeArb: fc.Arbitrary<RangeOptions> = fc.record({
  lower: fc.option(fc.tuple(fc.constantFrom("gte" as const, "gt" as const), keyArb)),
  upper: fc.option(fc.tuple(fc.constantFrom("lte" as const, "lt" as const), keyArb)),
  prefix: fc.option(keyArb, { freq: 3 }),
  reverse: fc.option(fc.boolean()),
  limit: fc.option(fc.oneof(fc.nat(6), fc.constant(Infinity))),
  tombstones: fc.option(fc.boolean()),
}).map(({ lower, upper, prefix, reverse, limit, tombstones }) => {
  const options: RangeOptions = {};
  if (prefix !== null) options.prefix = prefix;
  else {
    if (lower !== null) options[lower[0]] = lower[1];
    if (upper !== null) options[upper[0]] = upper[1];
  }
  if (reverse !== null) options.reverse = reverse;
  if (limit !== null) options.limit = limit;
  if (tombstones !== null) options.tombstones = tombstones;
  return options;
});

const moveArb = fc.oneof(
  fc.record({ move: fc.constant("next" as const) }),
  fc.record({ move: fc.constant("prev" as const) }),
  fc.record({ move: fc.constant("prev" as const) }),
  fc.record({ move: fc.constant("seek" as const), key: keyArb }),
  fc.record({ move: fc.constant("seekForPrev" as const), key: keyArb }),
  fc.record({ move: fc.constant("seekToFirst" as const) }),
  fc.record({ move: fc.constant("seekToLast" as const) }),
);
type Move = typeof moveArb extends fc.Arbitrary<infer T> ? T : never;

const walkArb = fc.record({
  start: fc.oneof(
    fc.record({ from: fc.constant("cursor" as const) }),
    fc.record({ from: fc.constant("cursorAt" as const), key: keyArb }),
    fc.record({ from: fc.constant("cursorForPrev" as const), key: keyArb }),
  ),
  moves: fc.array(moveArb, { maxLength: 25 }),
});
type Walk = typeof walkArb extends fc.Arbitrary<infer T> ? T : never;

/** The contents of one list: key id -> plain entry. */
class Model {
  readonly map = new Map<string, PlainEntry>();

  apply(write: Write): void {
    const id = write.key.join(",");
    if (write.op === "insert" && this.map.has(id)) return;
    this.map.set(id, {
      key: [...write.key],
      value: write.op === "delete" ? [] : [...write.value],
      isTombstone: write.op === "delete",
    });
  }

  /** Every entry in ascending key order. */
  sorted(): PlainEntry[] {
    return [...this.map.values()].sort((a, b) => compareBytes(bytesOf(a), bytesOf(b)));
  }
}

function bytesOf(entry: PlainEntry): Uint8Array {
  return Uint8Array.from(entry.key);
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  return key.length >= prefix.length && prefix.every((byte, i) => key[i] === byte);
}

/** The specification of `range(options)` over sorted entries. */
function modelRange(sorted: PlainEntry[], options: RangeOptions): PlainEntry[] {
  let out = sorted.filter((entry) => {
    const key = bytesOf(entry);
    if (options.prefix !== undefined) return startsWith(key, options.prefix);
    if (options.gte !== undefined && compareBytes(key, options.gte) < 0) return false;
    if (options.gt !== undefined && compareBytes(key, options.gt) <= 0) return false;
    if (options.lte !== undefined && compareBytes(key, options.lte) > 0) return false;
    if (options.lt !== undefined && compareBytes(key, options.lt) >= 0) return false;
    return true;
  });
  if (options.reverse === true) out.reverse();
  if (options.tombstones === false) out = out.filter((entry) => !entry.isTombstone);
  return out.slice(0, options.limit ?? Infinity);
}

/** Plain form of an entry or undefined. */
function plainOne(entry: Entry | undefined): PlainEntry | undefined {
  return entry === undefined ? undefined : plain([entry])[0];
}

/**
 * Runs a cursor walk on `reader` and on the model (an index into `sorted`:
 * -1 before the first entry, `sorted.length` past the end), comparing every
 * result, validity and entry.
 */
function checkWalk(reader: SkipListReader, sorted: PlainEntry[], walk: Walk, what: string): void {
  const n = sorted.length;
  const lowerBound = (key: Uint8Array) => {
    const at = sorted.findIndex((e) => compareBytes(bytesOf(e), key) >= 0);
    return at === -1 ? n : at;
  };
  /** Index of the last entry <= key, or -1. */
  const lastAtOrBelow = (key: Uint8Array) => {
    let at = -1;
    sorted.forEach((e, i) => {
      if (compareBytes(bytesOf(e), key) <= 0) at = i;
    });
    return at;
  };
  let at: number;
  let cursor: Cursor | undefined;
  switch (walk.start.from) {
    case "cursor":
      cursor = reader.cursor();
      at = -1;
      break;
    case "cursorAt":
      cursor = reader.cursorAt(walk.start.key);
      at = lowerBound(walk.start.key);
      assert.equal(cursor === undefined, at === n, `${what}: cursorAt`);
      break;
    case "cursorForPrev":
      cursor = reader.cursorForPrev(walk.start.key);
      at = lastAtOrBelow(walk.start.key);
      assert.equal(cursor === undefined, at === -1, `${what}: cursorForPrev`);
      break;
  }
  if (cursor === undefined) return;
  const check = (step: string) => {
    const valid = at >= 0 && at < n;
    assert.equal(cursor.valid(), valid, `${what}: valid() after ${step}`);
    assert.deepEqual(plainOne(cursor.entry()), valid ? sorted[at] : undefined, `${what}: ${step}`);
  };
  check("start");
  walk.moves.forEach((move: Move, index) => {
    let result: boolean;
    switch (move.move) {
      case "next":
        result = cursor.nextEntry();
        at = at >= n ? n : at + 1;
        break;
      case "prev":
        result = cursor.prevEntry();
        at = at < 0 ? -1 : at - 1;
        break;
      case "seek":
        result = cursor.seek(move.key);
        at = lowerBound(move.key);
        break;
      case "seekForPrev":
        result = cursor.seekForPrev(move.key);
        at = lastAtOrBelow(move.key);
        break;
      case "seekToFirst":
        result = cursor.seekToFirst();
        at = n === 0 ? n : 0;
        break;
      case "seekToLast":
        result = cursor.seekToLast();
        at = n - 1;
        break;
    }
    assert.equal(result, at >= 0 && at < n, `${what}: ${move.move} (move ${index}) returned`);
    check(`${move.move} (move ${index})`);
  });
}

/** Every read of one reader against its model. */
function checkReader(
  reader: SkipListReader,
  sorted: PlainEntry[],
  ranges: RangeOptions[],
  walks: Walk[],
  what: string,
): void {
  assert.deepEqual(plainOne(reader.first()), sorted[0], `${what}: first()`);
  assert.deepEqual(plainOne(reader.last()), sorted[sorted.length - 1], `${what}: last()`);
  assert.deepEqual(plain(reader.range()), sorted, `${what}: range()`);
  assert.deepEqual(
    plain(reader.range({ reverse: true })),
    sorted.slice().reverse(),
    `${what}: range({ reverse: true })`,
  );
  for (const options of ranges) {
    assert.deepEqual(
      plain(reader.range(options)),
      modelRange(sorted, options),
      `${what}: range(${describeOptions(options)})`,
    );
  }
  walks.forEach((walk, i) => checkWalk(reader, sorted, walk, `${what}, walk ${i}`));
}

function describeOptions(options: RangeOptions): string {
  return JSON.stringify(options, (_, v) => v instanceof Uint8Array ? [...v] : v);
}

Deno.test(`range(), cursors both ways, first() and last() agree with the model on lists, snapshots and frozen lists (${SEQUENCES} sequences, seed ${SEED})`, () => {
  fc.assert(
    fc.property(
      fc.array(writeArb, { maxLength: 120 }),
      fc.nat(120),
      fc.array(rangeArb, { minLength: 1, maxLength: 8 }),
      fc.array(walkArb, { maxLength: 4 }),
      fc.integer(),
      (writes, snapshotAt, ranges, walks, listSeed) => {
        const list = new ConcurrentSkipList({ arenaBytes: 8192, seed: listSeed });
        const model = new Model();
        let snapshot: { reader: SkipListReader; sorted: PlainEntry[] } | undefined;
        writes.forEach((write, index) => {
          if (index === snapshotAt) snapshot = { reader: list.snapshot(), sorted: model.sorted() };
          if (write.op === "delete") list.delete(write.key);
          else list[write.op](write.key, write.value);
          model.apply(write);
        });
        const sorted = model.sorted();
        checkReader(list, sorted, ranges, walks, "live list");
        if (snapshot !== undefined) {
          checkReader(snapshot.reader, snapshot.sorted, ranges, walks, "snapshot");
        }
        list.validate();
        const [frozen] = list.seal();
        checkReader(frozen, sorted, ranges, walks, "frozen list");
        frozen.validate();
      },
    ),
    { numRuns: SEQUENCES, seed: SEED },
  );
});

Deno.test("reverse walks over thousands of keys cross many runs and skip what a snapshot cannot see", () => {
  fc.assert(
    fc.property(fc.integer(), fc.integer({ min: 500, max: 3000 }), (listSeed, count) => {
      const list = new ConcurrentSkipList({ seed: listSeed });
      const key = (i: number) => new Uint8Array([i >> 8, i & 0xff, 7]);
      for (let i = 0; i < count; i += 2) list.insert(key(i), new Uint8Array([i & 0xff]));
      const snapshot = list.snapshot();
      for (let i = 1; i < count; i += 2) list.insert(key(i), new Uint8Array([i & 0xff]));
      for (let i = 0; i < count; i += 6) list.delete(key(i));
      const ids = (entries: Iterable<Entry>) => [...entries].map((e) => e.key[0]! << 8 | e.key[1]!);
      const all = Array.from({ length: count }, (_, i) => i);
      const even = all.filter((i) => i % 2 === 0);
      assert.deepEqual(ids(list.range({ reverse: true })), all.slice().reverse());
      assert.deepEqual(ids(snapshot.range({ reverse: true })), even.slice().reverse());
      const cursor = snapshot.cursor();
      const walked: number[] = [];
      cursor.seekToLast();
      do walked.push(cursor.entry()!.key[0]! << 8 | cursor.entry()!.key[1]!); while (
        cursor.prevEntry()
      );
      assert.deepEqual(walked, even.slice().reverse());
      const live = all.filter((i) => i % 6 !== 0).reverse();
      assert.deepEqual(ids(list.range({ reverse: true, tombstones: false })), live);
      list.validate();
      const [frozen] = list.seal();
      assert.deepEqual(ids(frozen.range({ reverse: true })), all.slice().reverse());
    }),
    { numRuns: Math.max(10, Math.floor(SEQUENCES / 20)), seed: SEED + 2 },
  );
});

/** One memtable of a merge: its writes, and which kind of reader stands for it. */
const generationArb = fc.record({
  writes: fc.array(writeArb, { maxLength: 40 }),
  kind: fc.constantFrom("live" as const, "snapshot" as const, "frozen" as const),
  /** Writes after a snapshot was taken: the snapshot must not see them. */
  later: fc.array(writeArb, { maxLength: 10 }),
});

Deno.test(`mergeReaders agrees with the newest-first model over lists, snapshots and frozen lists (${SEQUENCES} sequences, seed ${SEED})`, () => {
  fc.assert(
    fc.property(
      fc.array(generationArb, { maxLength: 4 }),
      fc.array(rangeArb, { minLength: 1, maxLength: 8 }),
      fc.array(keyArb, { maxLength: 8 }),
      fc.integer(),
      (generations, ranges, probes, listSeed) => {
        const readers: SkipListReader[] = [];
        const models: Model[] = [];
        const lists: ConcurrentSkipList[] = [];
        generations.forEach((generation, g) => {
          const list = new ConcurrentSkipList({ arenaBytes: 8192, seed: listSeed + g });
          const model = new Model();
          for (const write of generation.writes) {
            if (write.op === "delete") list.delete(write.key);
            else list[write.op](write.key, write.value);
            model.apply(write);
          }
          let reader: SkipListReader = list;
          if (generation.kind === "snapshot") {
            reader = list.snapshot();
            for (const write of generation.later) {
              if (write.op === "delete") list.delete(write.key);
              else list[write.op](write.key, write.value);
            }
          } else if (generation.kind === "frozen") {
            reader = list.seal()[0];
          }
          readers.push(reader);
          models.push(model);
          lists.push(list);
        });
        // The merged model: for every key, the first generation holding it.
        const winners = new Map<string, PlainEntry>();
        for (const model of models) {
          for (const [id, entry] of model.map) if (!winners.has(id)) winners.set(id, entry);
        }
        const sorted = [...winners.values()].sort((a, b) => compareBytes(bytesOf(a), bytesOf(b)));
        const merged = mergeReaders(readers);
        assert.deepEqual(plain(merged), sorted, "iteration");
        assert.deepEqual(plainOne(merged.first()), sorted[0], "first()");
        assert.deepEqual(plainOne(merged.last()), sorted[sorted.length - 1], "last()");
        for (const options of ranges) {
          assert.deepEqual(
            plain(merged.range(options)),
            modelRange(sorted, options),
            `range(${describeOptions(options)})`,
          );
        }
        for (const key of [...probes, ...sorted.slice(0, 4).map(bytesOf)]) {
          const entry = winners.get(key.join(","));
          const expected = entry === undefined
            ? undefined
            : [Uint8Array.from(entry.value), entry.isTombstone];
          assert.deepEqual(merged.get(key), expected, `get([${key}])`);
          const live = entry !== undefined && !entry.isTombstone;
          assert.deepEqual(merged.getLive(key), live ? Uint8Array.from(entry.value) : undefined);
          assert.equal(merged.containsKey(key), live);
        }
        for (const list of lists) list.validate();
      },
    ),
    { numRuns: SEQUENCES, seed: SEED + 3 },
  );
});
