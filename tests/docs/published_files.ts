/**
 * The files `deno publish` would put in the JSR package, from its dry run. The dry run works
 * offline: it resolves the package, checks it for slow types and lists the files, without
 * contacting JSR.
 */

import { ROOT, runDeno } from "./repository.ts";

/** The result of a dry run: its exit code, its whole output, and the files it lists. */
export interface DryRun {
  code: number;
  output: string;
  /** Paths relative to the repository root, with `/` separators. */
  files: Set<string>;
}

/**
 * Runs `deno publish --dry-run` in the repository root. `--allow-dirty` because the tests run on
 * working trees with uncommitted changes, which change what is published but not which files.
 */
export async function publishDryRun(): Promise<DryRun> {
  const { code, output } = await runDeno("publish", "--dry-run", "--allow-dirty");
  const files = new Set<string>();
  // Each published file is one line: `   file:///path/to/repo/README.md (28.42KB)`.
  for (const match of output.matchAll(/^\s+(file:\/\/\S+) \([\d.]+[KMG]?B\)$/gm)) {
    const url = match[1]!;
    if (url.startsWith(ROOT.href)) files.add(decodeURIComponent(url.slice(ROOT.href.length)));
  }
  return { code, output, files };
}
