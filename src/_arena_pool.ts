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

const candidates: WeakRef<SharedArrayBuffer>[] = [];

/** Offers a buffer this agent created for later reuse (once it is released). */
export function rememberForReuse(buffer: SharedArrayBuffer): void {
  candidates.push(new WeakRef(buffer));
}

/** A released buffer claimed for a new list, with the generation it starts. */
export interface ReusedBuffer {
  readonly buffer: SharedArrayBuffer;
  readonly generation: number;
}

/**
 * Claims a released buffer that can grow to `maxArenaBytes`, or returns
 * undefined. The caller must rewrite it and publish it (`publishList`).
 */
export function claimReleasedBuffer(maxArenaBytes: number): ReusedBuffer | undefined {
  for (let i = 0; i < candidates.length;) {
    const buffer = candidates[i]!.deref();
    if (buffer === undefined) {
      candidates.splice(i, 1); // collected: its memory went back the usual way
      continue;
    }
    i++;
    if (buffer.maxByteLength < maxArenaBytes) continue;
    const generation = claimForReuse(new Int32Array(buffer, 0, CONTROL_WORDS));
    if (generation >= 0) return { buffer, generation };
  }
  return undefined;
}
