/**
 * This agent's candidates for reuse: the arena memories (`_backing.ts`) it created, held weakly.
 *
 * Weakly, so that a list nobody releases still goes to the garbage collector
 * as before; a buffer whose instances were all released (`REFS == 0`,
 * `_references.ts`) is claimed by whichever agent's CAS gets there first.
 * Only created buffers are remembered: an agent that attaches a list per
 * cycle would otherwise keep a wrapper of each.
 *
 * @module
 */

import { type Backing, bufferOf, maxBytesOf } from "./_backing.ts";
import { FINAL } from "./_layout.ts";
import { claimForReuse } from "./_references.ts";

/** Words of the control block up to the reference words' line (inclusive). */
const CONTROL_WORDS = FINAL;

/**
 * Candidates a claim looks at, at most, besides those released here. A list
 * that is dropped without `release()` stays a candidate until the garbage
 * collector takes it, and V8 takes shared buffers late: scanning them all
 * made each new list cost O(lists ever left unreleased) (1.3 ms per list
 * after 4000 of them). Claims resume where the last one stopped; a claim that
 * finds nothing adds one candidate (the buffer it then creates), so a full
 * pass over n candidates takes at most ceil(n / (CLAIM_SCAN - 1)) claims.
 */
export const CLAIM_SCAN = 16;

/** Buffers whose release in this agent left them free, newest last; at most this many. */
const RELEASED_HERE_MAX = 8;

/**
 * Every buffer this agent created, held weakly: an entry lives exactly as
 * long as its buffer (a weakly held view of it would be collected on its own
 * and take the buffer out of reuse while the buffer lives on).
 */
const candidates: WeakRef<Backing>[] = [];
/** Where the next claim's scan of {@link candidates} starts. */
let nextCandidate = 0;
/** Buffers this agent released the last reference to (any creator): tried first. */
const releasedHere: WeakRef<Backing>[] = [];

/** Offers a buffer this agent created for later reuse (once it is released). */
export function rememberForReuse(buffer: Backing): void {
  candidates.push(new WeakRef(buffer));
}

/** Notes that this agent dropped the last reference to `buffer`: the next claim tries it first. */
export function releasedInThisAgent(buffer: Backing): void {
  if (releasedHere.length === RELEASED_HERE_MAX) releasedHere.shift();
  releasedHere.push(new WeakRef(buffer));
}

/** A released buffer claimed for a new list, with the generation it starts. */
export interface ReusedBuffer {
  readonly backing: Backing;
  readonly generation: number;
}

/**
 * Claims a released buffer that can grow to `maxArenaBytes`, or returns
 * undefined: one this agent released, else one of at most {@link CLAIM_SCAN}
 * of the buffers it created (another agent may have released those). The
 * caller must rewrite it and publish it (`publishList`).
 */
export function claimReleasedBuffer(maxArenaBytes: number): ReusedBuffer | undefined {
  for (let i = releasedHere.length - 1; i >= 0; i--) {
    const buffer = releasedHere[i]!.deref();
    // Too small for this list: kept for a later one (its creator may be another agent).
    if (buffer !== undefined && maxBytesOf(buffer) < maxArenaBytes) continue;
    releasedHere.splice(i, 1); // collected, claimed now, or reused by another agent since
    const reused = claim(buffer, maxArenaBytes);
    if (reused !== undefined) return reused;
  }
  for (let looked = 0; looked < CLAIM_SCAN && candidates.length !== 0; looked++) {
    if (nextCandidate >= candidates.length) nextCandidate = 0;
    const buffer = candidates[nextCandidate]!.deref();
    if (buffer === undefined) {
      // Collected: its memory went back the usual way. Order does not matter.
      candidates[nextCandidate] = candidates[candidates.length - 1]!;
      candidates.pop();
      continue;
    }
    nextCandidate++;
    const reused = claim(buffer, maxArenaBytes);
    if (reused !== undefined) return reused;
  }
  return undefined;
}

/** `buffer`, claimed, if it is still there, large enough and free. */
function claim(
  buffer: Backing | undefined,
  maxArenaBytes: number,
): ReusedBuffer | undefined {
  if (buffer === undefined || maxBytesOf(buffer) < maxArenaBytes) return undefined;
  const generation = claimForReuse(new Int32Array(bufferOf(buffer), 0, CONTROL_WORDS));
  return generation >= 0 ? { backing: buffer, generation } : undefined;
}
