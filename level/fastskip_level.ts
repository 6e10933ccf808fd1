/**
 * {@link FastskipLevel}: an abstract-level store on a {@link ConcurrentSkipList}.
 *
 * @module
 */

import { ConcurrentSkipList, type SkipListHandle, type SkipListReader } from "../mod.ts";
import { applyBatch, deleteLive, type LevelOperation } from "./batch.ts";
import { LevelBase } from "./bases.ts";
import { asBytes, copyOut } from "./bytes.ts";
import { levelError } from "./errors.ts";
import {
  EntryIterator,
  KeyIterator,
  type LevelIteratorOptions,
  ValueIterator,
} from "./iterators.ts";
import { type FastskipLevelOptions, splitOptions } from "./options.ts";
import { openWalk } from "./range_walk.ts";
import { FastskipSnapshot } from "./snapshot.ts";

/** What the private read methods look at in their options. */
interface ReadOptions {
  snapshot?: unknown;
}

/** What `_clear` gets: a range, a limit (-1: none) and maybe a snapshot. */
interface ClearOptions extends LevelIteratorOptions {
  limit: number;
}

/**
 * The features this store implements, for abstract-level and its test suite:
 * memory-level's manifest (seek, implicit and explicit snapshots, `has`,
 * `getSync`, not permanent), with `view` as the native encoding; the
 * transcoder adds every other encoding (`utf8`, `json`, `buffer`, `hex`,
 * `base64`, custom ones) on top of it.
 */
const MANIFEST = {
  seek: true,
  implicitSnapshots: true,
  explicitSnapshots: true,
  permanence: false,
  createIfMissing: false,
  errorIfExists: false,
  has: true,
  getSync: true,
  encodings: { view: true },
  // Every operation is synchronous underneath, so an abort could never land.
  signals: { iterators: false },
};

/**
 * A drop-in for memory-level whose data lives in a fastskip
 * {@link ConcurrentSkipList}: an [abstract-level](https://github.com/Level/abstract-level)
 * store (`get`, `put`, `del`, `batch`, `getMany`, `has`, `getSync`,
 * iterators with `gt`/`gte`/`lt`/`lte`/`reverse`/`limit` and `seek`,
 * implicit and explicit snapshots, `clear` with ranges, sublevels,
 * every encoding), which several workers can share: `db.share()` gives a
 * handle to post to a worker, where `FastskipLevel.attach(handle)` opens a
 * store on the same data.
 *
 * Keys and values are stored as bytes and sorted as unsigned bytes; what
 * the store returns is always a copy, never a view of the shared memory.
 * `del` records a fastskip tombstone; `get` of a deleted key is `undefined`
 * and iterators skip it. `close()` keeps the data for a later `open()`, as
 * memory-level does; `release()` (or `await using`) closes the store and
 * lets go of the list, whose memory then serves a later list once every
 * store and list on it is released.
 *
 * Atomicity: every `put` and `del` is atomic across workers, and every
 * iterator and snapshot reads one exact point in time. A `batch` is
 * all-or-nothing within one agent (it is checked against the list's room
 * before its first write, and nothing else in the agent runs during it);
 * other workers may observe a batch as it is applied, a prefix of it first.
 *
 * | operation | cost |
 * | --- | --- |
 * | `get`, `has`, `put`, `del` | O(log n) expected |
 * | `iterator({ gte })` first entry, `seek` | O(log n) expected |
 * | each further entry | O(1) forwards, O(1) amortized in reverse |
 * | `snapshot()` | O(1) |
 *
 * @typeParam KDefault The type of keys when no `keyEncoding` is given per call.
 * @typeParam VDefault The type of values when no `valueEncoding` is given per call.
 *
 * @example Like memory-level
 * ```ts
 * import { FastskipLevel } from "@fastskip/fastskip/level";
 * import assert from "node:assert/strict";
 *
 * const db = new FastskipLevel<string, string>();
 * await db.put("b", "2");
 * await db.batch([{ type: "put", key: "a", value: "1" }, { type: "put", key: "c", value: "3" }]);
 * await db.del("c");
 * assert.equal(await db.get("a"), "1");
 * assert.equal(db.getSync("c"), undefined);
 * assert.deepEqual(await db.keys({ gte: "a", limit: 10 }).all(), ["a", "b"]);
 * await db.close();
 * ```
 *
 * @example One store, two workers
 * ```ts ignore
 * // main
 * const db = new FastskipLevel({ valueEncoding: "json" });
 * worker.postMessage({ handle: db.share() });
 * // worker
 * self.onmessage = async ({ data }) => {
 *   const db = FastskipLevel.attach(data.handle, { valueEncoding: "json" });
 *   await db.put("from-worker", { ok: true }); // the main thread's db sees it at once
 * };
 * ```
 */
export class FastskipLevel<KDefault = string, VDefault = string>
  extends LevelBase<KDefault, VDefault> {
  /** The list; `null` once `release()` let go of it. */
  #list: ConcurrentSkipList | null;
  /** The most bytes the list's arena may reach, for the batch check. */
  readonly #arenaCeiling: number;

  /**
   * Opens a store (abstract-level opens it in the next microtask; operations
   * wait for that). `location` is accepted for memory-level's signature and
   * ignored.
   *
   * @param options Encodings, and `handle` or `skipList` (see {@link FastskipLevelOptions}).
   * @throws {TypeError} For options that are not an object, `handle` with
   *   `skipList`, or a `handle` that `share()` did not make or whose list was
   *   released everywhere.
   * @throws {RangeError} For a bad `skipList` size.
   */
  constructor(options?: FastskipLevelOptions<KDefault, VDefault>);
  /**
   * memory-level's signature: `location` is ignored.
   *
   * @param location Ignored.
   * @param options As in the other signature.
   */
  constructor(location: string, options?: FastskipLevelOptions<KDefault, VDefault>);
  constructor(
    locationOrOptions?: string | FastskipLevelOptions<KDefault, VDefault>,
    maybeOptions?: FastskipLevelOptions<KDefault, VDefault>,
  ) {
    super(MANIFEST, splitOptions<KDefault, VDefault>(locationOrOptions, maybeOptions).level);
    const { handle, skipList } = splitOptions(locationOrOptions, maybeOptions);
    const list = handle !== undefined
      ? ConcurrentSkipList.attach(handle)
      : new ConcurrentSkipList(skipList);
    this.#list = list;
    this.#arenaCeiling = list.maxArenaBytes();
  }

  /**
   * Opens a store on a list shared from another store or worker: the same as
   * `new FastskipLevel({ ...options, handle })`.
   *
   * @param handle What `db.share()` or `list.share()` returned, posted here.
   * @param options Encodings (the list keeps its own sizing).
   * @returns The store.
   * @throws {TypeError} When `handle` is not a list handle, or its list was released everywhere.
   *
   * @example
   * ```ts
   * import { FastskipLevel } from "@fastskip/fastskip/level";
   * import assert from "node:assert/strict";
   *
   * const db = new FastskipLevel();
   * const other = FastskipLevel.attach(db.share()); // in a worker, after postMessage
   * await other.put("k", "v");
   * assert.equal(await db.get("k"), "v");
   * await other.close();
   * await db.close();
   * ```
   */
  static attach<K = string, V = string>(
    handle: SkipListHandle,
    options?: Omit<FastskipLevelOptions<K, V>, "handle" | "skipList">,
  ): FastskipLevel<K, V> {
    return new FastskipLevel<K, V>({ ...options, handle });
  }

  /**
   * A structured-cloneable handle on this store's list, for
   * `FastskipLevel.attach()` (or `ConcurrentSkipList.attach()`) in another
   * worker. Keep this store (it may be closed, not released) until the worker has attached.
   * From the first call on, this agent reads and writes the list with
   * `Atomics`, as every agent on a shared list must; until then it uses
   * plain loads and stores (in the level benchmark a `get` or a `put` typically took
   * 15–25 % longer on a shared store). So share a store only when a worker
   * is to use it.
   *
   * @returns The list's handle.
   * @throws {Error} (`code: "LEVEL_DATABASE_NOT_OPEN"`) After `release()`.
   *
   * @example
   * ```ts
   * import { FastskipLevel } from "@fastskip/fastskip/level";
   * import assert from "node:assert/strict";
   *
   * const db = new FastskipLevel();
   * const handle = structuredClone(db.share()); // what postMessage does
   * assert.equal(handle.kind, "fastskip.ConcurrentSkipList");
   * await db.close();
   * ```
   */
  share(): SkipListHandle {
    return this.#opened("share").share();
  }

  /**
   * Closes the store if it is open, then releases its hold on the list: this
   * agent is done with the store for good. `close()` alone keeps the data,
   * so that `open()` finds it again (abstract-level's contract, and
   * memory-level's behaviour); but V8 does not count `SharedArrayBuffer`
   * memory towards garbage collection, so a store dropped without
   * `release()` keeps its memory until a collection happens for other
   * reasons. Once every store and list on the same list, in every agent, is
   * released, its memory serves a later list. Afterwards `open()` fails;
   * calling `release()` again does nothing. `await using` calls it.
   *
   * @returns Once closed and released.
   *
   * @example
   * ```ts
   * import { FastskipLevel } from "@fastskip/fastskip/level";
   * import assert from "node:assert/strict";
   *
   * const db = new FastskipLevel();
   * await db.put("k", "v");
   * await db.release();
   * assert.equal(db.status, "closed");
   * assert.throws(() => db.share(), { code: "LEVEL_DATABASE_NOT_OPEN" });
   * await assert.rejects(db.open(), { code: "LEVEL_DATABASE_NOT_OPEN" });
   * ```
   */
  async release(): Promise<void> {
    if (this.#list === null) return;
    await this.close();
    this.#list?.release();
    this.#list = null;
  }

  /**
   * {@link FastskipLevel.release}, for `await using` declarations.
   *
   * @returns Once closed and released.
   *
   * @example
   * ```ts
   * import { FastskipLevel } from "@fastskip/fastskip/level";
   * import assert from "node:assert/strict";
   *
   * let seen;
   * {
   *   await using db = new FastskipLevel();
   *   await db.put("k", "v");
   *   seen = await db.get("k");
   * } // closed and released here
   * assert.equal(seen, "v");
   * ```
   */
  override [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }

  // ------------------------------------------------- abstract-level's private API

  /**
   * abstract-level's private `_open`: the list is there from the constructor until `release()`.
   *
   * @ignore
   */
  _open(): Promise<void> {
    this.#opened("open");
    return Promise.resolve();
  }

  /**
   * abstract-level's private `_put`: a new version of `key`.
   *
   * @ignore
   */
  _put(key: ArrayBufferView, value: ArrayBufferView): Promise<void> {
    this.#opened("put").put(asBytes(key), asBytes(value));
    return Promise.resolve();
  }

  /**
   * abstract-level's private `_get`: a copy of the live value, or `undefined`.
   *
   * @ignore
   */
  _get(key: ArrayBufferView, options: ReadOptions): Promise<Uint8Array | undefined> {
    const value = this.#reader("get", options).getLive(asBytes(key));
    return Promise.resolve(value === undefined ? undefined : copyOut(value));
  }

  /**
   * abstract-level's private `_getSync`.
   *
   * @ignore
   */
  _getSync(key: ArrayBufferView, options: ReadOptions): Uint8Array | undefined {
    const value = this.#reader("getSync", options).getLive(asBytes(key));
    return value === undefined ? undefined : copyOut(value);
  }

  /**
   * abstract-level's private `_getMany`.
   *
   * @ignore
   */
  _getMany(
    keys: readonly ArrayBufferView[],
    options: ReadOptions,
  ): Promise<(Uint8Array | undefined)[]> {
    const reader = this.#reader("getMany", options);
    return Promise.resolve(keys.map((key) => {
      const value = reader.getLive(asBytes(key));
      return value === undefined ? undefined : copyOut(value);
    }));
  }

  /**
   * abstract-level's private `_has`.
   *
   * @ignore
   */
  _has(key: ArrayBufferView, options: ReadOptions): Promise<boolean> {
    return Promise.resolve(this.#reader("has", options).containsKey(asBytes(key)));
  }

  /**
   * abstract-level's private `_hasMany`.
   *
   * @ignore
   */
  _hasMany(keys: readonly ArrayBufferView[], options: ReadOptions): Promise<boolean[]> {
    const reader = this.#reader("hasMany", options);
    return Promise.resolve(keys.map((key) => reader.containsKey(asBytes(key))));
  }

  /**
   * abstract-level's private `_del`: a tombstone, when the key is live.
   *
   * @ignore
   */
  _del(key: ArrayBufferView): Promise<void> {
    deleteLive(this.#opened("del"), asBytes(key));
    return Promise.resolve();
  }

  /**
   * abstract-level's private `_batch`: checked for room, then applied in order.
   *
   * @ignore
   */
  _batch(operations: readonly LevelOperation[]): Promise<void> {
    applyBatch(this.#opened("batch"), this.#arenaCeiling, operations);
    return Promise.resolve();
  }

  /**
   * abstract-level's private `_clear`: deletes the live keys of the range as
   * a snapshot (the given one, or one taken now) sees them.
   *
   * @ignore
   */
  _clear(options: ClearOptions): Promise<void> {
    const list = this.#opened("clear");
    const walk = openWalk(this.#snapshotReader("clear", options), options);
    let left = options.limit >= 0 ? options.limit : Infinity;
    for (; left > 0 && walk.next(); left--) list.tryDelete(walk.keyView());
    return Promise.resolve();
  }

  /**
   * abstract-level's private `_iterator`: entries of an implicit or explicit snapshot.
   *
   * @ignore
   */
  _iterator(options: LevelIteratorOptions): EntryIterator {
    return new EntryIterator(this, this.#snapshotReader("iterator", options), options);
  }

  /**
   * abstract-level's private `_keys`.
   *
   * @ignore
   */
  _keys(options: LevelIteratorOptions): KeyIterator {
    return new KeyIterator(this, this.#snapshotReader("keys", options), options);
  }

  /**
   * abstract-level's private `_values`.
   *
   * @ignore
   */
  _values(options: LevelIteratorOptions): ValueIterator {
    return new ValueIterator(this, this.#snapshotReader("values", options), options);
  }

  /**
   * abstract-level's private `_snapshot`: a fastskip snapshot.
   *
   * @ignore
   */
  _snapshot(options: { owner: unknown }): FastskipSnapshot {
    return new FastskipSnapshot(this.#opened("snapshot"), options);
  }

  // ------------------------------------------------------------------ helpers

  /** The list, or, once `release()` let it go, the error abstract-level gives for a store that is not open. */
  #opened(method: string): ConcurrentSkipList {
    const list = this.#list;
    if (list === null) {
      throw levelError(
        `FastskipLevel.${method}: the store was released, and with it its list`,
        "LEVEL_DATABASE_NOT_OPEN",
      );
    }
    return list;
  }

  /** The live list, or the explicit snapshot the options name. */
  #reader(method: string, options: ReadOptions): SkipListReader {
    const list = this.#opened(method);
    const snapshot = options.snapshot;
    return snapshot === undefined || snapshot === null
      ? list
      : FastskipSnapshot.readerOf(snapshot, list);
  }

  /** The explicit snapshot the options name, or an implicit one taken now. */
  #snapshotReader(method: string, options: ReadOptions): SkipListReader {
    const list = this.#opened(method);
    const snapshot = options.snapshot;
    return snapshot === undefined || snapshot === null
      ? list.snapshot()
      : FastskipSnapshot.readerOf(snapshot, list);
  }
}
