/**
 * The walk behind `range()`: a position started at one end of the range,
 * moved forwards or backwards, stopped at the other end or at the limit.
 *
 * @module
 */

import { Position } from "./_position.ts";
import type { Bound, RangeSpec } from "./_range_options.ts";
import type { View } from "./_view.ts";
import type { Entry } from "./entry.ts";
import { Iter } from "./iter.ts";

/**
 * Puts a fresh `position` on the first entry of the range in its direction
 * (or off the list when there is none). Tombstones and the far end are the
 * walker's business.
 */
export function startRange(position: Position, spec: RangeSpec): void {
  if (!spec.reverse) {
    const lower = spec.lower;
    if (lower === null) position.next(); // from before the first: the first
    else if (
      position.seekBound(lower) && !lower.inclusive && position.compareBound(lower) === 0
    ) {
      position.next();
    }
  } else {
    const upper = spec.upper;
    if (upper === null) position.seekToLast();
    else if (
      position.seekForPrevBound(upper) && !upper.inclusive &&
      position.compareBound(upper) === 0
    ) {
      position.prev();
    }
  }
}

/**
 * The far end of a range, in the form the walkers test each entry against:
 * `position.compareBound(bound) * sign < 0` means past it.
 */
export class FarEnd {
  readonly bound: Bound | null;
  readonly inclusive: boolean;
  readonly sign: number;

  constructor(spec: RangeSpec) {
    const end = spec.reverse ? spec.lower : spec.upper;
    this.bound = end;
    this.inclusive = end === null || end.inclusive;
    // compareBound is bound vs key: forwards, past the upper bound means the
    // bound sorts first (< 0); backwards, past the lower one means after (> 0).
    this.sign = spec.reverse ? -1 : 1;
  }

  /** Whether the valid `position` lies past this end. */
  passedBy(position: Position): boolean {
    const bound = this.bound;
    if (bound === null) return false;
    const order = position.compareBound(bound) * this.sign;
    return order < 0 || (order === 0 && !this.inclusive);
  }
}

const DONE: IteratorResult<Entry, undefined> = Object.freeze({ done: true, value: undefined });

/** A range of one reader. */
export class RangeIter extends Iter {
  readonly #position: Position;
  readonly #end: FarEnd;
  readonly #reverse: boolean;
  readonly #tombstones: boolean;
  /** Entries it may still yield (Infinity: no limit). */
  #left: number;
  /** Until the first step: the range to start (the walk starts when first asked). */
  #start: RangeSpec | null;
  /** Whether the position is still on the entry yielded last (moves lazily, on demand). */
  #onYielded = false;

  constructor(view: View, spec: RangeSpec) {
    super(null);
    this.#position = new Position(view);
    this.#end = new FarEnd(spec);
    this.#reverse = spec.reverse;
    this.#tombstones = spec.tombstones;
    this.#left = spec.empty ? 0 : spec.limit;
    this.#start = spec;
  }

  /**
   * Yields the next entry of the range, or `done` at its end or limit.
   *
   * @returns The iterator result.
   */
  override next(): IteratorResult<Entry, undefined> {
    if (this.#left === 0) return DONE;
    const position = this.#position;
    if (this.#onYielded) this.#step(position);
    else if (this.#start !== null) {
      startRange(position, this.#start);
      this.#start = null;
    }
    this.#onYielded = true;
    for (;;) {
      if (!position.valid() || this.#end.passedBy(position)) {
        this.#left = 0;
        return DONE;
      }
      if (this.#tombstones || !position.isTombstone()) break;
      this.#step(position);
    }
    this.#left--;
    return { done: false, value: position.entry()! };
  }

  #step(position: Position): void {
    if (this.#reverse) position.prev();
    else position.next();
  }
}
