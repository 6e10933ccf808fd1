/**
 * fastskip end-to-end demo: a tiny LSM write path.
 *
 *   deno run --allow-read --allow-write examples/demo.ts [--workers N] [--seconds S]
 *     [--memtable-bytes B] [--dir PATH] [--keep] [--help]
 *
 * Writer workers put and delete keys in one shared memtable; when it nears its
 * `maxMemoryBytes` the main thread seals it, hands writers the fresh memtable,
 * and a flusher worker writes the frozen one to a sorted table file
 * (`demo/table_format.ts` documents the format). At the end every table is
 * read back and checked against every write the writers saw succeed.
 *
 * Permissions: --allow-read (the worker modules), --allow-write (the tables).
 * Exit codes: 0 verified, 1 verification or a worker failed, 2 bad usage.
 *
 * @module
 */

import { Coordinator, type RunResult } from "./demo/coordinator.ts";
import { type DemoOptions, parseArgs, USAGE, UsageError } from "./demo/options.ts";
import { bytes, count, Progress } from "./demo/progress.ts";
import { type VerifyResult, verifyTables } from "./demo/verify.ts";

/** Where the tables go, and whether the demo created the directory (then it removes it). */
interface TableDir {
  path: string;
  created: boolean;
}

async function main(args: string[]): Promise<number> {
  let options: DemoOptions;
  let dir: TableDir;
  try {
    options = parseArgs(args);
    if (options.help) {
      console.log(USAGE);
      return 0;
    }
    checkReadPermission();
    dir = await prepareDir(options.dir);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`demo: ${error.message} (see --help)`);
    return 2;
  }

  console.log(
    `fastskip demo: ${options.workers} writers for ${options.seconds} s, ` +
      `memtable sealed near ${bytes(options.memtableBytes)}, tables in ${dir.path}`,
  );
  const started = performance.now();
  const coordinator = new Coordinator({ ...options, dir: dir.path });
  const progress = new Progress(Deno.stdout.isTerminal());
  let run: RunResult | undefined;
  try {
    progress.start(() => coordinator.status());
    run = await coordinator.run();
  } catch (error) {
    console.error(`demo: ${(error as Error).message}`);
    return 1;
  } finally {
    progress.stop();
    coordinator.terminate(); // always: a live worker would keep the process running
    if (run === undefined) cleanUp(dir, options.keep);
  }

  const verifyStart = performance.now();
  const tables = run.flushes.flatMap((f) =>
    f.path === null ? [] : [{ gen: f.gen, bytes: Deno.readFileSync(f.path) }]
  );
  const verdict = verifyTables(tables, run.writers);
  const verifyMs = performance.now() - verifyStart;
  printSummary(run, verdict, verifyMs);
  cleanUp(dir, options.keep);
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return verdict.problemCount === 0 ? 0 : 1;
}

/**
 * Workers load their modules with the program's read permission; without it
 * each worker would die with its own uncaught error. Say it once, up front.
 */
function checkReadPermission(): void {
  const modules = new URL("../", import.meta.url); // the worker modules and the library they import
  if (Deno.permissions.querySync({ name: "read", path: modules }).state !== "granted") {
    throw new UsageError(
      `needs --allow-read (at least for ${decodeURIComponent(modules.pathname)})`,
    );
  }
}

/** Creates or checks the table directory; any problem is a usage error. */
async function prepareDir(requested: string | undefined): Promise<TableDir> {
  let dir: TableDir | undefined;
  try {
    if (requested === undefined) {
      dir = { path: await Deno.makeTempDir({ prefix: "fastskip-demo-" }), created: true };
    } else {
      dir = { path: requested, created: false };
      try {
        if (!Deno.statSync(requested).isDirectory) throw new UsageError("not a directory");
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        Deno.mkdirSync(requested, { recursive: true });
        dir.created = true;
      }
      for (const entry of Deno.readDirSync(requested)) {
        if (/^table-\d+\.fst$/.test(entry.name)) {
          throw new UsageError(`it already holds tables of an earlier run (${entry.name})`);
        }
      }
    }
    // Fail now rather than in the flusher halfway through the run: do once
    // what the flusher and the verifier do (write, rename, read, remove).
    const probe = `${dir.path}/.fastskip-demo-probe`;
    Deno.writeFileSync(`${probe}.tmp`, new Uint8Array(1));
    Deno.renameSync(`${probe}.tmp`, probe);
    Deno.readFileSync(probe);
    Deno.removeSync(probe);
    return dir;
  } catch (error) {
    if (dir?.created) {
      try {
        Deno.removeSync(dir.path, { recursive: true });
      } catch { /* best effort: the message below matters more */ }
    }
    const what = requested === undefined
      ? "cannot create a temporary directory"
      : `cannot use --dir ${requested}`;
    throw new UsageError(`${what}: ${(error as Error).message}`);
  }
}

/**
 * Removes what the demo wrote, unless --keep: its own directory, or in a
 * --dir the table files (prepareDir made sure none were there before).
 */
function cleanUp(dir: TableDir, keep: boolean): void {
  if (keep) {
    console.log(`tables kept in ${dir.path}`);
    return;
  }
  try {
    if (dir.created) {
      Deno.removeSync(dir.path, { recursive: true });
      return;
    }
    for (const entry of Deno.readDirSync(dir.path)) {
      if (/^table-\d+\.fst(\.tmp)?$/.test(entry.name)) Deno.removeSync(`${dir.path}/${entry.name}`);
    }
  } catch (error) {
    console.error(`demo: could not remove the tables: ${(error as Error).message}`);
  }
}

function printSummary(run: RunResult, verdict: VerifyResult, verifyMs: number): void {
  const sum = (pick: (w: RunResult["writers"][number]) => number) =>
    run.writers.reduce((total, w) => total + pick(w), 0);
  const puts = sum((w) => w.puts);
  const deletes = sum((w) => w.deletes);
  const written = run.flushes.filter((f) => f.path !== null);
  const flushMs = written.reduce((total, f) => total + f.ms, 0);
  const tableBytes = written.reduce((total, f) => total + f.bytes, 0);
  const records = written.reduce((total, f) => total + f.records, 0);
  const tombstones = written.reduce((total, f) => total + f.tombstones, 0);

  console.log(
    `writes     ${count(puts + deletes)} acknowledged (${count(puts)} puts, ${
      count(deletes)
    } deletes), ` +
      `${count((puts + deletes) / (run.writeMs / 1000))} writes/s`,
  );
  console.log(
    `memtables  ${run.seals} sealed (${run.sealsOnFull} on a writer's request; seal() took ` +
      `${(run.sealMsTotal / Math.max(1, run.seals)).toFixed(2)} ms on average); writers retried ` +
      `${count(sum((w) => w.retries))} writes on a fresh memtable, waiting ${
        count(sum((w) => w.waitMs))
      } ms in all`,
  );
  console.log(
    `memory     peak resident ${bytes(run.peakRssBytes)} for memtables of ${
      bytes(run.memtableBytes)
    } (each frozen memtable released after its flush, so its memory serves a later one)`,
  );
  console.log(
    `tables     ${written.length} flushed: ${bytes(tableBytes)}, ${count(records)} records ` +
      `(${count(tombstones)} tombstones), ${
        (flushMs / Math.max(1, written.length)).toFixed(1)
      } ms per flush`,
  );
  if (verdict.problemCount === 0) {
    console.log(
      `verify: OK: ${verdict.tables} tables read back, ${count(verdict.records)} records match, ` +
        `${count(verdict.keys)} keys hold their last acknowledged write in their newest table ` +
        `(${(verifyMs / 1000).toFixed(1)} s)`,
    );
  } else {
    console.log(`verify: FAILED: ${verdict.problemCount} problems`);
    for (const text of verdict.problems) console.log(`  ${text}`);
  }
}

if (import.meta.main) {
  Deno.exitCode = await main(Deno.args);
}
