/**
 * Run by `reuse_scan_test.ts` with `--v8-flags=--expose-gc`: full garbage
 * collections between a release and the next new list must not take the
 * released buffer out of reuse, whether this agent released it or a Worker
 * did. Prints what it found; exits non-zero when a buffer was not reused.
 *
 * @module
 */

import { ConcurrentSkipList } from "../../mod.ts";
import { releaseLastInWorker } from "./release_elsewhere.ts";

declare const gc: () => void;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const options = { arenaBytes: 64 * 1024 };

async function releasedHere(): Promise<boolean> {
  const list = new ConcurrentSkipList(options);
  list.insert(new Uint8Array([1]), new Uint8Array([1]));
  const buffer = list.share().memory;
  await tick();
  gc();
  list.release();
  await tick();
  gc();
  const next = new ConcurrentSkipList(options);
  const reused = next.share().memory === buffer;
  next.release();
  return reused;
}

async function releasedElsewhere(): Promise<boolean> {
  const list = new ConcurrentSkipList(options);
  list.insert(new Uint8Array([1]), new Uint8Array([1]));
  const [frozen, fresh] = list.seal();
  const buffer = frozen.share().memory;
  await tick();
  gc();
  await releaseLastInWorker(frozen);
  await tick();
  gc();
  const made: ConcurrentSkipList[] = [];
  let reused = false;
  for (let i = 0; i < 4 && !reused; i++) {
    const next = new ConcurrentSkipList(options);
    made.push(next);
    reused = next.share().memory === buffer;
  }
  for (const done of [fresh, ...made]) done.release();
  return reused;
}

const here = await releasedHere();
const elsewhere = await releasedElsewhere();
console.log(`reused after gc: here ${here}, elsewhere ${elsewhere}`);
if (!here || !elsewhere) Deno.exit(1);
