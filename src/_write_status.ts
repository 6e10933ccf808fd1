/**
 * What a write did: the status codes the write path returns (status codes
 * inside, exceptions only at the public edge), and the error each failure
 * becomes there.
 *
 * @module
 */

import type { ListCore } from "./_core.ts";
import { TOMBSTONE, worstCaseEntryBytes } from "./_layout.ts";
import { InsertError } from "./errors.ts";

/** The write was stored (for put and delete: over an absent or tombstoned key). */
export const STORED = 0;
/** `insert`: the key already has an entry. */
export const DUPLICATE = 1;
/** The arena is full (`maxArenaBytes`). */
export const NO_SPACE = 2;
/** The list is sealed (or being sealed). */
export const SEALED = 3;
/** `put` or `delete` was stored over a live value. */
export const STORED_OVER_LIVE = 4;
/** `maxMemoryBytes` is reached. */
export const OVER_MEMORY_LIMIT = 5;
/** `maxEntries` is reached (by a write that would add a key). */
export const OVER_ENTRY_LIMIT = 6;
/** The stamp clock ran out (a list that took 2^31 writes). */
export const CLOCK_EXHAUSTED = 7;
/** The record is larger than the arena could ever hold. */
export const TOO_LARGE = 8;
/** Every value of {@link WriteStatus}, to derive the type from. */
const WRITE_STATUSES = [
  STORED,
  DUPLICATE,
  NO_SPACE,
  SEALED,
  STORED_OVER_LIVE,
  OVER_MEMORY_LIMIT,
  OVER_ENTRY_LIMIT,
  CLOCK_EXHAUSTED,
  TOO_LARGE,
] as const;
export type WriteStatus = typeof WRITE_STATUSES[number];

/** Whether `status` says the write was stored. */
export function stored(status: WriteStatus): boolean {
  return status === STORED || status === STORED_OVER_LIVE;
}

/**
 * The error a public write throws for a failed `status`: the crate's message,
 * then what exactly (which limit, and its value; sizes that can never fit).
 */
export function insertError(
  status: WriteStatus,
  core: ListCore,
  value: Uint8Array | null,
): InsertError {
  switch (status) {
    case DUPLICATE:
      return new InsertError("DuplicateKey");
    case SEALED:
      return new InsertError("Sealed");
    case OVER_MEMORY_LIMIT:
      return new InsertError("OutOfMemory", `maxMemoryBytes (${core.maxMemoryBytes}) reached`);
    case OVER_ENTRY_LIMIT:
      return new InsertError("OutOfMemory", `maxEntries (${core.maxEntries}) reached`);
    case CLOCK_EXHAUSTED:
      return new InsertError("OutOfMemory", "the list's commit stamps ran out: seal it");
    case TOO_LARGE:
      return new InsertError(
        "OutOfMemory",
        `a ${core.probe.byteLength}-byte key with a ${
          value?.byteLength ?? 0
        }-byte value takes up to ` +
          `${worstCaseEntryBytes(core.probe.byteLength, value?.byteLength ?? TOMBSTONE)} bytes, ` +
          `more than the arena can ever hold (maxArenaBytes: ${core.arena.capacityWords * 4})`,
      );
    default:
      return new InsertError(
        "OutOfMemory",
        `the arena is full (maxArenaBytes: ${core.arena.capacityWords * 4} bytes)`,
      );
  }
}
