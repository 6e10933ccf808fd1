/**
 * What `validate()` reports.
 *
 * @module
 */

/**
 * The result of a structural check (`list.validate()`), which walks every
 * level and version chain of the shared memory. It throws an `Error` naming
 * the first broken invariant; when it returns, every level was strictly
 * sorted, every level a sublist of the level below, every version chain
 * newest-first by commit stamp, and, on a quiescent list, no stamp was left
 * pending and `size` matched the live keys.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList, type ValidationReport } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * list.insert(new Uint8Array([1]), new Uint8Array([1]));
 * list.delete(new Uint8Array([2]));
 * const report: ValidationReport = list.validate();
 * assert.equal(report.entries, 2);
 * assert.equal(report.liveEntries, 1);
 * assert.equal(report.tombstones, 1);
 * ```
 */
export interface ValidationReport {
  /** Keys in level 0, live or tombstoned. */
  readonly entries: number;
  /** Keys whose newest version is a value. */
  readonly liveEntries: number;
  /** Keys whose newest version is a tombstone. */
  readonly tombstones: number;
  /** Versions in all chains. */
  readonly versions: number;
  /** Levels in use. */
  readonly height: number;
  /** Nodes linked at each level, from level 0 up. */
  readonly levels: readonly number[];
  /**
   * Writes announced and not finished on a live list (0 on a frozen one):
   * writes under way, or left by workers terminated mid-write, which never
   * finish. Each may leave one stamp pending and the statistics behind by one.
   */
  readonly writesInFlight: number;
  /** Versions whose commit stamp was not yet fixed. */
  readonly pendingStamps: number;
  /**
   * How far `size` and the count of keys stored are from what the walk found
   * (the larger of the two differences): 0 unless writes are in flight.
   */
  readonly statisticsLag: number;
}

/**
 * How strict `validate()` is.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList, type ValidateOptions } from "@fastskip/fastskip";
 *
 * const options: ValidateOptions = { quiescent: false }; // others may be writing
 * new ConcurrentSkipList().validate(options);
 * ```
 */
export interface ValidateOptions {
  /**
   * Whether no worker is writing (default `true`): then the counts must
   * match the walk, except for what the writes still in flight can explain
   * (workers terminated mid-write: at most one pending stamp and one unit of
   * lag each, reported in {@link ValidationReport}); a frozen memtable must
   * match exactly. Pass `false` to check only the structure while other
   * workers write.
   */
  quiescent?: boolean;
}
