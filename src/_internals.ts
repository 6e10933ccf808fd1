/**
 * The one table through which the public classes reach each other's private
 * construction and state (after Deno std's `_binary_search_tree_internals.ts`).
 * Their constructors are private, so that `mod.ts` exports no way to build a
 * cursor or a frozen memtable by hand; each class fills its entries in a
 * static block when its module loads, and the modules that need them import
 * the class module (which fills them) before calling.
 *
 * @module
 */

import type { ListCore } from "./_core.ts";
import type { Position } from "./_position.ts";
import type { View } from "./_view.ts";
import type { Cursor } from "./cursor.ts";
import type { FrozenMemtable } from "./frozen_memtable.ts";
import type { Iter, SnapshotIter } from "./iter.ts";
import type { Memtable } from "./memtable.ts";
import type { MergedReader } from "./merged_reader.ts";
import type { RawCursor } from "./raw_cursor.ts";
import type { SkipListReader } from "./skip_list_reader.ts";
import type { Snapshot } from "./snapshot.ts";

/** Private constructors and fields of the public classes. */
export interface Internals {
  newCursor(position: Position): Cursor;
  newIter(view: View): Iter;
  newSnapshotIter(view: View): SnapshotIter;
  newRawCursor(view: View): RawCursor;
  newSnapshot(view: View): Snapshot;
  newFrozenMemtable(core: ListCore): FrozenMemtable;
  newMergedReader(views: View[]): MergedReader;
  /** Gives a reader the view it reads (from each subclass's constructor). */
  setReaderView(reader: SkipListReader, view: View): void;
  /** The view of a reader, or undefined for anything that is not one. */
  readerView(value: unknown): View | undefined;
  /** Gives a memtable the core it reads. */
  setMemtableCore(memtable: Memtable, core: ListCore): void;
}

/** Filled by the classes' static blocks; see the module doc. */
export const internals: Internals = {} as Internals;
