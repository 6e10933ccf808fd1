import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { bytes, plain, raw, text } from "../support/bytes.ts";

Deno.test("a snapshot keeps what it saw while the list moves on", () => {
  const list = new ConcurrentSkipList({ seed: 5 });
  list.insert(bytes("a"), bytes("1"));
  list.insert(bytes("b"), bytes("2"));
  const snapshot = list.snapshot();
  const before = plain(snapshot);
  list.put(bytes("a"), bytes("changed"));
  list.delete(bytes("b"));
  list.insert(bytes("c"), bytes("3"));
  list.delete(bytes("new tombstone"));
  assert.deepEqual(plain(snapshot), before);
  assert.deepEqual(plain(snapshot.iter()), before);
  assert.deepEqual(before.map((e) => text(new Uint8Array(e.value))), ["1", "2"]);
  assert.equal(text(snapshot.getLive(bytes("a"))!), "1");
  assert.equal(text(snapshot.getLive(bytes("b"))!), "2");
  assert.equal(snapshot.get(bytes("c")), undefined);
  assert.equal(snapshot.containsKey(bytes("c")), false);
  assert.deepEqual(snapshot.getMany([bytes("a"), bytes("c")]), [bytes("1"), undefined]);
});

Deno.test("a snapshot sees a delete that completed before it", () => {
  const list = new ConcurrentSkipList();
  list.insert(raw(1), raw(1));
  list.delete(raw(1));
  list.delete(raw(2));
  const snapshot = list.snapshot();
  list.put(raw(1), raw(9));
  assert.deepEqual(snapshot.get(raw(1)), [raw(), true]);
  assert.deepEqual(snapshot.get(raw(2)), [raw(), true]);
  assert.deepEqual(plain(snapshot).map((e) => e.isTombstone), [true, true]);
});

Deno.test("snapshot cursors skip keys inserted after the snapshot", () => {
  const list = new ConcurrentSkipList();
  list.insert(raw(2), raw());
  list.insert(raw(4), raw());
  const snapshot = list.snapshot();
  for (const k of [1, 3, 5]) list.insert(raw(k), raw());
  assert.deepEqual([...snapshot.cursor()].map((e) => e.key[0]), [2, 4]);
  assert.deepEqual([...snapshot.cursorAt(raw(3))!].map((e) => e.key[0]), [4]);
  assert.equal(snapshot.cursorAt(raw(5)), undefined);
  const cursor = snapshot.cursor();
  assert.equal(cursor.seek(raw(1)), true);
  assert.deepEqual(cursor.entry()!.key, raw(2));
});

Deno.test("a snapshot of an empty list stays empty", () => {
  const list = new ConcurrentSkipList();
  const snapshot = list.snapshot();
  list.insert(raw(1), raw());
  assert.deepEqual([...snapshot], []);
  assert.equal(snapshot.cursor().nextEntry(), false);
});

Deno.test("many snapshots each see their own version of a key", () => {
  const list = new ConcurrentSkipList();
  const snapshots = [];
  for (let version = 0; version < 50; version++) {
    list.put(bytes("k"), raw(version));
    snapshots.push(list.snapshot());
  }
  snapshots.forEach((snapshot, version) =>
    assert.deepEqual(snapshot.getLive(bytes("k")), raw(version))
  );
  assert.equal(list.validate().versions, 50);
});

Deno.test("a snapshot outlives the seal of its list", () => {
  const list = new ConcurrentSkipList();
  list.insert(raw(1), raw(1));
  const snapshot = list.snapshot();
  const [, fresh] = list.seal();
  fresh.insert(raw(2), raw(2));
  assert.deepEqual(plain(snapshot).map((e) => e.key), [[1]]);
});
