/**
 * abstract-level iterators (entries, keys, values) over a {@link RangeWalk}.
 *
 * Each iterator reads one fastskip snapshot, the store's implicit snapshot
 * taken when the iterator was made, or the explicit one passed as
 * `{ snapshot }`: it sees exactly the data of that moment whatever is
 * written afterwards, here or in other workers. Keys and values are copied
 * out of the list's shared memory as they are yielded.
 *
 * @module
 */

import { AbstractIterator, AbstractKeyIterator, AbstractValueIterator } from "abstract-level";
import type { SkipListReader } from "../mod.ts";
import type { LevelRange } from "./range_bounds.ts";
import { openWalk, type RangeWalk } from "./range_walk.ts";

/** The private iterator options abstract-level passes (range encoded to `view`). */
export interface LevelIteratorOptions extends LevelRange {
  keys?: boolean;
  values?: boolean;
  limit?: number;
  snapshot?: unknown;
}

/** What an iterator class's constructor takes: the store and its options. */
type Options = LevelIteratorOptions;

// abstract-level's declared constructors take typed options; the private API
// hands over the encoded ones, so the bases are used through this shape.
type Base<T> = new (db: unknown, options: Options) => {
  readonly count: number;
  readonly limit: number;
} & T;

const EntryBase = AbstractIterator as unknown as Base<object>;
const KeyBase = AbstractKeyIterator as unknown as Base<object>;
const ValueBase = AbstractValueIterator as unknown as Base<object>;

/** An entry as abstract-level takes it from the private API. */
type Pair = [Uint8Array | undefined, Uint8Array | undefined];

/**
 * Entries `[key, value]`, as `db.iterator()` yields them. `nextv()` and
 * `all()` take their entries in one synchronous loop (`_nextv`, `_all`),
 * not one `_next` and one promise per entry, which is what abstract-level
 * does for a store without them.
 */
export class EntryIterator extends EntryBase {
  readonly #walk: RangeWalk;
  readonly #keys: boolean;
  readonly #values: boolean;

  constructor(db: unknown, reader: SkipListReader, options: Options) {
    super(db, options);
    this.#walk = openWalk(reader, options);
    this.#keys = options.keys !== false;
    this.#values = options.values !== false;
  }

  _next(): Promise<Pair | undefined> {
    const walk = this.#walk;
    if (!walk.next()) return Promise.resolve(undefined);
    return Promise.resolve([
      this.#keys ? walk.key() : undefined,
      this.#values ? walk.value() : undefined,
    ]);
  }

  _nextv(size: number): Promise<Pair[]> {
    return Promise.resolve(this.#take(size));
  }

  _all(): Promise<Pair[]> {
    return Promise.resolve(this.#take(this.limit - this.count));
  }

  _seek(target: ArrayBufferView): void {
    this.#walk.seek(target);
  }

  #take(size: number): Pair[] {
    const out: Pair[] = [];
    const walk = this.#walk;
    const keys = this.#keys;
    const values = this.#values;
    while (out.length < size && walk.next()) {
      out.push([keys ? walk.key() : undefined, values ? walk.value() : undefined]);
    }
    return out;
  }
}

/** Keys, as `db.keys()` yields them (`nextv()` and `all()` in one loop, as entries). */
export class KeyIterator extends KeyBase {
  readonly #walk: RangeWalk;

  constructor(db: unknown, reader: SkipListReader, options: Options) {
    super(db, options);
    this.#walk = openWalk(reader, options);
  }

  _next(): Promise<Uint8Array | undefined> {
    const walk = this.#walk;
    return Promise.resolve(walk.next() ? walk.key() : undefined);
  }

  _nextv(size: number): Promise<Uint8Array[]> {
    return Promise.resolve(takeKeys(this.#walk, size));
  }

  _all(): Promise<Uint8Array[]> {
    return Promise.resolve(takeKeys(this.#walk, this.limit - this.count));
  }

  _seek(target: ArrayBufferView): void {
    this.#walk.seek(target);
  }
}

/** Values, as `db.values()` yields them (`nextv()` and `all()` in one loop, as entries). */
export class ValueIterator extends ValueBase {
  readonly #walk: RangeWalk;

  constructor(db: unknown, reader: SkipListReader, options: Options) {
    super(db, options);
    this.#walk = openWalk(reader, options);
  }

  _next(): Promise<Uint8Array | undefined> {
    const walk = this.#walk;
    return Promise.resolve(walk.next() ? walk.value() : undefined);
  }

  _nextv(size: number): Promise<Uint8Array[]> {
    return Promise.resolve(takeValues(this.#walk, size));
  }

  _all(): Promise<Uint8Array[]> {
    return Promise.resolve(takeValues(this.#walk, this.limit - this.count));
  }

  _seek(target: ArrayBufferView): void {
    this.#walk.seek(target);
  }
}

/** Copies of up to `size` more keys of `walk`. */
function takeKeys(walk: RangeWalk, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  while (out.length < size && walk.next()) out.push(walk.key());
  return out;
}

/** Copies of up to `size` more values of `walk`. */
function takeValues(walk: RangeWalk, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  while (out.length < size && walk.next()) out.push(walk.value());
  return out;
}
