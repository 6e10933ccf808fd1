/**
 * The concurrent memtable.
 *
 * @module
 */

import { bindMemtable, Memtable } from "./memtable.ts";
import { Arena } from "./_arena.ts";
import { Lease } from "./_lease.ts";
import { checkKey, checkValue, collect } from "./_args.ts";
import {
  ARENA_BYTES_F64,
  MAX_ARENA_BYTES_F64,
  SEED,
  SHARDS,
  STATE_EXHAUSTED,
  STATE_OPEN,
} from "./_layout.ts";
import { ListCore } from "./_core.ts";
import { recount, seal, SEAL_ALREADY, SEAL_STALLED } from "./_seal.ts";
import { LATEST } from "./_versions.ts";
import { ListWriter } from "./_writer.ts";
import { DUPLICATE, insertError, STORED, stored, STORED_OVER_LIVE } from "./_write_status.ts";
import type { View } from "./_view.ts";
import { BatchError, InsertError, SealError } from "./errors.ts";
import { type FrozenMemtable, newFrozenMemtable } from "./frozen_memtable.ts";
import { openHandle, type SkipListHandle } from "./handle.ts";
import { describe, resolveOptions, type SkipListOptions } from "./options.ts";
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
  /** Set by `attach()` for the constructor it calls: the arena to open instead of creating one. */
  static #attaching: Arena | undefined;

  /**
   * Creates an empty list with its own arena.
   *
   * @param options Sizes, limits and seed (see {@link SkipListOptions}).
   * @throws {RangeError} When a size option is not a non-negative integer in range.
   * @throws {TypeError} When `options` is not an object or names an unknown option.
   */
  constructor(options?: SkipListOptions) {
    super();
    const attached = ConcurrentSkipList.#attaching;
    ConcurrentSkipList.#attaching = undefined;
    const arena = attached ?? Arena.create(resolveOptions(options));
    this.#core = ListCore.live(arena, new Lease("ConcurrentSkipList", arena), !attached);
    this.#writer = new ListWriter(this.#core);
    this.#view = bindMemtable(this, this.#core);
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
    ConcurrentSkipList.#attaching = openHandle(
      "ConcurrentSkipList",
      handle,
      "fastskip.ConcurrentSkipList",
    );
    return new ConcurrentSkipList();
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
      buffer: arena.buffer,
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
    const core = this.#checked("insert");
    checkKey("insert", key);
    checkValue("insert", value);
    core.probe.set(key);
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
    const core = this.#checked("tryInsert");
    checkKey("tryInsert", key);
    checkValue("tryInsert", value);
    core.probe.set(key);
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
    const core = this.#checked("put");
    checkKey("put", key);
    checkValue("put", value);
    core.probe.set(key);
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
    const batch = collect<readonly [Uint8Array, Uint8Array]>("insertBatch", entries, "entries");
    batch.forEach((entry, index) => {
      if (typeof entry !== "object" || entry === null || typeof entry.length !== "number") {
        throw new TypeError(
          `Cannot insertBatch: entries[${index}] must be a [key, value] pair, received ${
            describe(entry)
          }`,
        );
      }
      checkKey("insertBatch", entry[0], `entries[${index}][0]`);
      checkValue("insertBatch", entry[1], `entries[${index}][1]`);
    });
    const core = this.#checked("insertBatch");
    const writer = this.#writer;
    const failures: { index: number; error: InsertError }[] = [];
    batch.forEach(([key, value], index) => {
      core.probe.set(key);
      const status = writer.insert(core.probe, value);
      if (status !== STORED) failures.push({ index, error: insertError(status, core, value) });
    });
    if (failures.length !== 0) throw new BatchError(batch.length - failures.length, failures);
    return batch.length;
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
    const core = this.#checked("getOrInsert");
    checkKey("getOrInsert", key);
    checkValue("getOrInsert", value);
    core.probe.set(key);
    const status = this.#writer.insert(core.probe, value);
    if (status === STORED) return [value, true];
    if (status === DUPLICATE) {
      // The key has a node for good (nodes are never unlinked): read its newest version.
      const live = core.valueOf(core.versionAt(core.find(core.probe), LATEST));
      if (live === null) throw new InsertError("DuplicateKey");
      return [live, false];
    }
    // Sealed or full: a present key can still be answered.
    const found = this.#view.get(key);
    if (found === undefined) throw insertError(status, core, value);
    if (found[1]) throw new InsertError("DuplicateKey");
    return [found[0], false];
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
    const core = this.#checked("delete");
    checkKey("delete", key);
    core.probe.set(key);
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
    const core = this.#checked("tryDelete");
    checkKey("tryDelete", key);
    core.probe.set(key);
    const status = this.#writer.delete(core.probe);
    if (!stored(status)) throw insertError(status, core, null);
    return status === STORED_OVER_LIVE;
  }

  // ------------------------------------------------------------------- reads

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
    const status = seal(
      core.arena,
      core.stats,
      timeoutMs,
      force,
      () => recount(core.links, core.versions, core.head),
    );
    if (status === SEAL_ALREADY) throw new SealError("AlreadySealed");
    if (status === SEAL_STALLED) {
      throw new SealError(
        "Timeout",
        `memtable seal timed out: ${core.stats.inflight()} writes still in flight after ${timeoutMs} ms ` +
          `(the list stays sealed; seal() again to wait, or seal({ force: true }) if their workers are dead)`,
      );
    }
    // The frozen memtable takes over this instance's reference (see release()).
    const lease = core.lease.handOver("FrozenMemtable", core.arena);
    return [newFrozenMemtable(core.arena, lease), this.#freshSibling()];
  }

  /** A new empty list with this one's options. */
  #freshSibling(): ConcurrentSkipList {
    const arena = this.#core.arena;
    const i32 = arena.i32;
    return new ConcurrentSkipList({
      arenaBytes: arena.readF64(ARENA_BYTES_F64),
      maxArenaBytes: arena.readF64(MAX_ARENA_BYTES_F64),
      shards: i32[SHARDS]!,
      maxMemoryBytes: this.#core.maxMemoryBytes,
      maxEntries: this.#core.maxEntries,
      seed: i32[SEED]!,
    });
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
    const core = this.#checked("isUnderBackpressure");
    if (core.maxMemoryBytes > 0 && core.stats.memoryUsage() >= 0.9 * core.maxMemoryBytes) {
      return true;
    }
    return core.maxEntries > 0 && core.stats.size() >= 0.9 * core.maxEntries;
  }
}
