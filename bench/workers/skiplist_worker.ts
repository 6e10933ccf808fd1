/**
 * A worker of the multi-worker benchmark on fastskip: attaches the shared
 * list (design "shared") or builds a private one of its own with the same
 * prefill (design "private", the parallel ceiling), waits for the start
 * flag, then runs its operation mix for the given time.
 *
 * @module
 */

import { ConcurrentSkipList, type SkipListHandle } from "../../mod.ts";
import { FASTSKIP_OPTIONS } from "../peers.ts";
import {
  OpStream,
  prefill,
  scope,
  waitForStart,
  warmupMs,
  type WorkerInit,
  type WorkerReply,
  type WorkerResult,
} from "./protocol.ts";

function run(init: WorkerInit, list: ConcurrentSkipList): WorkerResult {
  const stream = new OpStream(init.worker, init.readPercent, init.prefill);
  const { key, value } = stream;
  let ops = 0, reads = 0, hits = 0, stored = 0;
  // Runs untimed for a warm-up share first (JIT tiers), then counts.
  let start = performance.now();
  const warmupEnd = start + warmupMs(init.seconds);
  const deadline = warmupEnd + init.seconds * 1000;
  let counting = false;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 256; i++) {
      if (stream.next()) {
        reads++;
        if (list.getLive(key) !== undefined) hits++;
      } else if (list.insert(key, value)) {
        stored++;
      }
    }
    ops += 256;
    now = performance.now();
    if (!counting && now >= warmupEnd) {
      counting = true;
      start = now;
      ops = 0;
    }
  }
  return {
    worker: init.worker,
    ops,
    reads,
    writes: stream.writes,
    hits,
    stored,
    elapsedMs: now - start,
  };
}

scope.onmessage = (event: MessageEvent) => {
  const init = event.data as WorkerInit;
  try {
    let list: ConcurrentSkipList;
    if (init.design === "shared") {
      list = ConcurrentSkipList.attach(init.handle as SkipListHandle);
    } else {
      list = new ConcurrentSkipList(FASTSKIP_OPTIONS);
      prefill(init.prefill, (k, v) => list.insert(k, v));
    }
    scope.postMessage({ type: "ready" } satisfies WorkerReply);
    waitForStart(init.control);
    scope.postMessage({ type: "done", result: run(init, list) } satisfies WorkerReply);
  } catch (error) {
    scope.postMessage({ type: "error", message: String(error) } satisfies WorkerReply);
  }
};
