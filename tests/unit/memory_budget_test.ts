import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { randomKeys } from "../support/bytes.ts";

/**
 * The budget: at most 40 bytes of structure per entry beyond the key and
 * value bytes, for 16-byte keys, averaged over 100,000 random inserts (the
 * Rust crate spends 48), so that a 16-byte key with an 8-byte value stays
 * within 64 bytes. Towers rising with odds 1/2 (`MAX_HEIGHT`) take 36: 2
 * levels of 8 bytes on average. The figure is printed for README.md.
 */
Deno.test("structural overhead stays within 40 bytes per entry for 16-byte keys", () => {
  const count = 100_000;
  const list = new ConcurrentSkipList({ seed: 2024 });
  const emptyUsage = list.memoryUsage();
  const keys = randomKeys(count, 16, 2024);
  for (const key of keys) assert.ok(list.insert(key, key.subarray(0, 8)));
  const payload = count * (16 + 8);
  const overhead = (list.memoryUsage() - emptyUsage - payload) / count;
  console.log(
    `structural overhead: ${
      overhead.toFixed(2)
    } bytes/entry (16-byte keys, 8-byte values, ${count} entries)`,
  );
  assert.ok(overhead <= 40, `overhead ${overhead} bytes/entry`);
  assert.ok(overhead >= 20, "a node needs at least its header, one link and a version header");
  assert.equal(list.validate().entries, count);
});
