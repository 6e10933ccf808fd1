import assert from "node:assert/strict";
import { ConcurrentSkipList, type Entry } from "../../mod.ts";
import { bufferOf } from "../../src/_backing.ts";
import { headAddress, NODE_NEXT, STRIPE_COUNT } from "../../src/_layout.ts";
import { ScanAhead } from "../../src/_scan_ahead.ts";
import { text } from "../support/bytes.ts";

// Lists past 8 MiB of records are scanned with walkers touching the nodes
// ahead (src/_scan_ahead.ts), and every forward step of a private or frozen
// list reads the newest version directly (src/_position.ts). Neither may
// change what a scan yields: an older version for a snapshot, tombstones,
// seeks and steps back in the middle.

const KEYS = 20_000;
/** 20,000 entries of 512-byte values: about 11 MB of records. */
const VALUE_BYTES = 512;

function keyOf(i: number): Uint8Array {
  return new TextEncoder().encode(`key-${String(i).padStart(6, "0")}`);
}

function valueOf(i: number, round: number): Uint8Array {
  const value = new Uint8Array(VALUE_BYTES);
  value[0] = round;
  new DataView(value.buffer).setUint32(1, i);
  return value;
}

/** What a scan yields, as comparable rows. */
function rows(entries: Iterable<Entry>): string[] {
  const out: string[] = [];
  for (const { key, value, isTombstone } of entries) {
    out.push(isTombstone ? `${text(key)} deleted` : `${text(key)} ${value[0]}:${value.length}`);
  }
  return out;
}

/** A large private list: every key inserted, then every third overwritten and every seventh deleted. */
function largeList(): { list: ConcurrentSkipList; before: string[]; after: string[] } {
  const list = new ConcurrentSkipList({ seed: 9 });
  // Random order, so that key order is not the order of the records in memory.
  const order = Array.from({ length: KEYS }, (_, i) => i);
  let seed = 12345;
  for (let i = order.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (const i of order) list.insert(keyOf(i), valueOf(i, 1));
  const before = Array.from({ length: KEYS }, (_, i) => `${text(keyOf(i))} 1:${VALUE_BYTES}`);
  return { list, before, after: [] };
}

function overwrite(list: ConcurrentSkipList): string[] {
  const after: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    if (i % 7 === 0) {
      list.delete(keyOf(i));
      after.push(`${text(keyOf(i))} deleted`);
    } else if (i % 3 === 0) {
      list.put(keyOf(i), valueOf(i, 2));
      after.push(`${text(keyOf(i))} 2:${VALUE_BYTES}`);
    } else after.push(`${text(keyOf(i))} 1:${VALUE_BYTES}`);
  }
  return after;
}

Deno.test("a scan of a list larger than the cache yields every entry once, newest version, in order", () => {
  const { list } = largeList();
  const after = overwrite(list);
  assert.ok(list.memoryUsage() > 8 * 1024 * 1024, `the list holds ${list.memoryUsage()} bytes`);
  assert.deepEqual(rows(list), after);
  const [frozen] = list.seal();
  assert.deepEqual(rows(frozen), after);
  const raw = frozen.rawCursor();
  const seen: string[] = [];
  while (raw.nextEntry()) {
    const key = text(raw.bytes.slice(raw.keyOffset, raw.keyOffset + raw.keyLength));
    seen.push(
      raw.isTombstone
        ? `${key} deleted`
        : `${key} ${raw.bytes[raw.valueOffset]}:${raw.valueLength}`,
    );
  }
  assert.deepEqual(seen, after);
  frozen.release();
});

Deno.test("a snapshot's scan of a large list yields the versions older than its bound", () => {
  const { list, before } = largeList();
  const snapshot = list.snapshot();
  overwrite(list);
  assert.deepEqual(rows(snapshot), before);
  list.release();
});

Deno.test("a scan of a large list seeks and steps back mid-way and goes on from there", () => {
  const { list } = largeList();
  const after = overwrite(list);
  const [frozen] = list.seal();
  const cursor = frozen.cursor();
  // Forward far enough for the walkers to start, then seek ahead, step back, go on.
  for (let i = 0; i < 1000; i++) assert.ok(cursor.nextEntry());
  assert.equal(rows([cursor.entry()!])[0], after[999]);
  assert.ok(cursor.seek(keyOf(15_000)));
  for (let i = 15_000; i < 16_000; i++) {
    assert.equal(rows([cursor.entry()!])[0], after[i], `entry ${i} after the seek`);
    cursor.nextEntry();
  }
  for (let i = 16_000; i > 15_500; i--) assert.ok(cursor.prevEntry());
  for (let i = 15_500; i < KEYS; i++) {
    assert.equal(rows([cursor.entry()!])[0], after[i], `entry ${i} after the steps back`);
    cursor.nextEntry();
  }
  assert.equal(cursor.entry(), undefined);
  frozen.release();
});

Deno.test("inserts between the steps of a large private list's scan are seen ahead, never behind", () => {
  const { list, before } = largeList();
  const seen: string[] = [];
  const cursor = list.cursor();
  let step = 0;
  while (cursor.nextEntry()) {
    seen.push(rows([cursor.entry()!])[0]!);
    // A key just after the current one, and one far behind it.
    if (++step % 1000 === 0) {
      const current = text(cursor.entry()!.key);
      list.insert(new TextEncoder().encode(`${current}+`), valueOf(0, 3));
      list.insert(new TextEncoder().encode(`a-${step}`), valueOf(0, 3));
    }
  }
  const inserted = seen.filter((row) => row.includes("+"));
  assert.equal(inserted.length, Math.floor(KEYS / 1000), "each key inserted just ahead was seen");
  assert.deepEqual(seen.filter((row) => !row.includes("+")), before);
  assert.ok(!seen.some((row) => row.startsWith("a-")), "keys inserted behind the scan stay unseen");
  list.release();
});

Deno.test("the walkers keep pace with the scan, at most 16 segments ahead, and start again after a jump", () => {
  const { list } = largeList();
  const [frozen] = list.seal();
  const buffer = bufferOf(frozen.share().memory);
  const i32 = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
  const head = headAddress(i32[STRIPE_COUNT]!);
  const ahead = new ScanAhead();
  let node = head;
  let most = 0;
  for (let step = 0; step < 5000; step++) {
    const next = i32[node + NODE_NEXT]!;
    ahead.step(i32, node, next);
    node = next;
    most = Math.max(most, ahead.segmentsAhead);
  }
  assert.ok(most > 4, `the walkers got ${most} segments ahead`);
  assert.ok(most <= 16, `the walkers got ${most} segments ahead, more than 16`);
  // A step from a node the last step did not reach (a seek): they start over.
  ahead.step(i32, head, i32[head + NODE_NEXT]!);
  assert.equal(ahead.segmentsAhead, 0);
  frozen.release();
});
