import assert from "node:assert/strict";
import {
  ConcurrentSkipList,
  FrozenMemtable,
  MAX_KEY_BYTES,
  type SkipListOptions,
} from "../../mod.ts";
import { plain, raw } from "../support/bytes.ts";

/** Values that are not a Uint8Array, with what the message should mention. */
const NOT_BYTES: [string, unknown][] = [
  ["undefined", undefined],
  ["null", null],
  ["a string", "key"],
  ["a number", 42],
  ["an array of numbers", [1, 2]],
  ["an ArrayBuffer", new ArrayBuffer(2)],
  ["a DataView", new DataView(new ArrayBuffer(2))],
  ["an Int8Array", new Int8Array(2)],
  ["a Uint16Array", new Uint16Array(2)],
];

/** Everything observable about a list, to check that a failed call changed nothing. */
function state(list: ConcurrentSkipList) {
  return {
    entries: plain(list),
    size: list.size,
    memoryUsage: list.memoryUsage(),
    totalInserts: list.totalInserts(),
    sealed: list.isSealed(),
  };
}

function populated(): ConcurrentSkipList {
  const list = new ConcurrentSkipList({ seed: 3 });
  list.insert(raw(1), raw(10));
  list.put(raw(2), raw(20));
  list.delete(raw(3));
  return list;
}

/** Every public method that takes bytes, with a call that puts `bad` in one argument. */
function callsWith(bad: unknown): [string, string, (list: ConcurrentSkipList) => unknown][] {
  const b = bad as Uint8Array;
  return [
    ["insert", "key", (l) => l.insert(b, raw())],
    ["insert", "value", (l) => l.insert(raw(9), b)],
    ["tryInsert", "key", (l) => l.tryInsert(b, raw())],
    ["tryInsert", "value", (l) => l.tryInsert(raw(9), b)],
    ["put", "key", (l) => l.put(b, raw())],
    ["put", "value", (l) => l.put(raw(9), b)],
    ["getOrInsert", "key", (l) => l.getOrInsert(b, raw())],
    ["getOrInsert", "value", (l) => l.getOrInsert(raw(9), b)],
    ["delete", "key", (l) => l.delete(b)],
    ["tryDelete", "key", (l) => l.tryDelete(b)],
    ["get", "key", (l) => l.get(b)],
    ["getLive", "key", (l) => l.getLive(b)],
    ["containsKey", "key", (l) => l.containsKey(b)],
    ["getMany", "keys[1]", (l) => l.getMany([raw(1), b])],
    ["cursorAt", "target", (l) => l.cursorAt(b)],
    ["seek", "target", (l) => l.cursor().seek(b)],
    ["cursorForPrev", "target", (l) => l.cursorForPrev(b)],
    ["seekForPrev", "target", (l) => l.cursor().seekForPrev(b)],
    ["insertBatch", "entries[1][0]", (l) => l.insertBatch([[raw(8), raw()], [b, raw()]])],
    ["insertBatch", "entries[0][1]", (l) => l.insertBatch([[raw(8), b]])],
    ["snapshot.get", "key", (l) => l.snapshot().get(b)],
    ["snapshot.getLive", "key", (l) => l.snapshot().getLive(b)],
    ["snapshot.containsKey", "key", (l) => l.snapshot().containsKey(b)],
    ["snapshot.cursorAt", "target", (l) => l.snapshot().cursorAt(b)],
    ["snapshot.getMany", "keys[0]", (l) => l.snapshot().getMany([b])],
    ["snapshot.cursorForPrev", "target", (l) => l.snapshot().cursorForPrev(b)],
  ];
}

Deno.test("every method rejects a key, value or target that is not a Uint8Array with a TypeError naming it", async (t) => {
  for (const [what, bad] of NOT_BYTES) {
    await t.step(what, () => {
      const list = populated();
      const before = state(list);
      for (const [method, argument, call] of callsWith(bad)) {
        assert.throws(() => call(list), (error: unknown) => {
          assert.ok(error instanceof TypeError, `${method}(${argument}): ${error}`);
          assert.ok(
            error.message.includes(argument),
            `${method}: "${error.message}" names ${argument}`,
          );
          assert.ok(error.message.includes("Uint8Array"), error.message);
          return true;
        });
      }
      assert.deepEqual(state(list), before);
      list.validate();
    });
  }
});

Deno.test("a key longer than MAX_KEY_BYTES is a RangeError and changes nothing", () => {
  const list = populated();
  const before = state(list);
  const long = new Uint8Array(MAX_KEY_BYTES + 1);
  for (const [method, argument, call] of callsWith(long)) {
    if (argument.includes("value") || argument === "entries[0][1]") continue;
    assert.throws(() => call(list), (error: unknown) => {
      assert.ok(error instanceof RangeError, `${method}: ${error}`);
      assert.ok(error.message.includes(argument), error.message);
      return true;
    });
  }
  assert.deepEqual(state(list), before);
});

Deno.test("getMany() and insertBatch() reject non-iterables and malformed entries", () => {
  const list = populated();
  const before = state(list);
  for (const bad of [undefined, null, 5, "ab", {}]) {
    assert.throws(() => list.getMany(bad as never), TypeError);
    assert.throws(() => list.insertBatch(bad as never), TypeError);
  }
  assert.throws(() => list.insertBatch([raw(1) as never]), /entries\[0\]\[0\]/);
  assert.throws(
    () => list.insertBatch([null as never]),
    /entries\[0\] must be a \[key, value\] pair/,
  );
  // A bad entry late in the batch: nothing from the batch is stored.
  assert.throws(() => list.insertBatch([[raw(50), raw()], [raw(51), "v" as never]]), TypeError);
  assert.deepEqual(state(list), before);
});

Deno.test("bad options are rejected with an error naming the option", async (t) => {
  const cases: [string, unknown, RegExp, typeof TypeError | typeof RangeError][] = [
    ["options not an object", 5, /options must be an object/, TypeError],
    ["unknown option", { arenaSize: 1 }, /unknown option "arenaSize"/, TypeError],
    ["negative arenaBytes", { arenaBytes: -1 }, /arenaBytes must be between/, RangeError],
    ["fractional arenaBytes", { arenaBytes: 1.5 }, /arenaBytes must be an integer/, RangeError],
    ["string arenaBytes", { arenaBytes: "1" }, /arenaBytes must be an integer/, RangeError],
    [
      "too large maxArenaBytes",
      { maxArenaBytes: 2 ** 33 },
      /maxArenaBytes must be between/,
      RangeError,
    ],
    [
      "arenaBytes above maxArenaBytes",
      { arenaBytes: 1 << 20, maxArenaBytes: 1 << 16 },
      /must not exceed/,
      RangeError,
    ],
    ["tiny maxArenaBytes", { maxArenaBytes: 100 }, /maxArenaBytes must be at least/, RangeError],
    ["zero shards", { shards: 0 }, /shards must be between/, RangeError],
    ["negative maxEntries", { maxEntries: -5 }, /maxEntries must be between/, RangeError],
    [
      "NaN maxMemoryBytes",
      { maxMemoryBytes: Number.NaN },
      /maxMemoryBytes must be an integer/,
      RangeError,
    ],
    ["fractional seed", { seed: 0.5 }, /seed must be an integer/, RangeError],
  ];
  for (const [name, options, message, type] of cases) {
    await t.step(name, () => {
      assert.throws(() => new ConcurrentSkipList(options as SkipListOptions), (error: unknown) => {
        assert.ok(error instanceof type, `${error}`);
        assert.match((error as Error).message, message);
        return true;
      });
    });
  }
  await t.step("static constructors", () => {
    assert.throws(() => ConcurrentSkipList.withShards(-1), /shards/);
    assert.throws(() => ConcurrentSkipList.withCapacity(0), /arenaBytes/);
    assert.throws(() => ConcurrentSkipList.withCapacityAndShards(1 << 16, 1, -1), /maxMemoryBytes/);
    assert.throws(() => ConcurrentSkipList.withCapacityAndShards(1 << 16, 1, 0, 0.5), /maxEntries/);
  });
});

Deno.test("seal() and validate() reject unknown or mistyped options, naming them, and change nothing", () => {
  const list = populated();
  const before = state(list);
  const cases: [string, () => unknown, ErrorConstructor, RegExp][] = [
    [
      "seal unknown",
      () => list.seal({ timeout: 5 } as never),
      TypeError,
      /Cannot seal: unknown option "timeout" \(known: timeoutMs, force\)/,
    ],
    [
      "seal not an object",
      () => list.seal(5 as never),
      TypeError,
      /Cannot seal: options must be an object, received number 5/,
    ],
    [
      "seal force",
      () => list.seal({ force: "yes" } as never),
      TypeError,
      /Cannot seal: force must be a boolean/,
    ],
    [
      "seal timeoutMs",
      () => list.seal({ timeoutMs: -1 }),
      RangeError,
      /timeoutMs must be a non-negative number, received number -1/,
    ],
    [
      "validate unknown",
      () => list.validate({ strict: true } as never),
      TypeError,
      /Cannot validate: unknown option "strict" \(known: quiescent\)/,
    ],
    [
      "validate quiescent",
      () => list.validate({ quiescent: 1 } as never),
      TypeError,
      /quiescent must be a boolean, received number 1/,
    ],
  ];
  for (const [name, call, type, message] of cases) {
    assert.throws(
      call,
      (error: unknown) => error instanceof type && message.test(error.message),
      name,
    );
  }
  assert.equal(list.isSealed(), false);
  assert.deepEqual(state(list), before);
});

Deno.test("a key or value whose buffer was transferred is a TypeError naming the method and argument", () => {
  const list = populated();
  const before = state(list);
  const detached = () => {
    const buffer = new ArrayBuffer(4);
    const view = new Uint8Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    return view;
  };
  assert.throws(
    () => list.put(detached(), raw(1)),
    /^TypeError: Cannot put: key is a view of a detached/m,
  );
  assert.throws(
    () => list.insert(raw(1), detached()),
    /Cannot insert: value is a view of a detached/,
  );
  assert.throws(() => list.get(detached()), /Cannot get: key is a view of a detached/);
  assert.deepEqual(state(list), before);
});

Deno.test("attach() of a list instead of its handle says to pass share()", () => {
  const list = new ConcurrentSkipList();
  assert.throws(
    () => ConcurrentSkipList.attach(list as never),
    /Cannot attach ConcurrentSkipList: received the list itself; pass list\.share\(\)/,
  );
  const [frozen] = list.seal();
  assert.throws(() => FrozenMemtable.attach(frozen as never), /pass frozen\.share\(\)/);
});
