/**
 * Handles: what `share()` returns and `attach()` takes, to use one list from
 * several workers.
 *
 * @module
 */

import { Arena, NOT_A_LIST, NOT_SHARED } from "./_arena.ts";
import { isBacking } from "./_backing.ts";
import { RELEASED, REUSED } from "./_references.ts";
import { describe } from "./options.ts";

/**
 * A shared `WebAssembly.Memory`, by the members fastskip uses: what a
 * handle's `memory` is on Deno and Node (declared by its shape, so that the
 * package's types need neither the DOM's nor Node's declarations). Its
 * `buffer` is a `SharedArrayBuffer` of the memory's length when it was read,
 * replaced by a longer one as the memory grows.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList, type SharedMemory } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const { memory } = new ConcurrentSkipList().share();
 * if (!(memory instanceof SharedArrayBuffer)) {
 *   const shared: SharedMemory = memory; // a WebAssembly.Memory here
 *   assert.ok(shared.buffer instanceof SharedArrayBuffer);
 * }
 * ```
 */
export interface SharedMemory {
  /** A buffer covering the memory as it was when read. */
  readonly buffer: ArrayBufferLike;
  /** Grows the memory by `deltaPages` pages of 64 KiB; returns the pages it had. */
  grow(deltaPages: number): number;
}

/**
 * A structured-cloneable reference to a {@link ConcurrentSkipList}'s shared
 * memory. Post it to a worker and call `ConcurrentSkipList.attach(handle)`
 * there to use the same list.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList, type SkipListHandle } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * const handle: SkipListHandle = list.share(); // postMessage(handle) to a worker
 * const same = ConcurrentSkipList.attach(handle);
 * same.insert(new Uint8Array([1]), new Uint8Array([2]));
 * assert.equal(list.size, 1);
 * ```
 */
export interface SkipListHandle {
  /** Marks the handle's type. */
  readonly kind: "fastskip.ConcurrentSkipList";
  /**
   * The list's memory: a shared `WebAssembly.Memory` (Deno, Node), or a
   * growable `SharedArrayBuffer` (Bun, and wherever a shared memory cannot
   * be made). Both grow in place for every agent.
   */
  readonly memory: SharedMemory | SharedArrayBuffer;
  /**
   * Which list of the memory the handle names: memory whose instances were
   * all released may serve a later list, and `attach` then refuses the handle.
   */
  readonly generation: number;
}

/**
 * A structured-cloneable reference to a {@link FrozenMemtable}, for a flusher
 * running in its own worker: `FrozenMemtable.attach(handle)`.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList, FrozenMemtable, type FrozenMemtableHandle } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * list.insert(new Uint8Array([1]), new Uint8Array([2]));
 * const [frozen] = list.seal();
 * const handle: FrozenMemtableHandle = frozen.share();
 * assert.equal(FrozenMemtable.attach(handle).size, 1);
 * ```
 */
export interface FrozenMemtableHandle {
  /** Marks the handle's type. */
  readonly kind: "fastskip.FrozenMemtable";
  /** The memtable's memory (see {@link SkipListHandle.memory}). */
  readonly memory: SharedMemory | SharedArrayBuffer;
  /** Which list of the buffer the handle names (see {@link SkipListHandle.generation}). */
  readonly generation: number;
}

/**
 * Opens the arena behind a handle and takes a reference on it for a new
 * instance, or throws a `TypeError` saying what is wrong.
 */
export function openHandle(
  owner: string,
  handle: unknown,
  kind: SkipListHandle["kind"] | FrozenMemtableHandle["kind"],
): Arena {
  const what = `Cannot attach ${owner}`;
  const made = owner === "FrozenMemtable" ? "frozen.share()" : "list.share()";
  if (typeof handle !== "object" || handle === null) {
    throw new TypeError(
      `${what}: handle must be an object made by ${made}, received ${describe(handle)}`,
    );
  }
  if (typeof (handle as { share?: unknown }).share === "function") {
    throw new TypeError(
      `${what}: received the ${owner === "FrozenMemtable" ? "memtable" : "list"} itself; ` +
        `pass ${made} (a handle, which postMessage can send) instead`,
    );
  }
  const { kind: actual, memory, generation } = handle as {
    kind?: unknown;
    memory?: unknown;
    generation?: unknown;
  };
  if (actual !== kind) {
    throw new TypeError(`${what}: handle.kind must be "${kind}", received ${describe(actual)}`);
  }
  if (!isBacking(memory)) {
    const why = memory instanceof SharedArrayBuffer
      ? "a fixed-length SharedArrayBuffer, which cannot grow with the list (a memory's " +
        "buffer, say)"
      : memory === undefined && "buffer" in handle
      ? "undefined (the handle has a buffer instead: handles carry the memory since 0.2)"
      : describe(memory);
    throw new TypeError(
      `${what}: handle.memory must be a shared WebAssembly.Memory or a growable ` +
        `SharedArrayBuffer made by ${made}, received ${why}`,
    );
  }
  if (typeof generation !== "number" || !Number.isInteger(generation)) {
    throw new TypeError(
      `${what}: handle.generation must be an integer made by ${made}, received ${
        describe(generation)
      }`,
    );
  }
  const arena = Arena.attach(memory, generation);
  if (arena === NOT_A_LIST) {
    throw new TypeError(
      `${what}: handle.memory does not hold a fastskip list (or one of another format version)`,
    );
  }
  if (arena === NOT_SHARED) {
    throw new TypeError(
      `${what}: the list behind the handle was never shared: make handles with ${made}`,
    );
  }
  if (arena === RELEASED || arena === REUSED) {
    throw new TypeError(
      `${what}: every instance of the list behind the handle was released, so its memory ${
        arena === REUSED ? "now serves another list" : "may serve another list"
      } (keep an instance until the agent you share it with has attached)`,
    );
  }
  return arena;
}
