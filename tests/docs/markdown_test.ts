import assert from "node:assert/strict";
import { codeBlocks, headingAnchors, linkTargets } from "./markdown.ts";

const SAMPLE = [
  "# Title", // 1
  "", // 2
  'See [the guide](docs/guide.md#setup) and ![a chart](bench/chart.svg "Chart").', // 3
  "`[Symbol.dispose]()` is code, [Install](#install) an anchor.", // 4
  "", // 5
  "```ts", // 6
  'import { x } from "./x.ts";', // 7
  "[not](a-link.md)", // 8
  "```", // 9
  "", // 10
  '<img src="logo.png" width="40"> and [a [nested] label](nested.md)', // 11
  "", // 12
  "````sh", // 13
  "```", // 14
  "````", // 15
  "", // 16
  "## Install", // 17
  "## Install", // 18
  "[ref]: reference.md", // 19
].join("\n");

Deno.test("codeBlocks() finds each fenced block with its language and fence lines", () => {
  assert.deepEqual(codeBlocks(SAMPLE), [
    { language: "ts", line: 6, end: 9, code: 'import { x } from "./x.ts";\n[not](a-link.md)\n' },
    { language: "sh", line: 13, end: 15, code: "```\n" },
  ]);
});

Deno.test("codeBlocks() rejects a block that never closes, naming its line", () => {
  assert.throws(() => codeBlocks("text\n```ts\nconst a = 1;\n"), /line 2 never closes/);
});

Deno.test("linkTargets() finds links and images outside code, with their lines", () => {
  assert.deepEqual(linkTargets(SAMPLE), [
    { line: 3, target: "docs/guide.md#setup", image: false },
    { line: 3, target: "bench/chart.svg", image: true },
    { line: 4, target: "#install", image: false },
    { line: 11, target: "nested.md", image: false },
    { line: 11, target: "logo.png", image: true },
    { line: 19, target: "reference.md", image: false },
  ]);
});

Deno.test("headingAnchors() slugs headings as GitHub does, numbering repeats", () => {
  assert.deepEqual(headingAnchors(SAMPLE), new Set(["title", "install", "install-1"]));
  assert.deepEqual(
    headingAnchors("## Limits and platform notes\n## Many workers, one list"),
    new Set(["limits-and-platform-notes", "many-workers-one-list"]),
  );
});
