import assert from "node:assert/strict";
import { heightOf, keyLengthOf, nodeHeader } from "../../src/_records.ts";
import { MAX_HEIGHT, MAX_KEY_BYTES } from "../../src/_layout.ts";

// Towers rise with odds 1/2 up to MAX_HEIGHT levels, more than four bits
// hold; the header word must still give back both fields, and the longest
// key's length sets the word's top bit (it is read unsigned).
Deno.test("a node header keeps every height up to MAX_HEIGHT beside every key length", () => {
  const i32 = new Int32Array(1);
  for (let height = 1; height <= MAX_HEIGHT; height++) {
    for (const keyLength of [0, 1, 16, 0xffff, MAX_KEY_BYTES >>> 1, MAX_KEY_BYTES]) {
      i32[0] = nodeHeader(height, keyLength);
      assert.equal(heightOf(i32, 0), height, `height ${height} with key length ${keyLength}`);
      assert.equal(keyLengthOf(i32, 0), keyLength, `key length ${keyLength} at height ${height}`);
    }
  }
});
