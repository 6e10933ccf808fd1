/**
 * The demo's main-thread coordinator: owns the current memtable, seals it,
 * hands the fresh one to the writers and the frozen one to the flusher.
 *
 * Who seals: only this thread, so there is never a race between sealers and
 * the generation number is simply a counter here. It seals when the memtable
 * reports backpressure (checked every SEAL_POLL_MS) or when a writer reports
 * a write that failed with OutOfMemory, whichever comes first.
 *
 * Why nothing acknowledged is lost: `seal()` returns only after every write
 * in flight has finished, and from its start every write fails with
 * "Sealed". So the frozen memtable holds exactly the writes that succeeded
 * on it; the failed ones are retried by their writers on the fresh memtable.
 *
 * @module
 */

import { ConcurrentSkipList, type FrozenMemtable } from "../../mod.ts";
import {
  CONTROL_OPS,
  CONTROL_STOP,
  type FromFlusher,
  type FromWriter,
  type ToFlusher,
  type ToWriter,
} from "./protocol.ts";

/** How often the coordinator checks the memtable for backpressure. */
const SEAL_POLL_MS = 4;

export interface CoordinatorOptions {
  workers: number;
  seconds: number;
  memtableBytes: number;
  dir: string;
}

/** What the progress line shows. */
export interface Status {
  elapsedMs: number;
  acknowledged: number;
  memtableFill: number;
  gen: number;
  tablesFlushed: number;
  flushesPending: number;
}

export type WriterReport = Extract<FromWriter, { type: "done" }>;
export type FlushReport = Extract<FromFlusher, { type: "flushed" }>;

export interface RunResult {
  writers: WriterReport[];
  flushes: FlushReport[];
  seals: number;
  sealsOnFull: number;
  sealMsTotal: number;
  writeMs: number;
  /** The process's peak resident memory, sampled at every seal poll. */
  peakRssBytes: number;
  /** The memtable size sealed at. */
  memtableBytes: number;
}

export function tablePath(dir: string, gen: number): string {
  return `${dir}/table-${String(gen).padStart(6, "0")}.fst`;
}

export class Coordinator {
  #options: CoordinatorOptions;
  #list: ConcurrentSkipList;
  #gen = 1;
  #control: Int32Array;
  #writers: Worker[] = [];
  #flusher: Worker | undefined;
  #started = 0;
  #seals = 0;
  #sealsOnFull = 0;
  #sealMsTotal = 0;
  #flushesSent = 0;
  #flushes: FlushReport[] = [];
  /** Frozen memtables whose flush is under way, held until the flusher has attached and written them. */
  #flushing = new Map<number, FrozenMemtable>();
  #reports: WriterReport[] = [];
  /** Settles the run: resolved when everything is flushed, rejected on any worker failure. */
  #settle!: { resolve: () => void; reject: (error: Error) => void };
  #writersDoneAt = 0;
  #peakRssBytes = 0;

  constructor(options: CoordinatorOptions) {
    this.#options = options;
    const maxMemoryBytes = options.memtableBytes;
    this.#list = new ConcurrentSkipList({
      maxMemoryBytes,
      // Deletes are not held back by maxMemoryBytes (tombstones must always get
      // in); the hard ceiling bounds how far they may overshoot it.
      maxArenaBytes: 2 * maxMemoryBytes,
      arenaBytes: Math.min(1 << 20, maxMemoryBytes),
      shards: options.workers,
    });
    this.#control = new Int32Array(new SharedArrayBuffer(4 * (CONTROL_OPS + options.workers)));
  }

  /** Current progress, cheap enough to call many times a second. */
  status(): Status {
    let acknowledged = 0;
    for (let w = 0; w < this.#options.workers; w++) {
      acknowledged += Atomics.load(this.#control, CONTROL_OPS + w);
    }
    return {
      elapsedMs: performance.now() - this.#started,
      acknowledged,
      memtableFill: this.#list.memoryUsage() / this.#options.memtableBytes,
      gen: this.#gen,
      tablesFlushed: this.#flushes.filter((f) => f.path !== null).length,
      flushesPending: this.#flushesSent - this.#flushes.length,
    };
  }

  /**
   * Runs the workload for the configured time, then stops the writers,
   * flushes the last memtable and waits for every flush. Workers stay alive
   * until `terminate()`, which the caller must call (also on failure).
   */
  async run(): Promise<RunResult> {
    const settled = new Promise<void>((resolve, reject) => (this.#settle = { resolve, reject }));
    this.#started = performance.now();
    const poll = setInterval(() => {
      this.#peakRssBytes = Math.max(this.#peakRssBytes, Deno.memoryUsage().rss);
      this.#guard(() => this.#maybeSeal());
    }, SEAL_POLL_MS);
    let stopTimer: ReturnType<typeof setTimeout> | undefined;
    try {
      this.#spawn();
      stopTimer = setTimeout(() => this.#stop(), this.#options.seconds * 1000);
      await settled;
    } finally {
      clearInterval(poll);
      clearTimeout(stopTimer);
    }
    this.#list.release(); // the last fresh memtable, empty: every write was flushed
    return {
      writers: this.#reports.sort((a, b) => a.writer - b.writer),
      flushes: this.#flushes.sort((a, b) => a.gen - b.gen),
      seals: this.#seals,
      sealsOnFull: this.#sealsOnFull,
      sealMsTotal: this.#sealMsTotal,
      writeMs: this.#writersDoneAt - this.#started,
      peakRssBytes: Math.max(this.#peakRssBytes, Deno.memoryUsage().rss),
      memtableBytes: this.#options.memtableBytes,
    };
  }

  /** Terminates every worker (idempotent). */
  terminate(): void {
    for (const worker of this.#writers) worker.terminate();
    this.#flusher?.terminate();
    this.#writers = [];
    this.#flusher = undefined;
  }

  #spawn(): void {
    const fail = (who: string) => (event: ErrorEvent) => {
      event.preventDefault(); // reported through the run's rejection instead
      this.#settle.reject(new Error(`${who} failed: ${event.message}`));
    };
    this.#flusher = new Worker(new URL("./flusher.ts", import.meta.url), { type: "module" });
    this.#flusher.onerror = fail("flusher");
    this.#flusher.onmessage = (event: MessageEvent<FromFlusher>) =>
      this.#guard(() => this.#onFlusher(event.data));
    for (let writer = 0; writer < this.#options.workers; writer++) {
      const worker = new Worker(new URL("./writer.ts", import.meta.url), { type: "module" });
      worker.onerror = fail(`writer ${writer}`);
      worker.onmessage = (event: MessageEvent<FromWriter>) =>
        this.#guard(() => this.#onWriter(event.data));
      this.#writers.push(worker);
      const start: ToWriter = {
        type: "start",
        writer,
        seed: 0x9e3779b9 * (writer + 1),
        control: this.#control.buffer as SharedArrayBuffer,
        gen: this.#gen,
        handle: this.#list.share(),
      };
      worker.postMessage(start);
    }
  }

  /** Runs an event handler; a failure (say, a seal that timed out) fails the run. */
  #guard(handler: () => void): void {
    try {
      handler();
    } catch (error) {
      this.#settle.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #maybeSeal(): void {
    if (this.#list.isUnderBackpressure()) this.#seal();
  }

  /** Seals the current memtable, announces the fresh one, queues the flush. */
  #seal(): void {
    const started = performance.now();
    const sealed = this.#list;
    const [frozen, fresh] = sealed.seal();
    this.#sealMsTotal += performance.now() - started;
    this.#seals++;
    const sealedGen = this.#gen;
    sealed.release(); // the frozen memtable holds the claim now
    this.#flushing.set(sealedGen, frozen);
    this.#list = fresh;
    this.#gen++;
    // Writers first: some may be waiting for a memtable to retry a write on.
    const announce: ToWriter = { type: "memtable", gen: this.#gen, handle: fresh.share() };
    for (const worker of this.#writers) worker.postMessage(announce);
    const flush: ToFlusher = {
      type: "flush",
      gen: sealedGen,
      handle: frozen.share(),
      path: tablePath(this.#options.dir, sealedGen),
    };
    this.#flusher!.postMessage(flush);
    this.#flushesSent++;
  }

  #onWriter(message: FromWriter): void {
    if (message.type === "full") {
      // Only the memtable that is current now: an older one is already sealed.
      if (message.gen === this.#gen) {
        this.#sealsOnFull++;
        this.#seal();
      }
      return;
    }
    this.#reports.push(message);
    if (this.#reports.length === this.#options.workers) {
      this.#writersDoneAt = performance.now();
      // Every writer has stopped: seal the last memtable so it is flushed too.
      this.#seal();
      this.#maybeFinish();
    }
  }

  #onFlusher(message: FromFlusher): void {
    // The flusher attached it and is done with it: the last instance goes, and
    // its memory serves a later memtable (V8 would not collect it in time).
    this.#flushing.get(message.gen)?.release();
    this.#flushing.delete(message.gen);
    if (message.type === "error") {
      this.#settle.reject(new Error(`flush of memtable ${message.gen} failed: ${message.message}`));
      return;
    }
    this.#flushes.push(message);
    this.#maybeFinish();
  }

  #stop(): void {
    // The flag stops writers inside a burst; the message wakes those waiting.
    Atomics.store(this.#control, CONTROL_STOP, 1);
    for (const worker of this.#writers) worker.postMessage({ type: "stop" } satisfies ToWriter);
  }

  #maybeFinish(): void {
    const writersDone = this.#reports.length === this.#options.workers;
    if (writersDone && this.#flushes.length === this.#flushesSent) this.#settle.resolve();
  }
}
