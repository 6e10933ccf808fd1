/**
 * Multi-worker throughput: 1, 2 and 4 workers running a read/write mix
 * (0 %, 50 %, 90 %, 100 % reads, as Pebble's arenaskl `BenchmarkReadWrite`)
 * for a fixed time (after an untimed warm-up), in four designs:
 *
 * | design | what the workers do |
 * | --- | --- |
 * | shared | all attach ONE fastskip list (`list.share()` → `ConcurrentSkipList.attach`) |
 * | private | each builds its own fastskip list: the parallel ceiling, measured in the same run |
 * | postMessage ×1 | one extra owner worker holds a `sorted-btree`; each worker posts it one operation and awaits the reply before the next (what users build today) |
 * | postMessage ×B | the same, B operations per message (batching), one message in flight per worker |
 *
 * Every list or tree starts with the same prefill; reads look up a random
 * prefilled key (all must hit), writes insert a key no other worker writes
 * (all must succeed). Keys are regenerated in place, so no design allocates
 * per key. Throughput is Σ ops / elapsed over the workers; each
 * configuration runs `FASTSKIP_WORKERS_REPEATS` times, the designs
 * interleaved, and the median is reported. After a shared run the list's size
 * must be prefill + writes and `validate()` must pass.
 *
 * ```sh
 * deno run --allow-read --allow-write=bench/results --allow-env bench/workers.ts
 * ```
 *
 * Environment: `FASTSKIP_WORKERS_SECONDS` (timed part of a run, default 0.5),
 * `FASTSKIP_WORKERS_REPEATS` (default 3),
 * `FASTSKIP_WORKERS_PREFILL` (default 100000), `FASTSKIP_WORKERS_COUNTS`
 * (default `1,2,4`), `FASTSKIP_WORKERS_READS` (default `0,50,90,100`),
 * `FASTSKIP_WORKERS_BATCH` (default 128), `FASTSKIP_RESULTS` (default
 * `bench/results`).
 *
 * @module
 */

import { ConcurrentSkipList } from "../mod.ts";
import { FASTSKIP_OPTIONS } from "./peers.ts";
import {
  CONTROL_START,
  type OwnerInit,
  prefill,
  type WorkerInit,
  type WorkerReply,
  type WorkerResult,
} from "./workers/protocol.ts";
import { envOr } from "./env.ts";

/** The designs, in the order each configuration runs them. */
export const DESIGNS = ["shared", "private", "postMessage ×1", "postMessage batched"] as const;
export type Design = typeof DESIGNS[number];

/** One configuration: one design, one worker count, one read share. */
export interface WorkerRow {
  design: Design;
  workers: number;
  readPercent: number;
  /** Median of `samples`. */
  opsPerSecond: number;
  /** Ops/s of each repetition. */
  samples: number[];
  /** What each worker reported, per repetition. */
  runs: WorkerResult[][];
}

/** What `workers.json` holds. */
export interface WorkerReport {
  kind: "fastskip.workers";
  runtime: string;
  date: string;
  cores: number;
  seconds: number;
  repeats: number;
  prefill: number;
  batch: number;
  rows: WorkerRow[];
}

const list = (text: string) => text.split(",").map((s) => Number(s.trim()));
const SECONDS = Number(envOr("FASTSKIP_WORKERS_SECONDS", "0.5"));
const REPEATS = Number(envOr("FASTSKIP_WORKERS_REPEATS", "3"));
const PREFILL = Number(envOr("FASTSKIP_WORKERS_PREFILL", "100000"));
const COUNTS = list(envOr("FASTSKIP_WORKERS_COUNTS", "1,2,4"));
const READS = list(envOr("FASTSKIP_WORKERS_READS", "0,50,90,100"));
const BATCH = Number(envOr("FASTSKIP_WORKERS_BATCH", "128"));
const OUT_DIR = envOr("FASTSKIP_RESULTS", "bench/results");
/** Longest wait for a worker's answer before the run is declared hung. */
const REPLY_TIMEOUT_MS = 60_000 + SECONDS * 1000;

/** A worker and the queue of what it said. */
class Agent {
  readonly worker: Worker;
  #replies: WorkerReply[] = [];
  #waiting: ((reply: WorkerReply) => void) | undefined;

  constructor(module: string) {
    this.worker = new Worker(new URL(module, import.meta.url).href, { type: "module" });
    this.worker.onmessage = (event) => this.#deliver(event.data as WorkerReply);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.#deliver({ type: "error", message: event.message });
    };
  }

  #deliver(reply: WorkerReply): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting !== undefined) waiting(reply);
    else this.#replies.push(reply);
  }

  /** The next message of type `type`; throws on an error message or a timeout. */
  async expect<T extends WorkerReply["type"]>(type: T): Promise<Extract<WorkerReply, { type: T }>> {
    const reply = this.#replies.shift() ?? await new Promise<WorkerReply>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${type}" from a worker`)),
        REPLY_TIMEOUT_MS,
      );
      this.#waiting = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
    });
    if (reply.type === "error") throw new Error(`worker failed: ${reply.message}`);
    if (reply.type !== type) {
      throw new Error(`expected "${type}" from a worker, got "${reply.type}"`);
    }
    return reply as Extract<WorkerReply, { type: T }>;
  }
}

/** One timed run of a configuration: every worker's result. */
async function runOnce(
  design: Design,
  workers: number,
  readPercent: number,
): Promise<WorkerResult[]> {
  const control = new SharedArrayBuffer(4 * 16);
  const agents: Agent[] = [];
  let shared: ConcurrentSkipList | undefined;
  try {
    const base = {
      worker: 0,
      readPercent,
      prefill: PREFILL,
      seconds: SECONDS,
      batch: design === "postMessage batched" ? BATCH : 1,
      control,
    };
    if (design === "shared" || design === "private") {
      let handle: unknown;
      if (design === "shared") {
        const list = shared = new ConcurrentSkipList(FASTSKIP_OPTIONS);
        prefill(PREFILL, (k, v) => list.insert(k, v));
        handle = list.share();
      }
      for (let w = 0; w < workers; w++) {
        const agent = new Agent("./workers/skiplist_worker.ts");
        agents.push(agent);
        const init: WorkerInit = { ...base, design: design, worker: w, handle };
        agent.worker.postMessage(init);
      }
    } else {
      const owner = new Agent("./workers/btree_owner.ts");
      agents.push(owner);
      const channels = Array.from({ length: workers }, () => new MessageChannel());
      const ports = channels.map((c) => c.port1);
      owner.worker.postMessage({ prefill: PREFILL, ports } satisfies OwnerInit, ports);
      await owner.expect("ready");
      for (let w = 0; w < workers; w++) {
        const agent = new Agent("./workers/btree_client.ts");
        agents.push(agent);
        const port = channels[w]!.port2;
        const init: WorkerInit = { ...base, design: "postMessage", worker: w, port };
        agent.worker.postMessage(init, [port]);
      }
    }
    const runners = design.startsWith("postMessage") ? agents.slice(1) : agents;
    for (const agent of runners) await agent.expect("ready");

    const words = new Int32Array(control);
    Atomics.store(words, CONTROL_START, 1); // go
    Atomics.notify(words, CONTROL_START);
    const perWorker: WorkerResult[] = [];
    for (const agent of runners) perWorker.push((await agent.expect("done")).result);

    for (const r of perWorker) {
      if (r.hits !== r.reads || r.stored !== r.writes) {
        throw new Error(
          `${design}: worker ${r.worker} hit ${r.hits}/${r.reads} reads, stored ${r.stored}/${r.writes} writes`,
        );
      }
    }
    if (shared !== undefined) {
      const expected = PREFILL + perWorker.reduce((sum, r) => sum + r.stored, 0);
      if (shared.size !== expected) {
        throw new Error(`shared list holds ${shared.size}, expected ${expected}`);
      }
      // ...and the structure is sound (every level sorted, a sublist of the one below).
      const report = shared.validate();
      if (report.entries !== expected) {
        throw new Error(
          `shared list: validate() walked ${report.entries} entries, expected ${expected}`,
        );
      }
    }
    return perWorker;
  } finally {
    for (const agent of agents) agent.worker.terminate();
  }
}

function formatOps(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(0)} k`;
  return x.toFixed(0);
}

/** The markdown matrix of a report (also used by chart.ts). */
export function workerTable(report: WorkerReport): string {
  const find = (d: Design, w: number, r: number) =>
    report.rows.find((row) => row.design === d && row.workers === w && row.readPercent === r);
  const lines = [
    `| workers | reads | shared | private (ceiling) | postMessage ×1 | postMessage ×${report.batch} | shared / private | shared / postMessage ×1 | shared / postMessage ×${report.batch} |`,
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const workers = [...new Set(report.rows.map((r) => r.workers))];
  const reads = [...new Set(report.rows.map((r) => r.readPercent))];
  for (const w of workers) {
    for (const r of reads) {
      const ops = DESIGNS.map((d) => find(d, w, r)?.opsPerSecond);
      if (ops[0] === undefined) continue;
      const cell = (x: number | undefined) => x === undefined ? "–" : formatOps(x);
      const ratio = (x: number | undefined, label: (v: number) => string) =>
        x === undefined ? "–" : label(ops[0]! / x);
      lines.push(
        `| ${w} | ${r} % | ${ops.map(cell).join(" | ")} | ${
          ratio(ops[1], (v) => `${(v * 100).toFixed(0)} %`)
        } | ${ratio(ops[2], (v) => `${v.toFixed(1)}×`)} | ${
          ratio(ops[3], (v) => `${v.toFixed(1)}×`)
        } |`,
      );
    }
  }
  return lines.join("\n");
}

/** Total throughput of one run: Σ over workers of ops / elapsed. */
function throughput(run: WorkerResult[]): number {
  return run.reduce((sum, r) => sum + r.ops / (r.elapsedMs / 1000), 0);
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error("bench workers: median() of no samples");
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const rows: WorkerRow[] = [];
  for (const workers of COUNTS) {
    for (const readPercent of READS) {
      const config = DESIGNS.map((design): WorkerRow => ({
        design,
        workers,
        readPercent,
        opsPerSecond: 0,
        samples: [],
        runs: [],
      }));
      // Repetitions interleave the designs, so that a change in the machine's
      // load hits all of them alike; the median of each is reported.
      for (let rep = 0; rep < REPEATS; rep++) {
        for (const row of config) {
          const run = await runOnce(row.design, workers, readPercent);
          row.runs.push(run);
          row.samples.push(throughput(run));
        }
      }
      for (const row of config) {
        row.opsPerSecond = median(row.samples);
        rows.push(row);
        console.error(
          `${row.design.padEnd(20)} workers ${workers} reads ${
            String(readPercent).padStart(3)
          } % ` +
            `${formatOps(row.opsPerSecond).padStart(9)} ops/s (${
              row.samples.map(formatOps).join(", ")
            })`,
        );
      }
    }
  }
  const report: WorkerReport = {
    kind: "fastskip.workers",
    runtime: `Deno ${Deno.version.deno} (V8 ${Deno.version.v8})`,
    date: new Date().toISOString(),
    cores: navigator.hardwareConcurrency,
    seconds: SECONDS,
    repeats: REPEATS,
    prefill: PREFILL,
    batch: BATCH,
    rows,
  };
  console.log(
    `\nThroughput (ops/s, all workers together; median of ${REPEATS} runs of ${SECONDS} s), ` +
      `prefill ${PREFILL}, ${report.cores} cores\n`,
  );
  console.log(workerTable(report));
  Deno.mkdirSync(OUT_DIR, { recursive: true });
  const path = `${OUT_DIR}/workers.json`;
  Deno.writeTextFileSync(path, JSON.stringify(report, null, 2) + "\n");
  console.log(`\nwrote ${path}`);
}

if (import.meta.main) await main();
