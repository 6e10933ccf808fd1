import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { bytes, compareBytes, plain, randomKeys, raw, text } from "../support/bytes.ts";

Deno.test("keys sort by unsigned bytes with a proper prefix first", () => {
  const expected = ["", "A", "a", "a\0", "aa", "ab", "b"];
  const list = new ConcurrentSkipList({ seed: 1 });
  for (const key of [...expected].reverse()) {
    assert.equal(list.insert(bytes(key), bytes(key)), true);
  }
  list.insert(raw(0xff), raw(0xff));
  const keys = [...list].map((entry) => entry.key);
  assert.deepEqual(keys.slice(0, -1).map(text), expected);
  assert.deepEqual(keys.at(-1), raw(0xff));
});

Deno.test("bytes above 0x7f sort after lower bytes in every word position", () => {
  // Word-wise comparison must not treat 0x80… as negative, in any of the 4 lanes.
  const list = new ConcurrentSkipList({ seed: 2 });
  const keys: Uint8Array[] = [];
  for (let lane = 0; lane < 8; lane++) {
    for (const byte of [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff]) {
      const key = new Uint8Array(lane + 1).fill(0x41);
      key[lane] = byte;
      keys.push(key);
    }
  }
  for (const key of keys) list.insert(key, raw());
  const sorted = [...new Map(keys.map((k) => [k.join(), k])).values()].sort(compareBytes);
  assert.deepEqual([...list].map((entry) => [...entry.key]), sorted.map((k) => [...k]));
});

Deno.test("keys that differ only in length or trailing zero bytes are distinct", () => {
  const list = new ConcurrentSkipList({ seed: 3 });
  const keys = [
    raw(),
    raw(0),
    raw(0, 0),
    raw(0, 0, 0),
    raw(0, 0, 0, 0),
    raw(0, 0, 0, 0, 0),
    raw(1),
  ];
  for (const key of keys) assert.equal(list.insert(key, raw(key.length)), true);
  for (const key of keys) assert.deepEqual(list.getLive(key), raw(key.length));
  assert.deepEqual([...list].map((entry) => entry.key.length), [0, 1, 2, 3, 4, 5, 1]);
});

Deno.test("the empty key and the empty value are legal", () => {
  const list = new ConcurrentSkipList();
  assert.equal(list.insert(raw(), raw()), true);
  assert.deepEqual(list.get(raw()), [raw(), false]);
  assert.equal(list.containsKey(raw()), true);
  assert.deepEqual(plain(list), [{ key: [], value: [], isTombstone: false }]);
});

Deno.test("key and value views honour their byteOffset and length", () => {
  const backing = bytes("xxkeyyyvaluezz");
  const key = backing.subarray(2, 5); // "key"
  const value = backing.subarray(7, 12); // "value"
  const list = new ConcurrentSkipList();
  list.insert(key, value);
  backing.fill(0); // the list holds copies
  assert.equal(text(list.getLive(bytes("key"))!), "value");
  const shared = new Uint8Array(new SharedArrayBuffer(8), 3, 2);
  shared.set([7, 8]);
  list.insert(shared, shared);
  assert.deepEqual(list.getLive(raw(7, 8)), raw(7, 8));
});

Deno.test("random keys of every length from 0 to 40 come back sorted", () => {
  const list = new ConcurrentSkipList({ seed: 4 });
  const keys: Uint8Array[] = [];
  keys.push(raw());
  for (let length = 1; length <= 40; length++) keys.push(...randomKeys(30, length, 100 + length));
  const distinct = [...new Map(keys.map((k) => [k.join(), k])).values()];
  for (const key of distinct) list.insert(key, key);
  const walked = [...list].map((entry) => [...entry.key]);
  assert.deepEqual(walked, [...distinct].sort(compareBytes).map((k) => [...k]));
  for (const key of distinct) assert.deepEqual(list.getLive(key), key);
  list.validate();
});
