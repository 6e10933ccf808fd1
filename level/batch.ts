/**
 * Batches: checked against the list's room before the first write, so that
 * in one agent a batch is applied whole or not at all.
 *
 * fastskip commits every write on its own (one compare-and-swap each); it
 * has no multi-key commit. So a batch is atomic where JavaScript makes it so:
 * it runs synchronously, and nothing else in this agent runs between its
 * writes; and it is all-or-nothing because every way a write can fail
 * (a key or value too long, a sealed list, a full arena, `maxMemoryBytes`,
 * `maxEntries`) is checked before the first one, against worst-case sizes.
 * Other workers writing the same list can still take the room in between;
 * then the batch stops at the write that failed and says how far it got.
 *
 * @module
 */

import {
  BatchError,
  type ConcurrentSkipList,
  InsertError,
  MAX_KEY_BYTES,
  MAX_VALUE_BYTES,
  worstCaseEntryBytes,
} from "../mod.ts";
import { asBytes } from "./bytes.ts";

/** One operation as abstract-level hands it to `_batch`: encoded to `view`. */
export interface LevelOperation {
  type: "put" | "del";
  key: ArrayBufferView;
  value?: ArrayBufferView;
}

/**
 * Throws, before anything is written, when `operations` might not all fit in
 * `list`: a key or value too long (`RangeError`), a sealed list, or not
 * enough room for their worst-case sizes (`InsertError`).
 *
 * @param list The store's list.
 * @param arenaCeiling The most bytes its arena may reach.
 * @param operations The batch.
 */
export function checkRoom(
  list: ConcurrentSkipList,
  arenaCeiling: number,
  operations: readonly LevelOperation[],
): void {
  let bytes = 0;
  // The worst-case bytes written before the last put: the soft limits are
  // checked before each write of a new version, so the last put is the one
  // that sees the most in use.
  let beforeLastPut = -1;
  for (let i = 0; i < operations.length; i++) {
    const op = operations[i]!;
    const keyLength = op.key.byteLength;
    if (keyLength > MAX_KEY_BYTES) {
      throw new RangeError(
        `FastskipLevel.batch: operations[${i}].key is ${keyLength} bytes, longer than MAX_KEY_BYTES (${MAX_KEY_BYTES}); nothing was written`,
      );
    }
    const valueLength = op.type === "put" ? op.value!.byteLength : 0;
    if (valueLength > MAX_VALUE_BYTES) {
      throw new RangeError(
        `FastskipLevel.batch: operations[${i}].value is ${valueLength} bytes, longer than MAX_VALUE_BYTES (${MAX_VALUE_BYTES}); nothing was written`,
      );
    }
    if (op.type === "put") beforeLastPut = bytes;
    bytes += worstCaseEntryBytes(keyLength, valueLength);
  }
  if (list.isSealed()) {
    throw new InsertError(
      "Sealed",
      `a batch of ${operations.length} operations; nothing was written`,
    );
  }
  const usage = list.memoryUsage();
  if (usage + bytes > arenaCeiling) {
    throw new InsertError(
      "OutOfMemory",
      `a batch of ${operations.length} operations may need ${bytes} bytes and the arena has ${
        arenaCeiling - usage
      } left; nothing was written`,
    );
  }
  if (beforeLastPut < 0) return; // deletes are not subject to the soft limits
  const maxMemory = list.maxMemoryBytes();
  if (maxMemory > 0 && usage + beforeLastPut >= maxMemory) {
    throw new InsertError(
      "OutOfMemory",
      `a batch of ${operations.length} operations may reach maxMemoryBytes (${maxMemory}) before its last put, with ${usage} in use; nothing was written`,
    );
  }
  const maxEntries = list.maxEntries();
  if (maxEntries > 0) {
    let added = 0;
    for (const op of operations) {
      if (op.type === "put" && !list.containsKey(asBytes(op.key))) added++;
    }
    if (list.size + added > maxEntries) {
      throw new InsertError(
        "OutOfMemory",
        `a batch may add ${added} keys to ${list.size}, past maxEntries (${maxEntries}); nothing was written`,
      );
    }
  }
}

/**
 * Deletes `key` when it is live. A tombstone for a key that is not there
 * would only cost memory (a level store has no older table to shadow).
 *
 * @param list The store's list.
 * @param key The key.
 * @throws {InsertError} When the tombstone could not be recorded.
 */
export function deleteLive(list: ConcurrentSkipList, key: Uint8Array): void {
  if (list.containsKey(key)) list.tryDelete(key);
}

/**
 * Applies `operations` in order, after {@link checkRoom}.
 *
 * @param list The store's list.
 * @param arenaCeiling The most bytes its arena may reach.
 * @param operations The batch.
 * @throws {BatchError} When a write failed after others were applied (only
 *   possible when other workers take the room meanwhile): `succeeded` were
 *   applied, the failed one and those after it were not.
 */
export function applyBatch(
  list: ConcurrentSkipList,
  arenaCeiling: number,
  operations: readonly LevelOperation[],
): void {
  checkRoom(list, arenaCeiling, operations);
  let i = 0;
  try {
    for (; i < operations.length; i++) {
      const op = operations[i]!;
      if (op.type === "put") list.put(asBytes(op.key), asBytes(op.value!));
      else deleteLive(list, asBytes(op.key));
    }
  } catch (error) {
    if (!(error instanceof InsertError)) throw error;
    const failures = [];
    for (let j = i; j < operations.length; j++) failures.push({ index: j, error });
    throw new BatchError(i, failures);
  }
}
