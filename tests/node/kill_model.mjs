/**
 * What the list must hold after the preemptive-kill test's writers stopped:
 * the state of every key id as the acknowledged writes say, replayed from
 * the writers' logs, with the value versions stored (for `avgValueSize()`),
 * and a check of a reader (live list or frozen memtable) against it.
 *
 * Each key is written by one writer at a time (a writer's keys are its own;
 * the writers that come after the kills split the existing keys between
 * them), so replaying each log in order gives every key's exact state.
 */

import assert from "node:assert/strict";
import {
  ABSENT,
  CORRUPT,
  describeState,
  KeyCodec,
  keyIdOf,
  keyWriter,
  stateOfEntry,
  TOMBSTONE,
  valueId,
  valueLength,
} from "./kill_codec.mjs";
import { DELETE, INSERT, kindName, PUT } from "./kill_log.mjs";

/** Key states and stored value versions, from acknowledged writes. */
export class Model {
  /** Key id -> value id, or TOMBSTONE. */
  states = new Map();
  /** Value versions stored (`insert`s that stored, `put`s), and their bytes. */
  valueVersions = 0;
  valueBytes = 0;

  /** The state of key `id`. */
  state(id) {
    return this.states.get(id) ?? ABSENT;
  }

  /** The state key `record.key` has after `writer`'s write `record` (not applied). */
  after(writer, record) {
    const before = this.state(record.key);
    if (record.kind === INSERT) return before === ABSENT ? valueId(writer, record.op) : before;
    if (record.kind === PUT) return valueId(writer, record.op);
    return TOMBSTONE;
  }

  /**
   * Applies `writer`'s acknowledged write `record`, after checking that what
   * the write returned agrees with the key's state before it.
   */
  apply(writer, record) {
    const before = this.state(record.key);
    const expected = record.kind === INSERT
      ? (before === ABSENT ? 1 : 0)
      : record.kind === PUT
      ? 1
      : (before >= 0 ? 1 : 0);
    assert.equal(
      record.result,
      expected,
      `writer ${writer} op ${record.op}: ${kindName(record.kind)}(key ${record.key}) ` +
        `returned ${record.result === 1} on ${describeState(before)}`,
    );
    this.#store(writer, record);
  }

  /** Applies a write found in the list that its writer never acknowledged. */
  applyUnacknowledged(writer, record) {
    this.#store(writer, record);
  }

  #store(writer, record) {
    const before = this.state(record.key);
    const after = this.after(writer, record);
    if (record.kind !== DELETE && (record.kind === PUT || before === ABSENT)) {
      this.valueVersions++;
      this.valueBytes += valueLength(writer, record.op, record.key);
    }
    this.states.set(record.key, after);
  }

  /** Key ids that have an entry (live or tombstoned). */
  keyIds() {
    return [...this.states.keys()];
  }
}

/**
 * Walks `reader` (a live list nobody writes to now, or a frozen memtable)
 * and checks every entry against `model`: the key must decode, the value
 * must pass its checksum, and the state must be the model's, except for a
 * key of `unacknowledged` (key id -> `{ writer, record, after }`, the one
 * write each dead writer may have left in flight) whose state may be that
 * write's `after`. Every key of the model must be there. Returns the
 * unacknowledged writes found, and counts of entries, live keys and key bytes.
 */
export function checkReader(reader, model, unacknowledged, label) {
  let entries = 0;
  let live = 0;
  let keyBytes = 0;
  let modelKeys = 0;
  let previous = -1;
  const found = [];
  for (const entry of reader) {
    const id = keyIdOf(entry.key);
    assert.ok(id >= 0, `${label}: a key that no writer wrote: [${entry.key.join(", ")}]`);
    assert.ok(id > previous, `${label}: key ${id} comes after key ${previous}`);
    previous = id;
    const state = stateOfEntry(entry, id);
    assert.notEqual(
      state,
      CORRUPT,
      `${label}: key ${id} (writer ${keyWriter(id)}) holds a corrupt value`,
    );
    const expected = model.state(id);
    if (expected !== ABSENT) modelKeys++;
    if (state !== expected) {
      const pending = unacknowledged.get(id);
      assert.ok(
        pending !== undefined && state === pending.after,
        `${label}: key ${id} (writer ${keyWriter(id)}) holds ${describeState(state)}, ` +
          `but the acknowledged writes say ${describeState(expected)}` +
          (pending === undefined
            ? " and no dead writer had a write on it in flight"
            : ` (the in-flight ${kindName(pending.record.kind)} would give ${
              describeState(pending.after)
            })`),
      );
      found.push(pending);
    }
    entries++;
    keyBytes += entry.key.length;
    if (state >= 0) live++;
  }
  const expectedKeys = model.keyIds().length;
  if (modelKeys !== expectedKeys) {
    const seen = new Set();
    for (const entry of reader) seen.add(keyIdOf(entry.key));
    const missing = model.keyIds().filter((id) => !seen.has(id));
    assert.fail(
      `${label}: ${missing.length} keys that acknowledged writes stored are missing: ` +
        missing.slice(0, 5).map((id) => `key ${id} (${describeState(model.state(id))})`).join(", "),
    );
  }
  return { entries, live, keyBytes, found };
}

/**
 * Point reads: `get()` of each key of `ids` and of `sample` random keys of
 * the model agrees with the model.
 */
export function checkLookups(reader, model, ids, sample, rng, label) {
  const keys = new KeyCodec();
  const known = model.keyIds();
  const probes = [...ids];
  for (let i = 0; i < sample && known.length > 0; i++) probes.push(known[rng.below(known.length)]);
  for (const id of probes) {
    const got = reader.get(keys.key(id));
    const state = got === undefined
      ? ABSENT
      : stateOfEntry({ value: got[0], isTombstone: got[1] }, id);
    assert.equal(
      state,
      model.state(id),
      `${label}: get(key ${id}) returned ${describeState(state)}, ` +
        `expected ${describeState(model.state(id))}`,
    );
  }
}
