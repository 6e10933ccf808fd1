/**
 * The concurrent memtable.
 *
 * @module
 */

import { bindMemtable, Memtable } from "./memtable.ts";
import { Arena } from "./_arena.ts";
import { Lease } from "./_lease.ts";
import { checkKey, checkValue } from "./_args.ts";
import { checkBatch, getOrInsert, insertAll } from "./_composite_writes.ts";
import { STATE_EXHAUSTED, STATE_OPEN } from "./_layout.ts";
import { ListCore } from "./_core.ts";
import { sealList } from "./_seal.ts";
import { ListWriter } from "./_writer.ts";
import { insertError, STORED, stored, STORED_OVER_LIVE } from "./_write_status.ts";
import type { View } from "./_view.ts";
import { type FrozenMemtable, newFrozenMemtable } from "./frozen_memtable.ts";
import { openHandle, type SkipListHandle } from "./handle.ts";
import { resolveOptions, type SkipListOptions } from "./options.ts";
import { resolveSealOptions, type SealOptions } from "./seal_options.ts";

/**
 * An ordered map from byte keys to byte values, in `SharedArrayBuffer`
 * memory, that any number of workers read and write at once without locks:
 * the memtable of an LSM-tree storage engine.
 *
 * - Keys and values are `Uint8Array`s; keys sort by unsigned bytes, a proper
 *   prefix first. The empty key and empty value are legal.
 * - Writes never overwrite in place: `insert` keeps the first value,
 *   `put` adds a newer version, `delete` adds a tombstone (even for an absent
 *   key, so that it shadows older tables). Memory is never reused.
 * - `snapshot()` is exact and stable; iteration and cursors are in key order.
 * - `share()` / `ConcurrentSkipList.attach()` use the same list from another
 *   worker; `seal()` freezes it for a flush and returns a fresh list.
 *
 * | operation | cost |
 * | --- | --- |
 * | `insert`, `put`, `delete`, `get`, `cursorAt` | O(log n) expected, lock-free |
 * | `snapshot()` | O(1) |
 * | iteration step | O(1) |
 * | `size`, statistics | O(shards) |
 *
 * Inherited, and documented on the classes they come from (`deno doc` lists a
 * class's own members only): the reads `get`, `getLive`, `containsKey`,
 * `getMany`, `iter`, `range`, `first`, `last`, `cursor`, `cursorAt`,
 * `cursorForPrev` and `rawCursor` on {@link SkipListReader}; `snapshot`,
 * `size`, `isEmpty`, the memory statistics, `avgKeySize`, `avgValueSize`,
 * `validate`, `release` and `[Symbol.dispose]` on {@link Memtable}.
 *
 * @example Quick start
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * const list = new ConcurrentSkipList();
 * assert.equal(list.insert(bytes("apple"), bytes("red")), true);
 * assert.equal(list.insert(bytes("apple"), bytes("green")), false); // first value wins
 * list.put(bytes("apple"), bytes("green")); // overwrite
 * list.insert(bytes("banana"), bytes("yellow"));
 * list.delete(bytes("banana"));
 * assert.deepEqual(list.getLive(bytes("apple")), bytes("green"));
 * assert.deepEqual(list.get(bytes("banana")), [new Uint8Array(0), true]);
 * assert.equal(list.size, 1);
 * const [frozen, fresh] = list.seal();
 * assert.equal([...frozen].length, 2); // apple, and banana's tombstone
 * assert.ok(fresh.isEmpty());
 * ```
 */
export class ConcurrentSkipList extends Memtable {
  #core: ListCore;
  #writer: ListWriter;
  #view: View;
  /**
   * Set for the constructor by {@link ConcurrentSkipList.#open}: the arena to
   * open instead of creating one, and whether this agent made its list.
   */
  static #opening: { arena: Arena; made: boolean } | undefined;

  /**
   * Creates an empty list with its own arena.
   *
   * @param options Sizes, limits and seed (see {@link SkipListOptions}).
   * @throws {RangeError} When a size option is not a non-negative integer in range.
   * @throws {TypeError} When `options` is not an object or names an unknown option.
   */
  constructor(options?: SkipListOptions) {
    super();
    const opening = ConcurrentSkipList.#opening;
    ConcurrentSkipList.#opening = undefined;
    const arena = opening?.arena ?? Arena.create(resolveOptions(options));
    const made = opening?.made ?? true;
    this.#core = ListCore.live(arena, new Lease("ConcurrentSkipList", arena), made);
    this.#writer = new ListWriter(this.#core);
    this.#view = bindMemtable(this, this.#core);
  }

  /** An instance on `arena`: one attached (`made` false), or a fresh list this agent made. */
  static #open(arena: Arena, made: boolean): ConcurrentSkipList {
    ConcurrentSkipList.#opening = { arena, made };
    return new ConcurrentSkipList();
  }

  /** This list's core, checked for `method`, with `key` copied into its probe. */
  #probing(method: string, key: Uint8Array): ListCore {
    const core = this.#checked(method);
    checkKey(method, key);
    core.probe.set(key);
    return core;
  }

  /** This list's core, or the `TypeError` of a call to `method` once released. */
  #checked(method: string): ListCore {
    const core = this.#core;
    core.lease.check(method);
    return core;
  }

  /**
   * A list sized for `shards` concurrent writers (a hint, never a limit).
   *
   * @param shards Expected concurrent writers.
   * @returns The list.
   * @throws {RangeError} When `shards` is not a positive integer.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * const list = ConcurrentSkipList.withShards(8);
   * ```
   */
  static withShards(shards: number): ConcurrentSkipList {
    return new ConcurrentSkipList({ shards });
  }

  /**
   * A list whose arena starts at `arenaBytes` (it still grows on demand).
   *
   * @param arenaBytes Initial arena size in bytes.
   * @returns The list.
   * @throws {RangeError} When `arenaBytes` is not a positive integer in range.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * assert.equal(ConcurrentSkipList.withCapacity(1 << 20).memoryReserved(), 1 << 20);
   * ```
   */
  static withCapacity(arenaBytes: number): ConcurrentSkipList {
    return new ConcurrentSkipList({ arenaBytes });
  }

  /**
   * A list with an initial arena size, a shard hint and soft limits.
   *
   * @param arenaBytes Initial arena size in bytes.
   * @param shards Expected concurrent writers.
   * @param maxMemoryBytes Soft limit on `memoryUsage()` (0 = none).
   * @param maxEntries Soft limit on `size` (0 = none).
   * @returns The list.
   * @throws {RangeError} When an argument is not an integer in range.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = ConcurrentSkipList.withCapacityAndShards(1 << 20, 4, 0, 2);
   * list.insert(new Uint8Array([1]), new Uint8Array());
   * list.insert(new Uint8Array([2]), new Uint8Array());
   * assert.equal(list.insert(new Uint8Array([3]), new Uint8Array()), false); // maxEntries
   * ```
   */
  static withCapacityAndShards(
    arenaBytes: number,
    shards: number,
    maxMemoryBytes = 0,
    maxEntries = 0,
  ): ConcurrentSkipList {
    return new ConcurrentSkipList({ arenaBytes, shards, maxMemoryBytes, maxEntries });
  }

  /**
   * Opens, in this worker, a list shared by `list.share()` elsewhere (or in
   * this same worker). Every attached instance is the same list.
   *
   * @param handle What `share()` returned, possibly received by `postMessage`.
   * @returns The same list.
   * @throws {TypeError} When `handle` is not a handle made by `share()`.
   *
   * @example In a worker
   * ```ts ignore
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * self.onmessage = ({ data }) => {
   *   const list = ConcurrentSkipList.attach(data.handle);
   *   list.insert(new Uint8Array([1]), new Uint8Array([1]));
   * };
   * ```
   */
  static attach(handle: SkipListHandle): ConcurrentSkipList {
    const arena = openHandle("ConcurrentSkipList", handle, "fastskip.ConcurrentSkipList");
    return ConcurrentSkipList.#open(arena, false);
  }

  /**
   * A structured-cloneable handle for `ConcurrentSkipList.attach`.
   *
   * @returns The handle.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = new ConcurrentSkipList();
   * const copy = structuredClone(list.share());
   * ConcurrentSkipList.attach(copy).insert(new Uint8Array([1]), new Uint8Array([2]));
   * assert.equal(list.size, 1);
   * ```
   */
  share(): SkipListHandle {
    const core = this.#checked("share");
    core.share(); // from now on other agents may attach it (invariant 8)
    const arena = core.arena;
    return {
      kind: "fastskip.ConcurrentSkipList",
      memory: arena.backing,
      generation: arena.generation,
    };
  }

  // ------------------------------------------------------------------ writes

  /**
   * Stores `value` under `key` unless the key has an entry (live or
   * tombstoned: the first value wins).
   *
   * @param key The key (any `Uint8Array` view).
   * @param value The value, copied into the list.
   * @returns `true` if stored; `false` on a duplicate, a sealed list, a
   *   reached limit or a full arena (`tryInsert` says which).
   * @throws {TypeError} When `key` or `value` is not a `Uint8Array`.
   * @throws {RangeError} When `key` or `value` is longer than the format allows.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = new ConcurrentSkipList();
   * assert.equal(list.insert(new Uint8Array([1]), new Uint8Array([1])), true);
   * assert.equal(list.insert(new Uint8Array([1]), new Uint8Array([2])), false);
   * ```
   */
  insert(key: Uint8Array, value: Uint8Array): boolean {
    const core = this.#probing("insert", key);
    checkValue("insert", value);
    return this.#writer.insert(core.probe, value) === STORED;
  }

  /**
   * As {@link ConcurrentSkipList.insert}, but says why a write failed.
   *
   * @param key The key.
   * @param value The value.
   * @throws {InsertError} `"DuplicateKey"`, `"OutOfMemory"` or `"Sealed"`.
   * @throws {TypeError} When `key` or `value` is not a `Uint8Array`.
   * @throws {RangeError} When `key` or `value` is too long.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList, InsertError } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = new ConcurrentSkipList();
   * list.seal();
   * assert.throws(() => list.tryInsert(new Uint8Array([1]), new Uint8Array()), {
   *   name: "InsertError",
   *   kind: "Sealed",
   * });
   * ```
   */
  tryInsert(key: Uint8Array, value: Uint8Array): void {
    const core = this.#probing("tryInsert", key);
    checkValue("tryInsert", value);
    const status = this.#writer.insert(core.probe, value);
    if (status !== STORED) throw insertError(status, core, value);
  }

  /**
   * Stores a newer version of `key`, whatever its state (live, tombstoned or
   * absent). Readers see the newest version; snapshots keep the one they saw.
   *
   * @param key The key.
   * @param value The value.
   * @throws {InsertError} `"OutOfMemory"` or `"Sealed"`.
   * @throws {TypeError} When `key` or `value` is not a `Uint8Array`.
   * @throws {RangeError} When `key` or `value` is too long.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = new ConcurrentSkipList();
   * const key = new Uint8Array([1]);
   * list.put(key, new Uint8Array([1]));
   * list.put(key, new Uint8Array([2]));
   * assert.deepEqual(list.getLive(key), new Uint8Array([2]));
   * ```
   */
  put(key: Uint8Array, value: Uint8Array): void {
    const core = this.#probing("put", key);
    checkValue("put", value);
    const status = this.#writer.put(core.probe, value);
    if (!stored(status)) throw insertError(status, core, value);
  }

  /**
   * Inserts entries in order (as `insert`), after checking all of them.
   *
   * @param entries `[key, value]` pairs.
   * @returns How many were stored, when all were.
   * @throws {BatchError} When some were not stored (those that were stay).
   * @throws {TypeError} When `entries` is not iterable or an entry is not a
   *   `[Uint8Array, Uint8Array]` pair; nothing is stored then.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = new ConcurrentSkipList();
   * const n = list.insertBatch([[new Uint8Array([2]), new Uint8Array()], [new Uint8Array([1]), new Uint8Array()]]);
   * assert.equal(n, 2);
   * ```
   */
  insertBatch(entries: Iterable<readonly [Uint8Array, Uint8Array]>): number {
    this.#checked("insertBatch");
    const batch = checkBatch(entries); // before any write: a bad entry stores nothing
    return insertAll(this.#checked("insertBatch"), this.#writer, batch);
  }

  /**
   * The live value of `key`, or inserts `value` if the key is absent.
   *
   * @param key The key.
   * @param value The value to insert when absent.
   * @returns `[live value, false]` when present, `[value, true]` when inserted.
   * @throws {InsertError} `"DuplicateKey"` when the key is tombstoned,
   *   `"Sealed"` or `"OutOfMemory"` when it is absent and cannot be inserted.
   * @throws {TypeError} When `key` or `value` is not a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = new ConcurrentSkipList();
   * const key = new Uint8Array([1]);
   * assert.deepEqual(list.getOrInsert(key, new Uint8Array([1])), [new Uint8Array([1]), true]);
   * assert.deepEqual(list.getOrInsert(key, new Uint8Array([2])), [new Uint8Array([1]), false]);
   * ```
   */
  getOrInsert(key: Uint8Array, value: Uint8Array): [value: Uint8Array, inserted: boolean] {
    const core = this.#probing("getOrInsert", key);
    checkValue("getOrInsert", value);
    return getOrInsert(core, this.#writer, this.#view, key, value);
  }

  /**
   * Records a tombstone for `key`, even when the key is absent (an LSM
   * memtable must shadow older tables). Never throws for a full or sealed
   * list: it returns `false` then too, the same answer as for an absent key
   * whose tombstone was recorded, so a writer that must not lose a delete
   * (one that moves to the fresh list after `seal()`) uses
   * {@link ConcurrentSkipList.tryDelete}, which throws `InsertError` instead.
   *
   * @param key The key.
   * @returns `true` if a live entry was deleted; `false` if the key was absent
   *   or already tombstoned, or the tombstone could not be stored.
   * @throws {TypeError} When `key` is not a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = new ConcurrentSkipList();
   * const key = new Uint8Array([1]);
   * assert.equal(list.delete(key), false); // absent, but the tombstone is recorded
   * assert.deepEqual(list.get(key), [new Uint8Array(0), true]);
   * ```
   */
  delete(key: Uint8Array): boolean {
    const core = this.#probing("delete", key);
    return this.#writer.delete(core.probe) === STORED_OVER_LIVE;
  }

  /**
   * As {@link ConcurrentSkipList.delete}, but throws when the tombstone could
   * not be recorded.
   *
   * @param key The key.
   * @returns `true` if a live entry was deleted.
   * @throws {InsertError} `"OutOfMemory"` (arena full) or `"Sealed"`.
   * @throws {TypeError} When `key` is not a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = new ConcurrentSkipList();
   * list.insert(new Uint8Array([1]), new Uint8Array([1]));
   * assert.equal(list.tryDelete(new Uint8Array([1])), true);
   * ```
   */
  tryDelete(key: Uint8Array): boolean {
    const core = this.#probing("tryDelete", key);
    const status = this.#writer.delete(core.probe);
    if (!stored(status)) throw insertError(status, core, null);
    return status === STORED_OVER_LIVE;
  }

  // --------------------------------------------------------------- lifecycle

  /**
   * Freezes the list for a flush and returns it read-only, with a fresh empty
   * list carrying the same options. From the moment `seal()` starts, writes
   * through any instance of this list (in any worker) fail; it returns only
   * after every write already in flight has finished, so `frozen` holds
   * exactly the writes that returned success.
   *
   * @param options `timeoutMs` for in-flight writes (default 10 000), `force`.
   * @returns `[frozen, fresh]`.
   * @throws {SealError} `"AlreadySealed"`, or `"Timeout"` when in-flight writes
   *   did not finish (the list then stays sealed; call again to wait again).
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = new ConcurrentSkipList();
   * list.insert(new Uint8Array([1]), new Uint8Array([1]));
   * const [frozen, fresh] = list.seal();
   * assert.equal(frozen.size, 1);
   * assert.equal(list.insert(new Uint8Array([2]), new Uint8Array()), false);
   * assert.equal(fresh.insert(new Uint8Array([2]), new Uint8Array()), true);
   * ```
   */
  seal(options?: SealOptions): [frozen: FrozenMemtable, fresh: ConcurrentSkipList] {
    const core = this.#checked("seal");
    const { timeoutMs, force } = resolveSealOptions(options);
    sealList(core, timeoutMs, force);
    // The frozen memtable takes over this instance's reference (see release()).
    const lease = core.lease.handOver("FrozenMemtable", core.arena);
    const fresh = ConcurrentSkipList.#open(Arena.create(core.arena.options()), true);
    return [newFrozenMemtable(core.arena, lease), fresh];
  }

  /**
   * Whether the list was sealed (here or in another worker). Limits do not
   * seal; they make writes fail.
   *
   * @returns `true` once `seal()` has begun.
   */
  isSealed(): boolean {
    const state = this.#checked("isSealed").state();
    return state !== STATE_OPEN && state !== STATE_EXHAUSTED;
  }

  // -------------------------------------------------------------- statistics

  /**
   * Insert-family calls (`insert`, `tryInsert`, `put`, `insertBatch`
   * entries, `getOrInsert`) that reached the list, stored or not.
   *
   * @returns The count.
   */
  totalInserts(): number {
    return this.#checked("totalInserts").stats.totalInserts();
  }

  /**
   * The `maxMemoryBytes` soft limit.
   *
   * @returns Bytes (0 = unlimited).
   */
  maxMemoryBytes(): number {
    return this.#checked("maxMemoryBytes").maxMemoryBytes;
  }

  /**
   * The most bytes the list's arena may reach: `maxArenaBytes` as the list
   * was made with it (rounded down to 8 bytes), in every agent that attached
   * it. A write that would pass it fails with `"OutOfMemory"`.
   *
   * @returns Bytes.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   * const list = new ConcurrentSkipList({ maxArenaBytes: 8 << 20 });
   * assert.equal(ConcurrentSkipList.attach(list.share()).maxArenaBytes(), 8 << 20);
   * ```
   */
  maxArenaBytes(): number {
    return this.#checked("maxArenaBytes").arena.capacityWords * 4;
  }

  /**
   * The `maxEntries` soft limit.
   *
   * @returns Entries (0 = unlimited).
   */
  maxEntries(): number {
    return this.#checked("maxEntries").maxEntries;
  }

  /**
   * Whether a limit is near: usage at 90 % of `maxMemoryBytes`, or size at
   * 90 % of `maxEntries`. Time to seal and flush.
   *
   * @returns `true` when under backpressure.
   */
  isUnderBackpressure(): boolean {
    return this.#checked("isUnderBackpressure").underBackpressure();
  }
}
