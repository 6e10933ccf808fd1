import assert from "node:assert/strict";
import { ConcurrentSkipList, Cursor, type Entry, Iter, mergeReaders } from "../../mod.ts";
import { plain, type PlainEntry, raw } from "../support/bytes.ts";

/**
 * One kind of iterator, made fresh on every call over the same data, and the
 * keys it must yield (written out by hand, so that a `for … of` and a helper
 * that were wrong the same way would still fail).
 */
interface Source {
  name: string;
  make(): IteratorObject<Entry, undefined, unknown>;
  keys: number[];
}

/**
 * Keys 1..10, each with the value [key]; key 5 deleted (a tombstone), key 7
 * overwritten with [70]. A snapshot taken before the overwrite, and a frozen
 * memtable of keys 2, 4, 11 (value [0]) under the list, for the merges.
 */
function fixture() {
  const older = new ConcurrentSkipList({ seed: 3 });
  for (const k of [2, 4, 11]) older.insert(raw(k), raw(0));
  const [frozen, sealed] = older.seal();
  sealed.release();
  const list = new ConcurrentSkipList({ seed: 5 });
  for (let k = 1; k <= 10; k++) list.insert(raw(k), raw(k));
  list.delete(raw(5));
  const snapshot = list.snapshot();
  list.put(raw(7), raw(70));
  list.insert(raw(12), raw(12)); // after the snapshot: it must not see 12
  const merged = mergeReaders([list, frozen]);
  const release = () => {
    list.release();
    frozen.release();
  };
  return { list, frozen, snapshot, merged, release };
}

function sources(data: ReturnType<typeof fixture>): Source[] {
  const { list, frozen, snapshot, merged } = data;
  const all = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12];
  return [
    { name: "list.iter()", make: () => list.iter(), keys: all },
    { name: "list[Symbol.iterator]()", make: () => list[Symbol.iterator](), keys: all },
    {
      name: "list.range({ gte: [3], lt: [9] })",
      make: () => list.range({ gte: raw(3), lt: raw(9) }),
      keys: [3, 4, 5, 6, 7, 8],
    },
    {
      name: "list.range({ gt: [3], lte: [9], tombstones: false })",
      make: () => list.range({ gt: raw(3), lte: raw(9), tombstones: false }),
      keys: [4, 6, 7, 8, 9],
    },
    {
      name: "list.range({ reverse: true })",
      make: () => list.range({ reverse: true }),
      keys: [12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    },
    {
      name: "list.range({ reverse: true, lt: [8], limit: 4 })",
      make: () => list.range({ reverse: true, lt: raw(8), limit: 4 }),
      keys: [7, 6, 5, 4],
    },
    { name: "list.range({ limit: 3 })", make: () => list.range({ limit: 3 }), keys: [1, 2, 3] },
    {
      name: "snapshot.iter()",
      make: () => snapshot.iter(),
      keys: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    },
    {
      name: "snapshot.range({ gte: [6] })",
      make: () => snapshot.range({ gte: raw(6) }),
      keys: [6, 7, 8, 9, 10],
    },
    { name: "frozen.iter()", make: () => frozen.iter(), keys: [2, 4, 11] },
    {
      name: "mergeReaders([list, frozen])[Symbol.iterator]()",
      make: () => merged[Symbol.iterator](),
      keys: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    },
    {
      name: "mergeReaders([list, frozen]).range({ reverse: true, gte: [4], limit: 5 })",
      make: () => merged.range({ reverse: true, gte: raw(4), limit: 5 }),
      keys: [12, 11, 10, 9, 8],
    },
    { name: "list.cursor()", make: () => list.cursor(), keys: all },
    {
      name: "list.cursorAt([6])",
      make: () => list.cursorAt(raw(6))!,
      keys: [6, 7, 8, 9, 10, 12],
    },
  ];
}

/** What a plain `for … of` loop over `iterator` yields. */
function forOf(iterator: Iterable<Entry>): PlainEntry[] {
  const entries: Entry[] = [];
  for (const entry of iterator) entries.push(entry);
  return plain(entries);
}

const isOdd = (entry: Entry) => entry.key[0]! % 2 === 1;

Deno.test("Iter and Cursor inherit from Iterator.prototype, and the helpers yield what for … of does", async (t) => {
  const data = fixture();
  for (const source of sources(data)) {
    await t.step(source.name, () => {
      const reference = forOf(source.make());
      assert.deepEqual(reference.map((entry) => entry.key[0]), source.keys);
      const iterator = source.make();
      assert.ok(iterator instanceof Iterator);
      assert.ok(iterator instanceof Iter || iterator instanceof Cursor);

      assert.deepEqual(plain(source.make().toArray()), reference, "toArray");
      assert.deepEqual(plain(source.make().take(3)), reference.slice(0, 3), "take(3)");
      assert.deepEqual(plain(source.make().take(0)), [], "take(0)");
      assert.deepEqual(plain(source.make().drop(2)), reference.slice(2), "drop(2)");
      assert.deepEqual(
        plain(source.make().filter(isOdd)),
        reference.filter((entry) => entry.key[0]! % 2 === 1),
        "filter",
      );
      assert.deepEqual(
        source.make().map((entry, index) => [index, entry.key[0], entry.value[0]]).toArray(),
        reference.map((entry, index) => [index, entry.key[0], entry.value[0]]),
        "map",
      );
      assert.equal(
        source.make().reduce((sum, entry) => sum + entry.key[0]! * (entry.value[0]! + 1), 0),
        reference.reduce((sum, entry) => sum + entry.key[0]! * (entry.value[0]! + 1), 0),
        "reduce",
      );
      assert.deepEqual(
        plain(source.make().drop(1).filter(isOdd).take(2)),
        reference.slice(1).filter((entry) => entry.key[0]! % 2 === 1).slice(0, 2),
        "drop(1).filter().take(2)",
      );
    });
  }
  data.release();
});

Deno.test("list.iter() supports some, every, find, forEach and flatMap over its entries", () => {
  const { list, release } = fixture();
  const reference = forOf(list.iter());
  assert.equal(list.iter().some((entry) => entry.isTombstone), true);
  assert.equal(list.iter().some((entry) => entry.key[0] === 11), false);
  assert.equal(list.iter().every((entry) => entry.key.length === 1), true);
  assert.equal(list.iter().every((entry) => !entry.isTombstone), false);
  const found = list.iter().find((entry) => entry.value[0] === 70);
  assert.deepEqual(found && plain([found]), [{ key: [7], value: [70], isTombstone: false }]);
  assert.equal(list.iter().find((entry) => entry.key[0] === 11), undefined);
  const seen: number[] = [];
  list.iter().forEach((entry, index) => seen.push(index, entry.key[0]!));
  assert.deepEqual(seen, reference.flatMap((entry, index) => [index, entry.key[0]!]));
  assert.deepEqual(
    list.iter().flatMap((entry) => [entry.key[0], entry.value[0]]).toArray(),
    reference.flatMap((entry) => [entry.key[0], entry.value[0]]),
  );
  release();
});

Deno.test("a helper stops pulling when it is done: take(2) leaves the rest of the Iter to next()", () => {
  const { list, release } = fixture();
  const iter = list.iter();
  assert.deepEqual(iter.take(2).toArray().map((entry) => entry.key[0]), [1, 2]);
  assert.deepEqual([...iter].map((entry) => entry.key[0]), [3, 4, 5, 6, 7, 8, 9, 10, 12]);
  release();
});

Deno.test("Cursor helpers consume from the cursor's position forward and leave it after what they took", () => {
  const { list, release } = fixture();
  const cursor = list.cursorAt(raw(3))!;
  assert.deepEqual(cursor.take(2).map((entry) => entry.key[0]).toArray(), [3, 4]);
  assert.equal(cursor.entry()!.key[0], 5); // on the entry after the two it yielded
  const found = cursor.find((entry) => entry.value[0] === 70);
  assert.equal(found!.key[0], 7);
  assert.equal(cursor.entry()!.key[0], 8); // find() stops right after its match
  assert.ok(cursor.prevEntry()); // the helpers did not close it: it still moves both ways
  assert.equal(cursor.entry()!.key[0], 7);
  assert.deepEqual(cursor.drop(1).toArray().map((entry) => entry.key[0]), [8, 9, 10, 12]);
  assert.equal(cursor.valid(), false); // run off the end, as for … of leaves it
  assert.deepEqual(cursor.toArray(), []);
  assert.ok(cursor.seekToFirst()); // and can start over
  assert.deepEqual(cursor.take(1).toArray().map((entry) => entry.key[0]), [1]);
  release();
});

Deno.test("cursors made before an insert ahead of them yield the new key through next() and through map() alike", () => {
  const list = new ConcurrentSkipList({ seed: 9 });
  for (const k of [10, 20, 30]) list.insert(raw(k), raw(k));
  const stepped = list.cursorAt(raw(10))!;
  const mapped = list.cursorAt(raw(10))!;
  list.insert(raw(25), raw(25)); // ahead of both cursors: their next steps read its link
  const viaNext: number[] = [];
  for (let step = stepped.next(); !step.done; step = stepped.next()) {
    viaNext.push(step.value.key[0]!);
  }
  assert.deepEqual(viaNext, [10, 20, 25, 30]);
  assert.deepEqual(mapped.map((entry) => entry.key[0]).toArray(), viaNext);
  list.release();
});

/** The error `call` throws (fails the test when it throws none). */
function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail("expected a throw");
}

Deno.test("a helper on an iterator or cursor of a released list throws the TypeError next() throws", async (t) => {
  const makers: [
    string,
    (list: ConcurrentSkipList) => IteratorObject<Entry, undefined, unknown>,
  ][] = [
    ["iter()", (list) => list.iter()],
    ["range({ reverse: true })", (list) => list.range({ reverse: true })],
    ["snapshot().iter()", (list) => list.snapshot().iter()],
    ["mergeReaders([list]).range()", (list) => mergeReaders([list]).range()],
    ["cursorAt([1])", (list) => list.cursorAt(raw(1))!],
  ];
  const helpers: [string, (iterator: IteratorObject<Entry, undefined, unknown>) => unknown][] = [
    ["toArray()", (iterator) => iterator.toArray()],
    ["take(1).next()", (iterator) => iterator.take(1).next()],
    ["drop(1).next()", (iterator) => iterator.drop(1).next()],
    ["filter().next()", (iterator) => iterator.filter(() => true).next()],
    ["map().next()", (iterator) => iterator.map((entry) => entry.key).next()],
    ["reduce()", (iterator) => iterator.reduce((count) => count + 1, 0)],
    ["some()", (iterator) => iterator.some(() => true)],
    ["find()", (iterator) => iterator.find(() => true)],
    ["forEach()", (iterator) => iterator.forEach(() => {})],
  ];
  for (const [name, make] of makers) {
    await t.step(name, () => {
      const list = new ConcurrentSkipList();
      for (const k of [1, 2, 3]) list.insert(raw(k), raw(k));
      const plainNext = make(list);
      const withHelpers = helpers.map(([helper, call]) => [helper, call, make(list)] as const);
      list.release();
      const expected = thrown(() => plainNext.next());
      assert.ok(expected instanceof TypeError);
      assert.match(expected.message, /was released/);
      for (const [helper, call, iterator] of withHelpers) {
        const error = thrown(() => call(iterator));
        assert.equal(error.constructor, TypeError, helper);
        assert.equal(error.message, expected.message, helper);
      }
    });
  }
});

Deno.test("without a global Iterator or its helpers (as on Node 20) the module loads and its iterators still work with for … of and next()", async () => {
  // A fresh process, so that this one's Iterator.prototype keeps its helpers.
  const script = `
    const prototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
    for (const key of Reflect.ownKeys(prototype)) {
      if (key !== Symbol.iterator) delete prototype[key];
    }
    delete globalThis.Iterator;
    const { ConcurrentSkipList } = await import(${
    JSON.stringify(import.meta.resolve("../../mod.ts"))
  });
    const list = new ConcurrentSkipList();
    for (const k of [3, 1, 2]) list.insert(new Uint8Array([k]), new Uint8Array([k]));
    const keys = (entries) => entries.map((entry) => entry.key[0]);
    const cursor = list.cursorAt(new Uint8Array([2]));
    const iter = list.iter();
    const first = iter.next();
    const result = {
      globalIterator: typeof globalThis.Iterator,
      take: [typeof iter.take, typeof cursor.take, typeof list.range().map],
      forOf: keys([...list]),
      range: keys([...list.range({ reverse: true })]),
      next: [first.done, first.value.key[0], keys([...iter])],
      self: iter[Symbol.iterator]() === iter && cursor[Symbol.iterator]() === cursor,
      cursor: keys([...cursor]),
      snapshot: keys([...list.snapshot().iter()]),
    };
    list.release();
    console.log(JSON.stringify(result));
  `;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(output.stdout)), {
    globalIterator: "undefined",
    take: ["undefined", "undefined", "undefined"],
    forOf: [1, 2, 3],
    range: [3, 2, 1],
    next: [false, 1, [2, 3]],
    self: true,
    cursor: [2, 3],
    snapshot: [1, 2, 3],
  });
});
