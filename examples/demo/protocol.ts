/**
 * What the demo's threads say to each other, and the generated data they agree on.
 *
 * Threads: the main thread (coordinator) owns the current memtable and is the
 * only one that seals it; writer workers write into it; one flusher worker
 * turns each sealed memtable into a table file.
 *
 * ```
 *  main ──start{writer, memtable gen 1}──▶ writer      writer ──full{gen}──▶ main
 *  main ──memtable{gen, handle}─────────▶ writer       (a write failed OutOfMemory)
 *  main ──stop──────────────────────────▶ writer      writer ──done{records}─▶ main
 *  main ──flush{gen, frozen handle}─────▶ flusher     flusher ──flushed{gen}─▶ main
 * ```
 *
 * Exact verification despite concurrency: every key belongs to one writer
 * (`w03/k00042` belongs to writer 3), so the order of writes to a key is that
 * writer's program order. Each writer remembers, per memtable generation and
 * per key, its last acknowledged write there (a sequence number from which the
 * value is regenerated, plus a tombstone bit): the table of generation g must
 * hold exactly those entries, and the newest table holding a key must hold its
 * last acknowledged write.
 *
 * @module
 */

import type { FrozenMemtableHandle, SkipListHandle } from "../../mod.ts";

/** Keys owned by each writer (overwrites happen because writers revisit them). */
export const KEYS_PER_WRITER = 5000;

/** Control words shared by all threads (an Int32Array over a SharedArrayBuffer). */
export const CONTROL_STOP = 0; // set to 1 when writers must stop: checked inside their loop
export const CONTROL_OPS = 1; // CONTROL_OPS + w: acknowledged writes of writer w (progress only)

/** A record slot meaning "no acknowledged write to this key in this generation". */
export const NO_WRITE = -1;

/** Packs an acknowledged write: its sequence number and whether it was a delete. */
export function packWrite(seq: number, isTombstone: boolean): number {
  return seq * 2 + (isTombstone ? 1 : 0);
}

/** Main → writer. */
export type ToWriter =
  | {
    type: "start";
    writer: number;
    seed: number;
    control: SharedArrayBuffer;
    gen: number;
    handle: SkipListHandle;
  }
  | { type: "memtable"; gen: number; handle: SkipListHandle }
  | { type: "stop" };

/** Writer → main. */
export type FromWriter =
  | { type: "full"; gen: number }
  | {
    type: "done";
    writer: number;
    /** Generations this writer wrote to, and per generation one packed write per key. */
    gens: number[];
    records: Int32Array[];
    puts: number;
    deletes: number;
    /** Writes that failed (sealed or full) and were retried on the next memtable. */
    retries: number;
    /** Time spent waiting for a fresh memtable. */
    waitMs: number;
  };

/** Main → flusher. */
export type ToFlusher = { type: "flush"; gen: number; handle: FrozenMemtableHandle; path: string };

/** Flusher → main. */
export type FromFlusher =
  | {
    type: "flushed";
    gen: number;
    /** null when the memtable held nothing and no file was written. */
    path: string | null;
    records: number;
    tombstones: number;
    bytes: number;
    ms: number;
  }
  | { type: "error"; gen: number; message: string };

/**
 * The worker-side global, typed without `lib.deno.worker` (which the package
 * tooling rejects) so the same code type-checks in Deno and runs in Bun.
 */
export interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

const encoder = new TextEncoder();

/** The key `index` of `writer`: `w03/k00042`, so keys sort by writer, then index. */
export function keyFor(writer: number, index: number): Uint8Array {
  return encoder.encode(`w${String(writer).padStart(2, "0")}/k${String(index).padStart(5, "0")}`);
}

/** Inverse of `keyFor`, or undefined for a key the demo never writes. */
export function parseKey(key: Uint8Array): { writer: number; index: number } | undefined {
  // Byte by byte rather than decode + regex: the verifier parses every record.
  if (key.length !== 10 || key[0] !== 0x77 || key[3] !== 0x2f || key[4] !== 0x6b) return undefined;
  const digits = (from: number, to: number) => {
    let n = 0;
    for (let i = from; i < to; i++) {
      const d = key[i]! - 0x30; // i < 10 = key.length
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  };
  const writer = digits(1, 3);
  const index = digits(5, 10);
  return writer < 0 || index < 0 ? undefined : { writer, index };
}

/**
 * Writes the value of write `seq` to key `index` of `writer` into `out` and
 * returns its length (12 to 43 bytes): readable text, then filler, so a
 * wrong or torn value is visible in a hex dump. Deterministic, so the
 * verifier regenerates it instead of the writer shipping every value back.
 */
export function writeValue(out: Uint8Array, writer: number, index: number, seq: number): number {
  let length = encoder.encodeInto(`w${writer}.k${index}.s${seq}:`, out).written;
  const target = Math.max(length, 12 + (seq * 7 + index) % 32);
  while (length < target) {
    out[length] = 97 + (seq + length) % 26; // 'a'..'z'
    length++;
  }
  return length;
}
