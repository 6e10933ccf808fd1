/**
 * One seal cycle of an LSM engine, as the memory tests run it in one agent
 * or across Workers: fill a memtable with entries tagged by their cycle,
 * flush the frozen memtable (checking every entry carries its cycle, so a
 * buffer reused too early shows up as entries of another cycle), release.
 *
 * @module
 */

import type { ConcurrentSkipList, FrozenMemtable } from "../../mod.ts";

/** Key: cycle, writer, sequence number, then a hash that scatters the order. */
export const KEY_BYTES = 16;
/** Value: cycle and writer, then filler (a memtable entry of 100 B to 1 KiB is typical). */
export const VALUE_BYTES = 256;

/** Writes `count` entries of `cycle` by `writer` with `put` (which throws on failure). */
export function fill(list: ConcurrentSkipList, cycle: number, writer: number, count: number): void {
  const key = new Uint8Array(KEY_BYTES);
  const value = new Uint8Array(VALUE_BYTES);
  const keyView = new DataView(key.buffer);
  const valueView = new DataView(value.buffer);
  valueView.setUint32(0, cycle);
  valueView.setUint32(4, writer);
  for (let i = 0; i < count; i++) {
    keyView.setUint32(0, Math.imul(i + 1, 0x9e3779b1) >>> 0);
    keyView.setUint32(4, cycle);
    keyView.setUint32(8, writer);
    keyView.setUint32(12, i);
    list.put(key, value);
  }
}

/** What a flush found. */
export interface Flushed {
  /** Entries iterated. */
  entries: number;
  /** Entries whose key or value names another cycle (reused memory read too early). */
  foreign: number;
}

/** Iterates the whole frozen memtable, as a flush to a table file would. */
export function flush(frozen: FrozenMemtable, cycle: number): Flushed {
  let entries = 0;
  let foreign = 0;
  for (const { key, value } of frozen) {
    entries++;
    const keyCycle = new DataView(key.buffer, key.byteOffset, key.byteLength).getUint32(4);
    const valueCycle = new DataView(value.buffer, value.byteOffset, value.byteLength).getUint32(0);
    if (keyCycle !== cycle || valueCycle !== cycle) foreign++;
  }
  return { entries, foreign };
}
