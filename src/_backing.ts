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
 * 37th live one of 1 GiB; Deno and Node hold 5,000 of 4 GiB
 * (`bench/shared_memory.ts`). Every memory is
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

/**
 * Whether new arenas are shared memories: on Deno and Node, whose V8 was
 * measured to hold thousands; not on Bun (see the module comment), which
 * also reports a `process.versions.node`, nor in engines not measured here
 * (browsers; Safari's JavaScriptCore is Bun's engine).
 */
const MEMORY_ARENAS = typeof WebAssembly === "object" &&
  typeof WebAssembly.Memory === "function" &&
  !("Bun" in globalThis) &&
  ("Deno" in globalThis ||
    typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions
        ?.node === "string");

/**
 * A new backing of at least `initialBytes`: a shared memory (which can grow
 * to the format's largest arena) where {@link MEMORY_ARENAS} holds and one
 * can be made, else a growable buffer that can grow to `maxBytes`.
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
 * length, by up to 1,384 pages, in 0–4 of 4,000 growths per run on Deno
 * 2.9.6 and Node 24 (`bench/shared_memory.ts`). `grow(0)` reads the
 * memory's length itself and refreshes the buffer (the WebAssembly
 * JavaScript API refreshes it after every grow), so a record another agent
 * allocated, grown into and published before this agent read its link is
 * covered afterwards.
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
 * A memory grows by a number of pages, counted from its length read just
 * before (`grow(0)`), so two agents growing at the same instant may both add
 * theirs: the memory then reserves more than either asked (address space
 * only; the allocator never hands out past the list's capacity). When a
 * step is refused (past the memory's maximum, or no memory), the smallest
 * one that still holds `wantedBytes` is tried before giving up.
 */
export function grow(backing: Backing, wantedBytes: number, targetBytes: number): boolean {
  if (backing instanceof SharedArrayBuffer) {
    if (backing.byteLength >= wantedBytes) return true;
    try {
      backing.grow(Math.min(targetBytes, backing.maxByteLength));
    } catch (error) {
      // Refused to shrink (another agent grew it further first), or no memory.
      if (!(error instanceof RangeError)) throw error;
    }
    return backing.byteLength >= wantedBytes;
  }
  const wantedPages = Math.ceil(wantedBytes / WASM_PAGE_BYTES);
  const targetPages = Math.min(Math.ceil(targetBytes / WASM_PAGE_BYTES), MEMORY_MAX_PAGES);
  for (const pages of [targetPages, wantedPages]) {
    const current = backing.grow(0);
    if (current >= wantedPages) break;
    if (pages <= current) continue;
    try {
      backing.grow(pages - current);
      break;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }
  return currentBuffer(backing).byteLength >= wantedBytes;
}

/** Whether `value` can back an arena: a growable shared buffer, or a shared memory. */
export function isBacking(value: unknown): value is Backing {
  if (value instanceof SharedArrayBuffer) return value.growable;
  return typeof WebAssembly === "object" && value instanceof WebAssembly.Memory &&
    (value.buffer as unknown) instanceof SharedArrayBuffer;
}
