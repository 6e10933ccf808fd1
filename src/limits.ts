/**
 * Limits of the format, for callers that size keys, values and batches.
 *
 * @module
 */

import {
  MAX_KEY_BYTES as LAYOUT_MAX_KEY_BYTES,
  MAX_VALUE_BYTES as LAYOUT_MAX_VALUE_BYTES,
  worstCaseEntryBytes as layoutWorstCaseEntryBytes,
} from "./_layout.ts";

/**
 * The longest key the format stores: 2^27 − 1 bytes. A longer key is a
 * `RangeError`.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList, MAX_KEY_BYTES } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 * const list = new ConcurrentSkipList();
 * assert.throws(() => list.insert(new Uint8Array(MAX_KEY_BYTES + 1), new Uint8Array()), RangeError);
 * ```
 */
export const MAX_KEY_BYTES: number = LAYOUT_MAX_KEY_BYTES;

/**
 * The longest value the format stores: 2^31 − 1 bytes (the arena, at most
 * 4 GiB − 64 KiB, is usually the tighter bound).
 *
 * @example
 * ```ts
 * import { MAX_VALUE_BYTES } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 * assert.equal(MAX_VALUE_BYTES, 2 ** 31 - 1);
 * ```
 */
export const MAX_VALUE_BYTES: number = LAYOUT_MAX_VALUE_BYTES;

/**
 * The most arena bytes one write of a key and value of these lengths can
 * take (a node of full height with its first version). Multiply it to
 * reserve room for a batch.
 *
 * @param keyByteLength Key length in bytes.
 * @param valueByteLength Value length in bytes.
 * @returns Bytes.
 *
 * @example Sizing an arena for a batch
 * ```ts
 * import { ConcurrentSkipList, worstCaseEntryBytes } from "@fastskip/fastskip";
 * const perEntry = worstCaseEntryBytes(16, 100);
 * const list = new ConcurrentSkipList({ arenaBytes: 1 << 16, maxArenaBytes: 4096 + 1000 * perEntry });
 * ```
 */
export function worstCaseEntryBytes(keyByteLength: number, valueByteLength: number): number {
  return layoutWorstCaseEntryBytes(keyByteLength, valueByteLength);
}
