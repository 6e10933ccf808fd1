/**
 * Handles: what `share()` returns and `attach()` takes, to use one list from
 * several workers.
 *
 * @module
 */

import { Arena, NOT_A_LIST, NOT_SHARED } from "./_arena.ts";
import { RELEASED, REUSED } from "./_references.ts";
import { describe } from "./options.ts";

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
  /** The list's arena. */
  readonly buffer: SharedArrayBuffer;
  /**
   * Which list of the buffer the handle names: a buffer whose instances were
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
  /** The memtable's arena. */
  readonly buffer: SharedArrayBuffer;
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
  const { kind: actual, buffer, generation } = handle as {
    kind?: unknown;
    buffer?: unknown;
    generation?: unknown;
  };
  if (actual !== kind) {
    throw new TypeError(`${what}: handle.kind must be "${kind}", received ${describe(actual)}`);
  }
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(
      `${what}: handle.buffer must be a SharedArrayBuffer, received ${describe(buffer)}`,
    );
  }
  if (typeof generation !== "number" || !Number.isInteger(generation)) {
    throw new TypeError(
      `${what}: handle.generation must be an integer made by ${made}, received ${
        describe(generation)
      }`,
    );
  }
  const arena = Arena.attach(buffer, generation);
  if (arena === NOT_A_LIST) {
    throw new TypeError(
      `${what}: handle.buffer does not hold a fastskip list (or one of another format version)`,
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
