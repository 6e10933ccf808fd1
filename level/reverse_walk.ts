/**
 * A level iterator's walk in descending key order, on the list's
 * `range({ reverse: true })`: fastskip's reverse steps collect runs of
 * nodes, which its raw cursor does not do.
 *
 * @module
 */

import type { Entry, RangeOptions, SkipListReader } from "../mod.ts";
import { asBytes, copyOut } from "./bytes.ts";
import { type Bound, type LevelRange, lowerOf, outside, upperOf } from "./range_bounds.ts";
import type { RangeWalk } from "./range_walk.ts";

/** Descending walk over a range of one reader. */
export class ReverseWalk implements RangeWalk {
  readonly #reader: SkipListReader;
  readonly #lower: Bound | null;
  readonly #upper: Bound | null;
  /** The walk; `null` at its end and after a seek outside the range. */
  #entries: Iterator<Entry, undefined> | null;
  /** The entry it is on (views of the list's memory). */
  #entry: Entry | undefined = undefined;

  constructor(reader: SkipListReader, range: LevelRange) {
    this.#reader = reader;
    this.#lower = lowerOf(range);
    this.#upper = upperOf(range);
    this.#entries = reader.range(this.#options(this.#upper));
  }

  next(): boolean {
    const entries = this.#entries;
    if (entries === null) return false;
    const result = entries.next();
    if (result.done) {
      this.#entries = null;
      this.#entry = undefined;
      return false;
    }
    this.#entry = result.value;
    return true;
  }

  key(): Uint8Array {
    return copyOut(this.#entry!.key);
  }

  value(): Uint8Array {
    return copyOut(this.#entry!.value);
  }

  keyView(): Uint8Array {
    return this.#entry!.key;
  }

  seek(target: ArrayBufferView): void {
    const key = asBytes(target);
    this.#entries = outside(key, this.#lower, this.#upper)
      ? null
      : this.#reader.range(this.#options({ key, inclusive: true }));
  }

  /** The list's range options from the range's lower end up to `upper`, descending. */
  #options(upper: Bound | null): RangeOptions {
    const options: RangeOptions = { reverse: true, tombstones: false };
    const lower = this.#lower;
    if (lower !== null) {
      if (lower.inclusive) options.gte = lower.key;
      else options.gt = lower.key;
    }
    if (upper !== null) {
      if (upper.inclusive) options.lte = upper.key;
      else options.lt = upper.key;
    }
    return options;
  }
}
