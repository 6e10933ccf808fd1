/**
 * Handles: what `share()` returns and `attach()` takes, to use one list from
 * several workers.
 *
 * @module
 */

import { Arena } from "./_arena.ts";
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
}

/** Opens the arena behind a handle, or throws a `TypeError` saying what is wrong. */
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
  const { kind: actual, buffer } = handle as { kind?: unknown; buffer?: unknown };
  if (actual !== kind) {
    throw new TypeError(`${what}: handle.kind must be "${kind}", received ${describe(actual)}`);
  }
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(
      `${what}: handle.buffer must be a SharedArrayBuffer, received ${describe(buffer)}`,
    );
  }
  const arena = Arena.open(buffer);
  if (arena === undefined) {
    throw new TypeError(
      `${what}: handle.buffer does not hold a fastskip list (or one of another format version)`,
    );
  }
  return arena;
}
