/**
 * The range walks of the reader worker (`walks: "ranges"`): the live-list
 * guarantees of reverse and bounded reads, checked while writers write.
 *
 * - A reverse walk (`range({ reverse: true })`, or `seekToLast` then
 *   `prevEntry`) yields strictly descending keys and skips no key that
 *   existed when it started.
 * - A bounded range (random `gte`/`gt` and `lte`/`lt`, made of keys or of
 *   the four-byte prefixes that sort right before them, either direction,
 *   sometimes a limit) yields only keys inside its bounds, strictly in its
 *   direction, and skips no key that existed when it started between its
 *   start and where it stopped.
 * - With `tombstones: false` it yields no tombstone (order still checked;
 *   completeness is not promised, since a key may be deleted meanwhile).
 * - `cursorForPrev(target)` lands on a key `<= target` and at or above every
 *   key `<= target` that existed; `prevEntry` from there steps down without
 *   skipping one.
 *
 * "Existed" is what `catchUp()` recorded right before the walk (a completed
 * write created the key's node; nodes never go away, tombstones are yielded).
 *
 * @module
 */

import type { ConcurrentSkipList, Entry, RangeOptions } from "../../../mod.ts";
import type { KeyCodec } from "./codec.ts";
import type { Rng } from "./rng.ts";
import type { Problems } from "./worker_scope.ts";

/** What the range walks share with the reader that runs them. */
export interface RangeWalkContext {
  readonly list: ConcurrentSkipList;
  readonly codec: KeyCodec;
  readonly rng: Rng;
  readonly keyCount: number;
  /** 1 for each key id known to exist (kept up to date by `catchUp`). */
  readonly existed: Uint8Array;
  /** The ids of `existed`, in the order they were found. */
  readonly existing: readonly number[];
  /** Records what every writer had completed by now. */
  catchUp(): void;
  /** Checks an entry's key and value; returns its key id, or -1. */
  checkEntry(entry: Entry, what: string): number;
  readonly problems: Problems;
}

/** Counts of what the walks did. */
export interface RangeWalkCounts {
  passes: number;
  seeks: number;
  reads: number;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The reverse and bounded walks over `context.list`. */
export function rangeWalks(context: RangeWalkContext, counts: RangeWalkCounts): {
  reverseWalk(useCursor: boolean): void;
  boundedRound(): void;
  forPrevRound(): void;
} {
  const { list, codec, rng, keyCount, existed, problems } = context;
  const seen = new Int32Array(keyCount);
  let mark = 0;

  /** The first id in [from, to] (inclusive; empty when from > to) that existed, or -1. */
  const existingBetween = (from: number, to: number): number => {
    const high = Math.min(keyCount - 1, to);
    for (let id = Math.max(0, from); id <= high; id++) if (existed[id] === 1) return id;
    return -1;
  };

  /**
   * Walks `entries` in direction `sign` (+1 ascending, -1 descending),
   * checking order and bounds [lo, hi]; returns the ids yielded, in order.
   */
  const follow = (
    entries: Iterable<Entry>,
    sign: number,
    lo: number,
    hi: number,
    what: string,
    liveOnly = false,
  ): number[] => {
    const ids: number[] = [];
    let previous = sign > 0 ? -1 : keyCount;
    for (const entry of entries) {
      counts.reads++;
      const id = context.checkEntry(entry, what);
      if (id < 0) continue;
      if ((id - previous) * sign <= 0) {
        problems.add(
          `${what} went ${id === previous ? "twice over" : sign > 0 ? "backwards" : "forwards"} ` +
            `from key ${previous} to key ${id}`,
        );
      }
      if (id < lo || id > hi) problems.add(`${what} yielded key ${id}, outside [${lo}, ${hi}]`);
      if (liveOnly && entry.isTombstone) problems.add(`${what} yielded the tombstone of key ${id}`);
      previous = id;
      ids.push(id);
    }
    return ids;
  };

  /** Reports the first few keys in [lo, hi] that existed and `ids` does not hold. */
  const checkComplete = (ids: readonly number[], lo: number, hi: number, what: string) => {
    mark++;
    for (const id of ids) seen[id] = mark;
    let missing = 0;
    for (const id of context.existing) {
      if (id >= lo && id <= hi && seen[id] !== mark && missing++ < 3) {
        problems.add(`${what} skipped key ${id}, which existed when it started`);
      }
    }
  };

  /** A whole reverse walk, by `range({ reverse: true })` or by a cursor's `prevEntry`. */
  const reverseWalk = (useCursor: boolean): void => {
    context.catchUp();
    const pass = ++counts.passes;
    const what = useCursor ? `reverse cursor walk ${pass}` : `reverse range ${pass}`;
    let entries: Iterable<Entry>;
    if (useCursor) {
      const cursor = list.cursor();
      entries = (function* () {
        if (!cursor.seekToLast()) return;
        do yield cursor.entry()!; while (cursor.prevEntry());
        if (cursor.valid()) problems.add(`${what}: cursor still valid past the start`);
      })();
    } else {
      entries = list.range({ reverse: true });
    }
    checkComplete(follow(entries, -1, 0, keyCount - 1, what), 0, keyCount - 1, what);
  };

  /** A bound on `id`: its key or its four-byte prefix (which sorts right before the key). */
  const boundBytes = (id: number): Uint8Array =>
    (rng.below(2) === 0 ? codec.prefix(id) : codec.key(id)).slice();

  /** The first id whose key satisfies the lower bound, given it is made from id `a`. */
  const lowest = (a: number, bound: Uint8Array, inclusive: boolean): number => {
    const order = compareBytes(codec.key(a), bound);
    return order > 0 || (order === 0 && inclusive) ? a : a + 1;
  };
  /** The last id whose key satisfies the upper bound, given it is made from id `b`. */
  const highest = (b: number, bound: Uint8Array, inclusive: boolean): number => {
    const order = compareBytes(codec.key(b), bound);
    return order < 0 || (order === 0 && inclusive) ? b : b - 1;
  };

  /** Bounded ranges in both directions, some with a limit, some without tombstones. */
  const boundedRound = (): void => {
    for (let n = 0; n < 32; n++) {
      context.catchUp();
      counts.seeks++;
      const a = rng.below(keyCount);
      const b = Math.min(keyCount - 1, a + rng.below(600));
      const options: RangeOptions = {};
      let lo = 0;
      let hi = keyCount - 1;
      const lowerKind = rng.below(3); // none, gte, gt
      if (lowerKind !== 0) {
        const bound = boundBytes(a);
        if (lowerKind === 1) options.gte = bound;
        else options.gt = bound;
        lo = lowest(a, bound, lowerKind === 1);
      }
      const upperKind = rng.below(3); // none, lte, lt
      if (upperKind !== 0) {
        const bound = boundBytes(b);
        if (upperKind === 1) options.lte = bound;
        else options.lt = bound;
        hi = highest(b, bound, upperKind === 1);
      }
      const reverse = rng.below(2) === 0;
      options.reverse = reverse;
      const limit = rng.below(3) === 0 ? 1 + rng.below(40) : Infinity;
      options.limit = limit;
      const liveOnly = rng.below(4) === 0;
      if (liveOnly) options.tombstones = false;
      const what = `range ${counts.seeks} ${
        JSON.stringify(options, (_, v) => v instanceof Uint8Array ? [...v] : v)
      }`;
      const ids = follow(list.range(options), reverse ? -1 : 1, lo, hi, what, liveOnly);
      if (ids.length > limit) problems.add(`${what} yielded ${ids.length} entries`);
      if (liveOnly) continue; // a key deleted meanwhile may rightly be left out
      let from = lo;
      let to = hi;
      if (ids.length === limit) {
        // Stopped by the limit (at least 1): complete up to the last key yielded.
        const last = ids[limit - 1]!;
        if (reverse) from = last;
        else to = last;
      }
      checkComplete(ids, from, to, what);
    }
  };

  /** `cursorForPrev` landings, each followed by a few `prevEntry` steps. */
  const forPrevRound = (): void => {
    for (let n = 0; n < 64; n++) {
      context.catchUp();
      counts.seeks++;
      const target = rng.below(keyCount);
      const bytes = boundBytes(target);
      // The keys <= bytes are those of ids up to `top`.
      const top = highest(target, bytes, true);
      const what = `cursorForPrev ${counts.seeks} to key ${target}`;
      const cursor = list.cursorForPrev(bytes);
      if (cursor === undefined) {
        const skipped = existingBetween(0, top);
        if (skipped >= 0) problems.add(`${what} found nothing, but key ${skipped} existed`);
        continue;
      }
      let at = context.checkEntry(cursor.entry()!, what);
      if (at < 0) continue;
      if (at > top) problems.add(`${what} landed on key ${at}, above its target`);
      const skipped = existingBetween(at + 1, top);
      if (skipped >= 0) problems.add(`${what} landed on key ${at}, below key ${skipped}`);
      for (let step = 0; step < 8; step++) {
        counts.reads++;
        if (!cursor.prevEntry()) {
          const passed = existingBetween(0, at - 1);
          if (passed >= 0) problems.add(`${what}: ran off the start, skipping key ${passed}`);
          break;
        }
        const id = context.checkEntry(cursor.entry()!, what);
        if (id < 0) break;
        if (id >= at) problems.add(`${what}: stepped forwards from ${at} to ${id}`);
        const passed = existingBetween(id + 1, at - 1);
        if (passed >= 0) problems.add(`${what}: stepped from ${at} to ${id}, skipping ${passed}`);
        at = id;
      }
    }
  };

  return { reverseWalk, boundedRound, forPrevRound };
}
