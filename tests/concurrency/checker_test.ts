/**
 * The linearizability checker itself, on small hand-written histories: it
 * must accept legal ones (including those that are only legal in an order
 * other than invocation or return order) and reject illegal ones.
 */

import assert from "node:assert/strict";
import { ABSENT, INSERTED, TOMBSTONE } from "./support/codec.ts";
import { checkHistory, checkKey, type Operation } from "./support/linearizability.ts";
import { applySpec, type SpecOp } from "./support/workload.ts";

/** One op of a hand-written history: `[process, op, value, result, invoke, return]`. */
type Row = [number, SpecOp, number, number, number, number | null];

function history(rows: Row[], key = 0): Operation[] {
  return rows.map(([process, op, value, result, invoke, ret]) => ({
    process,
    op,
    key,
    value,
    result,
    invoke,
    ret: ret ?? Infinity,
  }));
}

function legal(rows: Row[], initial = ABSENT): void {
  const result = checkKey(history(rows), initial);
  assert.equal(result.violation, undefined, result.violation);
}

function illegal(rows: Row[], initial = ABSENT): string {
  const result = checkKey(history(rows), initial);
  assert.ok(result.violation !== undefined, "the checker accepted an illegal history");
  return result.violation;
}

const V1 = 101;
const V2 = 102;

Deno.test("the sequential specification of one key", () => {
  assert.deepEqual(applySpec(ABSENT, "insert", V1), [V1, 1]);
  assert.deepEqual(applySpec(V1, "insert", V2), [V1, 0]);
  assert.deepEqual(applySpec(TOMBSTONE, "insert", V2), [TOMBSTONE, 0]);
  assert.deepEqual(applySpec(ABSENT, "put", V1), [V1, 1]);
  assert.deepEqual(applySpec(TOMBSTONE, "put", V2), [V2, 1]);
  assert.deepEqual(applySpec(V1, "delete", 0), [TOMBSTONE, 1]);
  assert.deepEqual(applySpec(ABSENT, "delete", 0), [TOMBSTONE, 0]);
  assert.deepEqual(applySpec(TOMBSTONE, "delete", 0), [TOMBSTONE, 0]);
  assert.deepEqual(applySpec(V1, "get", 0), [V1, V1]);
  assert.deepEqual(applySpec(ABSENT, "getOrInsert", V1), [V1, INSERTED]);
  assert.deepEqual(applySpec(V2, "getOrInsert", V1), [V2, V2]);
  assert.deepEqual(applySpec(TOMBSTONE, "getOrInsert", V1), [TOMBSTONE, TOMBSTONE]);
});

Deno.test("the checker accepts legal histories", async (t) => {
  await t.step("sequential", () =>
    legal([
      [0, "insert", V1, 1, 1, 2],
      [1, "get", 0, V1, 3, 4],
      [0, "delete", 0, 1, 5, 6],
      [1, "get", 0, TOMBSTONE, 7, 8],
      [1, "insert", V2, 0, 9, 10],
    ]));
  await t.step("two overlapping inserts: one winner, and the loser's get sees it", () =>
    legal([
      [0, "insert", V1, 0, 1, 6],
      [1, "insert", V2, 1, 2, 4],
      [0, "get", 0, V2, 7, 8],
    ]));
  await t.step("the later-invoked op linearizes first", () =>
    legal([
      [0, "get", 0, V1, 1, 10],
      [1, "put", V1, 1, 2, 3],
    ]));
  await t.step("a get overlapping a delete may see either side", () => {
    legal([[0, "delete", 0, 1, 3, 6], [1, "get", 0, V1, 4, 5]], V1);
    legal([[0, "delete", 0, 1, 3, 6], [1, "get", 0, TOMBSTONE, 4, 5]], V1);
  });
  await t.step("three writers, a reader that needs a non-obvious order", () =>
    legal([
      [0, "put", V1, 1, 1, 10],
      [1, "put", V2, 1, 2, 9],
      [2, "get", 0, V1, 3, 4],
      [2, "get", 0, V2, 5, 6],
      [3, "delete", 0, 1, 7, 8],
    ]));
  await t.step("a pending op may have taken effect, or not", () => {
    legal([[0, "put", V1, 0, 1, null], [1, "get", 0, V1, 2, 3]]);
    legal([[0, "put", V1, 0, 1, null], [1, "get", 0, ABSENT, 2, 3]]);
  });
  await t.step("getOrInsert on each state", () => {
    legal([[0, "getOrInsert", V1, INSERTED, 1, 2], [1, "getOrInsert", V2, V1, 3, 4]]);
    legal([[0, "delete", 0, 0, 1, 2], [1, "getOrInsert", V2, TOMBSTONE, 3, 4]]);
  });
});

Deno.test("the checker rejects illegal histories", async (t) => {
  await t.step("two successful inserts of one key", () => {
    illegal([[0, "insert", V1, 1, 1, 4], [1, "insert", V2, 1, 2, 3]]);
  });
  await t.step("a stale read after a completed put", () => {
    const why = illegal([
      [0, "put", V1, 1, 1, 2],
      [0, "put", V2, 1, 3, 4],
      [1, "get", 0, V1, 5, 6],
    ]);
    assert.match(why, /no linearization/);
  });
  await t.step("a read of a value nobody wrote", () => {
    illegal([[0, "put", V1, 1, 1, 2], [1, "get", 0, V2, 3, 4]]);
  });
  await t.step("a delete that reports a live entry on an absent key", () => {
    illegal([[0, "delete", 0, 1, 1, 2]]);
  });
  await t.step("an insert that fails on an absent key", () => {
    illegal([[0, "insert", V1, 0, 1, 2], [0, "get", 0, ABSENT, 3, 4]]);
  });
  await t.step("a get that sees an absent key after a tombstone", () => {
    illegal([[0, "delete", 0, 0, 1, 2], [1, "get", 0, ABSENT, 3, 4]]);
  });
  await t.step("reads that see two writes in opposite orders", () => {
    illegal([
      [0, "put", V1, 1, 1, 20],
      [1, "put", V2, 1, 2, 19],
      [2, "get", 0, V1, 3, 4],
      [2, "get", 0, V2, 5, 6],
      [3, "get", 0, V2, 7, 8],
      [3, "get", 0, V1, 9, 10],
    ]);
  });
  await t.step("a pending insert cannot explain a second winner it did not make", () => {
    illegal([[0, "insert", V1, 0, 1, null], [1, "insert", V2, 1, 2, 3], [1, "get", 0, V1, 4, 5]]);
  });
  await t.step("one process with overlapping ops is malformed", () => {
    assert.match(illegal([[0, "get", 0, ABSENT, 1, 5], [0, "get", 0, ABSENT, 2, 3]]), /malformed/);
  });
});

Deno.test("the checker judges each key on its own and names the bad key", () => {
  const good = history([[0, "insert", V1, 1, 1, 2], [1, "insert", V2, 0, 3, 4]], 7);
  const bad = history([[0, "put", V1, 1, 5, 6], [1, "get", 0, ABSENT, 7, 8]], 9);
  const result = checkHistory([...good, ...bad]);
  assert.equal(result.ok, false);
  assert.equal(result.keys, 2);
  assert.deepEqual(result.violations.map((v) => v.key), [9]);
  assert.ok(checkHistory(good).ok);
  // The initial state of a key is taken into account.
  const read = history([[1, "get", 0, V2, 7, 8]], 9);
  assert.equal(checkHistory(read).ok, false);
  assert.equal(checkHistory(read, { initial: () => V2 }).ok, true);
});

Deno.test("the checker stays fast on long, highly concurrent histories", () => {
  // 4 processes, 2,000 ops each on one key, every op overlapping the others'
  // neighbours: the memoized search must not blow up.
  const rows: Row[] = [];
  let clock = 1;
  const state = { value: ABSENT };
  for (let i = 0; i < 2_000; i++) {
    const invokes = [clock++, clock++, clock++, clock++];
    for (let p = 0; p < 4; p++) {
      // Every process puts its own value, in process order within the round.
      const value = p * 10_000 + i;
      rows.push([p, "put", value, 1, invokes[p]!, 0]);
      state.value = value;
    }
    for (let p = 0; p < 4; p++) rows[rows.length - 4 + p]![5] = clock++;
  }
  rows.push([4, "get", 0, state.value, clock++, clock++]);
  const result = checkKey(history(rows));
  assert.equal(result.violation, undefined);
  // A bound on the work, not on time (the machine is shared): about the
  // 2^4 subsets x 4 last writers of each round, not 4!^2000 orders.
  assert.ok(result.explored < 2_000 * 16 * 5, `explored ${result.explored} configurations`);
});
