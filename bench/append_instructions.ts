/**
 * Instructions per ascending insert into a private list, independently of
 * machine noise: run it twice under cachegrind, without and with the
 * measured inserts, and divide the difference by their number.
 *
 * ```sh
 * for inserts in 0 200000; do
 *   valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
 *     deno run --v8-flags=--single-threaded --allow-read bench/append_instructions.ts $inserts |&
 *     grep "I *refs"
 * done
 * # (I refs with inserts − I refs without) / 200000 = instructions per insert
 * ```
 *
 * `--single-threaded` keeps V8's compiler and collector on this thread, so
 * the counts are the same work each run; they still vary by about ±20 %
 * from run to run. Measured: 2,415 per insert before short copies became
 * loops, the argument errors moved out of line and a private list's bump
 * pointer dropped `Atomics`; 2,058 after. Last measured, both trees in one
 * session: 1,934 for format 3 and 2,170 for format 4, whose inserts also
 * store the bounds beside the links (two stores per level).
 *
 * @module
 */

import { ConcurrentSkipList } from "../mod.ts";

const inserts = Number(Deno.args[0] ?? 0);
/** Inserts made before the measured ones in both runs, so the compiler has settled. */
const WARM_UP = 20_000;
/** Keys made in every run, however many are inserted: only the inserts differ. */
const KEYS = 300_000;
if (!(inserts >= 0 && WARM_UP + inserts <= KEYS)) {
  throw new RangeError(`inserts must be 0 … ${KEYS - WARM_UP}, received ${Deno.args[0]}`);
}

const keys: Uint8Array[] = [];
const values: Uint8Array[] = [];
for (let i = 0; i < KEYS; i++) {
  const key = new Uint8Array(16); // ascending: 0xff, then a big-endian counter
  key[0] = 0xff;
  key[12] = i >>> 24;
  key[13] = i >>> 16;
  key[14] = i >>> 8;
  key[15] = i;
  keys.push(key);
  values.push(new Uint8Array(8));
}
const list = new ConcurrentSkipList({ seed: 42, arenaBytes: 64 << 20 });
let stored = 0;
for (let i = 0; i < WARM_UP + inserts; i++) if (list.insert(keys[i]!, values[i]!)) stored++;
if (stored !== WARM_UP + inserts) throw new Error(`stored ${stored} of ${WARM_UP + inserts}`);
