/**
 * Every example runs on its own, with exactly the permissions its header
 * states (`--no-prompt`: a missing permission fails instead of asking), and
 * exits 0. The examples assert what they show, so this is their test.
 */

import assert from "node:assert/strict";

/** [file, permissions, arguments]: keep in step with examples/README.md. */
const EXAMPLES: [string, string[], string[]][] = [
  ["quick_start.ts", [], []],
  ["lsm_lifecycle.ts", [], []],
  ["snapshots.ts", [], []],
  ["range_scan.ts", [], []],
  ["latest_n.ts", [], []],
  ["workers.ts", ["--allow-read"], []],
  ["seal_under_load.ts", ["--allow-read"], []],
  ["level_store.ts", ["--allow-read"], []],
  ["cache_server.ts", ["--allow-net"], ["--self-test"]],
];

const examples = new URL("../../examples/", import.meta.url);

Deno.test("each example runs with its stated permissions and exits 0", async (t) => {
  for (const [file, permissions, args] of EXAMPLES) {
    await t.step(file, async () => {
      const path = new URL(file, examples).pathname;
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-prompt", ...permissions, path, ...args],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const out = new TextDecoder().decode(stdout);
      const err = new TextDecoder().decode(stderr);
      assert.equal(code, 0, `${file} exited ${code}\n${out}\n${err}`);
      assert.match(out, /: ok\b/, `${file} did not report ok:\n${out}`);
    });
  }
});

Deno.test("the cache server refuses bad arguments with one line and exit code 2", async (t) => {
  const path = new URL("cache_server.ts", examples).pathname;
  for (const args of [["--port", "abc"], ["--port"], ["--bogus"], ["--port", "8000", "extra"]]) {
    await t.step(args.join(" "), async () => {
      const { code, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-prompt", "--allow-net", path, ...args],
        stdout: "null",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(stderr).trim();
      assert.equal(code, 2, err);
      assert.equal(err.split("\n").length, 1, `one line: ${err}`);
      assert.match(err, /^cache_server: .*usage:/);
      assert.doesNotMatch(err, /\bat \S+:\d+/, "no stack trace");
    });
  }
});
