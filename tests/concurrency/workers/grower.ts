/**
 * Grows a shared memory one page at a time, publishing each new length (in
 * pages) with `Atomics` once the growth returned: what a writer does before
 * it links a record into the grown region. With `raw`, by `memory.grow(1)`
 * itself (the fewest calls, so the reader's held buffer lags most often);
 * otherwise through the library's `grow`. See `growth_test.ts`.
 */

import { bufferOf, grow } from "../../../src/_backing.ts";

/** A 64 KiB WebAssembly page. */
const PAGE_BYTES = 64 * 1024;

interface GrowTask {
  memory: WebAssembly.Memory;
  /** Word 0: pages published so far; word 1: 1 once done. */
  flag: SharedArrayBuffer;
  growths: number;
  raw: boolean;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<GrowTask>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = ({ data: { memory, flag, growths } }) => {
  const words = new Int32Array(flag);
  for (let i = 0; i < growths; i++) {
    const wanted = bufferOf(memory).byteLength + PAGE_BYTES;
    if (!grow(memory, wanted, wanted)) {
      throw new Error(`grower: the memory refused ${wanted} bytes`);
    }
    Atomics.store(words, 0, bufferOf(memory).byteLength / PAGE_BYTES);
  }
  Atomics.store(words, 1, 1);
  scope.postMessage("done");
};
