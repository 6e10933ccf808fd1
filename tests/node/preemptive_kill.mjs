/**
 * Node: writers terminated at random instructions lose nothing.
 *
 * Node's `worker.terminate()` interrupts running JavaScript wherever it is
 * (V8 TerminateExecution; `finally` blocks do not run), unlike Deno's, which
 * waits for the event loop. So here a kill lands inside a write: between its
 * announcement and its link, between the link and the commit, between the
 * commit and the statistics, or between two writes.
 *
 * Each round: WRITERS workers share one list, each writing in a tight
 * synchronous loop (`kill_writer.mjs`) and logging every write it got back
 * (`kill_log.mjs`); after a random few milliseconds the main thread
 * terminates some or all of them, a random few milliseconds apart, and stops
 * the rest. Then:
 *
 * - the list holds every acknowledged write with its exact value (latest
 *   acknowledged put or insert per key; an acknowledged delete a tombstone),
 *   and nothing else but at most one in-flight write per dead writer, each
 *   the op right after that writer's last acknowledgement;
 * - `validate({ quiescent: false })` passes (a dead writer may have left a
 *   write in flight, so the live list is not held to exact counts);
 * - fresh workers attach the list and overwrite, delete and insert: their
 *   writes are all there;
 * - `seal({ timeoutMs: 50 })` never times out when no dead writer died
 *   inside a write call; when it times out it throws SealError "Timeout",
 *   counting at most as many writes in flight as writers died in a call (a
 *   call is more than the announced part of a write, so a dead writer in a
 *   call need not hold the seal up); `seal({ force: true })` then gives a
 *   frozen memtable whose `validate()` passes and whose `size`,
 *   `avgKeySize()` (over the keys the walk yields, tombstoned ones too) and
 *   `avgValueSize()` (over every value version stored, overwritten ones
 *   too, as the logs give them) are exact.
 *
 * Kills that land between a write's commit and its statistics are rare (a
 * kill takes effect where V8 checks for interrupts: loop back edges and
 * calls), so the rounds are many. A round's ops and kill schedule come from
 * its seed; where the kills land depends on timing.
 *
 * CI runs (node:test's TAP ends with "# pass N" / "# fail M"):
 *
 *   deno bundle --quiet mod.ts -o /tmp/fastskip.mjs
 *   node --test-reporter=tap tests/node/preemptive_kill.mjs /tmp/fastskip.mjs [rounds] [seed]
 */

import assert from "node:assert/strict";
import test from "node:test";
import { Worker } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { deriveSeed, KeyCodec, Rng } from "./kill_codec.mjs";
import { ACKED, createLog, readLog, STOP } from "./kill_log.mjs";
import { checkLookups, checkReader, Model } from "./kill_model.mjs";

const bundle = process.argv[2];
if (!bundle) {
  console.error("usage: node tests/node/preemptive_kill.mjs <bundle.mjs> [rounds] [seed]");
  process.exit(2);
}
/** A command-line argument, checked; `fallback` when it is not given. */
function argument(index, name, fallback, valid) {
  const text = process.argv[index];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!valid(value)) {
    console.error(
      `preemptive_kill.mjs: ${name} must be ${valid.what}, received ${JSON.stringify(text)}`,
    );
    process.exit(2);
  }
  return value;
}
const positive = Object.assign((x) => Number.isInteger(x) && x >= 1, {
  what: "a positive integer",
});
const integer = Object.assign((x) => Number.isInteger(x), { what: "an integer" });
const ROUNDS = argument(3, "rounds", 40, positive);
const SEED = argument(4, "seed", 0x6b11_0001, integer);
const { ConcurrentSkipList, SealError } = await import(pathToFileURL(bundle).href);

/** Writers that may be killed. */
const WRITERS = 3;
/** Workers that write after the kills (writer ids WRITERS, WRITERS + 1, ...). */
const FRESH_WRITERS = 2;
const FRESH_OPS = 2_000;
/** Records per writer log: far more than a writer reaches before it is killed. */
const LOG_CAPACITY = 1 << 18;
/** Acknowledged writes each writer has made before the first kill: all are in their loops. */
const WARM_UP = 200;
/** Kills come a random 0 .. MAX_DELAY_MS apart. */
const MAX_DELAY_MS = 4;
/** Chance that a writer is killed (at least one is, each round). */
const KILL_CHANCE = 0.75;
/** Random keys read back with get() at each check, besides the in-flight ones. */
const LOOKUPS = 300;
const SEAL_TIMEOUT_MS = 50;

const totals = {
  rounds: 0,
  killed: 0,
  killedInWrite: 0,
  acknowledged: 0,
  inFlightFound: 0,
  sealTimeouts: 0,
  sizeDrifts: [],
  averageDrifts: 0,
  failedRounds: [],
  lagReported: 0,
};

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the main thread for `ms` (fractions too): the writers run on. */
function sleep(ms) {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Starts a writer's worker; it loads the module, then waits for its task. */
function spawnWriter(writer) {
  const worker = new Worker(new URL("./kill_writer.mjs", import.meta.url), {
    workerData: { bundle },
  });
  const agent = { writer, worker, log: null, error: null, exited: false };
  worker.on("error", (error) => agent.error = error);
  worker.on("exit", () => agent.exited = true);
  agent.done = new Promise((resolve, reject) => {
    worker.on("message", resolve);
    worker.on("error", reject);
    worker.on("exit", (code) => reject(new Error(`writer ${writer} exited with code ${code}`)));
  });
  agent.done.catch(() => {}); // a killed writer never replies
  return agent;
}

/** Gives `agent` its task: write on `list` (`pool`: key ids it may overwrite and delete). */
function assign(agent, list, seed, ops, pool) {
  agent.log = createLog(ops === Infinity ? LOG_CAPACITY : ops);
  agent.worker.postMessage({
    handle: list.share(),
    log: agent.log,
    writer: agent.writer,
    seed,
    ops,
    pool,
  });
}

/** Waits (yielding to the event loop) until `ready()`; fails if a writer failed or quit. */
async function until(agents, ready, what) {
  while (!ready()) {
    for (const agent of agents) {
      if (agent.error) {
        throw new Error(`writer ${agent.writer} failed before ${what}`, { cause: agent.error });
      }
      assert.ok(!agent.exited, `writer ${agent.writer} exited before ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Lets `agent` (not killed) finish; returns its log. */
async function finish(agent) {
  const reply = await agent.done;
  const log = readLog(agent.log);
  assert.equal(log.inFlight, null, `writer ${agent.writer} stopped, yet has a write in flight`);
  assert.deepEqual(reply, { ops: log.acked }, `writer ${agent.writer} reported its writes`);
  return log;
}

/** The writers that die this round, in the order they are killed. */
function doomedOf(rng) {
  const doomed = [];
  for (let w = 0; w < WRITERS; w++) if (rng.fraction() < KILL_CHANCE) doomed.push(w);
  if (doomed.length === 0) doomed.push(rng.below(WRITERS));
  for (let i = doomed.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [doomed[i], doomed[j]] = [doomed[j], doomed[i]];
  }
  return doomed;
}

/** Seals `list`, which dead writers may have left with writes in flight. */
function sealAfterKills(list, inWrite, label) {
  let timedOut = false;
  let frozen;
  try {
    [frozen] = list.seal({ timeoutMs: SEAL_TIMEOUT_MS });
  } catch (error) {
    assert.ok(error instanceof SealError, `${label}: seal() threw ${error}`);
    assert.equal(error.kind, "Timeout", `${label}: seal() failed with ${error.kind}`);
    timedOut = true;
    const counted = /(\d+) writes? still in flight/.exec(error.message);
    if (counted) {
      const inflight = Number(counted[1]);
      assert.ok(
        inflight >= 1 && inflight <= inWrite,
        `${label}: seal() reports ${inflight} writes in flight; ${inWrite} writers died in a write call`,
      );
    }
  }
  if (inWrite === 0) {
    assert.ok(!timedOut, `${label}: no writer died inside a write, yet seal() timed out`);
  }
  if (!timedOut) return { frozen, timedOut };
  // Timed out: the list stays sealed, then force freezes it as it is.
  assert.ok(list.isSealed(), `${label}: the list is sealed after the timeout`);
  assert.equal(
    list.insert(new KeyCodec().key(0xffff_fff0), new Uint8Array(1)),
    false,
    `${label}: a write after the timed-out seal is refused`,
  );
  [frozen] = list.seal({ force: true });
  return { frozen, timedOut };
}

/** `a` equals `b` but for floating-point rounding. */
function close(a, b) {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

async function round(index, t) {
  const seed = deriveSeed(SEED, index);
  const rng = new Rng(seed);
  const label = `round ${index} (seed 0x${seed.toString(16)})`;
  const list = new ConcurrentSkipList({ seed });
  const agents = [];
  try {
    // 1. Writers write; some are killed at random moments, the rest stopped.
    // The workers that write after the kills start now too, to load while these write.
    for (let w = 0; w < WRITERS + FRESH_WRITERS; w++) agents.push(spawnWriter(w));
    const writers = agents.slice(0, WRITERS);
    for (const agent of writers) assign(agent, list, seed, Infinity, new Int32Array(0));
    await until(
      writers,
      () => writers.every((agent) => Atomics.load(agent.log, ACKED) >= WARM_UP),
      "the writers are in their loops",
    );
    const doomed = doomedOf(rng);
    const kills = [];
    for (const w of doomed) {
      sleep(rng.fraction() * MAX_DELAY_MS);
      kills.push(writers[w].worker.terminate());
    }
    for (const agent of writers) {
      if (!doomed.includes(agent.writer)) Atomics.store(agent.log, STOP, 1);
    }
    await Promise.all(kills);

    // 2. What the logs say the list holds.
    const model = new Model();
    const unacknowledged = new Map();
    let inWrite = 0;
    for (const agent of writers) {
      const killed = doomed.includes(agent.writer);
      const log = killed ? readLog(agent.log) : await finish(agent);
      assert.ok(!log.full, `${label}: writer ${agent.writer} ran out of log before its kill`);
      for (const record of log.records) model.apply(agent.writer, record);
      totals.acknowledged += log.acked;
      if (killed && log.inFlight) {
        inWrite++;
        unacknowledged.set(log.inFlight.key, { writer: agent.writer, record: log.inFlight });
      }
    }
    for (const pending of unacknowledged.values()) {
      pending.after = model.after(pending.writer, pending.record);
    }
    totals.killed += doomed.length;
    totals.killedInWrite += inWrite;

    // 3. The list holds exactly that, plus at most the in-flight writes. With
    // the writers dead it is quiescent: validate() holds it to the counts,
    // less the lag the writes left in flight can explain, and reports it.
    const live = list.validate();
    assert.ok(
      live.statisticsLag <= live.writesInFlight && live.pendingStamps <= live.writesInFlight,
      `${label}: lag ${live.statisticsLag}, ${live.pendingStamps} pending, ` +
        `${live.writesInFlight} writes in flight`,
    );
    assert.ok(live.writesInFlight <= inWrite, `${label}: ${live.writesInFlight} writes in flight`);
    totals.lagReported = Math.max(totals.lagReported, live.statisticsLag);
    const { found } = checkReader(list, model, unacknowledged, `${label}, after the kills`);
    assert.ok(found.length <= inWrite, `${label}: ${found.length} unacknowledged writes found`);
    totals.inFlightFound += found.length;
    for (const pending of found) model.applyUnacknowledged(pending.writer, pending.record);
    checkLookups(list, model, unacknowledged.keys(), LOOKUPS, rng, `${label}, after the kills`);

    // 4. It stays writable: fresh workers overwrite and delete the keys there, and add some.
    const keyIds = model.keyIds();
    const fresh = agents.slice(WRITERS);
    fresh.forEach((agent, j) => {
      const pool = Int32Array.from(keyIds.filter((_, i) => i % FRESH_WRITERS === j));
      assign(agent, list, seed, FRESH_OPS, pool);
    });
    for (const agent of fresh) {
      const log = await finish(agent);
      assert.equal(log.acked, FRESH_OPS, `${label}: writer ${agent.writer} made all its writes`);
      for (const record of log.records) model.apply(agent.writer, record);
      totals.acknowledged += log.acked;
    }
    list.validate();
    checkReader(list, model, new Map(), `${label}, after the fresh writes`);
    checkLookups(list, model, [], LOOKUPS, rng, `${label}, after the fresh writes`);

    // 5. Seal: times out only on a write left in flight; force freezes it, exact.
    const { frozen, timedOut } = sealAfterKills(list, inWrite, label);
    if (timedOut) totals.sealTimeouts++;
    const walked = checkReader(frozen, model, new Map(), `${label}, frozen`);
    checkLookups(frozen, model, [], LOOKUPS, rng, `${label}, frozen`);
    const keyAverage = walked.entries === 0 ? 0 : walked.keyBytes / walked.entries;
    const valueAverage = model.valueVersions === 0 ? 0 : model.valueBytes / model.valueVersions;
    const problems = [];
    if (frozen.size !== walked.live) {
      problems.push(`size is ${frozen.size} but ${walked.live} keys are live`);
      totals.sizeDrifts.push(frozen.size - walked.live);
    }
    const keysOff = !close(frozen.avgKeySize(), keyAverage);
    const valuesOff = !close(frozen.avgValueSize(), valueAverage);
    if (keysOff) {
      problems.push(`avgKeySize() is ${frozen.avgKeySize()}, the keys average ${keyAverage}`);
    }
    if (valuesOff) {
      problems.push(
        `avgValueSize() is ${frozen.avgValueSize()}, the ${model.valueVersions} values ` +
          `stored average ${valueAverage}`,
      );
    }
    if (keysOff || valuesOff) totals.averageDrifts++;
    let structure;
    try {
      structure = frozen.validate();
    } catch (error) {
      problems.push(`validate() threw: ${error.message}`);
    }
    if (structure) {
      if (structure.liveEntries !== frozen.size) {
        problems.push(
          `validate() counts ${structure.liveEntries} live keys, size says ${frozen.size}`,
        );
      }
      if (structure.entries !== walked.entries) {
        problems.push(`validate() counts ${structure.entries} keys, the walk ${walked.entries}`);
      }
    }
    t.diagnostic(
      `killed writers ${doomed.join(", ")} (${inWrite} inside a write), ` +
        `${found.length} in-flight writes found, seal ${timedOut ? "timed out" : "returned"}, ` +
        `${walked.live} live keys of ${walked.entries}`,
    );
    assert.deepEqual(problems, [], `${label}: the frozen memtable's statistics are not exact`);
    frozen.release();
  } finally {
    await Promise.all(agents.map((agent) => agent.worker.terminate()));
  }
}

for (let index = 0; index < ROUNDS; index++) {
  await test(
    `preemptive kills, round ${index}: nothing acknowledged is lost, the force-sealed statistics are exact`,
    { timeout: 60_000 },
    async (t) => {
      totals.rounds++;
      try {
        await round(index, t);
      } catch (error) {
        totals.failedRounds.push(index);
        throw error;
      }
    },
  );
}

const drift = totals.sizeDrifts.length === 0
  ? "none"
  : `${totals.sizeDrifts.length} rounds (size - counted: ${totals.sizeDrifts.join(", ")})`;
console.log(
  `preemptive kill: ${totals.rounds} rounds, ${totals.killed} writers killed ` +
    `(${totals.killedInWrite} inside a write call), ${totals.acknowledged} writes acknowledged, ` +
    `${totals.inFlightFound} in-flight writes found, ${totals.sealTimeouts} seals timed out, ` +
    `size drift found in ${drift}, average drift in ${totals.averageDrifts} rounds ` +
    `(frozen memtable), largest live lag validate() reported: ${totals.lagReported}, failed rounds: ` +
    `${totals.failedRounds.length === 0 ? "none" : totals.failedRounds.join(", ")}`,
);
