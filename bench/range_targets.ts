/**
 * The range benchmarks' targets, as a markdown table: each row of
 * `range_bench.ts` as a ratio to its group's baseline, against the target
 * the group sets (see that file). Used by `chart.ts`.
 *
 * @module
 */

/** The parts of `deno bench --json` output read here. */
export interface RangeBenchJson {
  benches: {
    group: string | null;
    name: string;
    baseline: boolean;
    results: ({ ok: Record<"avg" | "min" | "p75", number> } | { failed: unknown })[];
  }[];
}

/** Target ratio of each group (by the start of its name), and what it is measured against. */
const TARGETS: [prefix: string, target: number][] = [
  ["reverse scan · frozen", 2],
  ["reverse scan · live list", 3],
  ["bounded", 1],
  ["merge", 3],
];

/** The table, with one row per measured variant; `stat` picks the statistic. */
export function rangeTable(json: RangeBenchJson, stat: "avg" | "min" | "p75"): string {
  const lines = [
    "| group | variant | ÷ baseline | target | met |",
    "| --- | --- | ---: | ---: | :-: |",
  ];
  const groups = new Map<string, { baseline?: number; rows: [string, number][] }>();
  for (const bench of json.benches) {
    const result = bench.results[0];
    if (bench.group === null || result === undefined || !("ok" in result)) continue;
    const group = groups.get(bench.group) ?? { rows: [] };
    groups.set(bench.group, group);
    if (bench.baseline) group.baseline = result.ok[stat];
    else group.rows.push([bench.name, result.ok[stat]]);
  }
  for (const [name, group] of groups) {
    const target = TARGETS.find(([prefix]) => name.startsWith(prefix))?.[1];
    for (const [variant, time] of group.rows) {
      if (group.baseline === undefined || target === undefined) continue;
      const ratio = time / group.baseline;
      lines.push(
        `| ${name} | ${variant} | ${ratio.toFixed(2)}× | ≤ ${target}× | ${
          ratio <= target ? "yes" : "no"
        } |`,
      );
    }
  }
  return lines.join("\n");
}
