import assert from "node:assert/strict";
import { BatchError, ConcurrentSkipList, InsertError } from "../../mod.ts";
import { bytes, plain, random32, raw, text } from "../support/bytes.ts";

/** Asserts that `fn` throws an InsertError of `kind`. */
function assertInsertError(fn: () => unknown, kind: InsertError["kind"]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InsertError, `expected an InsertError, got ${error}`);
    assert.equal(error.kind, kind);
    return true;
  });
}

Deno.test("insert() keeps the first value of a key", () => {
  const list = new ConcurrentSkipList();
  assert.equal(list.insert(bytes("k"), bytes("first")), true);
  assert.equal(list.insert(bytes("k"), bytes("second")), false);
  assert.equal(text(list.getLive(bytes("k"))!), "first");
  assert.equal(list.size, 1);
});

Deno.test("insert() refuses a tombstoned key", () => {
  const list = new ConcurrentSkipList();
  list.insert(bytes("k"), bytes("v"));
  list.delete(bytes("k"));
  assert.equal(list.insert(bytes("k"), bytes("again")), false);
  assertInsertError(() => list.tryInsert(bytes("k"), bytes("again")), "DuplicateKey");
  assert.deepEqual(list.get(bytes("k")), [raw(), true]);
});

Deno.test("tryInsert() reports DuplicateKey, Sealed and OutOfMemory", async (t) => {
  await t.step("duplicate", () => {
    const list = new ConcurrentSkipList();
    list.tryInsert(raw(1), raw(1));
    assertInsertError(() => list.tryInsert(raw(1), raw(2)), "DuplicateKey");
  });
  await t.step("sealed, even for a key that is present", () => {
    const list = new ConcurrentSkipList();
    list.tryInsert(raw(1), raw(1));
    list.seal();
    assertInsertError(() => list.tryInsert(raw(2), raw(2)), "Sealed");
    assertInsertError(() => list.tryInsert(raw(1), raw(2)), "Sealed");
  });
  await t.step("limit reached, but a duplicate still says DuplicateKey", () => {
    const list = new ConcurrentSkipList({ maxEntries: 1 });
    list.tryInsert(raw(1), raw(1));
    assertInsertError(() => list.tryInsert(raw(2), raw(2)), "OutOfMemory");
    assertInsertError(() => list.tryInsert(raw(1), raw(2)), "DuplicateKey");
  });
});

Deno.test("put() overwrites live, tombstoned and absent keys", () => {
  const list = new ConcurrentSkipList();
  list.put(bytes("absent"), bytes("1"));
  assert.equal(text(list.getLive(bytes("absent"))!), "1");
  list.put(bytes("absent"), bytes("2"));
  assert.equal(text(list.getLive(bytes("absent"))!), "2");
  list.delete(bytes("absent"));
  assert.equal(list.size, 0);
  list.put(bytes("absent"), bytes("3"));
  assert.equal(text(list.getLive(bytes("absent"))!), "3");
  assert.equal(list.size, 1);
  assert.deepEqual(list.validate().versions, 4);
  assert.deepEqual(plain(list), [{
    key: [...bytes("absent")],
    value: [...bytes("3")],
    isTombstone: false,
  }]);
});

Deno.test("put() throws Sealed on a sealed list and OutOfMemory past a limit", () => {
  const sealed = new ConcurrentSkipList();
  sealed.seal();
  assertInsertError(() => sealed.put(raw(1), raw(1)), "Sealed");
  const limited = new ConcurrentSkipList({ maxEntries: 1 });
  limited.put(raw(1), raw(1));
  assertInsertError(() => limited.put(raw(2), raw(2)), "OutOfMemory");
  assert.throws(
    () => limited.put(raw(2), raw(2)),
    /^InsertError: out of memory: maxEntries \(1\) reached$/m,
  );
  assert.equal(limited.getLive(raw(2)), undefined);
});

Deno.test("put() over a present key is accepted at maxEntries: it does not grow size", () => {
  const limited = new ConcurrentSkipList({ maxEntries: 1 });
  limited.put(raw(1), raw(1));
  limited.put(raw(1), raw(2));
  assert.deepEqual(limited.getLive(raw(1)), raw(2));
  assert.equal(limited.size, 1);
  // maxMemoryBytes still applies to new versions of a present key.
  const small = new ConcurrentSkipList({ maxMemoryBytes: 1 });
  assert.throws(() => small.put(raw(1), raw(1)), /out of memory: maxMemoryBytes \(1\) reached/);
});

Deno.test("a failed write's error names the limit, or the sizes that can never fit", () => {
  const full = new ConcurrentSkipList({ maxArenaBytes: 1 << 16 });
  assert.throws(
    () => full.put(raw(1), new Uint8Array(1 << 17)),
    /^InsertError: out of memory: a 1-byte key with a 131072-byte value takes up to \d+ bytes, more than the arena can ever hold \(maxArenaBytes: 65536\)$/m,
  );
  const key = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
  // Writes until the first refusal (tower heights are random, so no fixed count
  // says when: a shorter node may still fit after a taller one did not).
  let refusal: unknown;
  for (let n = 0; refusal === undefined && n < 65536; n++) {
    try {
      full.tryInsert(key(n), new Uint8Array(64));
    } catch (error) {
      refusal = error;
    }
  }
  assert.match(
    String(refusal),
    /^InsertError: out of memory: the arena is full \(maxArenaBytes: 65536 bytes\)$/,
  );
});

Deno.test("delete() of a live key returns true and leaves a tombstone", () => {
  const list = new ConcurrentSkipList();
  list.insert(bytes("k"), bytes("v"));
  assert.equal(list.delete(bytes("k")), true);
  assert.equal(list.delete(bytes("k")), false);
  assert.deepEqual(list.get(bytes("k")), [raw(), true]);
  assert.equal(list.getLive(bytes("k")), undefined);
  assert.equal(list.containsKey(bytes("k")), false);
  assert.equal(list.size, 0);
});

Deno.test("delete() of an absent key records a tombstone and returns false", () => {
  const list = new ConcurrentSkipList();
  assert.equal(list.delete(bytes("ghost")), false);
  assert.deepEqual(list.get(bytes("ghost")), [raw(), true]);
  assert.deepEqual(plain(list), [{ key: [...bytes("ghost")], value: [], isTombstone: true }]);
  assert.equal(list.size, 0);
  assert.equal(list.isEmpty(), true);
});

Deno.test("delete() never throws: false when sealed or full; tryDelete() says why", () => {
  const list = new ConcurrentSkipList();
  list.insert(raw(1), raw(1));
  const [frozen] = list.seal();
  assert.equal(list.delete(raw(1)), false);
  assertInsertError(() => list.tryDelete(raw(1)), "Sealed");
  assert.deepEqual(frozen.getLive(raw(1)), raw(1));

  // Seeded: tower heights decide how much room the last refusal leaves.
  const tiny = new ConcurrentSkipList({ arenaBytes: 8192, maxArenaBytes: 8192, seed: 1 });
  let stored = 0;
  while (tiny.insert(new Uint8Array([stored >> 8, stored & 0xff]), new Uint8Array(16))) stored++;
  assert.ok(stored > 10);
  assert.equal(tiny.delete(bytes("a key with no room left for its tombstone")), false);
  assertInsertError(
    () => tiny.tryDelete(bytes("a key with no room left for its tombstone")),
    "OutOfMemory",
  );
  assert.equal(tiny.size, stored);
});

Deno.test("deletes are accepted past the soft limits", () => {
  const list = new ConcurrentSkipList({ maxEntries: 2 });
  list.insert(raw(1), raw(1));
  list.insert(raw(2), raw(2));
  assert.equal(list.insert(raw(3), raw(3)), false);
  assert.equal(list.delete(raw(1)), true);
  assert.equal(list.tryDelete(raw(9)), false);
  assert.deepEqual(list.get(raw(9)), [raw(), true]);
});

Deno.test("tryDelete() returns whether a live entry was deleted", () => {
  const list = new ConcurrentSkipList();
  list.insert(raw(1), raw(1));
  assert.equal(list.tryDelete(raw(1)), true);
  assert.equal(list.tryDelete(raw(1)), false);
  assert.equal(list.tryDelete(raw(2)), false);
});

Deno.test("insertBatch() returns the count when every entry is stored", () => {
  const list = new ConcurrentSkipList();
  const entries: [Uint8Array, Uint8Array][] = [[raw(3), raw(30)], [raw(1), raw(10)], [
    raw(2),
    raw(20),
  ]];
  assert.equal(list.insertBatch(entries), 3);
  assert.deepEqual([...list].map((e) => e.value[0]), [10, 20, 30]);
  assert.equal(list.insertBatch([]), 0);
  function* generated(): Generator<[Uint8Array, Uint8Array]> {
    yield [raw(4), raw(40)];
  }
  assert.equal(list.insertBatch(generated()), 1);
});

Deno.test("insertBatch() keeps the stored entries and reports the failed ones", () => {
  const list = new ConcurrentSkipList();
  list.insert(raw(2), raw(0));
  assert.throws(
    () => list.insertBatch([[raw(1), raw(1)], [raw(2), raw(2)], [raw(3), raw(3)]]),
    (error) => {
      assert.ok(error instanceof BatchError);
      assert.equal(error.succeeded, 2);
      assert.equal(error.failed, 1);
      assert.equal(
        error.message,
        "partial failure: 2 succeeded, 1 failed (entries[1]: duplicate key)",
      );
      assert.deepEqual(error.failures.map((f) => [f.index, f.error.kind]), [[1, "DuplicateKey"]]);
      return true;
    },
  );
  assert.deepEqual([...list].map((e) => [e.key[0], e.value[0]]), [[1, 1], [2, 0], [3, 3]]);
});

Deno.test("insertBatch() honours maxEntries", () => {
  const list = new ConcurrentSkipList({ maxEntries: 2 });
  assert.throws(
    () => list.insertBatch([[raw(1), raw()], [raw(2), raw()], [raw(3), raw()]]),
    (error) => {
      assert.ok(error instanceof BatchError);
      assert.deepEqual([error.succeeded, error.failed], [2, 1]);
      return true;
    },
  );
  assert.equal(list.size, 2);
});

Deno.test("insertBatch() on a sealed list fails every entry", () => {
  const list = new ConcurrentSkipList();
  list.seal();
  assert.throws(() => list.insertBatch([[raw(1), raw()], [raw(2), raw()]]), (error) => {
    assert.ok(error instanceof BatchError);
    assert.deepEqual([error.succeeded, error.failed], [0, 2]);
    return true;
  });
});

Deno.test("getOrInsert() returns the live value or inserts, and never claims a failed insert", async (t) => {
  await t.step("absent then present", () => {
    const list = new ConcurrentSkipList();
    const value = raw(1);
    const [first, inserted] = list.getOrInsert(raw(9), value);
    assert.equal(inserted, true);
    assert.equal(first, value);
    assert.deepEqual(list.getOrInsert(raw(9), raw(2)), [raw(1), false]);
  });
  await t.step("tombstoned key throws DuplicateKey", () => {
    const list = new ConcurrentSkipList();
    list.delete(raw(9));
    assertInsertError(() => list.getOrInsert(raw(9), raw(1)), "DuplicateKey");
  });
  await t.step("sealed list: absent throws Sealed, present answers", () => {
    const list = new ConcurrentSkipList();
    list.insert(raw(1), raw(10));
    list.seal();
    assertInsertError(() => list.getOrInsert(raw(2), raw(1)), "Sealed");
    assert.deepEqual(list.getOrInsert(raw(1), raw(11)), [raw(10), false]);
  });
  await t.step("full list: absent throws OutOfMemory, present answers", () => {
    const list = new ConcurrentSkipList({ maxEntries: 1 });
    list.insert(raw(1), raw(10));
    assertInsertError(() => list.getOrInsert(raw(2), raw(1)), "OutOfMemory");
    assert.deepEqual(list.getOrInsert(raw(1), raw(11)), [raw(10), false]);
    assert.equal(list.size, 1);
  });
});

Deno.test("maxMemoryBytes stops new entries once memoryUsage() reaches it", () => {
  const list = new ConcurrentSkipList({ maxMemoryBytes: 64 * 1024 });
  let stored = 0;
  while (list.insert(new Uint8Array([stored >> 16, stored >> 8, stored]), new Uint8Array(32))) {
    stored++;
  }
  assert.ok(list.memoryUsage() >= 64 * 1024);
  // At most one entry (a full tower, 48-byte key+value) beyond the threshold.
  assert.ok(list.memoryUsage() < 64 * 1024 + 200, `usage ${list.memoryUsage()}`);
  assert.equal(list.size, stored);
  assert.equal(list.isSealed(), false, "limits do not seal");
  assert.equal(list.isUnderBackpressure(), true);
  list.validate();
});

Deno.test("ascending inserts mixed with inserts before the end keep every level sorted", () => {
  // Appends reuse the splice of the writer's last insert; inserts before the
  // end, overwrites of the last key and deletes break or keep that splice.
  // Every level must stay sorted and hold every node, whichever path a write took.
  for (const seed of [1, 2, 3, 4, 5]) {
    const list = new ConcurrentSkipList({ seed });
    const model = new Map<number, string>();
    const random = random32(seed);
    const next = () => random() / 2 ** 32;
    const key = (id: number) => {
      const k = new Uint8Array(4);
      new DataView(k.buffer).setUint32(0, id);
      return k;
    };
    let top = 0;
    for (let step = 0; step < 4000; step++) {
      const roll = next();
      if (roll < 0.6) {
        top += 2; // ascending: after every key so far
        assert.equal(list.insert(key(top), bytes(`a${top}`)), true);
        model.set(top, `a${top}`);
      } else if (roll < 0.8 && top > 0) {
        const id = 2 * Math.floor(next() * (top >> 1)) + 1; // odd: between two appends
        assert.equal(list.insert(key(id), bytes(`m${id}`)), !model.has(id));
        if (!model.has(id)) model.set(id, `m${id}`);
      } else if (roll < 0.9 && top > 0) {
        list.put(key(top), bytes(`p${step}`)); // the last key again
        model.set(top, `p${step}`);
      } else if (top > 0) {
        list.delete(key(top));
        model.delete(top);
      }
    }
    const report = list.validate();
    assert.equal(report.liveEntries, model.size, `seed ${seed}`);
    const stored = [...list].filter((entry) => !entry.isTombstone).map((
      entry,
    ) => [new DataView(entry.key.buffer, entry.key.byteOffset).getUint32(0), text(entry.value)]);
    const expected = [...model].sort((a, b) => a[0] - b[0]);
    assert.deepEqual(stored, expected, `seed ${seed}`);
  }
});
