import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { bytes, raw, text } from "../support/bytes.ts";

function sample(): ConcurrentSkipList {
  const list = new ConcurrentSkipList({ seed: 7 });
  for (const key of ["b", "d", "f"]) list.insert(bytes(key), bytes(key.toUpperCase()));
  list.delete(bytes("d"));
  return list;
}

Deno.test("get() returns the newest version with its tombstone flag", () => {
  const list = sample();
  assert.deepEqual(list.get(bytes("b")), [bytes("B"), false]);
  assert.deepEqual(list.get(bytes("d")), [raw(), true]);
  assert.equal(list.get(bytes("c")), undefined);
});

Deno.test("getLive() and containsKey() treat tombstones as absent", () => {
  const list = sample();
  assert.deepEqual(list.getLive(bytes("f")), bytes("F"));
  assert.equal(list.getLive(bytes("d")), undefined);
  assert.equal(list.getLive(bytes("z")), undefined);
  assert.equal(list.containsKey(bytes("f")), true);
  assert.equal(list.containsKey(bytes("d")), false);
  assert.equal(list.containsKey(bytes("a")), false);
});

Deno.test("getMany() answers getLive() for each key in order", () => {
  const list = sample();
  const keys = ["f", "a", "d", "b"].map(bytes);
  assert.deepEqual(list.getMany(keys), [bytes("F"), undefined, undefined, bytes("B")]);
  assert.deepEqual(list.getMany(new Set(keys.slice(0, 1))), [bytes("F")]);
  assert.deepEqual(list.getMany([]), []);
});

Deno.test("returned values stay unchanged after later writes", () => {
  const list = new ConcurrentSkipList();
  list.put(bytes("k"), bytes("one"));
  const held = list.getLive(bytes("k"))!;
  list.put(bytes("k"), bytes("two"));
  list.delete(bytes("k"));
  for (let i = 0; i < 2000; i++) list.insert(bytes(`filler ${i}`), new Uint8Array(100)); // grows the arena
  assert.equal(text(held), "one");
});

Deno.test("iteration yields one entry per key, newest version, tombstones flagged", () => {
  const list = sample();
  list.put(bytes("b"), bytes("B2"));
  const entries = [...list].map((e) => [text(e.key), text(e.value), e.isTombstone]);
  assert.deepEqual(entries, [["b", "B2", false], ["d", "", true], ["f", "F", false]]);
  assert.deepEqual([...list.iter()].length, 3);
});

Deno.test("iteration of an empty list yields nothing", () => {
  const list = new ConcurrentSkipList();
  assert.deepEqual([...list], []);
  assert.equal(list.iter().next().done, true);
});

Deno.test("a live iterator never goes back and never skips a key that existed when it started", () => {
  const list = new ConcurrentSkipList();
  list.insert(raw(1), raw());
  list.insert(raw(5), raw());
  list.insert(raw(9), raw());
  const iter = list.iter();
  assert.deepEqual(iter.next().value?.key, raw(1));
  list.insert(raw(7), raw()); // ahead of the iterator: seen
  list.insert(raw(0), raw()); // behind it: not seen
  assert.deepEqual([...iter].map((e) => e.key[0]), [5, 7, 9]);
});
