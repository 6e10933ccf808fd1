/**
 * Main-thread side of the concurrency suite: spawning workers (always
 * terminated in `finally`), typed message exchange with timeouts, running a
 * scenario's writers (and readers) from start barrier to `done`, and waiting
 * on shared flags. The checks of what they leave behind are in checks.ts.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { ConcurrentSkipList } from "../../../mod.ts";
import type { HistoryLog } from "./history.ts";
import {
  Control,
  type Done,
  type FromWorker,
  GO,
  type ReaderTask,
  READY,
  STOP,
  type ToWorker,
  type WriterTask,
} from "./protocol.ts";
import { writerTask } from "./scenario.ts";
import type { Workload } from "./workload.ts";

/** Worker modules of the suite. */
export const WRITER_URL: string = new URL("../workers/writer.ts", import.meta.url).href;
export const READER_URL: string = new URL("../workers/reader.ts", import.meta.url).href;

/** Generous bound on any single wait: a hang fails the test instead of the run. */
export const WAIT_MS = 120_000;

/** A worker with a typed mailbox. */
export class Agent {
  readonly worker: Worker;
  readonly name: string;
  #inbox: FromWorker[] = [];
  #waiters: (() => void)[] = [];
  #crash: string | null = null;
  #terminated = false;

  constructor(url: string, name: string) {
    this.name = name;
    this.worker = new Worker(url, { type: "module", name });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => {
      this.#inbox.push(event.data);
      this.#wake();
    };
    this.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#crash = `${this.name} crashed: ${event.message}`;
      this.#wake();
    };
    this.worker.onmessageerror = () => {
      this.#crash = `${this.name} sent a message that could not be deserialized`;
      this.#wake();
    };
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Why this worker is out (crashed, or reported "failed"), or null. */
  trouble(): string | null {
    if (this.#crash !== null) return this.#crash;
    const failed = this.#inbox.find((m) => m.type === "failed");
    return failed?.type === "failed" ? `${this.name} failed: ${failed.error}` : null;
  }

  send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  /** The next message of type `type` (earlier ones of other types stay queued). */
  async receive<K extends FromWorker["type"]>(
    type: K,
    timeoutMs: number = WAIT_MS,
  ): Promise<Extract<FromWorker, { type: K }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#inbox.findIndex((m) => m.type === type || m.type === "failed");
      if (index >= 0) {
        const message = this.#inbox.splice(index, 1)[0]!; // index >= 0: one message comes out
        if (message.type === "failed" && type !== "failed") {
          throw new Error(`${this.name} failed: ${message.error}`);
        }
        return message as Extract<FromWorker, { type: K }>;
      }
      if (this.#crash !== null) throw new Error(this.#crash);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: no "${type}" message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.push(done);
      });
    }
  }

  /** Waits for `done` and asserts the worker found no problem. */
  async finish(timeoutMs: number = WAIT_MS): Promise<Done> {
    const done = await this.receive("done", timeoutMs);
    assert.equal(
      done.problemCount,
      0,
      `${this.name} found ${done.problemCount} problems:\n  ${done.problems.join("\n  ")}`,
    );
    return done;
  }

  /** Ends the worker at its next event-loop turn; it sends nothing after that. */
  terminate(): void {
    this.#terminated = true;
    this.worker.terminate();
    this.#wake();
  }

  /** Whether {@link terminate} was called. */
  get terminated(): boolean {
    return this.#terminated;
  }
}

/**
 * Runs `body` with freshly spawned workers (one per spec: its module and name) and
 * terminates every one of them afterwards, whatever happens.
 */
export async function withAgents<T>(
  specs: readonly { url: string; name: string }[],
  body: (agents: Agent[]) => Promise<T>,
): Promise<T> {
  const agents: Agent[] = [];
  try {
    for (const spec of specs) agents.push(new Agent(spec.url, spec.name));
    return await body(agents);
  } finally {
    for (const agent of agents) agent.terminate();
  }
}

/**
 * One scenario's writers: the task fields they share (any {@link WriterTask}
 * field; the rest take {@link writerTask}'s defaults), the list they attach
 * to, and what runs beside them.
 */
export interface WriterPlan
  extends Partial<Omit<WriterTask, "type" | "handle" | "control" | "log">> {
  /** The list every writer (and reader) attaches to, by `list.share()`. */
  readonly list: ConcurrentSkipList;
  readonly seed: number;
  readonly workload: Workload;
  /** Ops per writer (see {@link WriterTask.ops}). */
  readonly ops: number;
  /** How many writers: worker ids `0 … workers - 1`. */
  readonly workers: number;
  /** The history log every writer records into. */
  readonly log?: HistoryLog;
  /** Fields of writer `worker`'s task that differ from the shared ones. */
  readonly each?: (worker: number) => Partial<WriterTask>;
  /**
   * Readers walking the list while the writers write: how many, and their
   * task fields (the seed defaults to the writers'). They are told to stop
   * (STOP) once every writer is done, then waited for.
   */
  readonly readers?:
    & { readonly count: number }
    & Pick<ReaderTask, "preloaded">
    & Partial<Pick<ReaderTask, "seed" | "walks">>;
  /** false: a writer reporting problems does not fail the test (see `Done.problemCount`). */
  readonly clean?: boolean;
}

/** What a scenario's `during` step works with. */
export interface WriterRun {
  /** The writers by worker id, then the readers. */
  readonly agents: Agent[];
  /** The control block of the run, sized for `workers` writers. */
  readonly control: Control;
}

/** How a scenario ended. */
export interface Finished<T> {
  /** The writers' `done` messages in worker order (a terminated writer's left out). */
  readonly done: Done[];
  /** The readers' `done` messages in reader order. */
  readonly readers: Done[];
  /** What `during` returned. */
  readonly result: T;
}

/**
 * Spawns the writers (and readers) of `plan`, sends each its task, starts
 * them all at once, runs `during` (the main thread's part of the scenario),
 * then waits for every writer's `done` (a writer `during` terminated sends
 * none and is skipped), raises STOP and waits for the readers; every worker
 * is terminated afterwards, whatever happens. With `clean` (the default) a
 * worker that reports any problem fails the test.
 */
export async function runWriters<T = void>(
  plan: WriterPlan,
  during: (run: WriterRun) => Promise<T> = () => Promise.resolve(undefined as T),
): Promise<Finished<T>> {
  const { list, log, each, readers = { count: 0, preloaded: [] }, clean = true, ...shared } = plan;
  const { count: readerCount, ...reading } = readers;
  const control = Control.create(plan.workers);
  const specs = [
    ...writers(plan.workers),
    ...Array.from({ length: readerCount }, (_, i) => ({ url: READER_URL, name: `reader ${i}` })),
  ];
  return await withAgents(specs, async (agents) => {
    for (let worker = 0; worker < plan.workers; worker++) {
      agents[worker]!.send(writerTask({
        ...shared,
        handle: list.share(),
        control: control.buffer,
        log: log?.buffer ?? null,
        worker,
        ...each?.(worker),
      }));
    }
    for (let reader = 0; reader < readerCount; reader++) {
      agents[plan.workers + reader]!.send({
        type: "read",
        handle: list.share(),
        control: control.buffer,
        reader,
        seed: plan.seed,
        writers: plan.workers,
        writerSeed: plan.seed,
        workload: plan.workload,
        ...reading,
      });
    }
    await startTogether(control, agents.length);
    const result = await during({ agents, control });
    const done: Done[] = [];
    for (const agent of agents.slice(0, plan.workers)) {
      if (agent.terminated) continue;
      done.push(clean ? await agent.finish() : await agent.receive("done"));
    }
    control.set(STOP, 1);
    const readerDone: Done[] = [];
    for (const agent of agents.slice(plan.workers)) readerDone.push(await agent.finish());
    return { done, readers: readerDone, result };
  });
}

/** `count` writer specs named `writer 0`, `writer 1`, … */
export function writers(count: number, prefix = "writer"): { url: string; name: string }[] {
  return Array.from({ length: count }, (_, i) => ({ url: WRITER_URL, name: `${prefix} ${i}` }));
}

/**
 * Main side of the start barrier: waits until `count` workers wait at the
 * start line, then starts them all at once.
 */
export async function startTogether(control: Control, count: number): Promise<void> {
  await waitUntil(() => control.flag(READY) >= count, `${count} workers are ready`);
  control.set(GO, 1);
}

/** As {@link waitUntil}, but throws as soon as one of `agents` crashes or fails. */
export async function waitWhileHealthy(
  agents: readonly Agent[],
  condition: () => boolean,
  what: string,
  timeoutMs: number = WAIT_MS,
): Promise<void> {
  await waitUntil(
    () => {
      for (const agent of agents) {
        const trouble = agent.trouble();
        if (trouble !== null) throw new Error(`while waiting until ${what}: ${trouble}`);
      }
      return condition();
    },
    what,
    timeoutMs,
  );
}

/** Resolves after `ms` milliseconds (the timer never outlives the promise). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every millisecond until it holds; throws after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs: number = WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await delay(1);
  }
}

/** Counts ops across the suite's tests (printed per test). */
export function report(test: string, facts: Record<string, number | string>): void {
  const parts = Object.entries(facts).map(([k, v]) => `${k}=${v}`);
  console.log(`  [${test}] ${parts.join(" ")}`);
}
