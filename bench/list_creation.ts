/**
 * What a new list costs while this agent holds many lists it never
 * released, and when it releases each one: each new list asks the reuse
 * pool (`src/_arena_pool.ts`) for a released buffer before it makes one.
 *
 * ```sh
 * deno run --allow-read bench/list_creation.ts
 * ```
 *
 * Last measured (µs per new list in the four phases: dropped, released,
 * dropped, released): 314, 579, 909, 1085 when a claim looked at every
 * buffer this agent had made; 47, 9, 36, 13 with the bounded scan (the rest
 * is the `SharedArrayBuffer` itself).
 *
 * @module
 */

import { ConcurrentSkipList } from "../mod.ts";

const LISTS = 2000;
/** Lists of the dropped phases, kept so that the collector cannot shrink the pool. */
const kept: ConcurrentSkipList[] = [];

for (const release of [false, true, false, true]) {
  const start = performance.now();
  for (let i = 0; i < LISTS; i++) {
    const list = new ConcurrentSkipList();
    list.insert(new Uint8Array([1]), new Uint8Array(1));
    if (release) list.release();
    else kept.push(list);
  }
  const perList = (performance.now() - start) / LISTS * 1000;
  console.log(`${release ? "released" : "dropped "}  ${perList.toFixed(1)} µs per new list`);
}
for (const list of kept) list.release();
