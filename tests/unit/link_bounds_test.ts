/**
 * The bounds beside the links (invariant 9 of `src/_layout.ts`): what a
 * bound says about key order, that `validate()` holds a private list to
 * exact bounds and any list to upper bounds, and that a frozen list whose
 * bounds are stale-high (left so by writers of a shared list storing them
 * out of order, or killed after their CAS) still answers every read exactly.
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList, FrozenMemtable } from "../../mod.ts";
import { bufferOf } from "../../src/_backing.ts";
import { keyBound, Probe } from "../../src/_keys.ts";
import { boundWord, headAddress, HEIGHT, linkWord, STRIPE_COUNT } from "../../src/_layout.ts";
import { compareBytes, random32 } from "../support/bytes.ts";

/** Keys that often share their first four bytes (equal bounds), short ones included. */
function crowdedKeys(count: number, seed: number): Uint8Array[] {
  const next = random32(seed);
  const alphabet = [0, 1, 2, 0x7f, 0x80, 0xff];
  const keys: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const length = next() % 9; // 0 … 8 bytes
    const key = new Uint8Array(length);
    for (let j = 0; j < length; j++) key[j] = alphabet[next() % alphabet.length]!;
    keys.push(key);
  }
  return keys;
}

function boundOf(key: Uint8Array): number {
  const probe = new Probe();
  probe.set(key);
  return probe.bound;
}

/** Every (bound word, link word) of the list in `buffer`, over all levels in use. */
function towerWords(buffer: SharedArrayBuffer): { bound: number; link: number }[] {
  const i32 = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
  const head = headAddress(i32[STRIPE_COUNT]!);
  const words: { bound: number; link: number }[] = [];
  for (let level = 0; level < i32[HEIGHT]!; level++) {
    for (let node = head; i32[linkWord(node, level)] !== 0; node = i32[linkWord(node, level)]!) {
      words.push({ bound: boundWord(node, level), link: linkWord(node, level) });
    }
  }
  return words;
}

Deno.test("a difference in key bounds orders two keys as their bytes do; equal bounds decide nothing", () => {
  const keys = crowdedKeys(400, 7);
  let decided = 0;
  for (const a of keys) {
    for (const b of keys) {
      const order = Math.sign(compareBytes(a, b));
      const boundOrder = Math.sign(boundOf(a) - boundOf(b));
      if (boundOrder !== 0) {
        decided++;
        assert.equal(boundOrder, order, `keys [${a}] and [${b}]`);
      }
    }
  }
  assert.ok(decided > 10_000, `only ${decided} pairs had different bounds`);
  // The sign flip: a first byte of 0x80 and above sorts above 0x7f.
  assert.ok(keyBound(0x80) > keyBound(0x7f));
  assert.ok(boundOf(new Uint8Array([0xff, 0xff, 0xff, 0xff])) > boundOf(new Uint8Array([1])));
  assert.equal(boundOf(new Uint8Array(0)), boundOf(new Uint8Array([0, 0])));
});

Deno.test("validate() holds a never-shared list to exact bounds and a shared one to upper bounds", () => {
  const list = new ConcurrentSkipList({ seed: 5 });
  for (const key of crowdedKeys(3000, 11)) list.insert(key, key);
  const [frozen] = list.seal();
  assert.equal(frozen.validate().entries, frozen.size);
  // The seal's own instance read the list before it was ever shared: exact.
  const buffer = bufferOf(frozen.share().memory);
  const attached = FrozenMemtable.attach(frozen.share());
  const i32 = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
  const { bound } = towerWords(buffer)[17]!;
  const exact = i32[bound]!;

  i32[bound] = exact + 1; // still an upper bound
  assert.throws(() => frozen.validate(), /the bound beside node \d+'s link at level \d+ is/);
  assert.equal(attached.validate().entries, frozen.size); // shared: upper bounds are enough

  i32[bound] = exact - 1; // below the successor's: broken for every reader
  assert.throws(() => attached.validate(), /the bound beside node \d+'s link at level \d+ is/);
  assert.throws(() => frozen.validate(), /the bound beside node \d+'s link at level \d+ is/);

  i32[bound] = exact;
  assert.equal(frozen.validate().entries, frozen.size);
  attached.release();
  frozen.release();
});

Deno.test("a frozen list with stale-high bounds answers get, cursorAt, cursorForPrev and reverse ranges exactly", () => {
  for (const seed of [1, 2, 3]) {
    const list = new ConcurrentSkipList({ seed });
    list.share(); // written as a shared list: its frozen readers take bounds as upper bounds
    const keys = crowdedKeys(1500, seed);
    const stored = new Map<string, Uint8Array>();
    for (const key of keys.slice(0, 1000)) {
      if (list.insert(key, Uint8Array.of(key.length, seed))) stored.set(String(key), key);
    }
    const [frozen] = list.seal();
    const buffer = bufferOf(frozen.share().memory);
    const i32 = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
    // Raise bounds the way late stores can: any value at or above the exact one.
    const next = random32(seed * 977);
    let raised = 0;
    for (const { bound } of towerWords(buffer)) {
      const kind = next() % 3;
      if (kind === 0) continue;
      const exact = i32[bound]!;
      i32[bound] = kind === 1 ? 0x7fff_ffff : exact + (next() % 0x100_0000);
      if (i32[bound]! < exact) i32[bound] = 0x7fff_ffff; // wrapped: take the largest
      raised++;
    }
    assert.ok(raised > 500, `raised ${raised} bounds`);
    frozen.validate();

    const sorted = [...stored.values()].sort(compareBytes);
    const reader = FrozenMemtable.attach(frozen.share());
    for (const probe of keys) {
      const at = sorted.findIndex((key) => compareBytes(key, probe) >= 0);
      const hit = at >= 0 && compareBytes(sorted[at]!, probe) === 0;
      assert.deepEqual(reader.getLive(probe), hit ? Uint8Array.of(probe.length, seed) : undefined);
      const cursor = reader.cursorAt(probe);
      assert.deepEqual(
        cursor?.entry()?.key,
        at >= 0 ? sorted[at] : undefined,
        `cursorAt [${probe}]`,
      );
      const below = hit ? at : (at >= 0 ? at : sorted.length) - 1;
      const back = reader.cursorForPrev(probe);
      assert.deepEqual(
        back?.entry()?.key,
        below >= 0 ? sorted[below] : undefined,
        `cursorForPrev [${probe}]`,
      );
    }
    const reversed = [...reader.range({ reverse: true })].map((entry) => entry.key);
    assert.deepEqual(reversed, sorted.slice().reverse());
    reader.release();
    frozen.release();
  }
});
