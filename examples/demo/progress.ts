/**
 * The demo's live progress: one line rewritten in place on a terminal, plain
 * periodic lines otherwise (a log file or a test capturing output would
 * otherwise fill up with carriage returns and escape codes).
 *
 * @module
 */

import type { Status } from "./coordinator.ts";

const TERMINAL_INTERVAL_MS = 200;
const PLAIN_INTERVAL_MS = 1000;
const encoder = new TextEncoder();

export const count = (n: number): string => Math.round(n).toLocaleString("en-US");

export function bytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

export class Progress {
  #terminal: boolean;
  #timer: ReturnType<typeof setInterval> | undefined;
  #last = { ms: 0, acknowledged: 0 };
  #shown = false;

  constructor(terminal: boolean) {
    this.#terminal = terminal;
  }

  /** Starts showing `read()` periodically. */
  start(read: () => Status): void {
    const interval = this.#terminal ? TERMINAL_INTERVAL_MS : PLAIN_INTERVAL_MS;
    this.#timer = setInterval(() => this.#show(read()), interval);
  }

  /** Stops and, on a terminal, erases the line so the summary starts clean. */
  stop(): void {
    clearInterval(this.#timer);
    if (this.#terminal && this.#shown) Deno.stdout.writeSync(encoder.encode("\r\x1b[2K"));
  }

  #show(status: Status): void {
    const seconds = (status.elapsedMs - this.#last.ms) / 1000;
    const rate = seconds > 0 ? (status.acknowledged - this.#last.acknowledged) / seconds : 0;
    this.#last = { ms: status.elapsedMs, acknowledged: status.acknowledged };
    const fill = Math.min(999, Math.round(status.memtableFill * 100));
    let line = `${(status.elapsedMs / 1000).toFixed(1).padStart(5)} s ` +
      `${count(rate).padStart(9)} writes/s ${count(status.acknowledged).padStart(11)} total  ` +
      `memtable #${status.gen} ${fill}% full  ${status.tablesFlushed} tables flushed` +
      (status.flushesPending > 0 ? ` (+${status.flushesPending})` : "");
    if (this.#terminal) {
      // A line wider than the terminal would wrap, and "\r" only returns to
      // the start of the last row: the progress would scroll instead of update.
      line = line.slice(0, columns() - 1);
      Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K${line}`));
    } else {
      console.log(line);
    }
    this.#shown = true;
  }
}

function columns(): number {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return 80;
  }
}
