/**
 * "The latest N": the newest events of a stream, newest first, read with a
 * reverse range, across the active memtable and the sealed one still
 * waiting for its flush.
 *
 *   deno run examples/latest_n.ts           (no permissions needed)
 *
 * Events are keyed `<stream>/<time>` with the time as 8 big-endian bytes, so
 * byte order is time order within a stream, and a stream's events are
 * contiguous. The newest N are then one reverse range over the stream's
 * prefix with a limit: O(log n) to find the end, then a step per event, no
 * scan of older events and no sort.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList, type Entry, mergeReaders, type SkipListReader } from "../mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `<stream>/` then the time, big-endian: byte order = (stream, time) order. */
function eventKey(stream: string, time: number): Uint8Array {
  const prefix = encoder.encode(`${stream}/`);
  const key = new Uint8Array(prefix.length + 8);
  key.set(prefix);
  new DataView(key.buffer).setBigUint64(prefix.length, BigInt(time));
  return key;
}

function timeOf(entry: Entry): number {
  const view = new DataView(entry.key.buffer, entry.key.byteOffset, entry.key.byteLength);
  return Number(view.getBigUint64(entry.key.byteLength - 8));
}

/** The newest `n` live events of `stream` in `reader` (one list, or several merged). */
function latest(
  reader: Pick<SkipListReader, "range">,
  stream: string,
  n: number,
): { time: number; text: string }[] {
  const events = reader.range({
    prefix: encoder.encode(`${stream}/`),
    reverse: true, // newest first
    limit: n, // stop after n: older events are never visited
    tombstones: false, // a retracted event is not shown, and does not count towards n
  });
  return [...events].map((entry) => ({ time: timeOf(entry), text: decoder.decode(entry.value) }));
}

// A memtable of events from two streams, interleaved in time.
let memtable = new ConcurrentSkipList();
for (let time = 1; time <= 20; time++) {
  const stream = time % 3 === 0 ? "alerts" : "deploys";
  memtable.insert(eventKey(stream, time), encoder.encode(`${stream} #${time}`));
}

// The newest three deploys, newest first; alerts interleaved in time are not in the way.
assert.deepEqual(latest(memtable, "deploys", 3).map((e) => e.time), [20, 19, 17]);
assert.deepEqual(latest(memtable, "alerts", 2), [
  { time: 18, text: "alerts #18" },
  { time: 15, text: "alerts #15" },
]);

// A retracted event (a tombstone) is left out, and the next older one takes its place.
memtable.delete(eventKey("deploys", 19));
assert.deepEqual(latest(memtable, "deploys", 3).map((e) => e.time), [20, 17, 16]);

// Asking for more than there are gives them all; asking for none gives none.
assert.equal(latest(memtable, "alerts", 100).length, 6);
assert.deepEqual(latest(memtable, "alerts", 0), []);
assert.deepEqual(latest(memtable, "nothing", 5), []);

// The memtable is sealed for a flush; new events go to the fresh one. A read
// of the latest events covers both: newest first, the active memtable before
// the sealed one, so a retraction written after the seal still hides its event.
const [sealed, fresh] = memtable.seal();
memtable = fresh;
memtable.insert(eventKey("deploys", 21), encoder.encode("deploys #21"));
memtable.insert(eventKey("deploys", 22), encoder.encode("deploys #22"));
memtable.delete(eventKey("deploys", 20)); // retracts an event of the sealed memtable
const both = mergeReaders([memtable, sealed]);
assert.deepEqual(latest(both, "deploys", 4).map((e) => e.time), [22, 21, 17, 16]);
assert.deepEqual(latest(sealed, "deploys", 1).map((e) => e.time), [20], "the sealed one alone");

// A snapshot of the active memtable keeps its "latest" while new events arrive.
const before = mergeReaders([memtable.snapshot(), sealed]);
memtable.insert(eventKey("deploys", 23), encoder.encode("deploys #23"));
assert.deepEqual(latest(before, "deploys", 2).map((e) => e.time), [22, 21]);
assert.deepEqual(latest(both, "deploys", 2).map((e) => e.time), [23, 22]);

// The single newest and oldest entries of the whole memtable, tombstones included.
assert.equal(decoder.decode(sealed.first()!.key.subarray(0, 7)), "alerts/");
assert.equal(timeOf(sealed.last()!), 20);

console.log("latest_n: ok");
