/**
 * What a worker module needs from its global scope, typed without the
 * `deno.worker` lib (so the suite type-checks as one program, in Deno and Bun).
 *
 * @module
 */

import type { FromWorker, ToWorker } from "./protocol.ts";

/** The worker's global scope, as far as the suite uses it. */
export interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
  /** Ends this worker; in Deno 2.9.6 it stops the isolate on the spot. */
  close(): void;
}

/** This worker's scope. */
export const scope: WorkerScope = globalThis as unknown as WorkerScope;

/**
 * Yields to the event loop cheaply (a reused MessageChannel round trip,
 * ~8 µs; a `setTimeout(0)` costs ~2 ms in a Deno worker), so that messages
 * get through. A pending `terminate()` may take many such turns to land: use
 * {@link timerTurn} where it must land at once.
 */
export function makeYield(): () => Promise<void> {
  const channel = new MessageChannel();
  let resume: (() => void) | null = null;
  channel.port1.onmessage = () => {
    const r = resume;
    resume = null;
    r?.();
  };
  return () =>
    new Promise<void>((resolve) => {
      resume = resolve;
      channel.port2.postMessage(0);
    });
}

/**
 * Yields to the event loop through a timer (~2 ms in a Deno worker). Unlike
 * a MessageChannel turn, after which Deno 2.9.6 may keep running the worker
 * for tens of thousands of ops, a timer turn is where a pending terminate()
 * lands at once.
 */
export function timerTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Collects problems: keeps the first few descriptions, counts all. */
export class Problems {
  readonly list: string[] = [];
  count = 0;

  add(message: string): void {
    this.count++;
    if (this.list.length < 20) this.list.push(message);
  }
}

/** Describes an unexpected exception. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
