/**
 * Test-only switches of the write path, for this agent. Production code never
 * sets them; when unset each costs one well-predicted branch, and only off the
 * fast path (`race`) or on a lost CAS or a seal (`broken`).
 *
 * - `race` widens race windows: it is called at `"splice"` (between the
 *   search and the level-0 CAS), `"link"` (between the level-0 link and the
 *   upper levels) and `"stamp"` (between the link and the commit stamp), so a
 *   test can spin there and let other workers interleave.
 * - `broken` turns on a deliberately wrong variant, so that a test can show its
 *   checker catches it:
 *   - `"blind-link"`: after a lost level-0 CAS, relink to whatever follows the
 *     predecessor now, without comparing keys (the crate's upper-level bug,
 *     moved to level 0): keys land out of order and inserts get lost;
 *   - `"seal-no-wait"`: `seal()` freezes without waiting for writes in flight.
 *
 * @module
 */

/** Points of the write path where {@link testHooks}.race is called. */
export type RacePoint = "splice" | "link" | "stamp";

/** The deliberately broken variants. */
export type BrokenVariant = "blind-link" | "seal-no-wait";

/** This agent's switches. */
export const testHooks: {
  race: ((point: RacePoint) => void) | null;
  broken: BrokenVariant | null;
} = { race: null, broken: null };
