/**
 * What iteration yields.
 *
 * @module
 */

/**
 * One key with its newest version (or, in a snapshot, the newest version the
 * snapshot can see). Tombstones are yielded too, with `isTombstone: true` and
 * an empty `value`: an LSM flush must write them so that they shadow older
 * tables.
 *
 * `key` and `value` are views of the list's shared memory, not copies:
 * read-only by contract (writing into one changes it for every worker, and a
 * written key breaks the list's order), and unchanged until the instance that
 * returned them is released. Web APIs that refuse shared memory (`Response`,
 * `Blob`, `crypto.subtle`, a browser's `TextDecoder` on shared memory)
 * take a plain copy: `value.slice()`.
 *
 * @example Skipping tombstones while iterating
 * ```ts
 * import { ConcurrentSkipList, type Entry } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * list.insert(bytes("a"), bytes("1"));
 * list.insert(bytes("b"), bytes("2"));
 * list.delete(bytes("a"));
 * const live: Entry[] = [...list].filter((entry) => !entry.isTombstone);
 * assert.deepEqual(live.map((entry) => new TextDecoder().decode(entry.key)), ["b"]);
 * ```
 */
export interface Entry {
  /** The key. */
  readonly key: Uint8Array;
  /** The value; empty for a tombstone. */
  readonly value: Uint8Array;
  /** Whether this version records a delete. */
  readonly isTombstone: boolean;
}
