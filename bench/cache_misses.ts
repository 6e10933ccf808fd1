/**
 * Counts last-level cache misses per `get` at 1M entries, independently of
 * machine noise: run it twice under cachegrind, without and with the gets,
 * and divide the difference in LL data misses by the number of gets.
 *
 * ```sh
 * for gets in 0 300000; do
 *   valgrind --tool=cachegrind --cache-sim=yes --LL=33554432,16,64 --D1=65536,8,64 \
 *     --cachegrind-out-file=/dev/null deno run bench/cache_misses.ts 1000000 $gets 2>&1 |
 *     grep "LLd misses"
 * done
 * # (LLd misses with gets − LLd misses without) / 300000 = misses per get
 * ```
 *
 * The simulated last level is 32 MiB, like this machine's L3. The probe is
 * one reused buffer, so the misses counted are the list's own. Last measured
 * (1M entries, 300,000 gets; about 3 minutes per run), format 4 (bounds
 * beside the links): D1 misses 20.68 M → 28.49 M, LL data misses 1.46 M →
 * 2.13 M, so about 26.0 first-level and 2.2 last-level misses per get: one
 * first-level miss per node a search moves to, and only the last hops or two
 * miss the last level. Format 3, which compared every node a link led to:
 * 36.7 and 2.2 (before that, 82 and 2.2).
 *
 * @module
 */

import { ConcurrentSkipList } from "../mod.ts";
import { VALUE_BYTES, writeKey } from "./keys.ts";

const entries = Number(Deno.args[0] ?? 1_000_000);
const gets = Number(Deno.args[1] ?? 0);

const list = new ConcurrentSkipList({ arenaBytes: 64 << 20, seed: 1 });
const key = new Uint8Array(16);
const value = new Uint8Array(VALUE_BYTES);
for (let i = 0; i < entries; i++) {
  writeKey(key, 1, i);
  list.insert(key, value);
}
let sum = 0;
for (let i = 0; i < gets; i++) {
  writeKey(key, 1, (i * 7919) % entries);
  sum += list.getLive(key)!.length;
}
console.log(`${entries} entries, ${gets} gets (${sum} value bytes read)`);
