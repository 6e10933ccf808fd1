/**
 * Model-based property test: random operation sequences run against the list
 * (through two same-thread instances, to exercise `attach`) and against a
 * model (a Map plus a sorted key array); every answer must agree, and after
 * each sequence `validate()` walks the whole structure. Snapshots taken along
 * the way are checked at the end against copies of the model.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  BatchError,
  ConcurrentSkipList,
  type Entry,
  InsertError,
  type RawCursor,
} from "../../mod.ts";
import { compareBytes } from "../support/bytes.ts";

const RUNS = Number(Deno.env.get("FASTSKIP_PROPERTY_RUNS") ?? 10_000);
const SEED = Number(Deno.env.get("FASTSKIP_PROPERTY_SEED") ?? 20261128);

type State = { value: Uint8Array; tombstone: boolean };

/** The sequential specification of the list. */
class Model {
  readonly map = new Map<string, State>();
  readonly keys: Uint8Array[] = []; // sorted
  sealed = false;

  static id(key: Uint8Array): string {
    return key.join(",");
  }

  state(key: Uint8Array): State | undefined {
    return this.map.get(Model.id(key));
  }

  set(key: Uint8Array, state: State): void {
    if (!this.map.has(Model.id(key))) {
      const at = this.keys.findIndex((k) => compareBytes(k, key) > 0);
      this.keys.splice(at === -1 ? this.keys.length : at, 0, key.slice());
    }
    this.map.set(Model.id(key), { value: state.value.slice(), tombstone: state.tombstone });
  }

  live(): number {
    let count = 0;
    for (const state of this.map.values()) if (!state.tombstone) count++;
    return count;
  }

  entries(): { key: number[]; value: number[]; isTombstone: boolean }[] {
    return this.keys.map((key) => {
      const state = this.state(key)!;
      return {
        key: [...key],
        value: state.tombstone ? [] : [...state.value],
        isTombstone: state.tombstone,
      };
    });
  }

  /** The first index whose key is >= target. */
  lowerBound(target: Uint8Array): number {
    const at = this.keys.findIndex((k) => compareBytes(k, target) >= 0);
    return at === -1 ? this.keys.length : at;
  }
}

function plainEntries(entries: Iterable<Entry>) {
  return [...entries].map((e) => ({
    key: [...e.key],
    value: [...e.value],
    isTombstone: e.isTombstone,
  }));
}

/** What a raw cursor yields, as plain data. */
function rawEntries(cursor: RawCursor) {
  const out = [];
  while (cursor.nextEntry()) {
    const { bytes, keyOffset, keyLength, valueOffset, valueLength, isTombstone } = cursor;
    out.push({
      key: [...bytes.subarray(keyOffset, keyOffset + keyLength)],
      value: [...bytes.subarray(valueOffset, valueOffset + valueLength)],
      isTombstone,
    });
  }
  return out;
}

// Small alphabets make collisions, prefixes and word-boundary cases frequent.
const keyArb = fc.uint8Array({ minLength: 0, maxLength: 9 }).map((bytes) =>
  bytes.map((b) => [0, 1, 0x61, 0x62, 0x7f, 0x80, 0xff][b % 7]!)
);
const valueArb = fc.uint8Array({ minLength: 0, maxLength: 12 });

const opArb = fc.oneof(
  fc.record({ op: fc.constant("insert" as const), key: keyArb, value: valueArb }),
  fc.record({ op: fc.constant("tryInsert" as const), key: keyArb, value: valueArb }),
  fc.record({ op: fc.constant("put" as const), key: keyArb, value: valueArb }),
  fc.record({ op: fc.constant("delete" as const), key: keyArb }),
  fc.record({ op: fc.constant("tryDelete" as const), key: keyArb }),
  fc.record({ op: fc.constant("get" as const), key: keyArb }),
  fc.record({ op: fc.constant("getMany" as const), keys: fc.array(keyArb, { maxLength: 4 }) }),
  fc.record({ op: fc.constant("getOrInsert" as const), key: keyArb, value: valueArb }),
  fc.record({
    op: fc.constant("insertBatch" as const),
    entries: fc.array(fc.tuple(keyArb, valueArb), { maxLength: 4 }),
  }),
  fc.record({ op: fc.constant("cursorAt" as const), key: keyArb, steps: fc.nat(4) }),
  fc.record({ op: fc.constant("seek" as const), key: keyArb }),
  fc.record({ op: fc.constant("snapshot" as const) }),
  fc.record({ op: fc.constant("stats" as const) }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

function kindOf(error: unknown): string {
  if (error instanceof InsertError) return error.kind;
  throw error;
}

function run(ops: Op[], sealAtEnd: boolean, listSeed: number): void {
  const first = new ConcurrentSkipList({
    arenaBytes: 8192,
    maxArenaBytes: 1 << 20,
    seed: listSeed,
  });
  const second = ConcurrentSkipList.attach(first.share());
  const model = new Model();
  const snapshots: {
    snapshot: ReturnType<ConcurrentSkipList["snapshot"]>;
    expected: ReturnType<Model["entries"]>;
  }[] = [];
  ops.forEach((step, index) => {
    const list = index % 2 === 0 ? first : second;
    switch (step.op) {
      case "insert":
      case "tryInsert": {
        const fresh = model.state(step.key) === undefined;
        if (fresh) model.set(step.key, { value: step.value, tombstone: false });
        if (step.op === "insert") assert.equal(list.insert(step.key, step.value), fresh);
        else if (fresh) list.tryInsert(step.key, step.value);
        else assert.throws(() => list.tryInsert(step.key, step.value), { kind: "DuplicateKey" });
        break;
      }
      case "put":
        list.put(step.key, step.value);
        model.set(step.key, { value: step.value, tombstone: false });
        break;
      case "delete":
      case "tryDelete": {
        const wasLive = model.state(step.key)?.tombstone === false;
        model.set(step.key, { value: new Uint8Array(0), tombstone: true });
        assert.equal(
          step.op === "delete" ? list.delete(step.key) : list.tryDelete(step.key),
          wasLive,
        );
        break;
      }
      case "get": {
        const state = model.state(step.key);
        const expected = state === undefined
          ? undefined
          : [state.tombstone ? new Uint8Array(0) : state.value, state.tombstone];
        assert.deepEqual(list.get(step.key), expected);
        assert.deepEqual(
          list.getLive(step.key),
          state?.tombstone === false ? state.value : undefined,
        );
        assert.equal(list.containsKey(step.key), state?.tombstone === false);
        break;
      }
      case "getMany":
        assert.deepEqual(
          list.getMany(step.keys),
          step.keys.map((key) => {
            const state = model.state(key);
            return state?.tombstone === false ? state.value : undefined;
          }),
        );
        break;
      case "getOrInsert": {
        const state = model.state(step.key);
        if (state === undefined) {
          model.set(step.key, { value: step.value, tombstone: false });
          assert.deepEqual(list.getOrInsert(step.key, step.value), [step.value, true]);
        } else if (state.tombstone) {
          assert.equal(
            kindOf(captureError(() => list.getOrInsert(step.key, step.value))),
            "DuplicateKey",
          );
        } else {
          assert.deepEqual(list.getOrInsert(step.key, step.value), [state.value, false]);
        }
        break;
      }
      case "insertBatch": {
        let succeeded = 0;
        for (const [key, value] of step.entries) {
          if (model.state(key) === undefined) {
            model.set(key, { value, tombstone: false });
            succeeded++;
          }
        }
        const failed = step.entries.length - succeeded;
        if (failed === 0) assert.equal(list.insertBatch(step.entries), succeeded);
        else {
          const error = captureError(() => list.insertBatch(step.entries));
          assert.ok(error instanceof BatchError);
          assert.deepEqual([error.succeeded, error.failed], [succeeded, failed]);
        }
        break;
      }
      case "cursorAt": {
        const expected = model.entries().slice(
          model.lowerBound(step.key),
          model.lowerBound(step.key) + step.steps + 1,
        );
        const cursor = list.cursorAt(step.key);
        if (expected.length === 0) assert.equal(cursor, undefined);
        else {
          const seen = [];
          for (const entry of cursor!) {
            seen.push(entry);
            if (seen.length === expected.length) break;
          }
          assert.deepEqual(plainEntries(seen), expected);
        }
        break;
      }
      case "seek": {
        const cursor = list.cursor();
        const at = model.lowerBound(step.key);
        assert.equal(cursor.seek(step.key), at < model.keys.length);
        assert.deepEqual(
          cursor.valid() ? [...cursor.entry()!.key] : undefined,
          model.entries()[at]?.key,
        );
        break;
      }
      case "snapshot":
        snapshots.push({ snapshot: list.snapshot(), expected: model.entries() });
        break;
      case "stats":
        assert.equal(list.size, model.live());
        assert.equal(list.isEmpty(), model.live() === 0);
        break;
    }
  });
  assert.deepEqual(plainEntries(first), model.entries());
  assert.deepEqual(plainEntries(second.cursor()), model.entries());
  assert.deepEqual(rawEntries(second.rawCursor()), model.entries());
  const report = first.validate();
  assert.equal(report.entries, model.keys.length);
  assert.equal(report.liveEntries, model.live());
  for (const { snapshot, expected } of snapshots) {
    assert.deepEqual(plainEntries(snapshot), expected);
    assert.deepEqual(rawEntries(snapshot.rawCursor()), expected);
    assert.deepEqual(plainEntries(snapshot), expected, "a second pass agrees");
  }
  if (sealAtEnd) {
    const [frozen, fresh] = second.seal();
    assert.deepEqual(plainEntries(frozen), model.entries());
    assert.deepEqual(rawEntries(frozen.rawCursor()), model.entries());
    frozen.validate();
    assert.equal(fresh.size, 0);
    assert.equal(first.insert(new Uint8Array([1]), new Uint8Array()), false);
  }
}

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

Deno.test(`random operation sequences agree with the model (${RUNS} sequences, seed ${SEED})`, () => {
  fc.assert(
    fc.property(
      fc.array(opArb, { maxLength: 40 }),
      fc.boolean(),
      fc.integer(),
      (ops, seal, listSeed) => {
        run(ops, seal, listSeed);
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
});

Deno.test("long sequences over many keys agree with the model", () => {
  fc.assert(
    fc.property(
      fc.array(opArb, { minLength: 200, maxLength: 600 }),
      fc.integer(),
      (ops, listSeed) => {
        run(ops, true, listSeed);
      },
    ),
    { numRuns: Math.max(20, RUNS / 100), seed: SEED + 1 },
  );
});
