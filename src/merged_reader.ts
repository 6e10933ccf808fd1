/**
 * One read over several memtables, newest first: what an LSM engine does
 * with its active memtable and the sealed ones still waiting for a flush
 * (RocksDB's memtable list).
 *
 * @module
 */

import { internals } from "./_internals.ts";
import { checkKey, collect } from "./_args.ts";
import { Position } from "./_position.ts";
import { FarEnd, startRange } from "./_range_iter.ts";
import { type RangeSpec, resolveRange } from "./_range_options.ts";
import type { View } from "./_view.ts";
import type { Entry } from "./entry.ts";
import { Iter } from "./iter.ts";
import { describe } from "./options.ts";
import type { RangeOptions } from "./range_options.ts";
import type { SkipListReader } from "./skip_list_reader.ts";

/** What `first()` and `last()` walk: everything, one entry, tombstones included. */
const FIRST: RangeSpec = {
  lower: null,
  upper: null,
  reverse: false,
  limit: 1,
  tombstones: true,
  empty: false,
};
const LAST: RangeSpec = { ...FIRST, reverse: true };

/**
 * Several readers read as one, newest first (see {@link mergeReaders}): for
 * every key the entry of the first reader that holds it wins, and a
 * tombstone there shadows the values of the older readers. Made by
 * `mergeReaders`; it reads the readers as they are at each call (a live
 * list's newest versions, a snapshot's fixed ones).
 *
 * | method | cost, over k readers |
 * | --- | --- |
 * | `get`, `getLive`, `containsKey` | O(k log n) at worst; stops at the first reader holding the key |
 * | `first`, `last`, start of a `range` | O(k log n) |
 * | `range` step | O(k) key compares (plus the readers' own steps) |
 *
 * @example A read across the active memtable and a sealed one
 * ```ts
 * import { ConcurrentSkipList, mergeReaders } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * const text = (data: Uint8Array) => new TextDecoder().decode(data);
 * const old = new ConcurrentSkipList();
 * old.insert(bytes("a"), bytes("old a"));
 * old.insert(bytes("b"), bytes("old b"));
 * const [frozen, active] = old.seal();
 * active.put(bytes("a"), bytes("new a"));
 * active.delete(bytes("b"));
 * active.insert(bytes("c"), bytes("new c"));
 * const merged = mergeReaders([active, frozen]);
 * assert.equal(text(merged.getLive(bytes("a"))!), "new a");
 * assert.equal(merged.getLive(bytes("b")), undefined); // the tombstone shadows "old b"
 * const live = [...merged.range({ tombstones: false })].map((e) => text(e.key));
 * assert.deepEqual(live, ["a", "c"]);
 * ```
 */
export class MergedReader implements Iterable<Entry> {
  readonly #views: readonly View[];

  /** Not public: merged readers come from `mergeReaders()`. */
  private constructor(views: readonly View[]) {
    this.#views = views;
  }

  static {
    internals.newMergedReader = (views) => new MergedReader(views);
  }

  /**
   * The key's entry in the newest reader that holds it.
   *
   * @param key The key.
   * @returns `[value, false]`, `[empty, true]` for a tombstone, or `undefined`
   * when no reader holds the key.
   * @throws {TypeError} When `key` is not a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList, mergeReaders } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const [older, newer] = new ConcurrentSkipList().seal();
   * newer.delete(new Uint8Array([1]));
   * const merged = mergeReaders([newer, older]);
   * assert.deepEqual(merged.get(new Uint8Array([1])), [new Uint8Array(), true]);
   * assert.equal(merged.get(new Uint8Array([2])), undefined);
   * ```
   */
  get(key: Uint8Array): [value: Uint8Array, tombstone: boolean] | undefined {
    return this.#lookup("get", key);
  }

  /**
   * The key's live value: that of the newest reader holding it, unless it is a tombstone.
   *
   * @param key The key.
   * @returns The value, or `undefined` when absent everywhere or shadowed by a tombstone.
   * @throws {TypeError} When `key` is not a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList, mergeReaders } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const list = new ConcurrentSkipList();
   * list.insert(new Uint8Array([1]), new Uint8Array([7]));
   * const [frozen, fresh] = list.seal();
   * assert.deepEqual(mergeReaders([fresh, frozen]).getLive(new Uint8Array([1])), new Uint8Array([7]));
   * ```
   */
  getLive(key: Uint8Array): Uint8Array | undefined {
    const found = this.#lookup("getLive", key);
    return found === undefined || found[1] ? undefined : found[0];
  }

  /**
   * Whether the key is present and live in the newest reader holding it.
   *
   * @param key The key.
   * @returns `true` when live.
   * @throws {TypeError} When `key` is not a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList, mergeReaders } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const list = new ConcurrentSkipList();
   * list.insert(new Uint8Array([1]), new Uint8Array());
   * const [frozen, fresh] = list.seal();
   * const merged = mergeReaders([fresh, frozen]);
   * assert.equal(merged.containsKey(new Uint8Array([1])), true);
   * fresh.delete(new Uint8Array([1]));
   * assert.equal(merged.containsKey(new Uint8Array([1])), false);
   * ```
   */
  containsKey(key: Uint8Array): boolean {
    const found = this.#lookup("containsKey", key);
    return found !== undefined && !found[1];
  }

  #lookup(method: string, key: unknown): [value: Uint8Array, tombstone: boolean] | undefined {
    checkKey(method, key);
    for (const view of this.#views) {
      const found = view.get(key as Uint8Array);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * Iterates a range of the merged readers: one entry per key, the newest
   * reader's, in key order (`reverse`: descending). The options are those of
   * `SkipListReader.range` (see {@link RangeOptions}); with
   * `tombstones: false` a key whose winning entry is a tombstone is left
   * out (and does not count towards `limit`). Exact when every reader is a
   * snapshot or a frozen memtable; over a live list, weakly consistent as
   * that list's own ranges are.
   *
   * @param options Bounds (`gte`/`gt`, `lte`/`lt`) or `prefix`, `reverse`, `limit`, `tombstones`.
   * @returns A fresh iterator.
   * @throws {TypeError} When an option is unknown or of the wrong type (as `SkipListReader.range`).
   * @throws {RangeError} When options conflict or `limit` is bad (as `SkipListReader.range`).
   *
   * @example The newest two live keys over two memtables
   * ```ts
   * import { ConcurrentSkipList, mergeReaders } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const older = new ConcurrentSkipList();
   * for (const k of [1, 3, 5]) older.insert(new Uint8Array([k]), new Uint8Array());
   * const [frozen, active] = older.seal();
   * active.insert(new Uint8Array([4]), new Uint8Array());
   * active.delete(new Uint8Array([5]));
   * const merged = mergeReaders([active, frozen]);
   * const keys = [...merged.range({ reverse: true, limit: 2, tombstones: false })];
   * assert.deepEqual(keys.map((e) => e.key[0]), [4, 3]);
   * ```
   */
  range(options?: RangeOptions): Iter {
    return new MergedIter(this.#views, resolveRange("range", options));
  }

  /**
   * The winning entry of the smallest key of all readers (tombstones included).
   *
   * @returns The entry, or `undefined` when every reader is empty.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList, mergeReaders } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const a = new ConcurrentSkipList();
   * const b = new ConcurrentSkipList();
   * a.insert(new Uint8Array([5]), new Uint8Array());
   * b.insert(new Uint8Array([2]), new Uint8Array());
   * assert.equal(mergeReaders([a, b]).first()?.key[0], 2);
   * assert.equal(mergeReaders([]).first(), undefined);
   * ```
   */
  first(): Entry | undefined {
    return new MergedIter(this.#views, FIRST).next().value;
  }

  /**
   * The winning entry of the largest key of all readers (tombstones included).
   *
   * @returns The entry, or `undefined` when every reader is empty.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList, mergeReaders } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const a = new ConcurrentSkipList();
   * const b = new ConcurrentSkipList();
   * a.delete(new Uint8Array([9]));
   * b.insert(new Uint8Array([9]), new Uint8Array([1]));
   * assert.deepEqual(mergeReaders([a, b]).last(), { key: new Uint8Array([9]), value: new Uint8Array(), isTombstone: true });
   * ```
   */
  last(): Entry | undefined {
    return new MergedIter(this.#views, LAST).next().value;
  }

  /**
   * Same as `range()`: every key once, ascending, tombstones included.
   *
   * @returns A fresh iterator.
   */
  [Symbol.iterator](): Iter {
    return this.range();
  }
}

/**
 * Reads several readers as one, newest first: the active list (or a
 * snapshot of it), then the frozen memtables from the newest to the oldest.
 * For every key, the entry of the first reader that holds it wins; a
 * tombstone there shadows the older readers' values. See {@link MergedReader}.
 *
 * @param readers Lists, frozen memtables and snapshots, newest first (any number, none included).
 * @returns The merged reader.
 * @throws {TypeError} When `readers` is not iterable or holds something that is not a reader.
 *
 * @example Shadowing across a seal
 * ```ts
 * import { ConcurrentSkipList, mergeReaders } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const key = new Uint8Array([1]);
 * const list = new ConcurrentSkipList();
 * list.insert(key, new Uint8Array([1]));
 * const [frozen, fresh] = list.seal();
 * fresh.put(key, new Uint8Array([2]));
 * assert.deepEqual(mergeReaders([fresh, frozen]).getLive(key), new Uint8Array([2]));
 * assert.deepEqual(mergeReaders([frozen, fresh]).getLive(key), new Uint8Array([1])); // order matters
 * assert.throws(() => mergeReaders([fresh, {} as never]), TypeError);
 * ```
 */
export function mergeReaders(readers: Iterable<SkipListReader>): MergedReader {
  const all = collect<unknown>("mergeReaders", readers, "readers");
  const views = all.map((reader, index) => {
    const view = internals.readerView(reader);
    if (view === undefined) {
      throw new TypeError(
        `Cannot mergeReaders: readers[${index}] must be a ConcurrentSkipList, FrozenMemtable or Snapshot, received ${
          describe(reader)
        }`,
      );
    }
    return view;
  });
  return internals.newMergedReader(views);
}

const DONE: IteratorResult<Entry, undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A range over several readers: one position per reader, each started at
 * the range's near end; every step yields the smallest (reverse: largest)
 * key among them, from the newest reader that has it, and moves every
 * position on that key. O(k) compares per step, no allocation but the entry.
 */
class MergedIter extends Iter {
  readonly #sources: Position[];
  /** 1 for each source on the key yielded last (they move on together). */
  readonly #tied: Uint8Array;
  readonly #end: FarEnd;
  /** +1 forwards, -1 backwards: the sign that makes "comes next" negative. */
  readonly #sign: number;
  readonly #reverse: boolean;
  readonly #tombstones: boolean;
  #left: number;
  /** Until the first step: the range to start its sources on (the walk starts when first asked). */
  #start: RangeSpec | null;
  #onYielded = false;

  constructor(views: readonly View[], spec: RangeSpec) {
    super(null);
    this.#sources = views.map((view) => new Position(view));
    this.#tied = new Uint8Array(views.length);
    this.#end = new FarEnd(spec);
    this.#sign = spec.reverse ? -1 : 1;
    this.#reverse = spec.reverse;
    this.#tombstones = spec.tombstones;
    this.#left = spec.empty || views.length === 0 ? 0 : spec.limit;
    this.#start = spec;
  }

  /**
   * Yields the next entry of the merged range, or `done` at its end or limit.
   *
   * @returns The iterator result.
   */
  override next(): IteratorResult<Entry, undefined> {
    if (this.#left === 0) return DONE;
    if (this.#onYielded) this.#moveTied();
    else if (this.#start !== null) {
      for (const source of this.#sources) startRange(source, this.#start);
      this.#start = null;
    }
    this.#onYielded = true;
    const sources = this.#sources;
    const tied = this.#tied;
    const sign = this.#sign;
    for (;;) {
      // The key that comes next; on a tie the newest reader (lowest index) wins.
      let best = -1;
      for (let i = 0; i < sources.length; i++) {
        const source = sources[i]!;
        if (!source.valid()) {
          tied[i] = 0;
        } else if (best < 0) {
          best = i;
          tied[i] = 1;
        } else {
          const order = source.compareKeys(sources[best]!) * sign;
          if (order < 0) {
            for (let j = best; j < i; j++) tied[j] = 0;
            best = i;
          }
          tied[i] = order <= 0 ? 1 : 0;
        }
      }
      // Every other source is at or beyond the winner: past the end, all are.
      if (best < 0 || this.#end.passedBy(sources[best]!)) {
        this.#left = 0;
        return DONE;
      }
      const winner = sources[best]!;
      if (this.#tombstones || !winner.isTombstone()) {
        this.#left--;
        return { done: false, value: winner.entry()! };
      }
      this.#moveTied(); // a shadowing tombstone: the key is left out everywhere
    }
  }

  /** Moves every source on the key yielded last to its next key. */
  #moveTied(): void {
    const sources = this.#sources;
    const tied = this.#tied;
    for (let i = 0; i < sources.length; i++) {
      if (tied[i] === 0) continue;
      if (this.#reverse) sources[i]!.prev();
      else sources[i]!.next();
    }
  }
}
