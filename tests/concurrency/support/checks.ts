/**
 * The checks scenarios make of a list, a frozen memtable or a snapshot once
 * (or while) the workers write: every entry read back in order and intact,
 * every key against a model.
 *
 * @module
 */

import assert from "node:assert/strict";
import type {
  ConcurrentSkipList,
  Entry,
  FrozenMemtable,
  Snapshot,
  ValidationReport,
} from "../../../mod.ts";
import {
  ABSENT,
  CORRUPT,
  decodeValue,
  describeCode,
  KeyCodec,
  keyIdOf,
  stateOfRead,
  TOMBSTONE,
} from "./codec.ts";

/** Something with `get` and iteration: a list, a frozen memtable, a snapshot. */
export type Readable = ConcurrentSkipList | FrozenMemtable | Snapshot;

/** One entry in plain form: key id and state (value id, or TOMBSTONE). */
export type PlainEntry = readonly [key: number, state: number];

/**
 * Every entry of `source` in iteration order, as (key id, state); asserts
 * the order is strictly ascending and every value is intact.
 */
export function readAll(source: Iterable<Entry>, what: string): PlainEntry[] {
  const out: [number, number][] = [];
  let previous = -1;
  for (const entry of source) {
    const id = keyIdOf(entry.key);
    assert.ok(id >= 0, `${what}: a key no writer writes: [${entry.key}]`);
    assert.ok(id > previous, `${what}: key ${id} after key ${previous}`);
    previous = id;
    const state = entry.isTombstone
      ? (entry.value.length === 0 ? TOMBSTONE : CORRUPT)
      : decodeValue(entry.value, id);
    assert.notEqual(state, CORRUPT, `${what}: corrupt value under key ${id}`);
    out.push([id, state]);
  }
  return out;
}

/** The state of key `id` in `source` by point lookup. */
export function stateOf(source: Readable, id: number, codec: KeyCodec = new KeyCodec()): number {
  return stateOfRead(source.get(codec.key(id)), id);
}

/**
 * Asserts that `source` holds exactly `model` (key id -> state; absent keys
 * missing): by iteration, and by `get` on every key id in `[0, keys)`.
 */
export function assertMatchesModel(
  source: Readable,
  model: ReadonlyMap<number, number>,
  keys: number,
  what: string,
): void {
  const entries = readAll(source, what);
  const expected = [...model].sort((a, b) => a[0] - b[0]);
  if (entries.length !== expected.length || entries.some((e, i) => e[0] !== expected[i]![0])) {
    const have = new Set(entries.map((e) => e[0]));
    const want = new Set(expected.map((e) => e[0]));
    const missing = [...want].filter((k) => !have.has(k)).slice(0, 5);
    const extra = [...have].filter((k) => !want.has(k)).slice(0, 5);
    assert.fail(
      `${what}: ${entries.length} keys, expected ${expected.length}; missing ${missing}, extra ${extra}`,
    );
  }
  // From here on entries and expected have the same length.
  for (let i = 0; i < entries.length; i++) {
    const [key, state] = entries[i]!;
    const wanted = expected[i]![1];
    if (state !== wanted) {
      assert.fail(
        `${what}: key ${key} iterates as ${describeCode(state)}, expected ${describeCode(wanted)}`,
      );
    }
  }
  const codec = new KeyCodec();
  for (let id = 0; id < keys; id++) {
    const state = stateOf(source, id, codec);
    const want = model.get(id) ?? ABSENT;
    if (state !== want) {
      assert.fail(
        `${what}: get(key ${id}) is ${describeCode(state)}, expected ${describeCode(want)}`,
      );
    }
  }
}

/** Something with a structural check and a live count: a list or a frozen memtable. */
export type Checkable = ConcurrentSkipList | FrozenMemtable;

/**
 * Asserts `source` passes the strict `validate()` and that `size` is exactly
 * the live entries it counted; returns its report.
 */
export function assertValid(source: Checkable, what: string): ValidationReport {
  const structure = source.validate();
  assert.equal(
    source.size,
    structure.liveEntries,
    `${what}: size is ${source.size}, but validate() counted ${structure.liveEntries} live entries`,
  );
  return structure;
}

/**
 * Asserts `source` holds exactly `model` (see {@link assertMatchesModel}),
 * passes `validate()` and counts its live entries exactly in `size`
 * (see {@link assertValid}); returns its report.
 */
export function assertHolds(
  source: Checkable,
  model: ReadonlyMap<number, number>,
  keys: number,
  what: string,
): ValidationReport {
  assertMatchesModel(source, model, keys, what);
  return assertValid(source, what);
}
