/**
 * Commit stamps and version chains (checked by `models/versions.pml`).
 *
 * A version is linked with stamp `PENDING`; right after, its writer draws
 * `Atomics.add(CLOCK, 1)` and CASes it in. Any agent that meets a `PENDING`
 * stamp before acting on it (a reader, a writer about to prepend, an iterator)
 * draws its own stamp and CASes it in first, so a stamp is fixed the moment
 * anybody depends on it. A snapshot is `S = Atomics.load(CLOCK)`; a version is
 * in it when its stamp is below `S`. Stamps drawn after `S` was read are `>= S`,
 * so writes that start after the snapshot stay out of it, and those that
 * completed before it are in. Stamps are set once, so repeated passes over a
 * snapshot agree (invariant 5).
 *
 * @module
 */

import type { Links } from "./_links.ts";
import { olderOf } from "./_records.ts";
import type { Statistics } from "./_statistics.ts";
import {
  CLOCK,
  LAST_STAMP,
  PENDING,
  STATE,
  STATE_EXHAUSTED,
  STATE_OPEN,
  VERSION_STAMP,
} from "./_layout.ts";

/** Snapshot bound that sees the newest version (every resolved stamp is below it). */
export const LATEST = PENDING;

/** One agent's view of a list's version chains. */
export class Versions {
  /** The core's links (replaced with them when the list is shared). */
  links: Links;
  readonly stats: Statistics;

  constructor(links: Links, stats: Statistics) {
    this.links = links;
    this.stats = stats;
  }

  /** The current snapshot bound: versions stamped below it are visible. */
  snapshotBound(): number {
    return this.links.load(CLOCK);
  }

  /**
   * The newest version of readable `node` visible at `bound` (use
   * {@link LATEST} for the newest of all), or 0 if every version is newer.
   * The version returned is readable.
   */
  at(node: number, bound: number): number {
    const links = this.links;
    links.node(node);
    let version = links.newest(node);
    while (version > 0) {
      const i32 = links.version(version);
      const stamp = links.stamp(version);
      if ((stamp === PENDING ? this.commit(version) : stamp) < bound) return version;
      version = olderOf(i32, version); // <= 0 after the first version
    }
    return 0;
  }

  /** The stamp of `version` (reached by a link), committing it first if still PENDING. */
  stampOf(version: number): number {
    this.links.version(version);
    const stamp = this.links.stamp(version);
    return stamp === PENDING ? this.commit(version) : stamp;
  }

  /**
   * Draws a stamp and offers it to PENDING `version` (readable); returns the
   * stamp the version ends up with. The agent whose CAS wins also counts the
   * version, so a write whose worker died after linking it is counted by
   * whoever meets it first, exactly once.
   */
  commit(version: number): number {
    const links = this.links;
    const drawn = links.add(CLOCK, 1);
    const previous = links.compareExchange(version + VERSION_STAMP, PENDING, drawn);
    if (previous !== PENDING) return previous; // someone else committed it first
    if (drawn >= LAST_STAMP) links.compareExchange(STATE, STATE_OPEN, STATE_EXHAUSTED);
    const i32 = links.arena.i32;
    const older = olderOf(i32, version);
    this.stats.account(older > 0 ? this.links.version(older) : i32, version);
    return drawn;
  }
}
