/**
 * What level iterators and `clear` read a range through: live entries only,
 * in the range's direction, and `seek()` inside it, over one fastskip reader.
 *
 * @module
 */

import type { SkipListReader } from "../mod.ts";
import { ForwardWalk } from "./forward_walk.ts";
import type { LevelRange } from "./range_bounds.ts";
import { ReverseWalk } from "./reverse_walk.ts";

/**
 * A walk over a range of a reader (a snapshot, so the walk is exact),
 * stepping over tombstones. `seek(target)` restarts it from `target`, still
 * within the range; a target outside the range ends the walk until the next
 * seek, as memory-level does.
 */
export interface RangeWalk {
  /** Moves to the next live entry; false at the end. */
  next(): boolean;
  /** A copy, in ordinary memory, of the key of the entry it is on. */
  key(): Uint8Array;
  /** A copy, in ordinary memory, of the value of the entry it is on. */
  value(): Uint8Array;
  /** The key of the entry it is on, as a view of the list's memory (for a delete). */
  keyView(): Uint8Array;
  /**
   * Moves before the first key `>= target` (reverse: the last key `<= target`)
   * that lies in the range.
   */
  seek(target: ArrayBufferView): void;
}

/** A walk over `range` of `reader`, in the range's direction. */
export function openWalk(reader: SkipListReader, range: LevelRange): RangeWalk {
  return range.reverse === true ? new ReverseWalk(reader, range) : new ForwardWalk(reader, range);
}
