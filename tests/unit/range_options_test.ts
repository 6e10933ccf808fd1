import assert from "node:assert/strict";
import { ConcurrentSkipList, mergeReaders, type RangeOptions } from "../../mod.ts";
import { plain, raw } from "../support/bytes.ts";

type ErrorType = typeof TypeError | typeof RangeError;

/** [case, options, error type, what the message must contain]. */
const BAD_OPTIONS: [string, unknown, ErrorType, RegExp][] = [
  ["options a number", 5, TypeError, /options must be an object.*received number 5/],
  ["options null", null, TypeError, /options must be an object.*received null/],
  ["options a string", "a", TypeError, /options must be an object.*received a string \("a"\)/],
  ["options an array", [], TypeError, /options must be an object.*received an instance of Array/],
  [
    "options a key (a Uint8Array)",
    raw(1),
    TypeError,
    /options must be an object.*received an instance of Uint8Array/,
  ],
  ["an unknown option", { from: raw(1) }, TypeError, /unknown option "from" \(known: gte, gt,/],
  ["a misspelt option", { Gte: raw(1) }, TypeError, /unknown option "Gte"/],
  ["gte a string", { gte: "a" }, TypeError, /gte must be a Uint8Array, received a string/],
  ["gt a number", { gt: 1 }, TypeError, /gt must be a Uint8Array, received number 1/],
  [
    "lte an array",
    { lte: [1] },
    TypeError,
    /lte must be a Uint8Array, received an instance of Array/,
  ],
  [
    "lt an ArrayBuffer",
    { lt: new ArrayBuffer(1) },
    TypeError,
    /lt must be a Uint8Array, received an instance of ArrayBuffer/,
  ],
  [
    "prefix a Uint16Array",
    { prefix: new Uint16Array(1) },
    TypeError,
    /prefix must be a Uint8Array, received an instance of Uint16Array/,
  ],
  ["prefix null", { prefix: null }, TypeError, /prefix must be a Uint8Array, received null/],
  [
    "reverse a string",
    { reverse: "yes" },
    TypeError,
    /reverse must be a boolean, received a string/,
  ],
  ["reverse a number", { reverse: 1 }, TypeError, /reverse must be a boolean, received number 1/],
  [
    "tombstones null",
    { tombstones: null },
    TypeError,
    /tombstones must be a boolean, received null/,
  ],
  ["limit a string", { limit: "10" }, TypeError, /limit must be a number, received a string/],
  ["limit a bigint", { limit: 10n }, TypeError, /limit must be a number, received bigint 10/],
  [
    "limit negative",
    { limit: -1 },
    RangeError,
    /limit must be a non-negative integer.*received -1/,
  ],
  ["limit fractional", { limit: 1.5 }, RangeError, /limit must be .*received 1.5/],
  ["limit NaN", { limit: NaN }, RangeError, /limit must be .*received NaN/],
  ["limit -Infinity", { limit: -Infinity }, RangeError, /limit must be .*received -Infinity/],
  [
    "gt and gte",
    { gt: raw(1), gte: raw(2) },
    RangeError,
    /gt and gte are both set \(\[1\] and \[2\]\)/,
  ],
  [
    "lt and lte",
    { lt: raw(1), lte: raw(2) },
    RangeError,
    /lt and lte are both set \(\[1\] and \[2\]\)/,
  ],
  [
    "prefix with gte",
    { prefix: raw(1), gte: raw(1, 2) },
    RangeError,
    /prefix \(\[1\]\) cannot be combined with gte \(\[1, 2\]\)/,
  ],
  ["prefix with gt", { prefix: raw(1), gt: raw(0) }, RangeError, /cannot be combined with gt /],
  ["prefix with lte", { prefix: raw(), lte: raw(9) }, RangeError, /cannot be combined with lte/],
  ["prefix with lt", { prefix: raw(1), lt: raw(2) }, RangeError, /cannot be combined with lt /],
];

function populated(): ConcurrentSkipList {
  const list = new ConcurrentSkipList({ seed: 5 });
  for (let k = 0; k < 20; k++) list.insert(raw(k), raw(k));
  list.delete(raw(3));
  return list;
}

Deno.test("range() on every reader rejects each bad option with an error naming range, the option and the value", async (t) => {
  for (const [name, options, type, message] of BAD_OPTIONS) {
    await t.step(name, () => {
      const list = populated();
      const before = { entries: plain(list), size: list.size, memory: list.memoryUsage() };
      const [frozen, fresh] = populated().seal();
      const readers = [
        ["list", list],
        ["snapshot", list.snapshot()],
        ["frozen", frozen],
        ["merged", mergeReaders([fresh, list, frozen])],
        ["empty merge", mergeReaders([])],
      ] as const;
      for (const [what, reader] of readers) {
        assert.throws(() => reader.range(options as RangeOptions), (error: unknown) => {
          assert.ok(error instanceof type, `${what}: ${error}`);
          assert.match(error.message, /^Cannot range: /, `${what}: names the method`);
          assert.match(error.message, message, `${what}`);
          return true;
        });
      }
      assert.deepEqual(
        { entries: plain(list), size: list.size, memory: list.memoryUsage() },
        before,
      );
      list.validate();
    });
  }
});

Deno.test("range() accepts options set to undefined, Infinity as a limit, and bounds that cross", () => {
  const list = populated();
  // What plain JavaScript, or TypeScript without exactOptionalPropertyTypes, may pass.
  const unset: { [K in keyof RangeOptions]?: RangeOptions[K] | undefined } = {
    gte: undefined,
    lt: undefined,
    reverse: undefined,
  };
  assert.equal([...list.range(unset as RangeOptions)].length, 20);
  assert.equal([...list.range({ limit: Infinity, tombstones: false })].length, 19);
  assert.equal([...list.range({ limit: 0 })].length, 0);
  assert.deepEqual([...list.range({ gt: raw(9), lt: raw(3) })], []);
  assert.deepEqual([...list.range({ gt: raw(9), lte: raw(9) })], []);
  assert.deepEqual([...list.range({ gte: raw(9), lt: raw(9) })], []);
  assert.deepEqual([...list.range({ gte: raw(9), lte: raw(9) })].map((e) => e.key[0]), [9]);
});

Deno.test("mergeReaders rejects a non-iterable and anything that is not a reader, naming its position", () => {
  const list = populated();
  for (const bad of [undefined, null, 5, "ab", {}]) {
    assert.throws(() => mergeReaders(bad as never), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /^Cannot mergeReaders: readers must be an iterable, received/);
      return true;
    });
  }
  const notReaders: [unknown, RegExp][] = [
    [null, /received null/],
    [{}, /received an instance of Object/],
    [raw(1), /received an instance of Uint8Array/],
    [list.iter(), /received an instance of Iter/],
    [list.cursor(), /received an instance of Cursor/],
    [mergeReaders([list]), /received an instance of MergedReader/],
    [list.share(), /received an instance of Object/],
  ];
  for (const [bad, received] of notReaders) {
    assert.throws(() => mergeReaders([list, bad as never]), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(
        error.message,
        /^Cannot mergeReaders: readers\[1\] must be a ConcurrentSkipList, FrozenMemtable or Snapshot/,
      );
      assert.match(error.message, received);
      return true;
    });
  }
});

Deno.test("a merged reader's get, getLive and containsKey reject a key that is not a Uint8Array, even over no readers", () => {
  for (const merged of [mergeReaders([populated()]), mergeReaders([])]) {
    for (const method of ["get", "getLive", "containsKey"] as const) {
      assert.throws(() => merged[method]("k" as never), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, new RegExp(`^Cannot ${method}: key must be a Uint8Array`));
        return true;
      });
    }
  }
});
