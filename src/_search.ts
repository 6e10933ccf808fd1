/**
 * The one search loop: top-down through the levels, comparing the probe with
 * each node a link leads to, live or frozen (through {@link Links}). Lookups,
 * lower bounds, the insert splice, the re-search of one level after a lost
 * CAS and the backward steps of reverse reads are all this loop with another
 * {@link SearchMode}, start or floor (after Pebble's `findSplice`, LevelDB's
 * `FindGreaterOrEqual` / `FindLessThan` / `FindLast`).
 *
 * On a live list the loop only moves forward through nodes that sort below
 * the probe, and every node met at a level is in level 0 (invariant 4), so a
 * node linked for the whole search is never passed over; nodes linked
 * meanwhile may or may not be seen.
 *
 * Where the links allow it (`Links.readsBounds`: a private or frozen list),
 * the bound beside each link decides most steps without reading the node it
 * leads to (invariant 9): a bound below the probe's means that node sorts
 * below the probe, so the search moves on to it; a bound above means, where
 * bounds are exact (`Links.exactBounds`), that it sorts above. Where they are
 * only upper bounds (a frozen list that was shared), a bound above still lets
 * the search go down a level early, which a lookup survives (the lower levels
 * hold every node), except at its floor, where the key is compared. Only
 * equal bounds need the keys compared: with random keys, about one key
 * comparison per search.
 *
 * @module
 */

import { compareProbe, type Probe } from "./_keys.ts";
import type { Links } from "./_links.ts";
import { keyLengthOf, keyWordOf } from "./_records.ts";
import { LEVEL_WORDS, LINK_BOUND, MAX_HEIGHT, NODE_NEXT } from "./_layout.ts";

// ---- what a search looks for ----
/** The node holding the probe's key, else 0 (a lookup; fills the splice if given). */
export const FIND = 0;
/** The first node whose key is `>=` the probe, else 0 (a lower bound). */
export const SEEK = 1;
/** The last node whose key is `<` the probe, or the start. */
export const BELOW = 2;
/** The last node whose key is `<=` the probe, or the start. */
export const AT_OR_BELOW = 3;
/** The last node of the list, or the start (the probe is not read). */
export const LAST = 4;
/** Every value of {@link SearchMode}, to derive the type from. */
const SEARCH_MODES = [FIND, SEEK, BELOW, AT_OR_BELOW, LAST] as const;
export type SearchMode = typeof SEARCH_MODES[number];

/**
 * Where a key goes at each level: `prev[l]` sorts below it and `next[l]` (0 =
 * nil) at or above it. A search that is given a splice fills the levels it
 * walks, from its top level down to its floor.
 */
export class Splice {
  readonly prev: Int32Array = new Int32Array(MAX_HEIGHT);
  readonly next: Int32Array = new Int32Array(MAX_HEIGHT);
}

/**
 * Walks from node `start` at level `top` down to level `floor` and returns
 * what `mode` asks for (see each mode). `FIND` and `SEEK` stop as soon as a
 * node holds the probe's key, leaving the splice's lower levels unfilled.
 */
export function search(
  links: Links,
  probe: Probe,
  mode: SearchMode,
  start: number,
  top: number,
  floor: number,
  splice: Splice | null,
): number {
  if (links.readsBounds) {
    return searchPlain(
      links.node(start),
      links.exactBounds,
      probe,
      mode,
      start,
      top,
      floor,
      splice,
    );
  }
  let node = start;
  let next = 0;
  // A node already compared as not sorting below the probe (one level up):
  // reaching it again ends the level without comparing.
  let above = 0;
  for (let level = top; level >= floor; level--) {
    for (;;) {
      next = links.next(node, level);
      if (next === 0 || next === above) break;
      const i32 = links.node(next);
      if (mode !== LAST) {
        const order = compareProbe(probe, i32, keyWordOf(i32, next), keyLengthOf(i32, next));
        if (order === 0 && mode <= SEEK) return next; // FIND, SEEK: the key itself
        if (order < 0 || (order === 0 && mode === BELOW)) {
          above = next;
          break;
        }
      }
      node = next;
    }
    if (splice !== null) {
      splice.prev[level] = node;
      splice.next[level] = next;
    }
  }
  if (mode === FIND) return 0;
  return mode === SEEK ? next : node;
}

/**
 * The same walk over a list read with plain loads through one view that
 * nothing replaces meanwhile (`Links.readsBounds`: private or frozen),
 * deciding on the bounds beside the links wherever they differ from the
 * probe's; `exactBounds` as `Links.exactBounds`. It takes the view, not the
 * links: one loop for both kinds, with no call per step. It repeats the
 * shape of {@link search}'s loop on purpose: under cachegrind (100k entries,
 * `bench/README.md`) the one loop through all three `Links` classes took
 * 5,030 instructions per lookup, this one 2,930.
 */
function searchPlain(
  i32: Int32Array,
  exactBounds: boolean,
  probe: Probe,
  mode: SearchMode,
  start: number,
  top: number,
  floor: number,
  splice: Splice | null,
): number {
  // Local copies of the constants: V8's optimised code reloads a module
  // binding at every use; using them directly in the loop cost a fifth of
  // the instructions of a lookup (cachegrind, 100k entries).
  const nodeNext = NODE_NEXT, levelWords = LEVEL_WORDS, linkBound = LINK_BOUND;
  const last = LAST, seek = SEEK, below = BELOW;
  let node = start;
  let next = 0;
  let above = 0;
  const probeBound = probe.bound;
  // The lowest level at which a bound above the probe's ends the level.
  const boundFloor = exactBounds ? floor : floor + 1;
  for (let level = top; level >= floor; level--) {
    for (;;) {
      const link = node + nodeNext + levelWords * level; // linkWord(node, level)
      next = i32[link]!;
      if (next === 0 || next === above) break;
      if (mode !== last) {
        const bound = i32[link + linkBound]!;
        if (probeBound > bound) {
          node = next; // sorts below the probe: no need to read it
          continue;
        }
        if (probeBound < bound && level >= boundFloor) break;
        const order = compareProbe(probe, i32, keyWordOf(i32, next), keyLengthOf(i32, next));
        if (order === 0 && mode <= seek) return next;
        if (order < 0 || (order === 0 && mode === below)) {
          above = next;
          break;
        }
      }
      node = next;
    }
    if (splice !== null) {
      splice.prev[level] = node;
      splice.next[level] = next;
    }
  }
  if (mode === FIND) return 0;
  return mode === SEEK ? next : node;
}
