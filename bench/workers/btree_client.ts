/**
 * A client worker of the postMessage design: runs the same operation mix as
 * the fastskip workers, but every operation goes to the owner worker and
 * back, one operation per message (`batch` 1, awaited before the next) or
 * `batch` operations per message (one message in flight).
 *
 * @module
 */

import { KEY_BYTES } from "../keys.ts";
import {
  OP_BYTES,
  OpStream,
  REPLY_BYTES,
  scope,
  waitForStart,
  warmupMs,
  type WorkerInit,
  type WorkerReply,
  type WorkerResult,
} from "./protocol.ts";

async function run(init: WorkerInit, port: MessagePort): Promise<WorkerResult> {
  const stream = new OpStream(init.worker, init.readPercent, init.prefill);
  const batch = init.batch;
  let pending: ((reply: Uint8Array) => void) | undefined;
  port.onmessage = (event: MessageEvent) => pending!(event.data as Uint8Array);
  port.start();
  const roundTrip = (request: Uint8Array<ArrayBuffer>) =>
    new Promise<Uint8Array>((resolve) => {
      pending = resolve;
      port.postMessage(request, [request.buffer]);
    });

  let ops = 0, reads = 0, hits = 0, stored = 0;
  // Runs untimed for a warm-up share first (JIT tiers), then counts.
  let start = performance.now();
  const warmupEnd = start + warmupMs(init.seconds);
  const deadline = warmupEnd + init.seconds * 1000;
  let counting = false;
  let now = start;
  const isRead = new Uint8Array(batch);
  while (now < deadline) {
    const request = new Uint8Array(new ArrayBuffer(batch * OP_BYTES));
    for (let i = 0; i < batch; i++) {
      const read = stream.next();
      isRead[i] = read ? 1 : 0;
      const at = i * OP_BYTES;
      request[at] = read ? 0 : 1;
      request.set(stream.key, at + 1);
      if (!read) request.set(stream.value, at + 1 + KEY_BYTES);
    }
    const reply = await roundTrip(request);
    for (let i = 0; i < batch; i++) {
      const ok = reply[i * REPLY_BYTES] === 1;
      if (isRead[i] === 1) {
        reads++;
        if (ok) hits++;
      } else if (ok) {
        stored++;
      }
    }
    ops += batch;
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

scope.onmessage = async (event: MessageEvent) => {
  const init = event.data as WorkerInit;
  try {
    scope.postMessage({ type: "ready" } satisfies WorkerReply);
    waitForStart(init.control);
    scope.postMessage({ type: "done", result: await run(init, init.port!) } satisfies WorkerReply);
  } catch (error) {
    scope.postMessage({ type: "error", message: String(error) } satisfies WorkerReply);
  }
};
