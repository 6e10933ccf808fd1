/**
 * How `seal()` waits for writes already in flight.
 *
 * @module
 */

import { checkOptionNames } from "./_args.ts";
import { describe } from "./options.ts";

/**
 * How `seal()` waits for writes already in flight.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList, type SealOptions } from "@fastskip/fastskip";
 *
 * const options: SealOptions = { timeoutMs: 1000 };
 * const [frozen, fresh] = new ConcurrentSkipList().seal(options);
 * ```
 */
export interface SealOptions {
  /** How long to wait for in-flight writes before giving up. Default 10 000 ms. */
  timeoutMs?: number;
  /**
   * Freeze without waiting. Only for in-flight counts left by workers that are
   * known to be dead (terminated mid-write): a live writer could still change
   * the memtable afterwards.
   */
  force?: boolean;
}

/** Default `SealOptions.timeoutMs`. */
const DEFAULT_SEAL_TIMEOUT_MS = 10_000;

const SEAL_OPTIONS: ReadonlySet<string> = new Set(["timeoutMs", "force"]);

/** Checks `seal()`'s options (internal). */
export function resolveSealOptions(options: unknown): { timeoutMs: number; force: boolean } {
  const what = "Cannot seal";
  const given = checkOptionNames(what, options, SEAL_OPTIONS);
  const timeoutMs = given?.timeoutMs ?? DEFAULT_SEAL_TIMEOUT_MS;
  if (typeof timeoutMs !== "number" || !(timeoutMs >= 0)) {
    throw new RangeError(
      `${what}: timeoutMs must be a non-negative number, received ${describe(timeoutMs)}`,
    );
  }
  const force = given?.force ?? false;
  if (typeof force !== "boolean") {
    throw new TypeError(`${what}: force must be a boolean, received ${describe(force)}`);
  }
  return { timeoutMs, force };
}
