/**
 * Range and prefix scans with cursors, and paging through a prefix.
 *
 *   deno run examples/range_scan.ts           (no permissions needed)
 *
 * `cursorAt(target)` lands on the first key >= target in O(log n); from there
 * each step is O(1). Keys sort by unsigned bytes with a proper prefix first,
 * so all keys starting with a prefix are contiguous, beginning at the prefix.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList, type Entry } from "../mod.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function hasPrefix(key: Uint8Array, prefix: Uint8Array): boolean {
  return key.length >= prefix.length && prefix.every((byte, i) => key[i] === byte);
}

/** Live entries with `from <= key < to`. */
function* range(list: ConcurrentSkipList, from: Uint8Array, to: Uint8Array): Generator<Entry> {
  for (const entry of list.cursorAt(from) ?? []) {
    if (compare(entry.key, to) >= 0) return;
    if (!entry.isTombstone) yield entry; // tombstones are yielded: skip them
  }
}

/** Live entries whose key starts with `prefix`. */
function* prefixScan(list: ConcurrentSkipList, prefix: Uint8Array): Generator<Entry> {
  for (const entry of list.cursorAt(prefix) ?? []) {
    if (!hasPrefix(entry.key, prefix)) return;
    if (!entry.isTombstone) yield entry;
  }
}

/**
 * One page of a prefix listing. `after` is the last key of the previous page:
 * the next page starts at `after + "\0"`, the smallest key greater than it.
 */
function page(list: ConcurrentSkipList, prefix: Uint8Array, limit: number, after?: Uint8Array) {
  const start = after === undefined ? prefix : Uint8Array.of(...after, 0);
  const keys: string[] = [];
  for (const entry of list.cursorAt(start) ?? []) {
    if (!hasPrefix(entry.key, prefix) || keys.length === limit) break;
    if (!entry.isTombstone) keys.push(text(entry.key));
  }
  return keys;
}

const list = new ConcurrentSkipList();
for (let day = 1; day <= 9; day++) {
  list.insert(bytes(`log:2024-01-0${day}`), bytes(`entries of day ${day}`));
}
for (const user of ["ada", "alan", "barbara", "grace", "linus"]) {
  list.insert(bytes(`user:${user}`), bytes(user.toUpperCase()));
}
list.insert(bytes("user"), bytes("a proper prefix sorts first"));
list.delete(bytes("user:alan"));

// A range: [from, to), the usual half-open interval.
const week = [...range(list, bytes("log:2024-01-03"), bytes("log:2024-01-06"))].map((e) =>
  text(e.key)
);
assert.deepEqual(week, ["log:2024-01-03", "log:2024-01-04", "log:2024-01-05"]);

// A prefix scan: "user:" but not "user" itself, and not the deleted alan.
const users = [...prefixScan(list, bytes("user:"))].map((e) => text(e.value));
assert.deepEqual(users, ["ADA", "BARBARA", "GRACE", "LINUS"]);

// Paging: two keys per page, each page starting after the previous one's last key.
const pages: string[][] = [];
let last: Uint8Array | undefined;
for (;;) {
  const keys = page(list, bytes("user:"), 2, last);
  if (keys.length === 0) break;
  pages.push(keys);
  last = bytes(keys[keys.length - 1]!);
}
assert.deepEqual(pages, [["user:ada", "user:barbara"], ["user:grace", "user:linus"]]);

// No key >= target: cursorAt returns undefined (hence the `?? []` above).
assert.equal(list.cursorAt(bytes("zzz")), undefined);

// A cursor moves by hand too: seek jumps (also backwards), nextEntry steps.
const cursor = list.cursor(); // before the first entry
assert.equal(cursor.valid(), false);
assert.ok(cursor.seek(bytes("user:g")));
assert.equal(text(cursor.entry()!.key), "user:grace");
assert.ok(cursor.nextEntry());
assert.equal(text(cursor.entry()!.key), "user:linus");
assert.equal(cursor.nextEntry(), false, "ran off the end");
assert.ok(cursor.seek(bytes("log:")), "an invalid cursor may seek again");
assert.equal(text(cursor.entry()!.key), "log:2024-01-01");

console.log("range_scan: ok");
