/**
 * Grows a shared memory one page at a time and publishes each new length
 * (pages) with `Atomics`; word 1 of the flag says when it is done. Used by
 * `bench/shared_memory.ts`.
 *
 * @module
 */

const scope = self as unknown as {
  onmessage:
    | ((
      event: MessageEvent<{ memory: WebAssembly.Memory; flag: SharedArrayBuffer; growths: number }>,
    ) => void)
    | null;
};

scope.onmessage = ({ data: { memory, flag, growths } }) => {
  const words = new Int32Array(flag);
  for (let i = 0; i < growths; i++) {
    memory.grow(1);
    Atomics.store(words, 0, memory.buffer.byteLength / (64 * 1024));
  }
  Atomics.store(words, 1, 1);
};
