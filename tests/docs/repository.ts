/** Where the documentation tests run: the repository root, and `deno` run there. */

/** The repository root, where `deno.json` is. */
export const ROOT: URL = new URL("../../", import.meta.url);

/** What a `deno` subcommand did: its exit code and its output (stdout, then stderr), uncoloured. */
export interface DenoRun {
  code: number;
  output: string;
}

/** Runs `deno <args>` (this same executable) in the repository root. */
export async function runDeno(...args: string[]): Promise<DenoRun> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
}
