/**
 * Building blocks the scenarios share: writer tasks with defaults, and the
 * models of `own` workloads rebuilt on the main thread.
 *
 * @module
 */

import type { SkipListHandle } from "../../../mod.ts";
import type { WriterTask } from "./protocol.ts";
import { Replayer, type Workload } from "./workload.ts";

/** A writer task with everything optional defaulted (no log, no hooks). */
export function writerTask(
  fields:
    & Pick<WriterTask, "handle" | "control" | "worker" | "workers" | "seed" | "workload" | "ops">
    & Partial<WriterTask>,
): WriterTask {
  return {
    type: "write",
    log: null,
    afterSeal: null,
    gated: false,
    verify: false,
    race: null,
    broken: null,
    park: null,
    yieldEvery: 0,
    ...fields,
  };
}

/**
 * The model of an `own` workload after worker `w` ran `counts[w]` ops, all
 * workers merged (their key sets are disjoint).
 */
export function modelAfter(
  workload: Workload,
  seed: number,
  counts: readonly number[],
): Map<number, number> {
  const model = new Map<number, number>();
  counts.forEach((count, worker) => {
    new Replayer(workload, counts.length, worker, seed, model).advanceTo(count);
  });
  return model;
}

/** The handle type, re-exported for tests that build tasks by hand. */
export type { SkipListHandle };
