/**
 * Compiled by `tsc --noEmit` (`moduleResolution: nodenext`, the ES library
 * alone) in the scratch project of `npm/check.sh`, against the `.d.ts` files of
 * the installed package: the public API used as documented type-checks, and
 * each wrong call below must be an error, or `@ts-expect-error` fails the check
 * (as it does if the package's types resolve to `any`).
 */

import {
  BatchError,
  ConcurrentSkipList,
  type Entry,
  type FrozenMemtable,
  InsertError,
  type InsertErrorKind,
  MAX_KEY_BYTES,
  type SkipListHandle,
  type SkipListOptions,
  type Snapshot,
  type ValidationReport,
  worstCaseEntryBytes,
} from "@fastskip/fastskip";

const options: SkipListOptions = { maxEntries: 100, shards: 4 };
const list: ConcurrentSkipList = new ConcurrentSkipList(options);
const key = Uint8Array.of(1, 2, 3);
export const stored: boolean = list.insert(key, Uint8Array.of(4));
export const found: [value: Uint8Array, tombstone: boolean] | undefined = list.get(key);
export const live: Uint8Array | undefined = list.getLive(key);
const handle: SkipListHandle = list.share();
export const attached: ConcurrentSkipList = ConcurrentSkipList.attach(handle);
const snapshot: Snapshot = list.snapshot();
export const entries: Entry[] = [...snapshot];
export const report: ValidationReport = list.validate({ quiescent: true });
const [frozen, fresh]: [FrozenMemtable, ConcurrentSkipList] = list.seal({ timeoutMs: 100 });
export const sizes: number[] = [frozen.size, fresh.size];
export const kind: InsertErrorKind = new InsertError("Sealed").kind;
export const failed: number =
  new BatchError(1, [{ index: 1, error: new InsertError("DuplicateKey") }]).failed;
export const budget: number = worstCaseEntryBytes(MAX_KEY_BYTES, 0);

// @ts-expect-error: keys and values are bytes, not strings
list.insert("apple", "red");
// @ts-expect-error: attach() takes the handle share() returns, not a bare buffer
ConcurrentSkipList.attach(new SharedArrayBuffer(8));
// @ts-expect-error: a frozen memtable has no writes
frozen.insert(key, key);
