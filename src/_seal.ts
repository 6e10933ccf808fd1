/**
 * The seal handshake (checked by `models/seal.pml`) and the recount a forced
 * seal makes.
 *
 * A writer announces itself (`Atomics.add` on its stripe's in-flight count),
 * then loads `STATE`; `seal()` CASes `STATE` to sealing, then waits for every
 * in-flight count to drain. Sequential consistency means that either the
 * writer sees the seal and backs out, or the sealer sees the writer and
 * waits for it: nothing a writer reports as stored is missing from the frozen
 * list, and nothing is written to it afterwards.
 *
 * A writer that died mid-write never withdraws its announcement, so the wait
 * is bounded: on timeout the list stays closed to writes (`STATE_STALLED`) and
 * a later seal may wait again, or force it.
 *
 * @module
 */

import type { Arena } from "./_arena.ts";
import type { ListCore } from "./_core.ts";
import type { Links } from "./_links.ts";
import { keyLengthOf, olderOf, valueLengthOf } from "./_records.ts";
import { type Recount, type Statistics, writeFinal } from "./_statistics.ts";
import { testHooks } from "./_testing.ts";
import type { Versions } from "./_versions.ts";
import { SealError } from "./errors.ts";
import { PARK, STATE, STATE_FROZEN, STATE_SEALING, STATE_STALLED, TOMBSTONE } from "./_layout.ts";

/** `seal()` froze the list. */
export const SEAL_DONE = 0;
/** The list was sealed (or is being sealed) by another call. */
export const SEAL_ALREADY = 1;
/** Writes in flight did not finish in time; the list stays sealed. */
export const SEAL_STALLED = 2;
export type SealStatus = typeof SEAL_DONE | typeof SEAL_ALREADY | typeof SEAL_STALLED;

/** Polls of the in-flight counts before the sealer starts sleeping between them. */
const SPIN_POLLS = 1000;

/**
 * Seals: stops new writes, then waits until the writes in flight finish or
 * `timeoutMs` passes. With `force`, does not wait (for in-flight counts left
 * by workers known to be dead) and recounts the statistics from the records
 * before the list is frozen.
 */
export function seal(
  arena: Arena,
  stats: Statistics,
  timeoutMs: number,
  force: boolean,
  recount: () => Recount,
): SealStatus {
  const i32 = arena.i32;
  for (;;) {
    const state = Atomics.load(i32, STATE);
    if (state === STATE_SEALING || state === STATE_FROZEN) return SEAL_ALREADY;
    // OPEN, EXHAUSTED (clock ran out) and STALLED (an earlier seal timed out)
    // may all be sealed now; the CAS picks one sealer.
    if (Atomics.compareExchange(i32, STATE, state, STATE_SEALING) === state) break;
  }
  const deadline = performance.now() + timeoutMs;
  if (testHooks.broken === "seal-no-wait") force = true;
  for (let polls = 0; !force && stats.inflight() !== 0; polls++) {
    if (polls < SPIN_POLLS) continue;
    if (performance.now() >= deadline) {
      Atomics.store(i32, STATE, STATE_STALLED);
      return SEAL_STALLED;
    }
    pause(i32);
  }
  // Before the freeze: once STATE_FROZEN is visible, the counts are final.
  if (force) writeFinal(arena, recount());
  Atomics.store(i32, STATE, STATE_FROZEN);
  return SEAL_DONE;
}

/**
 * `seal()` on `core`'s list: seals it, or throws the {@link SealError} that
 * says why not (sealed by another call; writes still in flight at the
 * deadline, the list then staying closed to writes).
 */
export function sealList(core: ListCore, timeoutMs: number, force: boolean): void {
  const status = seal(
    core.arena,
    core.stats,
    timeoutMs,
    force,
    () => recount(core.links, core.versions, core.head),
  );
  if (status === SEAL_ALREADY) throw new SealError("AlreadySealed");
  if (status === SEAL_STALLED) {
    throw new SealError(
      "Timeout",
      `memtable seal timed out: ${core.stats.inflight()} writes still in flight after ${timeoutMs} ms ` +
        `(the list stays sealed; seal() again to wait, or seal({ force: true }) if their workers are dead)`,
    );
  }
}

/**
 * Counts a sealed list's statistics from its records, committing every
 * version a dead writer left PENDING on the way.
 *
 * Why recount rather than trust the stripes: a writer killed between the CAS
 * that commits its version and the `Atomics.add`s that count it leaves the
 * stripes short for good, and only the records know. Counting linked records
 * is exact whatever their stamps say. Only a chain's newest version can be
 * PENDING (a writer resolves the head before it prepends). O(n): forcing a
 * seal is the rare recovery path.
 */
export function recount(links: Links, versions: Versions, head: number): Recount {
  const counts: Recount = { live: 0, nodes: 0, keyBytes: 0, valueVersions: 0, valueBytes: 0 };
  for (let node = links.next(head, 0); node !== 0; node = links.next(node, 0)) {
    const i32 = links.node(node);
    counts.nodes++;
    counts.keyBytes += keyLengthOf(i32, node);
    let version = links.newest(node);
    versions.stampOf(version);
    if (valueLengthOf(links.version(version), version) !== TOMBSTONE) counts.live++;
    for (; version > 0; version = olderOf(links.version(version), version)) {
      const valueLength = valueLengthOf(links.version(version), version);
      if (valueLength === TOMBSTONE) continue;
      counts.valueVersions++;
      counts.valueBytes += valueLength;
    }
  }
  return counts;
}

/** Waits a little without burning the core, where the agent may block. */
function pause(i32: Int32Array): void {
  try {
    // Nobody notifies this word: it is a 0.2 ms sleep.
    Atomics.wait(i32, PARK, 0, 0.2);
  } catch {
    // Agents that may not block (a browser's main thread): keep spinning.
  }
}
