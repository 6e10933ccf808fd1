/**
 * Every TypeScript snippet of the READMEs passes `deno check` and `deno lint` exactly as written,
 * so what a user copies compiles and meets the linter's recommended rules.
 *
 * Each snippet is written to a temporary file inside this repository, where the package's own
 * name resolves to `./mod.ts` (Deno resolves a package's name, bare or as `jsr:`, to its own
 * exports inside it), so `"@fastskip/fastskip"` needs neither JSR nor a rewrite: the snippet is
 * checked byte for byte. Each is checked on its own, as a user's file would be: a worker snippet's
 * `/// <reference lib="deno.worker" />` would otherwise give every other snippet a worker's globals.
 */

import assert from "node:assert/strict";
import { codeBlocks } from "./markdown.ts";
import { ROOT, runDeno } from "./repository.ts";

/** The Markdown files whose snippets users copy. */
const READMES = ["README.md", "examples/README.md"];
const TYPESCRIPT = new Set(["ts", "typescript"]);

Deno.test("README.md has TypeScript snippets for this test to check", async () => {
  const markdown = await Deno.readTextFile(new URL("README.md", ROOT));
  const snippets = codeBlocks(markdown).filter((block) => TYPESCRIPT.has(block.language));
  assert.ok(snippets.length >= 3, `found ${snippets.length} ts blocks in README.md`);
});

Deno.test("every README TypeScript snippet passes deno check and deno lint as written", async (t) => {
  // Inside tests/ (excluded from the package, covered by deno.json's compiler options).
  const directory = await Deno.makeTempDir({ dir: new URL("tests/docs/", ROOT).pathname });
  try {
    for (const readme of READMES) {
      const markdown = await Deno.readTextFile(new URL(readme, ROOT));
      for (const snippet of codeBlocks(markdown)) {
        if (!TYPESCRIPT.has(snippet.language)) continue;
        const where = `${readme}:${snippet.line}`;
        await t.step(where, async () => {
          const file = `${directory}/${readme.replaceAll("/", "_")}_line_${snippet.line}.ts`;
          await Deno.writeTextFile(file, snippet.code);
          const check = await runDeno("check", file);
          assert.equal(check.code, 0, `the snippet at ${where} fails deno check:\n${check.output}`);
          const lint = await runDeno("lint", file);
          assert.equal(lint.code, 0, `the snippet at ${where} fails deno lint:\n${lint.output}`);
        });
      }
    }
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
