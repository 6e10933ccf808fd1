/**
 * What the multi-worker benchmark's main thread and its workers say to each
 * other, and the operation mix they all run.
 *
 * Keys are regenerated in place from counter-based streams (`writeKey`), so
 * no design pays for a key pool or an allocation per key: reads pick a random
 * prefilled key (every read hits), writes insert a key no one else inserts
 * (stream `SEED_WRITES`, index `worker × 2^26 + count`).
 *
 * @module
 */

import { KEY_BYTES, VALUE_BYTES, writeKey, xorshift32 } from "../keys.ts";

/** Stream of the prefilled keys (key i of it, for i < prefill). */
export const SEED_PREFILL = 0x5eed_1001;
/** Stream of the keys the workers insert. */
export const SEED_WRITES = 0x5eed_1002;
/** Writes per worker stay below this, so that workers never share a key. */
export const WRITES_PER_WORKER = 1 << 26;

/** postMessage design, bytes of one operation in a request: op (0 get, 1 insert), key, value. */
export const OP_BYTES = 1 + KEY_BYTES + VALUE_BYTES;
/** postMessage design, bytes of one answer in a reply: found/stored flag, value of a found get. */
export const REPLY_BYTES = 1 + VALUE_BYTES;

/** Index of the start flag in the control words; workers wait on it. */
export const CONTROL_START = 0;

/** Sent to a worker to set it up. */
export interface WorkerInit {
  design: "shared" | "private" | "postMessage";
  worker: number;
  readPercent: number;
  prefill: number;
  seconds: number;
  /** Ops per message (postMessage design; 1 = unbatched). */
  batch: number;
  /** One Int32 word per CONTROL_*: the start flag. */
  control: SharedArrayBuffer;
  /** The shared list (design "shared"). */
  handle?: unknown;
  /** The port to the owner (design "postMessage"). */
  port?: MessagePort;
}

/** Sent to the postMessage design's owner worker. */
export interface OwnerInit {
  prefill: number;
  /** One port per client worker. */
  ports: MessagePort[];
}

/**
 * A worker's answer at the end of a run. `ops` and `elapsedMs` cover the
 * timed part only; `reads`, `hits` and `stored` count the warm-up too (they
 * are correctness checks: every read must hit, every write must store).
 */
export interface WorkerResult {
  worker: number;
  /** Operations completed in the timed part. */
  ops: number;
  /** Reads issued, warm-up included. */
  reads: number;
  /** Writes issued, warm-up included. */
  writes: number;
  /** Reads that found their key (must equal `reads`). */
  hits: number;
  /** Writes that reported success (must equal `writes`). */
  stored: number;
  /** Length of the timed part. */
  elapsedMs: number;
}

/** Untimed warm-up before a run of `seconds` (JIT tiers): 250 ms, or the run's length if shorter. */
export function warmupMs(seconds: number): number {
  return Math.min(250, seconds * 1000);
}

/** Messages from a worker to the main thread. */
export type WorkerReply = { type: "ready" } | { type: "done"; result: WorkerResult } | {
  type: "error";
  message: string;
};

/** The scope a worker module runs in (typed here rather than with a lib reference). */
export interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

/** The worker's global scope. */
export const scope = globalThis as unknown as WorkerScope;

/** Blocks until the main thread raises the start flag. */
export function waitForStart(control: SharedArrayBuffer): void {
  const words = new Int32Array(control);
  while (Atomics.load(words, CONTROL_START) === 0) Atomics.wait(words, CONTROL_START, 0, 50);
}

/** One worker's operation stream: decides read or write, and fills the key. */
export class OpStream {
  readonly key: Uint8Array = new Uint8Array(KEY_BYTES);
  readonly value: Uint8Array = new Uint8Array(VALUE_BYTES);
  #random: () => number;
  #readPercent: number;
  #prefill: number;
  #writeBase: number;
  #written = 0;

  /** Writes issued so far. */
  get writes(): number {
    return this.#written;
  }

  constructor(worker: number, readPercent: number, prefill: number) {
    this.#random = xorshift32(0x5eed_2000 + worker);
    this.#readPercent = readPercent;
    this.#prefill = prefill;
    this.#writeBase = worker * WRITES_PER_WORKER;
  }

  /** Fills `key` (and `value` for a write); returns true for a read. */
  next(): boolean {
    const r = this.#random();
    if (r % 100 < this.#readPercent) {
      writeKey(this.key, SEED_PREFILL, (r >>> 7) % this.#prefill);
      return true;
    }
    const index = this.#writeBase + this.#written++;
    writeKey(this.key, SEED_WRITES, index);
    this.value[0] = index;
    this.value[1] = index >>> 8;
    this.value[2] = index >>> 16;
    this.value[3] = index >>> 24;
    return false;
  }
}

/** Calls `insert(key, value)` for the `count` prefilled keys. */
export function prefill(count: number, insert: (key: Uint8Array, value: Uint8Array) => void): void {
  for (let i = 0; i < count; i++) {
    const key = new Uint8Array(KEY_BYTES);
    writeKey(key, SEED_PREFILL, i);
    const value = new Uint8Array(VALUE_BYTES);
    value[0] = i;
    value[1] = i >>> 8;
    value[2] = i >>> 16;
    insert(key, value);
  }
}
