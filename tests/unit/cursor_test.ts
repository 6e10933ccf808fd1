import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { bytes, raw, text } from "../support/bytes.ts";

function letters(): ConcurrentSkipList {
  const list = new ConcurrentSkipList({ seed: 11 });
  for (const key of ["c", "a", "e", "g"]) list.insert(bytes(key), bytes(key));
  return list;
}

Deno.test("cursor() starts before the first entry, not on a bogus head entry", () => {
  const cursor = letters().cursor();
  assert.equal(cursor.valid(), false);
  assert.equal(cursor.entry(), undefined);
  assert.equal(cursor.nextEntry(), true);
  assert.equal(text(cursor.entry()!.key), "a");
});

Deno.test("iterating cursor() yields every entry from the first", () => {
  assert.deepEqual([...letters().cursor()].map((e) => text(e.key)), ["a", "c", "e", "g"]);
});

Deno.test("nextEntry() walks to the end, then stays invalid", () => {
  const cursor = letters().cursor();
  const seen: string[] = [];
  while (cursor.nextEntry()) seen.push(text(cursor.entry()!.key));
  assert.deepEqual(seen, ["a", "c", "e", "g"]);
  assert.equal(cursor.valid(), false);
  assert.equal(cursor.nextEntry(), false);
  assert.equal(cursor.entry(), undefined);
});

Deno.test("cursorAt() lands on the first key >= target", () => {
  const list = letters();
  assert.equal(text(list.cursorAt(bytes("c"))!.entry()!.key), "c");
  assert.equal(text(list.cursorAt(bytes("d"))!.entry()!.key), "e");
  assert.equal(text(list.cursorAt(raw())!.entry()!.key), "a");
  assert.equal(text(list.cursorAt(bytes("f\xff"))!.entry()!.key), "g");
  assert.equal(list.cursorAt(bytes("h")), undefined);
  assert.equal(new ConcurrentSkipList().cursorAt(raw()), undefined);
});

Deno.test("iterating a cursorAt() cursor yields its entry, then the rest", () => {
  const cursor = letters().cursorAt(bytes("b"))!;
  assert.deepEqual([...cursor].map((e) => text(e.key)), ["c", "e", "g"]);
  assert.equal(cursor.valid(), false);
});

Deno.test("seek() repositions from the start, backwards too, and after running off the end", () => {
  const cursor = letters().cursorAt(bytes("e"))!;
  assert.equal(cursor.seek(bytes("b")), true);
  assert.equal(text(cursor.entry()!.key), "c");
  assert.equal(cursor.seek(bytes("z")), false);
  assert.equal(cursor.valid(), false);
  assert.equal(cursor.seek(bytes("g")), true);
  assert.equal(text(cursor.entry()!.key), "g");
  assert.equal(cursor.nextEntry(), false);
  assert.equal(cursor.seek(raw()), true);
  assert.equal(text(cursor.entry()!.key), "a");
});

Deno.test("cursors yield tombstones with isTombstone", () => {
  const list = letters();
  list.delete(bytes("c"));
  const entries = [...list.cursorAt(bytes("b"))!].map((e) => [text(e.key), e.isTombstone]);
  assert.deepEqual(entries, [["c", true], ["e", false], ["g", false]]);
});

Deno.test("a prefix scan stops at the first key past the prefix", () => {
  const list = new ConcurrentSkipList();
  for (const key of ["user:1", "user:10", "user:2", "users", "user;", "video"]) {
    list.insert(bytes(key), raw());
  }
  const found: string[] = [];
  for (const entry of list.cursorAt(bytes("user:")) ?? []) {
    const key = text(entry.key);
    if (!key.startsWith("user:")) break;
    found.push(key);
  }
  assert.deepEqual(found, ["user:1", "user:10", "user:2"]);
});
