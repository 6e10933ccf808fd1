/**
 * Writes made of inserts: a batch, and get-or-insert.
 *
 * `insertBatch` checks every entry before it writes any, so a malformed batch
 * stores nothing; then it inserts them in order and reports the refused ones
 * together, with why (those stored stay: a batch is not a transaction).
 *
 * @module
 */

import { checkKey, checkValue, collect } from "./_args.ts";
import type { ListCore } from "./_core.ts";
import type { ListWriter } from "./_writer.ts";
import { LATEST } from "./_versions.ts";
import type { View } from "./_view.ts";
import { DUPLICATE, insertError, STORED } from "./_write_status.ts";
import { BatchError, InsertError } from "./errors.ts";
import { describe } from "./options.ts";

/** A `[key, value]` pair of `insertBatch`. */
export type BatchEntry = readonly [Uint8Array, Uint8Array];

/** The entries of `insertBatch`, every one checked (the `TypeError` names the first bad one). */
export function checkBatch(entries: unknown): BatchEntry[] {
  const batch = collect<BatchEntry>("insertBatch", entries, "entries");
  batch.forEach((entry, index) => {
    if (typeof entry !== "object" || entry === null || typeof entry.length !== "number") {
      throw new TypeError(
        `Cannot insertBatch: entries[${index}] must be a [key, value] pair, received ${
          describe(entry)
        }`,
      );
    }
    checkKey("insertBatch", entry[0], `entries[${index}][0]`);
    checkValue("insertBatch", entry[1], `entries[${index}][1]`);
  });
  return batch;
}

/** Inserts checked entries in order; throws a {@link BatchError} naming each refused one. */
export function insertAll(core: ListCore, writer: ListWriter, batch: BatchEntry[]): number {
  const failures: { index: number; error: InsertError }[] = [];
  batch.forEach(([key, value], index) => {
    core.probe.set(key);
    const status = writer.insert(core.probe, value);
    if (status !== STORED) failures.push({ index, error: insertError(status, core, value) });
  });
  if (failures.length !== 0) throw new BatchError(batch.length - failures.length, failures);
  return batch.length;
}

/**
 * `getOrInsert` with checked arguments, `key` in `core.probe`: the live value
 * if the key has one, else `value` inserted.
 */
export function getOrInsert(
  core: ListCore,
  writer: ListWriter,
  view: View,
  key: Uint8Array,
  value: Uint8Array,
): [value: Uint8Array, inserted: boolean] {
  const status = writer.insert(core.probe, value);
  if (status === STORED) return [value, true];
  if (status === DUPLICATE) {
    // The key has a node for good (nodes are never unlinked): read its newest version.
    const live = core.valueOf(core.versionAt(core.find(core.probe), LATEST));
    if (live === null) throw new InsertError("DuplicateKey");
    return [live, false];
  }
  // Sealed or full: a present key can still be answered.
  const found = view.get(key);
  if (found === undefined) throw insertError(status, core, value);
  if (found[1]) throw new InsertError("DuplicateKey");
  return [found[0], false];
}
