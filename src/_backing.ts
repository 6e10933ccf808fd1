/**
 * What an arena's memory is made of: a shared `WebAssembly.Memory` where the
 * runtime holds many of them cheaply (V8: Deno, Node), else a growable
 * `SharedArrayBuffer` (Bun, or wherever a shared memory cannot be made).
 *
 * Both grow in place, so an address stays valid for the list's life. They
 * differ in what a view of them costs. Every key and value a read returns is
 * a new view, and V8 builds a view of a growable buffer with a call into the
 * runtime for the buffer's current length: 80 ns against 53–60 ns for a
 * fixed-length buffer (`bench/view_cost.ts`), three quarters of a `seek + 10`
 * at 10k entries. A shared memory hands out fixed-length buffers instead,
 * each covering the memory as it was when asked for, and a longer one after
 * it grows: views of any of them stay valid (shared memory never detaches).
 *
 * Bun reserves a shared memory's maximum when it is made, and refuses the
 * 37th live one of 1 GiB; Deno and Node hold 5,000 of 4 GiB. Every memory is
 * made with the format's largest size as its maximum, so that a released one
 * can serve any later list (`_arena_pool.ts`); the list's own capacity is
 * enforced by the allocator.
 *
 * @module
 */

import { FORMAT_MAX_ARENA_BYTES } from "./_layout.ts";
import type { SharedMemory } from "./handle.ts";

/** An arena's memory. */
export type Backing = SharedArrayBuffer | SharedMemory;

/** Bytes in a WebAssembly page, the unit a memory grows by. */
const WASM_PAGE_BYTES = 64 * 1024;
/** Every memory's maximum, in pages: the format's largest arena. */
const MEMORY_MAX_PAGES = Math.floor(FORMAT_MAX_ARENA_BYTES / WASM_PAGE_BYTES);

/** Whether new arenas are shared memories (not on Bun: see the module comment). */
const MEMORY_ARENAS = typeof WebAssembly === "object" &&
  typeof WebAssembly.Memory === "function" &&
  !("Bun" in globalThis);

/**
 * A new backing of at least `initialBytes` that can grow to `maxBytes`: a
 * shared memory where {@link MEMORY_ARENAS} holds and one can be made, else
 * a growable buffer.
 */
export function createBacking(initialBytes: number, maxBytes: number): Backing {
  if (MEMORY_ARENAS) {
    try {
      const memory = new WebAssembly.Memory({
        initial: Math.ceil(initialBytes / WASM_PAGE_BYTES),
        maximum: MEMORY_MAX_PAGES,
        shared: true,
      });
      // An engine without shared memories would hand out an ArrayBuffer.
      if ((memory.buffer as unknown) instanceof SharedArrayBuffer) return memory;
    } catch (error) {
      // Out of address space, or shared memories disabled: the buffer serves.
      if (!(error instanceof RangeError) && !(error instanceof TypeError)) throw error;
    }
  }
  return new SharedArrayBuffer(initialBytes, { maxByteLength: maxBytes });
}

/**
 * The buffer this agent holds for `backing`: the growable buffer itself, or
 * the memory's fixed-length buffer, which may lag behind a growth by another
 * agent (see {@link currentBuffer}).
 */
export function bufferOf(backing: Backing): SharedArrayBuffer {
  return backing instanceof SharedArrayBuffer
    ? backing
    : backing.buffer as unknown as SharedArrayBuffer;
}

/**
 * A buffer that covers all of `backing` as it is now, grown by any agent.
 *
 * A shared memory's `buffer` in one agent follows another agent's growth
 * only once V8 has delivered that agent an interrupt, at some later stack
 * check: a reader polling `memory.buffer` while a Worker grew the memory and
 * published each new length with `Atomics` saw it lag behind the published
 * length, by up to 1,384 pages, in 1–4 of 4,000 growths on Deno 2.9.6 and
 * 0–2 on Node 24. `grow(0)` reads the memory's length itself and refreshes the
 * buffer (the WebAssembly JavaScript API refreshes it after every grow), so
 * a record another agent allocated, grown into and published before this
 * agent read its link is covered afterwards.
 */
export function currentBuffer(backing: Backing): SharedArrayBuffer {
  if (backing instanceof SharedArrayBuffer) return backing;
  backing.grow(0);
  return backing.buffer as unknown as SharedArrayBuffer;
}

/** The most bytes `backing` can grow to. */
export function maxBytesOf(backing: Backing): number {
  return backing instanceof SharedArrayBuffer
    ? backing.maxByteLength
    : MEMORY_MAX_PAGES * WASM_PAGE_BYTES;
}

/**
 * Grows `backing` towards `targetBytes` (never past {@link maxBytesOf}); true
 * once it holds at least `wantedBytes`, false when the OS refuses. Another
 * agent may grow it at the same time: a size already reached is success.
 */
export function grow(backing: Backing, wantedBytes: number, targetBytes: number): boolean {
  const target = Math.min(targetBytes, maxBytesOf(backing));
  const current = currentBuffer(backing).byteLength;
  if (current >= wantedBytes) return true;
  try {
    if (backing instanceof SharedArrayBuffer) backing.grow(target);
    else backing.grow(Math.ceil((target - current) / WASM_PAGE_BYTES));
  } catch (error) {
    // A growable buffer refuses to shrink (another agent grew it further
    // first); a memory refuses past its maximum or when the OS has no room.
    if (!(error instanceof RangeError)) throw error;
  }
  return currentBuffer(backing).byteLength >= wantedBytes;
}

/** Whether `value` can back an arena: a growable shared buffer, or a shared memory. */
export function isBacking(value: unknown): value is Backing {
  if (value instanceof SharedArrayBuffer) return value.growable;
  return typeof WebAssembly === "object" && value instanceof WebAssembly.Memory &&
    (value.buffer as unknown) instanceof SharedArrayBuffer;
}
