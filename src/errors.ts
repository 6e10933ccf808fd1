/**
 * The errors fastskip throws on purpose. Misuse (a wrong argument type or
 * size) is a `TypeError` or `RangeError` instead; these are for writes the
 * list could not take.
 *
 * @module
 */

/** Why a single write failed: see {@link InsertError}. */
export type InsertErrorKind = "DuplicateKey" | "OutOfMemory" | "Sealed";

const INSERT_MESSAGES: Record<InsertErrorKind, string> = {
  DuplicateKey: "duplicate key",
  OutOfMemory: "out of memory",
  Sealed: "memtable is sealed",
};

/**
 * A write the list did not store. `kind` says why:
 *
 * - `"DuplicateKey"`: `tryInsert` or `getOrInsert` found an entry (live or
 *   tombstoned) for the key;
 * - `"OutOfMemory"`: the arena is full, or `maxMemoryBytes` / `maxEntries` is
 *   reached;
 * - `"Sealed"`: the list was sealed (possibly by another worker).
 *
 * @example Telling a duplicate from a full list
 * ```ts
 * import { ConcurrentSkipList, InsertError } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * const key = new TextEncoder().encode("k");
 * list.tryInsert(key, new Uint8Array([1]));
 * try {
 *   list.tryInsert(key, new Uint8Array([2]));
 *   assert.fail("a second insert of one key must throw");
 * } catch (error) {
 *   assert.ok(error instanceof InsertError);
 *   assert.equal(error.kind, "DuplicateKey");
 *   assert.equal(error.message, "duplicate key");
 * }
 * ```
 */
export class InsertError extends Error {
  /** Why the write failed. */
  readonly kind: InsertErrorKind;

  /**
   * Creates the error for a write that failed for `kind`.
   *
   * @param kind Why the write failed; it also picks the message.
   * @param detail What exactly, after the message (`out of memory: maxEntries (1000) reached`).
   */
  constructor(kind: InsertErrorKind, detail?: string) {
    super(detail === undefined ? INSERT_MESSAGES[kind] : `${INSERT_MESSAGES[kind]}: ${detail}`);
    this.name = "InsertError";
    this.kind = kind;
  }
}

/**
 * `insertBatch` stored some entries but not all. The stored ones stay;
 * `succeeded + failed` is the number of entries offered, and `failures` says
 * which entries failed and why (the error a single insert would throw).
 *
 * @example
 * ```ts
 * import { BatchError, ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * const a = new Uint8Array([1]);
 * try {
 *   list.insertBatch([[a, a], [a, a]]);
 *   assert.fail("the second entry repeats the first key");
 * } catch (error) {
 *   assert.ok(error instanceof BatchError);
 *   assert.equal(error.succeeded, 1);
 *   assert.equal(error.failed, 1);
 *   assert.equal(error.message, "partial failure: 1 succeeded, 1 failed (entries[1]: duplicate key)");
 *   assert.equal(error.failures[0]?.error.kind, "DuplicateKey");
 * }
 * ```
 */
export class BatchError extends Error {
  /** Entries stored. */
  readonly succeeded: number;
  /** Entries not stored (duplicate, sealed or out of memory). */
  readonly failed: number;
  /** Each entry not stored: its index in the batch and the error a single insert would throw. */
  readonly failures: readonly { readonly index: number; readonly error: InsertError }[];

  /**
   * Creates the error for a batch that was stored in part.
   *
   * @param succeeded Entries stored.
   * @param failures Each entry not stored, with the error a single insert would throw.
   */
  constructor(
    succeeded: number,
    failures: readonly { readonly index: number; readonly error: InsertError }[],
  ) {
    const first = failures[0];
    super(
      `partial failure: ${succeeded} succeeded, ${failures.length} failed` +
        (first === undefined ? "" : ` (entries[${first.index}]: ${first.error.message}` +
          (failures.length > 1 ? `, and ${failures.length - 1} more` : "") + ")"),
    );
    this.name = "BatchError";
    this.succeeded = succeeded;
    this.failed = failures.length;
    this.failures = failures;
  }
}

/** Why `seal()` failed: see {@link SealError}. */
export type SealErrorKind = "AlreadySealed" | "Timeout";

/**
 * `seal()` did not hand out the frozen memtable. `kind` says why:
 *
 * - `"AlreadySealed"`: the list was sealed before (by this or another worker);
 * - `"Timeout"`: writes already in flight did not finish within the timeout
 *   (a worker was terminated mid-write, or is stuck). The list stays sealed,
 *   so no new write gets in; calling `seal()` again waits again, and
 *   `seal({ force: true })` freezes it as it is.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList, SealError } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * list.seal();
 * assert.throws(() => list.seal(), (error) => {
 *   assert.ok(error instanceof SealError);
 *   assert.equal(error.kind, "AlreadySealed");
 *   return true;
 * });
 * ```
 */
export class SealError extends Error {
  /** Why the seal failed. */
  readonly kind: SealErrorKind;

  /**
   * Creates the error for a seal that failed for `kind`.
   *
   * @param kind Why the seal failed.
   * @param message Overrides the default message of `kind`.
   */
  constructor(kind: SealErrorKind, message?: string) {
    super(
      message ??
        (kind === "AlreadySealed" ? "memtable is already sealed" : "memtable seal timed out"),
    );
    this.name = "SealError";
    this.kind = kind;
  }
}
