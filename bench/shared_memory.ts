/**
 * The two facts about shared `WebAssembly.Memory` that `src/_backing.ts`
 * rests on, measured in this runtime:
 *
 * - how many live shared memories of the format's largest size (65,535
 *   pages, 4 GiB − 64 KiB) it holds, up to 5,000: Deno and Node hold them all,
 *   Bun refuses early (it reserves each memory's maximum up front), which is
 *   why Bun arenas stay growable `SharedArrayBuffer`s;
 * - how often, and by how much, the buffer one agent holds (`memory.buffer`)
 *   lags a length that a Worker growing the memory has published with
 *   `Atomics`, and whether `memory.grow(0)` brings it up to date.
 *
 * ```sh
 * deno run --allow-read bench/shared_memory.ts
 * ```
 *
 * @module
 */

const PAGE_BYTES = 64 * 1024;
const MAX_PAGES = 65_535;
const LIVE_LIMIT = 5_000;
const GROWTHS = 4_000;
const ROUNDS = 10;

// The lag first: every live memory makes a growth and a buffer read slower.
for (let round = 0; round < ROUNDS; round++) {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(new URL("./workers/memory_grower.ts", import.meta.url), {
    type: "module",
  });
  worker.postMessage({ memory, flag: flag.buffer, growths: GROWTHS });
  let lagged = 0;
  let maxLag = 0;
  let staleAfterGrow0 = 0;
  let polls = 0;
  while (Atomics.load(flag, 1) === 0) {
    const published = Atomics.load(flag, 0);
    const held = memory.buffer.byteLength / PAGE_BYTES;
    if (held < published) {
      lagged++;
      maxLag = Math.max(maxLag, published - held);
      memory.grow(0);
      if (memory.buffer.byteLength / PAGE_BYTES < published) staleAfterGrow0++;
    }
    polls++;
  }
  worker.terminate();
  console.log(
    `round ${round}: ${GROWTHS} growths, ${polls} polls, held buffer lagged ${lagged} times ` +
      `(by up to ${maxLag} pages), still behind after grow(0): ${staleAfterGrow0}`,
  );
}

const live: WebAssembly.Memory[] = [];
let refusal = "none";
try {
  while (live.length < LIVE_LIMIT) {
    live.push(new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }));
  }
} catch (error) {
  refusal = String(error);
}
console.log(`live shared memories of ${MAX_PAGES} pages: ${live.length} (refusal: ${refusal})`);
