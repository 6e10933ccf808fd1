/**
 * The demo as a user runs it: a subprocess with `--allow-read --allow-write`.
 * A short run must verify every table and clean up after itself; bad usage
 * must give exit code 2 and one line on stderr, never a stack trace.
 */

import assert from "node:assert/strict";
import { Table } from "../../examples/demo/table_format.ts";

const DEMO = new URL("../../examples/demo.ts", import.meta.url).pathname;

async function demo(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-read", "--allow-write", DEMO, ...args],
    stdout: "piped", // not a terminal: the demo prints plain progress lines
    stderr: "piped",
  }).output();
  return { code, out: new TextDecoder().decode(stdout), err: new TextDecoder().decode(stderr) };
}

/** Short and small, so that several memtables are sealed and flushed in 2 s. */
const SHORT = ["--seconds", "2", "--workers", "2", "--memtable-bytes", "256K"];

Deno.test("demo: a short run verifies every table and removes its temporary directory", async () => {
  const { code, out, err } = await demo(...SHORT);
  assert.equal(code, 0, `exit ${code}\n${out}\n${err}`);
  assert.equal(err, "");
  const verify = out.match(/^verify: OK: (\d+) tables read back/m);
  assert.ok(verify, `no verification line in:\n${out}`);
  assert.ok(Number(verify[1]) >= 2, `expected several tables, got ${verify[1]}`);
  assert.match(out, /^writes +[\d,]+ acknowledged/m);
  assert.ok(
    !out.includes("\r") && !out.includes("\x1b["),
    "no in-place progress when stdout is not a terminal",
  );
  const dir = out.match(/tables in (\S+)/)?.[1];
  assert.ok(dir !== undefined);
  assert.throws(() => Deno.statSync(dir), Deno.errors.NotFound, "temporary directory removed");
});

Deno.test("demo: --keep --dir leaves readable, non-empty tables in the directory", async () => {
  const parent = await Deno.makeTempDir({ prefix: "fastskip-demo-test-" });
  try {
    const dir = `${parent}/tables`;
    const { code, out, err } = await demo(...SHORT, "--dir", dir, "--keep");
    assert.equal(code, 0, `exit ${code}\n${out}\n${err}`);
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.ok(files.length >= 2, `tables: ${files}`);
    for (const name of files) {
      assert.match(name, /^table-\d{6}\.fst$/, "no temporary file left behind");
      const table = new Table(Deno.readFileSync(`${dir}/${name}`));
      assert.ok(table.recordCount > 0);
    }
    // A second run into the same directory would mix tables: refused.
    const again = await demo(...SHORT, "--dir", dir);
    assert.equal(again.code, 2);
    assert.match(again.err, /already holds tables/);
  } finally {
    Deno.removeSync(parent, { recursive: true });
  }
});

Deno.test("demo: --help prints the usage and exits 0", async () => {
  const { code, out } = await demo("--help");
  assert.equal(code, 0);
  assert.match(out, /^Usage: deno run --allow-read --allow-write examples\/demo\.ts/);
  for (const option of ["--workers", "--seconds", "--memtable-bytes", "--dir", "--keep"]) {
    assert.ok(out.includes(option), `usage mentions ${option}`);
  }
});

Deno.test("demo: bad usage exits 2 with a one-line message and no stack trace", async (t) => {
  const parent = await Deno.makeTempDir({ prefix: "fastskip-demo-test-" });
  const file = `${parent}/a-file`;
  Deno.writeTextFileSync(file, "");
  const cases: [string[], RegExp][] = [
    [["--bogus"], /unknown option --bogus/],
    [["stray"], /unexpected argument "stray"/],
    [["--workers", "abc"], /--workers expects a whole number, got "abc"/],
    [["--workers=0"], /--workers must be between 1 and 64/],
    [["--seconds", "-1"], /--seconds expects a number/],
    [["--seconds", "ten"], /--seconds expects a number/],
    [["--seconds"], /--seconds needs a value/],
    [["--memtable-bytes", "lots"], /--memtable-bytes expects a size/],
    [["--memtable-bytes", "1K"], /--memtable-bytes must be between 64K and 1G/],
    [["--dir", file], /cannot use --dir .*: not a directory/],
    [["--dir", `${file}/below`], /cannot use --dir .*a-file\/below/],
  ];
  try {
    for (const [args, message] of cases) {
      await t.step(args.join(" "), async () => {
        const { code, out, err } = await demo(...args);
        assert.equal(code, 2, `exit ${code}\n${out}\n${err}`);
        assert.equal(out, "", "nothing on stdout");
        const lines = err.trimEnd().split("\n");
        assert.equal(lines.length, 1, `one line expected:\n${err}`);
        assert.match(lines[0]!, /^demo: /);
        assert.match(lines[0]!, message);
        assert.doesNotMatch(err, /\bat .*:\d+:\d+|Uncaught|Stack/, "no stack trace");
      });
    }
  } finally {
    Deno.removeSync(parent, { recursive: true });
  }
});
