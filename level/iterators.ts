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
import { copyOut } from "./bytes.ts";
import { type LevelRange, RangeWalk } from "./range_walk.ts";

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

/** Entries `[key, value]`, as `db.iterator()` yields them. */
export class EntryIterator extends EntryBase {
  readonly #walk: RangeWalk;
  readonly #keys: boolean;
  readonly #values: boolean;

  constructor(db: unknown, reader: SkipListReader, options: Options) {
    super(db, options);
    this.#walk = new RangeWalk(reader, options);
    this.#keys = options.keys !== false;
    this.#values = options.values !== false;
  }

  _next(): Promise<[Uint8Array | undefined, Uint8Array | undefined] | undefined> {
    const entry = this.#walk.next();
    if (entry === undefined) return Promise.resolve(undefined);
    return Promise.resolve([
      this.#keys ? copyOut(entry.key) : undefined,
      this.#values ? copyOut(entry.value) : undefined,
    ]);
  }

  _nextv(size: number): Promise<[Uint8Array | undefined, Uint8Array | undefined][]> {
    return Promise.resolve(this.#take(size));
  }

  _all(): Promise<[Uint8Array | undefined, Uint8Array | undefined][]> {
    return Promise.resolve(this.#take(this.limit - this.count));
  }

  _seek(target: ArrayBufferView): void {
    this.#walk.seek(target);
  }

  #take(size: number): [Uint8Array | undefined, Uint8Array | undefined][] {
    const out: [Uint8Array | undefined, Uint8Array | undefined][] = [];
    const walk = this.#walk;
    const keys = this.#keys;
    const values = this.#values;
    while (out.length < size) {
      const entry = walk.next();
      if (entry === undefined) break;
      out.push([keys ? copyOut(entry.key) : undefined, values ? copyOut(entry.value) : undefined]);
    }
    return out;
  }
}

/** Keys, as `db.keys()` yields them. */
export class KeyIterator extends KeyBase {
  readonly #walk: RangeWalk;

  constructor(db: unknown, reader: SkipListReader, options: Options) {
    super(db, options);
    this.#walk = new RangeWalk(reader, options);
  }

  _next(): Promise<Uint8Array | undefined> {
    const entry = this.#walk.next();
    return Promise.resolve(entry === undefined ? undefined : copyOut(entry.key));
  }

  _nextv(size: number): Promise<Uint8Array[]> {
    return Promise.resolve(takeCopies(this.#walk, size, "key"));
  }

  _all(): Promise<Uint8Array[]> {
    return Promise.resolve(takeCopies(this.#walk, this.limit - this.count, "key"));
  }

  _seek(target: ArrayBufferView): void {
    this.#walk.seek(target);
  }
}

/** Values, as `db.values()` yields them. */
export class ValueIterator extends ValueBase {
  readonly #walk: RangeWalk;

  constructor(db: unknown, reader: SkipListReader, options: Options) {
    super(db, options);
    this.#walk = new RangeWalk(reader, options);
  }

  _next(): Promise<Uint8Array | undefined> {
    const entry = this.#walk.next();
    return Promise.resolve(entry === undefined ? undefined : copyOut(entry.value));
  }

  _nextv(size: number): Promise<Uint8Array[]> {
    return Promise.resolve(takeCopies(this.#walk, size, "value"));
  }

  _all(): Promise<Uint8Array[]> {
    return Promise.resolve(takeCopies(this.#walk, this.limit - this.count, "value"));
  }

  _seek(target: ArrayBufferView): void {
    this.#walk.seek(target);
  }
}

/** Up to `size` more keys or values of `walk`, each copied out of shared memory. */
function takeCopies(walk: RangeWalk, size: number, field: "key" | "value"): Uint8Array[] {
  const out: Uint8Array[] = [];
  while (out.length < size) {
    const entry = walk.next();
    if (entry === undefined) break;
    out.push(copyOut(entry[field]));
  }
  return out;
}
