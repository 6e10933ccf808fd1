/**
 * Worker module of `examples/seal_under_load.ts`: puts its own keys into the
 * shared list and follows the list across seals.
 *
 * Write n of worker w is `put("w<w>:<n>", "v<n>")`; no other worker writes
 * that key. When a put throws `InsertError` "Sealed", the worker keeps that
 * write, asks the main thread for the current list (`ask`), waits for the
 * answer (`current`), attaches it and retries the same write there, asking
 * again if that list was sealed too. It records, per write, the generation
 * whose list accepted it, and reports that when the shared stop flag is set.
 *
 * Plain Web Worker code (no Deno or Bun API), so it runs in both.
 *
 * @module
 */

import { ConcurrentSkipList, InsertError, type SkipListHandle } from "../../mod.ts";

/** Main → worker. */
export type ToWriter =
  | {
    type: "start";
    worker: number;
    gen: number;
    handle: SkipListHandle;
    /** An Int32Array's memory: element 0 becomes 1 when the workers must stop. */
    stop: SharedArrayBuffer;
  }
  /** The answer to `ask`: the main thread's current list, however many seals ago it was made. */
  | { type: "current"; gen: number; handle: SkipListHandle };

/** Worker → main. */
export type FromWriter =
  /** A write on generation `sealedGen` failed with "Sealed": which list is current? */
  | { type: "ask"; worker: number; sealedGen: number }
  | {
    type: "done";
    worker: number;
    /** acceptedIn[n]: the generation whose list accepted write n (every write, in order). */
    acceptedIn: Int32Array<ArrayBuffer>;
    /** The generations on which one of this worker's writes failed with "Sealed", in order. */
    sealedOn: number[];
  };

/** Writes between two yields to the event loop (which let messages in, and terminate()). */
const YIELD_EVERY = 256;

/** The worker global, typed without the Deno-only `lib.deno.worker`. */
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ToWriter>) => void) | null;
  postMessage(message: FromWriter, transfer?: Transferable[]): void;
};

const bytes = (text: string) => new TextEncoder().encode(text);

/** Set while a write waits for the answer to its `ask`. */
let answer: ((current: { gen: number; handle: SkipListHandle }) => void) | undefined;

scope.onmessage = ({ data: message }) => {
  if (message.type === "start") {
    const stop = new Int32Array(message.stop);
    run(message.worker, message.gen, message.handle, stop).catch((error) => {
      // Rethrown outside the promise so the main thread's onerror sees it.
      setTimeout(() => {
        throw error;
      });
    });
  } else {
    answer?.(message);
    answer = undefined;
  }
};

function askForCurrent(
  worker: number,
  sealedGen: number,
): Promise<{ gen: number; handle: SkipListHandle }> {
  return new Promise((resolve) => {
    answer = resolve;
    scope.postMessage({ type: "ask", worker, sealedGen });
  });
}

/** A macrotask turn through a MessageChannel (no 4 ms clamp, unlike nested `setTimeout(0)`). */
const channel = new MessageChannel();
let resume: (() => void) | undefined;
channel.port1.onmessage = () => resume?.();
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    resume = resolve;
    channel.port2.postMessage(null);
  });
}

async function run(
  worker: number,
  firstGen: number,
  firstHandle: SkipListHandle,
  stop: Int32Array,
): Promise<void> {
  let gen = firstGen;
  let list = ConcurrentSkipList.attach(firstHandle);
  const acceptedIn: number[] = [];
  const sealedOn: number[] = [];
  // Stop is read between writes only: a write waiting for `current` is finished first. A shared
  // flag, not a message: a worker busy writing may see a message only hundreds of ms later.
  for (let n = 0; Atomics.load(stop, 0) === 0; n++) {
    const key = bytes(`w${worker}:${n}`);
    const value = bytes(`v${n}`);
    for (;;) {
      try {
        list.put(key, value);
        break; // returned: this list holds the write, and no other list will
      } catch (error) {
        if (!(error instanceof InsertError) || error.kind !== "Sealed") throw error;
        // Not stored here (seal() guarantees it): keep the write, move, retry.
        sealedOn.push(gen);
        const current = await askForCurrent(worker, gen);
        gen = current.gen;
        list.release(); // done with the sealed list: its memory can serve a later one
        list = ConcurrentSkipList.attach(current.handle);
      }
    }
    acceptedIn.push(gen);
    if (n % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
  }
  list.release();
  channel.port1.close();
  const done: FromWriter = {
    type: "done",
    worker,
    acceptedIn: Int32Array.from(acceptedIn),
    sealedOn,
  };
  scope.postMessage(done, [done.acceptedIn.buffer]);
}
