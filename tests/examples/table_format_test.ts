/**
 * The demo's table format (examples/demo/table_format.ts): what the flusher
 * writes must read back identically, lookups through the sparse index must
 * find every key and no other, and a damaged file must be refused.
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import {
  compareKeys,
  encodeTable,
  INDEX_INTERVAL,
  Table,
  type TableRecord,
} from "../../examples/demo/table_format.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

/** Records from a real memtable: key order, tombstones, an empty key, binary keys. */
function sampleRecords(count: number): TableRecord[] {
  const list = new ConcurrentSkipList();
  list.put(new Uint8Array(0), bytes("the empty key"));
  list.put(Uint8Array.of(0xff, 0x00), Uint8Array.of(1, 2, 3));
  for (let i = 0; i < count; i++) {
    const key = bytes(`key:${String(i * 2).padStart(4, "0")}`); // even numbers only: gaps to miss
    if (i % 7 === 3) list.delete(key);
    else list.put(key, bytes(`value ${i}`.repeat(1 + (i % 3))));
  }
  return [...list.seal()[0]];
}

Deno.test("table: a flushed memtable reads back record for record", () => {
  const records = sampleRecords(100);
  const table = new Table(encodeTable(records));
  assert.equal(table.recordCount, records.length);
  const read = [...table];
  assert.equal(read.length, records.length);
  read.forEach((record, i) => {
    const written = records[i]!; // as many records read as written
    assert.deepEqual(record.key, written.key);
    assert.equal(record.isTombstone, written.isTombstone);
    assert.deepEqual(record.value, written.isTombstone ? new Uint8Array(0) : written.value);
  });
});

Deno.test("table: get() finds every key through the index and misses the gaps", () => {
  const records = sampleRecords(5 * INDEX_INTERVAL + 3); // several blocks, a partial last one
  const table = new Table(encodeTable(records));
  for (const record of records) {
    const found = table.get(record.key);
    assert.ok(found, `missing ${new TextDecoder().decode(record.key)}`);
    assert.equal(found.isTombstone, record.isTombstone);
  }
  for (const absent of ["", "a", "key:", "key:0001", "key:0033", "key:9999", "zzz"]) {
    const key = bytes(absent);
    if (records.some((r) => compareKeys(r.key, key) === 0)) continue; // "" is present
    assert.equal(table.get(key), undefined, absent);
  }
});

Deno.test("table: an empty table is valid", () => {
  const table = new Table(encodeTable([]));
  assert.equal(table.recordCount, 0);
  assert.deepEqual([...table], []);
  assert.equal(table.get(bytes("x")), undefined);
});

Deno.test("table: encoding refuses records out of key order", () => {
  const value = new Uint8Array(0);
  assert.throws(
    () =>
      encodeTable([
        { key: bytes("b"), value, isTombstone: false },
        { key: bytes("a"), value, isTombstone: false },
      ]),
    /not in ascending key order/,
  );
});

Deno.test("table: a damaged file is refused with a reason", () => {
  const good = encodeTable(sampleRecords(40));
  const flipped = good.slice();
  flipped[20]! ^= 0x01; // a byte of the first record
  assert.throws(() => new Table(flipped), /checksum mismatch/);
  assert.throws(() => new Table(good.subarray(0, good.length - 7)), /bad magic/);
  assert.throws(() => new Table(good.subarray(0, 10)), /too short/);
  assert.throws(() => new Table(new TextEncoder().encode("x".repeat(64))), /bad magic/);
});
