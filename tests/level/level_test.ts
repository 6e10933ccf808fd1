/**
 * What FastskipLevel promises beyond abstract-level's suite: memory-level's
 * manifest, copies out of shared memory, tombstones only where needed,
 * all-or-nothing batches, sharing through handles, and release.
 *
 * @module
 */

import assert from "node:assert/strict";
import { MemoryLevel } from "memory-level";
import { ConcurrentSkipList, InsertError, MAX_KEY_BYTES } from "../../mod.ts";
import { FastskipLevel } from "../../level.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

/** The features a manifest declares, as "path" strings (`encodings.json`, `seek`, …). */
function features(supports: object, prefix = ""): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(supports)) {
    if (typeof value === "object" && value !== null) {
      out.push(...features(value, `${prefix}${name}.`));
    } else if (value === true) out.push(`${prefix}${name}`);
  }
  return out.sort();
}

Deno.test("FastskipLevel declares every feature memory-level declares", async () => {
  const memory = new MemoryLevel();
  await using db = new FastskipLevel();
  const ours = new Set(features(db.supports));
  const missing = features(memory.supports).filter((feature) => !ours.has(feature));
  await memory.close();
  assert.deepEqual(missing, []);
  for (const feature of ["implicitSnapshots", "explicitSnapshots", "seek", "getSync", "has"]) {
    assert.ok(ours.has(feature), feature);
  }
  for (const encoding of ["utf8", "json", "buffer", "view", "hex", "base64"]) {
    assert.ok(ours.has(`encodings.${encoding}`), encoding);
  }
});

Deno.test("FastskipLevel hands out copies in ordinary memory, which outlive release()", async () => {
  const db = new FastskipLevel<Uint8Array, Uint8Array>({
    keyEncoding: "view",
    valueEncoding: "view",
  });
  await db.put(bytes("k"), bytes("value"));
  const got = [
    (await db.get(bytes("k")))!,
    db.getSync(bytes("k"))!,
    (await db.getMany([bytes("k")]))[0]!,
    ...(await db.iterator().all())[0]!,
    (await db.keys().all())[0]!,
    (await db.values().all())[0]!,
  ];
  for (const view of got) assert.ok(view.buffer instanceof ArrayBuffer, "not shared memory");
  // Writing into a copy changes nothing stored.
  got[0]![0] = 0;
  assert.deepEqual(await db.get(bytes("k")), bytes("value"));
  await db.release();
  assert.deepEqual(got[1], bytes("value"));
  assert.deepEqual(got[3], bytes("k"));
});

Deno.test("FastskipLevel copies small values side by side in a slab and large ones on their own", async () => {
  await using db = new FastskipLevel<string, Uint8Array>({ valueEncoding: "view" });
  const large = new Uint8Array(5000).map((_, i) => i);
  await db.batch([
    { type: "put", key: "a", value: new Uint8Array([1, 2, 3]) },
    { type: "put", key: "b", value: new Uint8Array([4, 5]) },
    { type: "put", key: "large", value: large },
  ]);
  // Two reads: a slab may run out between the first two copies, not in both reads.
  const reads = [await db.getMany(["a", "b", "large"]), await db.getMany(["a", "b", "large"])];
  assert.ok(reads.some(([a, b]) => a!.buffer === b!.buffer), "two small copies share a slab");
  const [a, b, big] = reads[1]!;
  a!.fill(0); // writing into one copy leaves its neighbour alone
  assert.deepEqual(b, new Uint8Array([4, 5]));
  assert.deepEqual(big, large);
  assert.equal(big!.buffer.byteLength, 5000, "a large copy has a buffer of its own");
});

Deno.test("FastskipLevel.del() records a tombstone only for a live key", async () => {
  await using db = new FastskipLevel();
  const list = ConcurrentSkipList.attach(db.share());
  try {
    await db.put("a", "1");
    const before = list.memoryUsage();
    await db.del("never-written");
    await db.batch([{ type: "del", key: "also-absent" }]);
    assert.equal(list.memoryUsage(), before, "no tombstone for absent keys");
    await db.del("a");
    assert.deepEqual(list.get(bytes("a")), [new Uint8Array(), true], "a tombstone for a live key");
    assert.equal(await db.get("a"), undefined);
    assert.equal(await db.has("a"), false);
    assert.deepEqual(await db.keys().all(), []);
  } finally {
    list.release();
  }
});

Deno.test("FastskipLevel.batch() past maxEntries writes nothing and says why", async () => {
  await using db = new FastskipLevel({ skipList: { maxEntries: 3 } });
  await db.put("a", "1");
  const ops = ["b", "c", "d"].map((key) => ({ type: "put" as const, key, value: key }));
  await assert.rejects(
    db.batch(ops),
    (error) =>
      error instanceof InsertError && error.kind === "OutOfMemory" &&
      /maxEntries \(3\).*nothing was written/.test(error.message),
  );
  assert.deepEqual(await db.keys().all(), ["a"]);
  // Overwrites add no keys: they fit.
  await db.batch([{ type: "put", key: "a", value: "2" }, { type: "put", key: "b", value: "1" }]);
  assert.deepEqual(await db.iterator().all(), [["a", "2"], ["b", "1"]]);
});

Deno.test("FastskipLevel.batch() past maxMemoryBytes or the arena writes nothing", async () => {
  await using limited = new FastskipLevel({ skipList: { maxMemoryBytes: 64 << 10 } });
  const big = "x".repeat(40 << 10);
  await limited.put("small", "1");
  await assert.rejects(
    limited.batch(["a", "b", "c"].map((key) => ({ type: "put" as const, key, value: big }))),
    /maxMemoryBytes \(65536\).*nothing was written/,
  );
  assert.deepEqual(await limited.keys().all(), ["small"]);
  // A soft limit stops writes that start past it, as two puts in a row would find.
  await limited.batch(["a", "b"].map((key) => ({ type: "put" as const, key, value: big })));
  assert.deepEqual(await limited.keys().all(), ["a", "b", "small"]);

  await using small = new FastskipLevel({
    skipList: { arenaBytes: 1 << 16, maxArenaBytes: 1 << 17 },
  });
  await assert.rejects(
    small.batch(["a", "b", "c", "d"].map((key) => ({ type: "put" as const, key, value: big }))),
    /the arena has \d+ left; nothing was written/,
  );
  assert.deepEqual(await small.keys().all(), []);
});

Deno.test("FastskipLevel.batch() with a key too long for the format writes nothing", async () => {
  await using db = new FastskipLevel<string, string>();
  await assert.rejects(
    db.batch([
      { type: "put", key: "first", value: "1" },
      {
        type: "put",
        key: new Uint8Array(MAX_KEY_BYTES + 1) as unknown as string,
        value: "2",
        keyEncoding: "view",
      },
    ]),
    (error) => error instanceof RangeError && /operations\[1\]\.key/.test(error.message),
  );
  assert.deepEqual(await db.keys().all(), []);
});

Deno.test("FastskipLevel.attach() opens the same data, and iterators keep their snapshot", async () => {
  await using db = new FastskipLevel<string, string>();
  await using other = FastskipLevel.attach<string, string>(structuredClone(db.share()));
  await db.put("a", "1");
  assert.equal(await other.get("a"), "1");
  const iterator = other.iterator();
  await db.put("b", "2"); // after the iterator's implicit snapshot
  await other.del("a");
  assert.deepEqual(await iterator.all(), [["a", "1"]]);
  assert.deepEqual(await db.iterator().all(), [["b", "2"]]);
  // A store attached to a raw list shares it too.
  const list = ConcurrentSkipList.attach(db.share());
  try {
    assert.deepEqual(list.getLive(bytes("b")), bytes("2"));
  } finally {
    list.release();
  }
});

Deno.test("FastskipLevel refuses a snapshot of another store", async () => {
  await using a = new FastskipLevel();
  await using b = new FastskipLevel();
  await a.put("k", "a");
  const snapshot = a.snapshot();
  try {
    await assert.rejects(b.get("k", { snapshot }), { code: "LEVEL_SNAPSHOT_NOT_OPEN" });
    assert.equal(await a.get("k", { snapshot }), "a");
  } finally {
    await snapshot.close();
  }
});

Deno.test("FastskipLevel keeps its data across close() and open(), and gives it up on release()", async () => {
  const db = new FastskipLevel();
  await db.put("k", "v");
  await db.close();
  await db.open();
  assert.equal(await db.get("k"), "v");
  const handle = db.share();
  await db.release();
  await db.release(); // again: nothing
  assert.equal(db.status, "closed");
  await assert.rejects(db.open(), { code: "LEVEL_DATABASE_NOT_OPEN" });
  assert.throws(() => db.share(), { code: "LEVEL_DATABASE_NOT_OPEN" });
  assert.throws(() => FastskipLevel.attach(handle), TypeError, "released everywhere");
});

Deno.test("new FastskipLevel() rejects bad options by name", () => {
  assert.throws(
    () => new FastskipLevel({ handle: new ConcurrentSkipList().share(), skipList: {} }),
    /options\.handle and options\.skipList cannot be used together/,
  );
  assert.throws(
    () => new FastskipLevel("location", 42 as unknown as object),
    /options must be an object/,
  );
  assert.throws(() => new FastskipLevel({ skipList: { arenaBytes: -1 } }), RangeError);
  assert.throws(() => FastskipLevel.attach({} as never), TypeError);
});

Deno.test("new FastskipLevel(location, options) takes memory-level's signature", async () => {
  await using db = new FastskipLevel<string, { n: number }>("ignored", { valueEncoding: "json" });
  await db.put("a", { n: 1 });
  assert.deepEqual(await db.get("a"), { n: 1 });
});

Deno.test("FastskipLevel sorts keys as unsigned bytes, a proper prefix first", async () => {
  await using db = new FastskipLevel<Uint8Array, string>({ keyEncoding: "view" });
  const keys = [[0xff], [0x61, 0x00], [], [0x61], [0x80], [0x41], [0x61, 0x61]];
  for (const key of keys) await db.put(new Uint8Array(key), "v");
  const order = (await db.keys().all()).map((key) => [...key]);
  assert.deepEqual(order, [[], [0x41], [0x61], [0x61, 0x00], [0x61, 0x61], [0x80], [0xff]]);
  const reversed = (await db.keys({ reverse: true, lt: new Uint8Array([0x80]) }).all()).map((
    k,
  ) => [...k]);
  assert.deepEqual(reversed, [[0x61, 0x61], [0x61, 0x00], [0x61], [0x41], []]);
});

Deno.test("FastskipLevel iterators take a bound longer than any key, both ways and in seek()", async () => {
  await using db = new FastskipLevel<Uint8Array, string>({ keyEncoding: "view" });
  // [0x61, 0, 0, …]: above [0x61] and [0x61, 0], its proper prefixes; below
  // [0x61, 0, 0, 0, 1] and [0x62].
  const long = new Uint8Array(MAX_KEY_BYTES + 1);
  long[0] = 0x61;
  const keys = [[0x61], [0x61, 0], [0x61, 0, 0, 0, 1], [0x62]];
  for (const key of keys) await db.put(new Uint8Array(key), "v");
  const read = async (options: object) => (await db.keys(options).all()).map((key) => [...key]);
  const above = [[0x61, 0, 0, 0, 1], [0x62]];
  const below = [[0x61], [0x61, 0]];
  assert.deepEqual(await read({ gte: long }), above);
  assert.deepEqual(await read({ gt: long }), above);
  assert.deepEqual(await read({ lt: long }), below);
  assert.deepEqual(await read({ lte: long, reverse: true }), below.toReversed());
  assert.deepEqual(await read({ gt: long, reverse: true }), above.toReversed());
  const iterator = db.keys();
  iterator.seek(long);
  assert.deepEqual((await iterator.all()).map((key) => [...key]), above);
});
