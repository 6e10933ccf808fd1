/**
 * This agent's candidates for reuse: the buffers it created, held weakly.
 *
 * Weakly, so that a list nobody releases still goes to the garbage collector
 * as before; a buffer whose instances were all released (`REFS == 0`,
 * `_references.ts`) is claimed by whichever agent's CAS gets there first.
 * Only created buffers are remembered: an agent that attaches a list per
 * cycle would otherwise keep a wrapper of each.
 *
 * @module
 */

import { FINAL } from "./_layout.ts";
import { claimForReuse } from "./_references.ts";

/** Words of the control block up to the reference words' line (inclusive). */
const CONTROL_WORDS = FINAL;

/**
 * Candidates a claim looks at, at most, besides those released here. A list
 * that is dropped without `release()` stays a candidate until the garbage
 * collector takes it, and V8 takes shared buffers late: scanning them all
 * made each new list cost O(lists ever left unreleased) (1.3 ms per list
 * after 4000 of them). Claims resume where the last one stopped, so every
 * candidate is still looked at, once per `candidates.length / CLAIM_SCAN`
 * claims.
 */
const CLAIM_SCAN = 16;

/** Buffers whose release in this agent left them free, newest last; at most this many. */
const RELEASED_HERE_MAX = 8;

/**
 * The control words of every buffer this agent created, held weakly: the
 * view keeps its buffer alive only while the view is, and it saves making
 * one per look.
 */
const candidates: WeakRef<Int32Array>[] = [];
/** Where the next claim's scan of {@link candidates} starts. */
let nextCandidate = 0;
/** Free buffers this agent released itself (any creator): tried first. */
const releasedHere: WeakRef<Int32Array>[] = [];

/** Offers a buffer this agent created for later reuse (once it is released). */
export function rememberForReuse(buffer: SharedArrayBuffer): void {
  candidates.push(new WeakRef(new Int32Array(buffer, 0, CONTROL_WORDS)));
}

/** Notes that this agent dropped the last reference to `buffer`: the next claim tries it first. */
export function releasedInThisAgent(buffer: SharedArrayBuffer): void {
  if (releasedHere.length === RELEASED_HERE_MAX) releasedHere.shift();
  releasedHere.push(new WeakRef(new Int32Array(buffer, 0, CONTROL_WORDS)));
}

/** A released buffer claimed for a new list, with the generation it starts. */
export interface ReusedBuffer {
  readonly buffer: SharedArrayBuffer;
  readonly generation: number;
}

/**
 * Claims a released buffer that can grow to `maxArenaBytes`, or returns
 * undefined: one this agent released, else one of at most {@link CLAIM_SCAN}
 * of the buffers it created (another agent may have released those). The
 * caller must rewrite it and publish it (`publishList`).
 */
export function claimReleasedBuffer(maxArenaBytes: number): ReusedBuffer | undefined {
  while (releasedHere.length !== 0) {
    const reused = claim(releasedHere.pop()!.deref(), maxArenaBytes);
    if (reused !== undefined) return reused;
  }
  for (let looked = 0; looked < CLAIM_SCAN && candidates.length !== 0; looked++) {
    if (nextCandidate >= candidates.length) nextCandidate = 0;
    const control = candidates[nextCandidate]!.deref();
    if (control === undefined) {
      // Collected: its memory went back the usual way. Order does not matter.
      candidates[nextCandidate] = candidates[candidates.length - 1]!;
      candidates.pop();
      continue;
    }
    nextCandidate++;
    const reused = claim(control, maxArenaBytes);
    if (reused !== undefined) return reused;
  }
  return undefined;
}

/** `control`'s buffer, claimed, if it is still there, large enough and free. */
function claim(control: Int32Array | undefined, maxArenaBytes: number): ReusedBuffer | undefined {
  if (control === undefined) return undefined;
  const buffer = control.buffer as SharedArrayBuffer;
  if (buffer.maxByteLength < maxArenaBytes) return undefined;
  const generation = claimForReuse(control);
  return generation >= 0 ? { buffer, generation } : undefined;
}
