/**
 * Turns the suite's JSON into SVG charts and markdown tables.
 *
 * Reads (each optional) from the results directory:
 * - `single_thread.json`: the output of `deno bench --json bench/single_thread_bench.ts`;
 * - `memory.json`: written by `bench/memory.ts`;
 * - `workers.json`: written by `bench/workers.ts`;
 * - `range.json`: the output of `deno bench --json bench/range_bench.ts`.
 * - `seal_cycles.json`: written by `bench/seal_cycles.ts`;
 * - `deopts.json`: written by `bench/deopts.ts`.
 *
 * Writes `single_thread.svg`, `memory.svg` and `workers.svg` next to them
 * (plain SVG, no dependencies) and prints markdown tables of ratios, plus the
 * project's targets and how far off they are, for the README; the same
 * tables go to `summary.md` there.
 *
 * ```sh
 * deno run --allow-read=bench/results --allow-write=bench/results bench/chart.ts
 * deno run --allow-read --allow-write bench/chart.ts --dir=/tmp/results --stat=min
 * ```
 *
 * `--stat` picks the statistic of `deno bench` used as the time of an
 * iteration: `avg` (default, as `deno bench` prints), `min` or `p75`.
 *
 * @module
 */

import { type DeoptReport, formatDeopts } from "./deopts.ts";
import type { MemoryReport } from "./memory.ts";
import { type RangeBenchJson, rangeTable } from "./range_targets.ts";
import { contendedCycles, drift, formatSealCycles, type SealCyclesReport } from "./seal_cycles.ts";
import { type Design, DESIGNS, type WorkerReport, workerTable } from "./workers.ts";

// ------------------------------------------------------------------ input

interface BenchStats {
  n: number;
  min: number;
  max: number;
  avg: number;
  p75: number;
  p99: number;
}

interface BenchJson {
  version: number;
  runtime: string;
  cpu: string;
  benches: {
    origin: string;
    group: string | null;
    name: string;
    baseline: boolean;
    results: ({ ok: BenchStats } | { failed: unknown })[];
  }[];
}

type Stat = "avg" | "min" | "p75";

/** One row of the single-thread table: one operation at one size. */
interface OpRow {
  op: string;
  size: string;
  /** How an insert iteration was measured ("build" / "into"), else "". */
  mode: string;
  /** Nanoseconds per operation (per entry for scans), by structure name. */
  perOp: Map<string, number>;
  /** The fastskip variant of the row ("fastskip", or a scan variant). */
  fastskip: string;
}

const PEERS = ["sorted-btree", "js-sdsl", "functional-red-black-tree", "sonic-forest AVL"];
const COLORS: Record<string, string> = {
  "fastskip": "#1f77b4",
  "sorted-btree": "#ff7f0e",
  "js-sdsl": "#2ca02c",
  "functional-red-black-tree": "#d62728",
  "sonic-forest AVL": "#9467bd",
};
const DESIGN_COLORS: Record<Design, string> = {
  "shared": "#1f77b4",
  "private": "#aec7e8",
  "postMessage ×1": "#d62728",
  "postMessage batched": "#ff9896",
};

function args(): { dir: string; stat: Stat } {
  let dir = "bench/results";
  let stat: Stat = "avg";
  for (const arg of Deno.args) {
    if (arg.startsWith("--dir=")) dir = arg.slice(6);
    else if (arg.startsWith("--stat=")) {
      const s = arg.slice(7);
      if (s !== "avg" && s !== "min" && s !== "p75") {
        throw new Error(`--stat must be avg, min or p75`);
      }
      stat = s;
    } else throw new Error(`unknown argument ${arg}`);
  }
  return { dir, stat };
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(path)) as T;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new Error(`cannot read ${path}: ${error}`);
  }
}

const GROUP = /^(.*) · (?:(build|into) )?(\S+) \[(\d+) (?:ops|entries)\]$/;

/** Groups the bench results into rows; a scan group gives a live and a frozen row. */
function opRows(json: BenchJson, stat: Stat): OpRow[] {
  const rows = new Map<string, OpRow>();
  for (const bench of json.benches) {
    const m = bench.group === null ? null : GROUP.exec(bench.group);
    const result = bench.results[0];
    if (m === null || result === undefined || !("ok" in result)) continue;
    // Groups 1, 3 and 4 are not optional: a match always sets them.
    const op = m[1]!, mode = m[2] ?? "", size = m[3]!, count = m[4]!;
    const perOp = result.ok[stat] / Number(count);
    const variants = op === "scan"
      ? bench.name.startsWith("fastskip")
        ? [
          bench.name.includes("RawCursor")
            ? "scan (FrozenMemtable, RawCursor)"
            : bench.name.includes("Frozen")
            ? "scan (FrozenMemtable)"
            : "scan (live list)",
        ]
        : ["scan (live list)", "scan (FrozenMemtable)", "scan (FrozenMemtable, RawCursor)"]
      : mode === "build"
      // Build groups also time fastskip without releasing its lists: a row of its own.
      ? bench.name.startsWith("fastskip")
        ? [bench.name.includes("not released") ? `${op} (lists not released)` : op]
        : [op, `${op} (lists not released)`]
      : [op];
    for (const variant of variants) {
      const key = `${variant} · ${size}`;
      let row = rows.get(key);
      if (row === undefined) {
        row = { op: variant, size, mode, perOp: new Map(), fastskip: "fastskip" };
        rows.set(key, row);
      }
      row.perOp.set(bench.name.startsWith("fastskip") ? "fastskip" : bench.name, perOp);
    }
  }
  return [...rows.values()];
}

// ------------------------------------------------------------------ format

function formatTime(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

function ratio(x: number): string {
  return x >= 10 ? `${x.toFixed(0)}×` : `${x.toFixed(2)}×`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Fastest peer of a row: [name, ns per op]. */
function fastestPeer(row: OpRow): [string, number] | undefined {
  let best: [string, number] | undefined;
  for (const peer of PEERS) {
    const t = row.perOp.get(peer);
    if (t !== undefined && (best === undefined || t < best[1])) best = [peer, t];
  }
  return best;
}

function singleThreadTable(rows: OpRow[], stat: Stat): string {
  const lines = [
    `Time of fastskip ÷ time of each peer (${stat}; below 1 = fastskip faster), and fastskip's own time per operation:`,
    "",
    `| operation | N | fastskip per op | ${PEERS.join(" | ")} | ÷ fastest peer |`,
    `| --- | ---: | ---: | ${PEERS.map(() => "---:").join(" | ")} | ---: |`,
  ];
  for (const row of rows) {
    const ours = row.perOp.get("fastskip");
    if (ours === undefined) continue;
    const cells = PEERS.map((peer) => {
      const t = row.perOp.get(peer);
      return t === undefined ? "–" : ratio(ours / t);
    });
    const best = fastestPeer(row);
    const op = row.mode === "" ? row.op : `${row.op} (${row.mode})`;
    lines.push(
      `| ${op} | ${row.size} | ${formatTime(ours)} | ${cells.join(" | ")} | ${
        best === undefined ? "–" : `**${ratio(ours / best[1])}** (${best[0]})`
      } |`,
    );
  }
  lines.push(
    "",
    "Inserts up to 100k build a fresh structure per iteration (time per insert over the whole build); " +
      "above 100k they add 2000 keys to the full structure per iteration (random keys, or keys above the largest).",
  );
  return lines.join("\n");
}

// ------------------------------------------------------------------ svg

class Svg {
  #parts: string[] = [];
  constructor(readonly width: number, readonly height: number) {}
  text(x: number, y: number, text: string, attrs = ""): void {
    this.#parts.push(
      `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(text)}</text>`,
    );
  }
  rect(x: number, y: number, w: number, h: number, fill: string, title?: string): void {
    const t = title === undefined ? "" : `<title>${escapeXml(title)}</title>`;
    this.#parts.push(
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, w).toFixed(1)}" height="${
        h.toFixed(1)
      }" fill="${fill}">${t}</rect>`,
    );
  }
  line(x1: number, y1: number, x2: number, y2: number, attrs: string): void {
    this.#parts.push(
      `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${
        y2.toFixed(1)
      }" ${attrs}/>`,
    );
  }
  toString(): string {
    return [
      // Generated: `deno fmt` would otherwise re-wrap it (and `--check` fail) after every run.
      "<!-- deno-fmt-ignore-file -->",
      `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" ` +
      `viewBox="0 0 ${this.width} ${this.height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
      `<rect width="100%" height="100%" fill="white"/>`,
      ...this.#parts,
      "</svg>",
      "",
    ].join("\n");
  }
}

function legend(svg: Svg, x: number, y: number, entries: [string, string][]): void {
  let at = x;
  for (const [label, color] of entries) {
    svg.rect(at, y - 10, 12, 12, color);
    svg.text(at + 16, y, label);
    at += 30 + label.length * 7;
  }
}

/**
 * One row per operation and size, one bar per peer: fastskip's time ÷ the
 * peer's, on a log axis centred on 1 (left: fastskip faster).
 */
function singleThreadSvg(rows: OpRow[], runtime: string, stat: Stat): string {
  const barH = 7, rowGap = 8, plotW = 560, top = 70;
  // Room for the longest row label ("scan (FrozenMemtable, RawCursor) · 100k") at ~7 px a character.
  const labelW = 20 + 7 * Math.max(0, ...rows.map((row) => `${row.op} · ${row.size}`.length));
  const rowH = PEERS.length * barH + rowGap;
  const height = top + rows.length * rowH + 50;
  const svg = new Svg(labelW + plotW + 90, height);
  const lo = 1 / 16, hi = 16;
  const xOf = (r: number) =>
    labelW +
    (Math.log2(Math.min(hi, Math.max(lo, r))) - Math.log2(lo)) / (Math.log2(hi) - Math.log2(lo)) *
      plotW;
  svg.text(
    10,
    20,
    `fastskip vs JS ordered maps, one thread: time of fastskip ÷ time of peer (${stat})`,
    'font-size="15" font-weight="bold"',
  );
  svg.text(
    10,
    38,
    `left of 1× = fastskip faster; dashed line = target 0.5× · ${runtime}`,
    'fill="#555"',
  );
  legend(svg, 10, 58, PEERS.map((p) => [p, COLORS[p]!])); // COLORS names every peer
  for (const tick of [1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8, 16]) {
    const x = xOf(tick);
    svg.line(x, top - 4, x, top + rows.length * rowH, `stroke="${tick === 1 ? "#000" : "#ddd"}"`);
    svg.text(
      x,
      top + rows.length * rowH + 16,
      tick < 1 ? `1/${1 / tick}` : `${tick}×`,
      'text-anchor="middle" fill="#555"',
    );
  }
  svg.line(
    xOf(0.5),
    top - 4,
    xOf(0.5),
    top + rows.length * rowH,
    'stroke="#1f77b4" stroke-dasharray="4 3"',
  );
  rows.forEach((row, i) => {
    const y = top + i * rowH;
    const ours = row.perOp.get("fastskip");
    const op = row.mode === "" ? row.op : `${row.op} (${row.mode})`;
    svg.text(labelW - 8, y + rowH / 2, `${op} · ${row.size}`, 'text-anchor="end"');
    if (ours === undefined) return;
    PEERS.forEach((peer, j) => {
      const t = row.perOp.get(peer);
      if (t === undefined) return;
      const r = ours / t;
      const x0 = xOf(1), x1 = xOf(r);
      svg.rect(
        Math.min(x0, x1),
        y + j * barH,
        Math.abs(x1 - x0),
        barH - 1,
        COLORS[peer]!,
        `${peer}: ${ratio(r)}`,
      );
    });
  });
  svg.text(
    labelW + plotW / 2,
    height - 12,
    "fastskip time ÷ peer time (log scale)",
    'text-anchor="middle"',
  );
  return svg.toString();
}

function memorySvg(report: MemoryReport): string {
  const labelW = 200, plotW = 520, barH = 22, top = 60;
  const rows = report.rows;
  const height = top + rows.length * (barH + 8) + 50;
  const svg = new Svg(labelW + plotW + 120, height);
  const max = Math.max(64, ...rows.map((r) => r.bytesPerEntry)) * 1.05;
  const xOf = (b: number) => labelW + (b / max) * plotW;
  svg.text(
    10,
    20,
    `Memory per entry, ${report.n} entries (${report.keyBytes}-byte keys, ${report.valueBytes}-byte values)`,
    'font-size="15" font-weight="bold"',
  );
  legend(svg, 10, 42, [["structure (nodes / arena)", "#1f77b4"], [
    "keys and values as JS Uint8Arrays",
    "#c7c7c7",
  ]]);
  rows.forEach((r, i) => {
    const y = top + i * (barH + 8);
    const node = r.nodeBytesPerEntry;
    svg.text(labelW - 8, y + barH / 2 + 4, r.name, 'text-anchor="end"');
    svg.rect(
      labelW,
      y,
      xOf(node) - labelW,
      barH,
      r.arenaUsedBytes > 0 ? "#1f77b4" : COLORS[r.name] ?? "#888",
    );
    svg.rect(xOf(node), y, xOf(r.bytesPerEntry) - xOf(node), barH, "#c7c7c7");
    svg.text(xOf(r.bytesPerEntry) + 6, y + barH / 2 + 4, `${r.bytesPerEntry.toFixed(1)} B`);
  });
  const x64 = xOf(64);
  svg.line(
    x64,
    top - 6,
    x64,
    top + rows.length * (barH + 8),
    'stroke="#000" stroke-dasharray="4 3"',
  );
  svg.text(x64, height - 28, "target 64 B", 'text-anchor="middle"');
  svg.text(
    labelW + plotW / 2,
    height - 10,
    "bytes per entry (JS heap after gc, plus fastskip's arena)",
    'text-anchor="middle" fill="#555"',
  );
  return svg.toString();
}

function workersSvg(report: WorkerReport): string {
  const configs: [number, number][] = [];
  for (const row of report.rows) {
    if (!configs.some(([w, r]) => w === row.workers && r === row.readPercent)) {
      configs.push([row.workers, row.readPercent]);
    }
  }
  const barW = 11, groupGap = 18, left = 70, top = 70, plotH = 300;
  const groupW = DESIGNS.length * barW + groupGap;
  const width = left + configs.length * groupW + 30;
  const svg = new Svg(Math.max(width, 760), top + plotH + 80);
  const values = report.rows.map((r) => r.opsPerSecond).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const yOf = (v: number) =>
    top + plotH -
    (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) * plotH;
  svg.text(
    10,
    20,
    `Workers on one list: ops/s of all workers together (log scale), ${report.cores} cores`,
    'font-size="15" font-weight="bold"',
  );
  legend(
    svg,
    10,
    44,
    DESIGNS.map((d) => [
      d === "postMessage batched" ? `postMessage ×${report.batch}` : d,
      DESIGN_COLORS[d],
    ]),
  );
  for (let v = lo; v <= hi; v *= 10) {
    svg.line(left, yOf(v), left + configs.length * groupW, yOf(v), 'stroke="#ddd"');
    svg.text(
      left - 6,
      yOf(v) + 4,
      v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : `${v}`,
      'text-anchor="end" fill="#555"',
    );
  }
  configs.forEach(([w, r], i) => {
    const x = left + i * groupW + groupGap / 2;
    DESIGNS.forEach((d, j) => {
      const row = report.rows.find((row) =>
        row.design === d && row.workers === w && row.readPercent === r
      );
      if (row === undefined) return;
      const y = yOf(row.opsPerSecond);
      svg.rect(
        x + j * barW,
        y,
        barW - 1,
        top + plotH - y,
        DESIGN_COLORS[d],
        `${d}: ${Math.round(row.opsPerSecond)} ops/s`,
      );
    });
    svg.text(x + (DESIGNS.length * barW) / 2, top + plotH + 16, `${r}%`, 'text-anchor="middle"');
    if (i === 0 || configs[i - 1]![0] !== w) {
      svg.text(x, top + plotH + 34, `${w} worker${w === 1 ? "" : "s"}`, 'fill="#555"');
    }
  });
  svg.text(left, top + plotH + 56, "reads % per configuration", 'fill="#555"');
  return svg.toString();
}

// ------------------------------------------------------------------ targets

function targets(
  rows: OpRow[],
  memory: MemoryReport | undefined,
  workers: WorkerReport | undefined,
  seal: SealCyclesReport | undefined,
): string {
  const lines = ["| target | measured | met? |", "| --- | --- | :---: |"];
  const sizes = [...new Set(rows.map((r) => r.size))];
  const largest = sizes.at(-1);
  const at = (op: string) => rows.find((r) => r.op === op && r.size === largest);
  for (const op of ["insert random", "insert sequential", "get hit", "get miss", "seek + 10"]) {
    const row = at(op);
    const ours = row?.perOp.get("fastskip");
    const best = row === undefined ? undefined : fastestPeer(row);
    if (ours === undefined || best === undefined) continue;
    const r = ours / best[1];
    lines.push(
      `| ${op} at ${largest}: ≤ 0.5× the fastest peer's time | ${ratio(r)} of ${best[0]} (${
        formatTime(ours)
      } vs ${formatTime(best[1])}) | ${r <= 0.5 ? "yes" : "no"} |`,
    );
  }
  // A flush reads a frozen memtable through its allocation-free cursor.
  const scan = at("scan (FrozenMemtable, RawCursor)") ?? at("scan (FrozenMemtable)");
  const frozen = scan?.perOp.get("fastskip");
  const bestScan = scan === undefined ? undefined : fastestPeer(scan);
  if (frozen !== undefined && bestScan !== undefined) {
    const r = frozen / bestScan[1];
    lines.push(
      `| frozen iteration (${
        scan!.op.includes("RawCursor") ? "RawCursor" : "Entry"
      }) at ${largest}: ≤ 1× the fastest peer's time | ${ratio(r)} of ${bestScan[0]} (${
        formatTime(frozen)
      } vs ${formatTime(bestScan[1])} per entry) | ${r <= 1 ? "yes" : "no"} |`,
    );
  }
  const fast = memory?.rows.find((r) => r.name === "fastskip");
  if (fast !== undefined) {
    lines.push(
      `| memory: ≤ 64 B per entry (16 B keys, 8 B values) | ${fast.bytesPerEntry.toFixed(1)} B | ${
        fast.bytesPerEntry <= 64 ? "yes" : "no"
      } |`,
    );
  }
  if (workers !== undefined) {
    const get = (d: string) =>
      workers.rows.find((r) => r.design === d && r.workers === 2 && r.readPercent === 0)
        ?.opsPerSecond;
    const shared = get("shared"),
      priv = get("private"),
      pm = get("postMessage ×1"),
      pmb = get("postMessage batched");
    if (shared !== undefined && priv !== undefined) {
      const r = shared / priv;
      lines.push(
        `| 2 writers, one shared list: ≥ 80 % of two private lists | ${(r * 100).toFixed(0)} % | ${
          r >= 0.8 ? "yes" : "no"
        } |`,
      );
    }
    if (shared !== undefined && pm !== undefined) {
      const r = shared / pm;
      lines.push(
        `| 2 writers: ≥ 5× owner worker + postMessage (one op per message) | ${r.toFixed(1)}× | ${
          r >= 5 ? "yes" : "no"
        } |`,
      );
    }
    if (shared !== undefined && pmb !== undefined) {
      const r = shared / pmb;
      lines.push(
        `| (same, ${workers.batch} ops per message) | ${r.toFixed(1)}× | ${
          r >= 5 ? "yes" : "no"
        } |`,
      );
    }
  }
  const r = seal === undefined ? undefined : drift(seal);
  if (seal !== undefined && r !== undefined) {
    const noisy = contendedCycles(seal).length > 0 ? " (shared machine: noise, see above)" : "";
    lines.push(
      `| seal cycles: fill ${seal.cycles} ≤ 1.10× fill 2 (${seal.n} keys each) | ${
        r.toFixed(2)
      }×${noisy} | ${r <= 1.1 ? "yes" : "no"} |`,
    );
  }
  return lines.join("\n");
}

// ------------------------------------------------------------------ main

function main(): void {
  const { dir, stat } = args();
  const bench = readJson<BenchJson>(`${dir}/single_thread.json`);
  const memory = readJson<MemoryReport>(`${dir}/memory.json`);
  const workers = readJson<WorkerReport>(`${dir}/workers.json`);
  const out: string[] = [];
  let rows: OpRow[] = [];
  if (bench !== undefined) {
    rows = opRows(bench, stat);
    Deno.writeTextFileSync(`${dir}/single_thread.svg`, singleThreadSvg(rows, bench.runtime, stat));
    out.push(
      `### Single thread (${bench.runtime}, ${bench.cpu})`,
      "",
      singleThreadTable(rows, stat),
      "",
    );
  } else {
    out.push(`(no ${dir}/single_thread.json)`, "");
  }
  if (memory !== undefined) {
    Deno.writeTextFileSync(`${dir}/memory.svg`, memorySvg(memory));
    const n = memory.n;
    out.push(
      `### Memory per entry (${n} entries, ${memory.keyBytes}-byte keys, ${memory.valueBytes}-byte values)`,
      "",
      "| structure | bytes/entry | structure alone | keys and values as JS objects |",
      "| --- | ---: | ---: | ---: |",
      ...memory.rows.map((r) =>
        `| ${r.name} | ${r.bytesPerEntry.toFixed(1)} | ${r.nodeBytesPerEntry.toFixed(1)} | ${
          (r.bytesPerEntry - r.nodeBytesPerEntry).toFixed(1)
        } |`
      ),
      "",
      "fastskip: arena bytes allocated (keys and values copied in) plus its JS heap; peers: JS heap after gc, " +
        "which leaves out V8's off-heap bookkeeping per ArrayBuffer (so the peers' figures are lower bounds).",
      "",
    );
  }
  if (workers !== undefined) {
    Deno.writeTextFileSync(`${dir}/workers.svg`, workersSvg(workers));
    out.push(
      `### Workers (ops/s of all workers together; median of ${workers.repeats} runs of ${workers.seconds} s, prefill ${workers.prefill}, ${workers.cores} cores)`,
      "",
      workerTable(workers),
      "",
    );
  }
  const seal = readJson<SealCyclesReport>(`${dir}/seal_cycles.json`);
  if (seal !== undefined) out.push("### Seal cycles", "", formatSealCycles(seal), "");
  const deopts = readJson<DeoptReport>(`${dir}/deopts.json`);
  if (deopts !== undefined) out.push("### Deoptimizations", "", formatDeopts(deopts), "");
  out.push("### Targets", "", targets(rows, memory, workers, seal), "");
  const ranges = readJson<RangeBenchJson>(`${dir}/range.json`);
  if (ranges !== undefined) {
    out.push(
      "### Range reads (ratios to each group's forward baseline, `bench/range_bench.ts`)",
      "",
      rangeTable(ranges, stat),
      "",
    );
  }
  const summary = out.join("\n");
  // Kept beside the JSON it was made from, for the README to point at.
  Deno.writeTextFileSync(`${dir}/summary.md`, `<!-- deno-fmt-ignore-file -->\n\n${summary}`);
  console.log(summary);
}

if (import.meta.main) main();
