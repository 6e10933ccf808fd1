/**
 * Messages between the Worker test and its level workers.
 *
 * @module
 */

import type { SkipListHandle } from "../../../mod.ts";

/** What a worker is told to do, on a store attached to `handle`. */
export interface Job {
  type: "job";
  worker: number;
  workers: number;
  handle: SkipListHandle;
  /** `own:<worker>:<i>` keys it puts, one `put` each. */
  ownKeys: number;
  /** `race:<n>` keys every worker puts, each with its own value. */
  raceKeys: number;
  /** Batches of `batch:<worker>:<b>:<j>` keys. */
  batches: number;
  batchSize: number;
}

/** Main to worker. */
export type ToWorker = Job | { type: "go" };

/** What a worker reports when it has finished. */
export interface Report {
  type: "done";
  worker: number;
  /** Writes its store acknowledged. */
  writes: number;
  /** Reads of other workers' keys that found them (they wrote at the same time). */
  foreignHits: number;
  /** Iterator passes it made over the batches while others wrote. */
  passes: number;
  /** What it found wrong (empty when all is well). */
  problems: string[];
}

/** Worker to main. */
export type FromWorker = { type: "ready" } | Report | { type: "failed"; error: string };
