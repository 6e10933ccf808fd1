/**
 * abstract-level's own compliance suite (`abstract-level/test`), run against
 * FastskipLevel with tape, as memory-level runs it against itself.
 *
 *   deno run --allow-read --allow-env tests/level/abstract_level_suite.ts
 *
 * Prints each failed assertion and a summary line with the count of
 * assertions; exits non-zero when one failed or none ran.
 *
 * @module
 */

import tape from "tape";
import suite from "abstract-level/test/index.js";
import { FastskipLevel } from "../../level.ts";

interface Row {
  type: string;
  ok?: boolean;
  name?: string;
  id?: number;
  test?: number;
  operator?: string;
  actual?: unknown;
  expected?: unknown;
  error?: unknown;
}

const harness = tape.createHarness();
const names = new Map<number, string>();
let assertions = 0;
let failures = 0;

harness.createStream({ objectMode: true }).on("data", (row: Row) => {
  if (row.type === "test" && row.id !== undefined) names.set(row.id, row.name ?? "");
  if (row.type !== "assert") return;
  assertions++;
  if (row.ok) return;
  failures++;
  console.log(
    `not ok ${assertions} ${names.get(row.test ?? -1) ?? "?"}: ${row.name} (${row.operator})`,
  );
  console.log("  expected:", row.expected, " actual:", row.actual);
  if (row.error instanceof Error && row.error.stack) console.log(row.error.stack);
});

harness.onFinish(() => {
  console.log(
    `abstract-level suite on FastskipLevel: ${assertions} assertions, ${
      assertions - failures
    } passed, ${failures} failed`,
  );
  Deno.exit(failures === 0 && assertions > 0 ? 0 : 1);
});

suite({ test: harness, factory: (options?: object) => new FastskipLevel(options) });
