/**
 * # fastskip
 *
 * A lock-free, arena-backed concurrent skip list in `SharedArrayBuffer`
 * memory: an ordered map from byte keys to byte values that several Web
 * Workers write and read at once through `Atomics`. It is the memtable of an
 * LSM-tree storage engine (insert, versioned overwrite, tombstones, exact
 * snapshots, range cursors, seal and flush) and an ordered in-memory byte-key
 * index.
 *
 * - {@link ConcurrentSkipList}: the list; `share()` it, `attach()` it in a worker.
 * - {@link FrozenMemtable}: what `seal()` returns, read-only, for the flush.
 * - {@link Snapshot}, {@link Cursor}, {@link Iter}: reads in key order, both ways;
 *   `range()` with {@link RangeOptions}: bounded, prefix, reverse and limited reads;
 *   {@link RawCursor}: the same without an allocation per entry, for flushes.
 * - {@link mergeReaders}: the active memtable and the sealed ones read as one
 *   ({@link MergedReader}), newest first, tombstones shadowing older values.
 * - {@link InsertError}, {@link BatchError}, {@link SealError}: failed writes.
 *
 * @example Memtable lifecycle
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * let memtable = new ConcurrentSkipList({ maxEntries: 1000 });
 * memtable.insert(bytes("user:1"), bytes("ada"));
 * memtable.put(bytes("user:1"), bytes("ada lovelace"));
 * memtable.delete(bytes("user:2")); // a tombstone shadows older tables
 * const snapshot = memtable.snapshot();
 * const [frozen, fresh] = memtable.seal();
 * memtable = fresh;
 * const flushed = [...frozen].map((e) => [new TextDecoder().decode(e.key), e.isTombstone]);
 * assert.deepEqual(flushed, [["user:1", false], ["user:2", true]]);
 * assert.deepEqual(snapshot.getLive(bytes("user:1")), bytes("ada lovelace"));
 * ```
 *
 * @module
 */

export { ConcurrentSkipList } from "./src/concurrent_skip_list.ts";
export type { SealOptions } from "./src/seal_options.ts";
export { FrozenMemtable } from "./src/frozen_memtable.ts";
export { Snapshot } from "./src/snapshot.ts";
export { SkipListReader } from "./src/skip_list_reader.ts";
export { MergedReader, mergeReaders } from "./src/merged_reader.ts";
export { Memtable } from "./src/memtable.ts";
export { Cursor } from "./src/cursor.ts";
export { RawCursor } from "./src/raw_cursor.ts";
export { Iter, SnapshotIter } from "./src/iter.ts";
export type { Entry } from "./src/entry.ts";
export type { RangeOptions } from "./src/range_options.ts";
export {
  BatchError,
  InsertError,
  type InsertErrorKind,
  SealError,
  type SealErrorKind,
} from "./src/errors.ts";
export {
  DEFAULT_ARENA_BYTES,
  DEFAULT_MAX_ARENA_BYTES,
  DEFAULT_SHARDS,
  type SkipListOptions,
} from "./src/options.ts";
export type { FrozenMemtableHandle, SharedMemory, SkipListHandle } from "./src/handle.ts";
export type { ValidateOptions, ValidationReport } from "./src/validation.ts";
export { MAX_KEY_BYTES, MAX_VALUE_BYTES, worstCaseEntryBytes } from "./src/limits.ts";
