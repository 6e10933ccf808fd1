/**
 * The message protocol between a test (main thread) and its workers, and
 * the shared control block they also coordinate through.
 *
 * main -> worker: one {@link WriterTask} or {@link ReaderTask}, then, in the
 * seal scenario, {@link FreshList} (the list to continue on).
 * worker -> main: {@link SealedNotice} (writes on the old list now fail),
 * then exactly one {@link Done} or {@link Failed}.
 *
 * @module
 */

import type { SkipListHandle } from "../../../mod.ts";
import type { BrokenVariant, RacePoint } from "../../../src/_testing.ts";
import type { Workload } from "./workload.ts";

/** Seeded spins at race points, to let other workers interleave there. */
export interface RaceSpin {
  readonly points: readonly RacePoint[];
  /** Upper bound of the spin, in `Atomics.load` iterations (~10 ns each). */
  readonly maxSpin: number;
}

/**
 * Parks the worker inside one write: at the first op with index >= `fromOp`
 * that writes a key absent from the worker's model (so it creates a node and
 * passes every race point), the hook at `point` raises {@link PARKED} and
 * stores the op index in {@link PARKED_OP}, then either waits for
 * {@link KILL} and dies on the spot (`die`: `self.close()` ends the isolate
 * without running `finally` blocks, as a kill landing there would), or waits
 * for {@link RELEASE} and carries on (`continue`); a `continue` park also
 * carries on by itself `maxMs` after it sees the list sealed (Infinity: wait
 * for RELEASE only).
 */
export interface Park {
  readonly fromOp: number;
  readonly point: RacePoint;
  readonly then: "die" | "continue";
  readonly maxMs: number;
  /** Park only in a write of a value (insert, tryInsert, getOrInsert, put), not a delete. */
  readonly valuesOnly: boolean;
}

/** Run a stream of writes (and gets). */
export interface WriterTask {
  readonly type: "write";
  readonly handle: SkipListHandle;
  /** The control block ({@link Control}). */
  readonly control: SharedArrayBuffer;
  /** A {@link HistoryLog} to record every call in, or null. */
  readonly log: SharedArrayBuffer | null;
  readonly worker: number;
  readonly workers: number;
  readonly seed: number;
  readonly workload: Workload;
  /**
   * Ops to run. In seal mode (`afterSeal` set): run until a write is refused
   * as sealed, then `afterSeal` more ops on the fresh list.
   */
  readonly ops: number;
  /**
   * Run op `i` only once the control block's BUDGET exceeds `i`: the main
   * thread lets the writers go a stretch at a time, so that whatever it
   * checks between stretches happens during writes however slow it is.
   */
  readonly gated: boolean;
  readonly afterSeal: number | null;
  /** Check every result against a model of the worker's own keys (`own` workloads). */
  readonly verify: boolean;
  readonly race: RaceSpin | null;
  readonly broken: BrokenVariant | null;
  readonly park: Park | null;
  /**
   * Yield to the event loop (a timer turn) every this many ops (0: never),
   * so that terminate() can land.
   */
  readonly yieldEvery: number;
}

/** Walk and seek the list while writers write; check order and completeness. */
export interface ReaderTask {
  readonly type: "read";
  readonly handle: SkipListHandle;
  readonly control: SharedArrayBuffer;
  readonly reader: number;
  readonly seed: number;
  /** The writers' task parameters, to know which keys exist at any moment. */
  readonly writers: number;
  readonly writerSeed: number;
  readonly workload: Workload;
  /** Keys inserted before any writer started. */
  readonly preloaded: readonly number[];
  /**
   * What the reader walks: `"cursors"` (the default) iterates and seeks
   * forwards; `"ranges"` walks backwards (`range({ reverse })`, `prevEntry`),
   * runs bounded ranges both ways and lands with `cursorForPrev`.
   */
  readonly walks?: "cursors" | "ranges";
}

/** The list writers continue on after a seal. */
export interface FreshList {
  readonly type: "fresh";
  readonly handle: SkipListHandle;
}

/** Everything the main thread sends. */
export type ToWorker = WriterTask | ReaderTask | FreshList;

/** A writer saw its first write refused as sealed, at op `op`. */
export interface SealedNotice {
  readonly type: "sealed";
  readonly worker: number;
  readonly op: number;
}

/** A worker finished; anything it found wrong is listed in `problems`. */
export interface Done {
  readonly type: "done";
  readonly worker: number;
  /** Ops run (writers), or read operations (readers: entries + seeks). */
  readonly ops: number;
  /** In seal mode: index of the first op refused as sealed (ops before it succeeded). */
  readonly sealedAt: number;
  /** Readers: full passes, seeks and cursor steps. */
  readonly passes: number;
  readonly seeks: number;
  /** Readers: the rounds of walks that started before STOP was raised (while writers wrote). */
  readonly roundsDuringWrites?: number;
  /** Descriptions of wrong results, corrupt values, unexpected errors (first 20). */
  readonly problems: readonly string[];
  /** Total number of problems (may exceed `problems.length`). */
  readonly problemCount: number;
}

/** A worker crashed (an exception escaped the task). */
export interface Failed {
  readonly type: "failed";
  readonly worker: number;
  readonly error: string;
}

/** Everything a worker sends. */
export type FromWorker = SealedNotice | Done | Failed;

// ---- control block: Int32 words, one 64-byte line per group ----

const LINE = 16;
/** Readers stop when this is 1. */
export const STOP = 0;
/** A writer is parked inside a write. */
export const PARKED = 1;
/** Op index of the parked write. */
export const PARKED_OP = 2;
/** Lets a parked writer continue. */
export const RELEASE = 3;
/** Tells a parked writer to die. */
export const KILL = 4;
/** Workers that attached and wait at the start line. */
export const READY = 5;
/** Raised once by the main thread: every waiting worker starts at once. */
export const GO = 6;
/** Gated writers run ops with index below this. */
export const BUDGET = 7;

/** The shared control block: flags plus per-writer progress counters. */
export class Control {
  readonly buffer: SharedArrayBuffer;
  readonly i32: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.i32 = new Int32Array(buffer);
  }

  static create(writers: number): Control {
    return new Control(new SharedArrayBuffer(4 * LINE * (writers + 1)));
  }

  get writers(): number {
    return this.i32.length / LINE - 1;
  }

  flag(word: number): number {
    return Atomics.load(this.i32, word);
  }

  set(word: number, value: number): void {
    Atomics.store(this.i32, word, value);
    Atomics.notify(this.i32, word);
  }

  /** Ops `writer` has completed (published after each op returns). */
  progress(writer: number): number {
    return Atomics.load(this.i32, LINE * (writer + 1));
  }

  setProgress(writer: number, ops: number): void {
    Atomics.store(this.i32, LINE * (writer + 1), ops);
  }

  /**
   * Worker side of the start barrier: announces itself, then blocks until
   * the main thread raises GO (so that all workers start together).
   */
  arriveAndWait(): void {
    Atomics.add(this.i32, READY, 1);
    while (Atomics.load(this.i32, GO) === 0) Atomics.wait(this.i32, GO, 0, 50);
  }

  /** Worker side of the gate: blocks until BUDGET exceeds `op`. */
  awaitBudget(op: number): void {
    while (Atomics.load(this.i32, BUDGET) <= op) {
      Atomics.wait(this.i32, BUDGET, Atomics.load(this.i32, BUDGET), 50);
    }
  }

  /** Every writer's progress, read one after the other. */
  progressAll(): number[] {
    const out: number[] = [];
    for (let w = 0; w < this.writers; w++) out.push(this.progress(w));
    return out;
  }
}
