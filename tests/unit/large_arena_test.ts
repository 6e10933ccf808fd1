import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";

/**
 * Word addresses stay below 2^30, but byte offsets pass 2^31 once the arena
 * holds more than 2 GiB: a `<< 2` there turns negative. This fills 2.5 GiB.
 */
Deno.test("a list past 2 GiB reads back what it stored", () => {
  const valueBytes = 64 << 20;
  const count = 40; // 2.5 GiB of values
  const list = new ConcurrentSkipList({ maxArenaBytes: 2 ** 32 - 2 ** 16, arenaBytes: 1 << 20 });
  const value = new Uint8Array(valueBytes);
  for (let i = 0; i < count; i++) {
    value[0] = i;
    value[valueBytes - 1] = 255 - i;
    list.put(new Uint8Array([i]), value);
  }
  assert.ok(list.memoryUsage() > 2 ** 31 + 2 ** 28, `usage ${list.memoryUsage()}`);
  for (let i = 0; i < count; i++) {
    const stored = list.getLive(new Uint8Array([i]))!;
    assert.equal(stored.length, valueBytes);
    assert.equal(stored[0], i);
    assert.equal(stored[valueBytes - 1], 255 - i);
  }
  const cursor = list.rawCursor();
  let seen = 0;
  while (cursor.nextEntry()) {
    assert.equal(cursor.bytes[cursor.keyOffset], seen);
    assert.equal(cursor.bytes[cursor.valueOffset + valueBytes - 1], 255 - seen);
    seen++;
  }
  assert.equal(seen, count);
  const [frozen] = list.seal();
  assert.deepEqual([...frozen].map((entry) => entry.value[0]), [...Array(count).keys()]);
  assert.equal(frozen.validate().entries, count);
});
