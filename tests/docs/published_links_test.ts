/**
 * The JSR package is clean to publish, and every relative link and image in the Markdown it
 * publishes (README.md, which JSR shows as the package's page, and what it links to) points at a
 * file inside the package and, with a `#fragment`, at a heading of that file: JSR renders only
 * what was published, so a target left out of `deno.json`'s `publish` is a broken link or image.
 */

import assert from "node:assert/strict";
import { headingAnchors, linkTargets } from "./markdown.ts";
import { type DryRun, publishDryRun } from "./published_files.ts";
import { ROOT } from "./repository.ts";

// One dry run for both tests, started inside the first one that needs it.
let cached: Promise<DryRun> | undefined;
const dryRun = (): Promise<DryRun> => cached ??= publishDryRun();

/** A target with a scheme (`https:`, `mailto:`) is not a file of the package. */
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

Deno.test("deno publish --dry-run succeeds and lists the package's files", async () => {
  const { code, output, files } = await dryRun();
  assert.equal(code, 0, `deno publish --dry-run failed:\n${output}`);
  for (const file of ["README.md", "LICENSE", "deno.json", "mod.ts"]) {
    assert.ok(files.has(file), `${file} is not among the published files:\n${output}`);
  }
  assert.ok(![...files].some((file) => file.startsWith("tests/")), "tests/ is published");
});

Deno.test("every relative link and image in the published Markdown resolves inside the package", async () => {
  const { files } = await dryRun();
  const markdownFiles = [...files].filter((file) => file.endsWith(".md"));
  assert.ok(markdownFiles.includes("README.md"), "README.md is published");
  const anchors = new Map<string, Set<string>>();
  const anchorsOf = async (file: string) => {
    if (!anchors.has(file)) {
      anchors.set(file, headingAnchors(await Deno.readTextFile(new URL(file, ROOT))));
    }
    return anchors.get(file)!;
  };
  const broken: string[] = [];
  let checked = 0;
  for (const source of markdownFiles) {
    for (
      const { line, target, image } of linkTargets(await Deno.readTextFile(new URL(source, ROOT)))
    ) {
      if (ABSOLUTE.test(target)) continue;
      checked++;
      const where = `${source}:${line}: ${image ? "image" : "link"} ${target}`;
      const [path = "", fragment] = target.split("#", 2);
      const file = path === ""
        ? source
        : decodeURIComponent(new URL(path, new URL(source, ROOT)).href.slice(ROOT.href.length));
      if (!files.has(file)) {
        broken.push(`${where}: ${file} is not in the package`);
      } else if (fragment !== undefined && file.endsWith(".md")) {
        if (!(await anchorsOf(file)).has(fragment)) {
          broken.push(`${where}: ${file} has no heading #${fragment}`);
        }
      }
    }
  }
  assert.ok(checked > 0, "the published Markdown has relative links to check");
  assert.deepEqual(broken, [], `broken links and images:\n${broken.join("\n")}`);
});
