/**
 * Model-based property tests of the level store's range reads, with
 * memory-level as the model: the same writes go to both stores, then every
 * kind of read (`iterator`, `keys`, `values`; through `next`, `nextv` and
 * `all`; any bounds, `reverse`, `limit`; `seek` after a few steps; implicit
 * snapshots overtaken by later writes; explicit snapshots; `clear` with a
 * range) must give the same answers. The reads run on the store that wrote
 * and, in some runs, on a second store attached to its shared list.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import type { AbstractLevel, AbstractSnapshot } from "abstract-level";
import { MemoryLevel } from "memory-level";
import { FastskipLevel } from "../../level.ts";

const RUNS = Number(Deno.env.get("FASTSKIP_PROPERTY_RUNS") ?? 10_000);
const SEED = Number(Deno.env.get("FASTSKIP_PROPERTY_SEED") ?? 20261128);
/** Each run opens two or three stores and makes many async reads: a fiftieth of the runs. */
const SEQUENCES = Math.max(40, Math.floor(RUNS / 50));

type Store = AbstractLevel<unknown, Uint8Array, Uint8Array>;
const VIEW = { keyEncoding: "view", valueEncoding: "view" } as const;

// Small alphabets make equal keys, proper prefixes and bounds that hit keys
// frequent; lengths 0–6 are on and off the list's 4-byte words.
const keyArb = fc.uint8Array({ minLength: 0, maxLength: 6 }).map((bytes) =>
  bytes.map((b) => [0, 1, 0x61, 0x62, 0xfe, 0xff][b % 6]!)
);
// Mostly short values (word copies with a tail), some past the word-copy
// length (copied by set) and some past the slab size (a buffer of their own).
const valueArb = fc.oneof(
  { weight: 8, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 9 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(255, 256, 257, 301, 2048, 2049, 3001), fc.nat(255))
      .map(([length, seed]) => new Uint8Array(length).map((_, i) => (i * 31 + seed) & 0xff)),
  },
);

const writeArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ type: fc.constant("put" as const), key: keyArb, value: valueArb }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("del" as const), key: keyArb }) },
);
type Write = typeof writeArb extends fc.Arbitrary<infer T> ? T : never;

const rangeArb = fc.record({
  gt: keyArb,
  gte: keyArb,
  lt: keyArb,
  lte: keyArb,
  reverse: fc.boolean(),
  limit: fc.constantFrom(-1, 0, 1, 2, 5),
}, { requiredKeys: ["reverse"] });
type Range = typeof rangeArb extends fc.Arbitrary<infer T> ? T : never;

const readArb = fc.record({
  kind: fc.constantFrom("entries" as const, "keys" as const, "values" as const),
  how: fc.constantFrom("all" as const, "nextv" as const, "next" as const),
  size: fc.integer({ min: 1, max: 4 }),
  range: rangeArb,
  /** Entries taken with `next()` before the seek (if any) and the rest of the read. */
  before: fc.nat(3),
  seek: fc.option(keyArb, { nil: undefined }),
  /** Writes made after the iterator opened: its implicit snapshot must not see them. */
  later: fc.array(writeArb, { maxLength: 4 }),
});
type Read = typeof readArb extends fc.Arbitrary<infer T> ? T : never;

const stepArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      step: fc.constant("write" as const),
      writes: fc.array(writeArb, { maxLength: 6 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ step: fc.constant("read" as const), read: readArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      step: fc.constant("snapshot" as const),
      later: fc.array(writeArb, { maxLength: 6 }),
      reads: fc.array(readArb, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ step: fc.constant("clear" as const), range: rangeArb }) },
);
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/** What a read yielded, as plain arrays of numbers (and `undefined` for a missing part). */
function plainOf(item: unknown): unknown {
  if (item instanceof Uint8Array) {
    assert.ok(item.buffer instanceof ArrayBuffer, "a copy in ordinary memory");
    return [...item];
  }
  return Array.isArray(item) ? item.map(plainOf) : item;
}

async function write(db: Store, writes: readonly Write[]): Promise<void> {
  for (const op of writes) {
    if (op.type === "put") await db.put(op.key, op.value);
    else await db.del(op.key);
  }
}

/** Runs `read` on `db` (writing its later writes to `writer`), as plain values. */
async function read(
  db: Store,
  writer: Store,
  spec: Read,
  snapshot?: AbstractSnapshot,
): Promise<unknown[]> {
  const options = snapshot === undefined ? spec.range : { ...spec.range, snapshot };
  const iterator = spec.kind === "entries"
    ? db.iterator(options)
    : spec.kind === "keys"
    ? db.keys(options)
    : db.values(options);
  const out: unknown[] = [];
  try {
    await write(writer, spec.later);
    for (let i = 0; i < spec.before; i++) {
      const item = await iterator.next();
      if (item === undefined) break;
      out.push(item);
    }
    if (spec.seek !== undefined) iterator.seek(spec.seek);
    if (spec.how === "all") out.push(...await iterator.all());
    else if (spec.how === "nextv") {
      for (let items; (items = await iterator.nextv(spec.size)).length > 0;) out.push(...items);
    } else {
      for (let item; (item = await iterator.next()) !== undefined;) out.push(item);
    }
  } finally {
    await iterator.close();
  }
  return out.map(plainOf);
}

/** Applies `step` to the model and to `ours` (read through `reader`), comparing every read. */
async function run(step: Step, model: Store, ours: Store, reader: Store): Promise<void> {
  switch (step.step) {
    case "write":
      await write(model, step.writes);
      await write(ours, step.writes);
      return;
    case "read":
      assert.deepEqual(
        await read(reader, ours, step.read),
        await read(model, model, step.read),
        JSON.stringify(step.read),
      );
      return;
    case "snapshot": {
      const theirs = model.snapshot();
      const mine = reader.snapshot();
      try {
        await write(model, step.later);
        await write(ours, step.later);
        for (const spec of step.reads) {
          assert.deepEqual(
            await read(reader, ours, spec, mine),
            await read(model, model, spec, theirs),
            `snapshot: ${JSON.stringify(spec)}`,
          );
        }
      } finally {
        await theirs.close();
        await mine.close();
      }
      return;
    }
    case "clear":
      await model.clear(step.range);
      await reader.clear(step.range);
      assert.deepEqual(
        (await ours.iterator().all()).map(plainOf),
        (await model.iterator().all()).map(plainOf),
        `clear: ${JSON.stringify(step.range)}`,
      );
  }
}

Deno.test("FastskipLevel range reads, seeks, snapshots and clears give what memory-level gives", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(stepArb, { minLength: 1, maxLength: 12 }),
      fc.boolean(),
      fc.integer({ min: 4096, max: 16384 }),
      async (steps, attached, arenaBytes) => {
        const model = new MemoryLevel<Uint8Array, Uint8Array>(VIEW) as Store;
        // A small first arena: the writes grow it under open iterators.
        const ours = new FastskipLevel<Uint8Array, Uint8Array>({
          ...VIEW,
          skipList: { arenaBytes },
        });
        const other = attached ? FastskipLevel.attach(ours.share(), VIEW) : undefined;
        try {
          await Promise.all([model.open(), ours.open(), other?.open()]);
          for (const step of steps) await run(step, model, ours as Store, (other ?? ours) as Store);
        } finally {
          await other?.release();
          await ours.release();
          await model.close();
        }
      },
    ),
    { numRuns: SEQUENCES, seed: SEED },
  );
});
