/**
 * Demo writer worker: puts and deletes its own keys into the shared memtable
 * as fast as it can, and follows the memtable across seals.
 *
 * A write that fails is never acknowledged: it is kept as `pending` and
 * retried on the next memtable. "Sealed" means the coordinator froze this
 * memtable (a fresh one is already on its way by postMessage); "OutOfMemory"
 * means the memtable reached its limit before anyone sealed it, so the writer
 * asks the coordinator to seal (`full`) and waits.
 *
 * The loop yields to the event loop every few milliseconds: that is how
 * messages (new memtables, stop) get in, and why `terminate()` works on it.
 *
 * @module
 */

import { ConcurrentSkipList, InsertError } from "../../mod.ts";
import {
  CONTROL_OPS,
  CONTROL_STOP,
  type FromWriter,
  keyFor,
  KEYS_PER_WRITER,
  NO_WRITE,
  packWrite,
  type ToWriter,
  type WorkerScope,
  writeValue,
} from "./protocol.ts";

const scope = globalThis as unknown as WorkerScope;

/** Share of deletes among writes, in percent; the rest are puts (overwrites included). */
const DELETE_PERCENT = 20;
/** How long a burst of writes runs before yielding to the event loop. */
const BURST_MS = 8;

type Outcome = "stored" | "sealed" | "full";

let writer = 0;
let control: Int32Array;
let list: ConcurrentSkipList;
let gen = 0;
/** The newest memtable the coordinator announced (may be ahead of `gen`). */
let announced: { gen: number; list: ConcurrentSkipList } | undefined;
let stopRequested = false;
let wake: (() => void) | undefined;

const keys: Uint8Array[] = [];
const scratch = new Uint8Array(64);
/** gen → one packed write per key (NO_WRITE where none was acknowledged). */
const records = new Map<number, Int32Array<ArrayBuffer>>();
let puts = 0;
let deletes = 0;
let retries = 0;
let waitMs = 0;

scope.onmessage = (event: MessageEvent<ToWriter>) => {
  const message = event.data;
  if (message.type === "start") {
    writer = message.writer;
    control = new Int32Array(message.control);
    for (let i = 0; i < KEYS_PER_WRITER; i++) keys.push(keyFor(writer, i));
    gen = message.gen;
    list = ConcurrentSkipList.attach(message.handle);
    run(message.seed).catch((error) => {
      // Rethrown outside the promise so the coordinator's onerror sees it.
      setTimeout(() => {
        throw error;
      });
    });
  } else if (message.type === "memtable") {
    if (message.gen > (announced?.gen ?? gen)) {
      announced?.list.release(); // overtaken before this writer moved to it
      announced = { gen: message.gen, list: ConcurrentSkipList.attach(message.handle) };
    }
  } else {
    stopRequested = true;
  }
  wake?.();
};

/** One write: the key, whether it deletes, and its sequence number (value seed). */
interface Op {
  index: number;
  isDelete: boolean;
  seq: number;
}

function apply(op: Op): Outcome {
  try {
    if (op.isDelete) {
      list.tryDelete(keys[op.index]!); // tryDelete throws where delete would only say false
    } else {
      const length = writeValue(scratch, writer, op.index, op.seq);
      list.put(keys[op.index]!, scratch.subarray(0, length)); // the list copies the bytes
    }
    return "stored";
  } catch (error) {
    if (!(error instanceof InsertError)) throw error;
    return error.kind === "Sealed" ? "sealed" : "full";
  }
}

function acknowledge(op: Op): void {
  let slots = records.get(gen);
  if (slots === undefined) {
    slots = new Int32Array(KEYS_PER_WRITER).fill(NO_WRITE);
    records.set(gen, slots);
  }
  slots[op.index] = packWrite(op.seq, op.isDelete);
  if (op.isDelete) deletes++;
  else puts++;
}

/**
 * A macrotask turn through a MessageChannel: unlike a chain of
 * `setTimeout(0)`, which is clamped to 4 ms after a few rounds (measured:
 * 2.8 ms per yield in Deno, 1.2 ms in Bun), it costs about 0.06 ms.
 */
const channel = new MessageChannel();
let resume: (() => void) | undefined;
channel.port1.onmessage = () => resume?.();
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    resume = resolve;
    channel.port2.postMessage(null);
  });
}

/** Resolves on the next message (or at once if `ready()` already holds). */
async function waitFor(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise<void>((resolve) => (wake = resolve));
  wake = undefined;
}

async function run(seed: number): Promise<void> {
  let random = seed | 1; // xorshift32: cheap, reproducible per writer
  const next = () => {
    random ^= random << 13;
    random ^= random >>> 17;
    random ^= random << 5;
    return random >>> 0;
  };
  let seq = 0;
  const newOp = (): Op => ({
    index: next() % KEYS_PER_WRITER,
    isDelete: next() % 100 < DELETE_PERCENT,
    seq: seq++,
  });
  let pending: Op | undefined;
  const stopFlagSet = () => Atomics.load(control, CONTROL_STOP) !== 0;

  while (!stopRequested && !stopFlagSet()) {
    const burstEnd = performance.now() + BURST_MS;
    let outcome: Outcome = "stored";
    for (let n = 1;; n++) {
      const op = pending ?? newOp();
      outcome = apply(op);
      if (outcome !== "stored") {
        pending = op;
        break;
      }
      pending = undefined;
      acknowledge(op);
      // Every 128 writes (well under a millisecond) is often enough for the
      // burst's deadline and the stop flag, and keeps their cost out of the loop.
      if ((n & 127) === 0 && (performance.now() >= burstEnd || stopFlagSet())) break;
    }
    Atomics.store(control, CONTROL_OPS + writer, puts + deletes); // for the progress line

    if (outcome === "stored") {
      await yieldToEventLoop(); // let messages in, and terminate() take effect
      continue;
    }
    retries++;
    if (outcome === "full" && (announced?.gen ?? gen) === gen) {
      scope.postMessage({ type: "full", gen } satisfies FromWriter);
    }
    const waitStart = performance.now();
    await waitFor(() => announced !== undefined || stopRequested);
    waitMs += performance.now() - waitStart;
    if (announced !== undefined) {
      // Done with the sealed memtable: once the coordinator's frozen copy is
      // released too, its memory serves a later memtable.
      list.release();
      ({ gen, list } = announced);
      announced = undefined;
    }
  }
  list.release();
  announced?.list.release();
  // A pending write was never acknowledged, so dropping it loses nothing.
  const gens = [...records.keys()];
  const slots = gens.map((g) => records.get(g)!);
  const done: FromWriter = {
    type: "done",
    writer,
    gens,
    records: slots,
    puts,
    deletes,
    retries,
    waitMs,
  };
  scope.postMessage(done, slots.map((s) => s.buffer));
}
