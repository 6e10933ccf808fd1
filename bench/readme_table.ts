/**
 * README's table of the single-thread run: fastskip ÷ the fastest peer per
 * operation and size, fastskip's own time in brackets, beside the previous
 * committed run, read from two `summary.md` files that `deno task bench`
 * wrote (`bench/chart.ts`).
 *
 * ```sh
 * git show HEAD:bench/results/summary.md > /tmp/previous_summary.md
 * deno run --allow-read bench/readme_table.ts bench/results/summary.md /tmp/previous_summary.md
 * ```
 *
 * @module
 */

/** README's rows, and the summary's operation names they take (a build up to 100k, an insert into 1M). */
const ROWS: [row: string, operations: string[]][] = [
  ["insert random", ["insert random (build)", "insert random (into)"]],
  ["insert sequential", ["insert sequential (build)", "insert sequential (into)"]],
  ["put overwrite", ["put overwrite"]],
  ["get hit", ["get hit"]],
  ["get miss", ["get miss"]],
  ["seek + 10", ["seek + 10"]],
  ["scan (FrozenMemtable, RawCursor)", ["scan (FrozenMemtable, RawCursor)"]],
  ["scan (FrozenMemtable)", ["scan (FrozenMemtable)"]],
  ["scan (live list)", ["scan (live list)"]],
];
const SIZES = ["10k", "100k", "1M"];

/** `operation size` → [ratio to the fastest peer, fastskip's time], from one summary. */
function parse(path: string): Map<string, [string, string]> {
  const cells = new Map<string, [string, string]>();
  for (const line of Deno.readTextFileSync(path).split("\n")) {
    const columns = line.split("|").map((cell) => cell.trim());
    // | operation | N | fastskip per op | peers… | **ratio** (peer) |
    const ratio = /^\*\*([\d.]+×)\*\*/.exec(columns.at(-2) ?? "")?.[1];
    if (ratio === undefined || columns.length < 6) continue;
    const key = `${columns[1]} ${columns[2]}`;
    if (!cells.has(key)) cells.set(key, [ratio, columns[3]!]);
  }
  return cells;
}

const [currentPath, previousPath] = Deno.args;
if (currentPath === undefined || previousPath === undefined) {
  throw new TypeError("readme_table.ts: give this run's summary.md and the previous one");
}
const current = parse(currentPath);
const previous = parse(previousPath);
const find = (cells: Map<string, [string, string]>, operations: string[], size: string) =>
  operations.map((operation) => cells.get(`${operation} ${size}`)).find((cell) => cell);

console.log(
  "| operation | 10k | 100k | 1M | previous run: 10k / 100k / 1M |\n| --- | ---: | ---: | ---: | ---: |",
);
for (const [row, operations] of ROWS) {
  const now = SIZES.map((size) => {
    const cell = find(current, operations, size);
    return cell === undefined ? "–" : `${cell[0]} (${cell[1]})`;
  });
  const before = SIZES.map((size) => find(previous, operations, size)?.[0] ?? "–");
  console.log(`| ${row} | ${now.join(" | ")} | ${before.join(" / ")} |`);
}
