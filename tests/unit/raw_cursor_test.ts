import assert from "node:assert/strict";
import { ConcurrentSkipList, type RawCursor } from "../../mod.ts";
import { bytes, randomKeys, raw, text } from "../support/bytes.ts";

/** Everything a raw cursor yields from its position on, as plain data. */
function drain(cursor: RawCursor, first = true): [string, string, boolean][] {
  const out: [string, string, boolean][] = [];
  for (let more = first ? cursor.nextEntry() : cursor.valid(); more; more = cursor.nextEntry()) {
    const { bytes: memory, keyOffset, keyLength, valueOffset, valueLength } = cursor;
    out.push([
      text(memory.slice(keyOffset, keyOffset + keyLength)),
      text(memory.slice(valueOffset, valueOffset + valueLength)),
      cursor.isTombstone,
    ]);
  }
  return out;
}

function fruits(): ConcurrentSkipList {
  const list = new ConcurrentSkipList({ seed: 4 });
  for (const key of ["pear", "apple", "fig"]) list.insert(bytes(key), bytes(key.toUpperCase()));
  list.delete(bytes("fig"));
  list.put(bytes("apple"), bytes("GREEN"));
  return list;
}

Deno.test("a raw cursor yields what iteration yields, as offsets into the list's memory", () => {
  const list = fruits();
  const expected = [...list].map((e) => [text(e.key), text(e.value), e.isTombstone]);
  assert.deepEqual(drain(list.rawCursor()), expected);
  assert.deepEqual(expected, [["apple", "GREEN", false], ["fig", "", true], [
    "pear",
    "PEAR",
    false,
  ]]);
});

Deno.test("a raw cursor starts before the first entry and ends past the last", () => {
  const cursor = fruits().rawCursor();
  assert.equal(cursor.valid(), false);
  assert.deepEqual(drain(cursor).length, 3);
  assert.equal(cursor.valid(), false);
  assert.equal(cursor.nextEntry(), false);
  assert.equal(new ConcurrentSkipList().rawCursor().nextEntry(), false);
});

Deno.test("a raw cursor seeks to the first key >= target", () => {
  const cursor = fruits().rawCursor();
  assert.equal(cursor.seek(bytes("b")), true);
  assert.deepEqual(drain(cursor, false).map(([key]) => key), ["fig", "pear"]);
  assert.equal(cursor.seek(bytes("q")), false);
  assert.equal(cursor.seek(bytes("apple")), true);
  assert.equal(cursor.keyLength, 5);
  assert.throws(() => cursor.seek("apple" as never), TypeError);
});

Deno.test("raw cursors of frozen memtables and snapshots see what they should", () => {
  const list = fruits();
  const snapshot = list.snapshot();
  list.put(bytes("pear"), bytes("RIPE"));
  list.insert(bytes("kiwi"), bytes("KIWI"));
  assert.deepEqual(drain(snapshot.rawCursor()).map(([k, v]) => `${k}=${v}`), [
    "apple=GREEN",
    "fig=",
    "pear=PEAR",
  ]);
  const [frozen] = list.seal();
  assert.deepEqual(drain(frozen.rawCursor()).map(([k, v]) => `${k}=${v}`), [
    "apple=GREEN",
    "fig=",
    "kiwi=KIWI",
    "pear=RIPE",
  ]);
});

Deno.test("a raw cursor's bytes follow the arena as it grows", () => {
  const list = new ConcurrentSkipList({ arenaBytes: 4096, seed: 6 });
  const cursor = list.rawCursor();
  list.insert(raw(0), raw(0));
  assert.equal(cursor.nextEntry(), true);
  const before = cursor.bytes.length;
  const keys = randomKeys(5000, 8, 6).map((k) => new Uint8Array([1, ...k]));
  for (const key of keys) list.insert(key, key);
  let seen = 1;
  while (cursor.nextEntry()) {
    const { bytes: memory, keyOffset, keyLength, valueOffset, valueLength } = cursor;
    assert.deepEqual(
      memory.subarray(keyOffset, keyOffset + keyLength),
      memory.subarray(valueOffset, valueOffset + valueLength),
    );
    seen++;
  }
  assert.equal(seen, keys.length + 1);
  assert.ok(cursor.bytes.length > before);
});
