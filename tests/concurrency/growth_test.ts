/**
 * A record another agent grew the memory for is covered once this agent
 * refreshes its views: the guarantee `Arena.cover` relies on (model:
 * `models/growth.pml`). A Worker grows a shared `WebAssembly.Memory` page by
 * page (`memory.grow(1)`) and publishes each length with `Atomics`; the main
 * thread polls the buffer it holds (`memory.buffer`), which lags behind now
 * and then (in 3 of 17 rounds over three runs here; the count is reported, not
 * asserted, since the lag is a race), and whenever it does checks that
 * {@link currentBuffer} covers the published length; after each round, that
 * it covers the final one. A second test has three Workers grow one memory
 * at once through the library's `grow`.
 */

import assert from "node:assert/strict";
import { bufferOf, createBacking, currentBuffer } from "../../src/_backing.ts";
import { report } from "./support/harness.ts";

const PAGE_BYTES = 64 * 1024;
const ROUNDS = 8;
const GROWTHS = 3000;

Deno.test("a refresh covers every length another agent published after growing the memory", async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const memory = createBacking(PAGE_BYTES, 1 << 30);
    assert.ok(memory instanceof WebAssembly.Memory, "V8 arenas are shared memories");
    const flag = new SharedArrayBuffer(8);
    const words = new Int32Array(flag);
    const worker = new Worker(new URL("./workers/grower.ts", import.meta.url), { type: "module" });
    const done = new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`grower crashed: ${event.message}`));
      };
    });
    worker.postMessage({ memory, flag, growths: GROWTHS, raw: true });
    let checks = 0;
    let lagged = 0;
    try {
      while (Atomics.load(words, 1) === 0) {
        const published = Atomics.load(words, 0);
        if (bufferOf(memory).byteLength / PAGE_BYTES < published) {
          // The held buffer lags: the refresh must not.
          lagged++;
          const covered = currentBuffer(memory).byteLength / PAGE_BYTES;
          assert.ok(covered >= published, `refresh saw ${covered} pages, ${published} published`);
        }
        checks++;
        // Yield now and then, so that the worker's start-up message gets through.
        if (checks % 4096 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      }
      await done;
      assert.equal(currentBuffer(memory).byteLength, (1 + GROWTHS) * PAGE_BYTES);
    } finally {
      worker.terminate();
    }
    report("growth", { round, growths: GROWTHS, checks, laggedHeldBuffer: lagged });
  }
});

Deno.test("agents growing one memory at once all get the room they asked for", async () => {
  const memory = createBacking(PAGE_BYTES, 1 << 30);
  const growers = 3;
  const flags = Array.from({ length: growers }, () => new SharedArrayBuffer(8));
  const workers = flags.map(() =>
    new Worker(new URL("./workers/grower.ts", import.meta.url), { type: "module" })
  );
  try {
    await Promise.all(workers.map((worker, i) =>
      new Promise<void>((resolve, reject) => {
        worker.onmessage = () => resolve();
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(`grower ${i} crashed: ${event.message}`));
        };
        worker.postMessage({ memory, flag: flags[i], growths: 1000, raw: false });
      })
    ));
    // Each grower asked for one page past what it saw, 1000 times, and got it.
    const pages = currentBuffer(memory).byteLength / PAGE_BYTES;
    for (const flag of flags) assert.ok(pages >= Atomics.load(new Int32Array(flag), 0));
    assert.ok(pages >= 1 + 1000, `${pages} pages after 3 × 1000 growths`);
    report("growth", { growers, growths: 1000, pages });
  } finally {
    for (const worker of workers) worker.terminate();
  }
});
