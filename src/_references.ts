/**
 * References to a list's buffer, over all agents: who may still read it, and
 * when it may serve a new list (invariant 7 of `_layout.ts`, checked by
 * `models/reuse.pml`).
 *
 * V8 does not count `SharedArrayBuffer` memory towards its collection
 * heuristics, so a dropped memtable's buffer stays resident until a
 * collection happens for other reasons: an engine that seals and drops a
 * memtable per cycle grows without bound. The library therefore counts the
 * unreleased instances of each list in the buffer itself (`REFS`) and reuses
 * a buffer whose count fell to 0 for the next list an agent makes.
 *
 * The whole protocol is four steps on two words, `REFS` and `GENERATION`:
 *
 * ```text
 *   create     write the list (plain stores) ........ store REFS = 1
 *   attach     CAS REFS r -> r+1 while r > 0, then load GENERATION == handle's?
 *              no: undo (as a release) and fail      yes: read the list
 *   release    mark the instance released (locally) .. REFS -= 1
 *   recycle    CAS REFS 0 -> RECYCLING, GENERATION += 1, rewrite (plain stores),
 *              store REFS = 1
 * ```
 *
 * Why an attach never reads a reused buffer through a stale handle: its CAS
 * saw `REFS > 0`, so either the list it names was still held (no recycle can
 * start until that reference is dropped, and the attach now holds one too),
 * or a recycler had already published `REFS = 1`, which it does after bumping
 * `GENERATION`: the attach's load of `GENERATION` then differs from its
 * handle's and it backs out before reading anything else.
 *
 * @module
 */

import { GENERATION, RECYCLING, REFS } from "./_layout.ts";

/** What {@link takeReference} found. */
export const TAKEN = 0;
/** Every instance was released: the buffer is free, or being reused. */
export const RELEASED = 1;
/** The buffer already serves a later list than the handle names. */
export const REUSED = 2;
export type TakeStatus = typeof TAKEN | typeof RELEASED | typeof REUSED;

/**
 * Takes a reference for a new instance attached through a handle made for
 * `generation`. On `TAKEN` the caller holds a reference it must drop once.
 */
export function takeReference(i32: Int32Array, generation: number): TakeStatus {
  for (;;) {
    const refs = Atomics.load(i32, REFS);
    if (refs <= 0) return RELEASED; // 0: free; RECYCLING: being rewritten
    // Observes a held list: no recycle can start while this reference is held.
    if (Atomics.compareExchange(i32, REFS, refs, refs + 1) === refs) break;
  }
  // Observes the recycler's bump, which it made before publishing REFS = 1.
  if (Atomics.load(i32, GENERATION) === generation) return TAKEN;
  dropReference(i32); // a reference to the later list, held for no one
  return REUSED;
}

/**
 * Drops one reference (an instance's release); returns whether it was the
 * last, which leaves the buffer free to reuse. The caller never reads the
 * buffer again.
 */
export function dropReference(i32: Int32Array): boolean {
  return Atomics.sub(i32, REFS, 1) === 1;
}

/**
 * Claims a buffer whose instances were all released, to rewrite it for a new
 * list; returns the new list's generation, or -1 when it is not free.
 * The caller must then rewrite it and call {@link publishList}.
 */
export function claimForReuse(i32: Int32Array): number {
  if (Atomics.compareExchange(i32, REFS, 0, RECYCLING) !== 0) return -1;
  // Bumped before anything is rewritten: see the module doc.
  return Atomics.add(i32, GENERATION, 1) + 1;
}

/**
 * Publishes a list written into its buffer with plain stores: one reference,
 * the creating instance's. Everything written before is visible to any agent
 * whose attach observes it.
 */
export function publishList(i32: Int32Array): void {
  Atomics.store(i32, REFS, 1);
}

/** The generation a buffer's current list was made for. */
export function generationOf(i32: Int32Array): number {
  return Atomics.load(i32, GENERATION);
}
