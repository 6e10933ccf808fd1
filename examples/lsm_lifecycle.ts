/**
 * The memtable lifecycle of an LSM tree: fill, seal, flush to a sorted table,
 * keep writing in the fresh memtable, and read through all of them, newest
 * first, with tombstones shadowing older values.
 *
 *   deno run examples/lsm_lifecycle.ts        (no permissions needed)
 *
 * Tables stay in memory here (bytes in the demo's table format, see
 * `demo/table_format.ts`); `demo.ts` writes the same bytes to files.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConcurrentSkipList, type FrozenMemtable, InsertError } from "../mod.ts";
import { encodeTable, Table } from "./demo/table_format.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

/** A toy LSM tree: one mutable memtable, sealed ones being flushed, and tables. */
class TinyLsm {
  memtable = new ConcurrentSkipList({ maxEntries: 4 }); // tiny, to seal often
  /** Sealed but not flushed yet: still needed by reads. */
  immutable: FrozenMemtable[] = [];
  /** Flushed tables, oldest first. */
  tables: Table[] = [];

  /** A write that meets a full memtable seals it and retries on the fresh one. */
  put(key: string, value: string): void {
    for (;;) {
      try {
        return this.memtable.put(bytes(key), bytes(value));
      } catch (error) {
        if (!(error instanceof InsertError && error.kind === "OutOfMemory")) throw error;
        this.seal();
      }
    }
  }

  delete(key: string): void {
    // Deletes are accepted past the soft limits: a tombstone must always get in.
    this.memtable.delete(bytes(key));
  }

  seal(): void {
    const sealed = this.memtable;
    const [frozen, fresh] = sealed.seal();
    sealed.release(); // only this instance: the frozen memtable holds the claim now
    this.memtable = fresh; // new writes go here from now on
    this.immutable.push(frozen);
  }

  /** Writes the oldest sealed memtable to a table (in real life: in a background worker). */
  flush(): void {
    const frozen = this.immutable.shift();
    if (frozen === undefined) return;
    // The memtable iterates in key order, one entry per key, tombstones
    // included: exactly what the table format wants.
    this.tables.push(new Table(encodeTable([...frozen])));
    // The table holds copies: the memtable's memory can serve a later one.
    // V8 does not count it towards garbage collection, so without this a
    // long-running engine would keep every flushed memtable resident.
    frozen.release();
  }

  /** The newest version wins: memtable, then sealed memtables, then tables, newest first. */
  get(key: string): string | undefined {
    const k = bytes(key);
    for (const source of [this.memtable, ...this.immutable.toReversed()]) {
      const found = source.get(k);
      if (found !== undefined) return found[1] ? undefined : text(found[0]);
    }
    for (const table of this.tables.toReversed()) {
      const record = table.get(k);
      if (record !== undefined) return record.isTombstone ? undefined : text(record.value);
    }
    return undefined;
  }
}

const lsm = new TinyLsm();
for (const [key, value] of [["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"]] as const) {
  lsm.put(key, value);
}
assert.ok(lsm.memtable.isUnderBackpressure(), "4 of maxEntries 4: time to seal");

// The fifth put finds the memtable full, seals it and lands in a fresh one.
lsm.put("e", "5");
assert.equal(lsm.immutable.length, 1);
assert.equal(lsm.memtable.size, 1);
assert.equal(lsm.get("a"), "1", "readable while waiting for its flush");

lsm.flush();
assert.equal(lsm.immutable.length, 0);
assert.equal(lsm.tables.length, 1);
assert.equal(lsm.tables[0]!.recordCount, 4);

// Newer writes shadow the table: an overwrite and a delete of flushed keys.
lsm.put("a", "1 (updated)");
lsm.delete("b");
assert.equal(lsm.get("a"), "1 (updated)");
assert.equal(lsm.get("b"), undefined, "the memtable's tombstone hides the table's value");
assert.equal(lsm.get("c"), "3", "untouched keys are still read from the table");

// Flush again: the tombstone goes to disk too, so it keeps shadowing the older table.
lsm.seal();
lsm.flush();
assert.equal(lsm.tables.length, 2);
assert.deepEqual(
  [...lsm.tables[1]!].map((r) => [text(r.key), r.isTombstone]),
  [["a", false], ["b", true], ["e", false]],
);
assert.ok(lsm.memtable.isEmpty());
assert.equal(lsm.get("b"), undefined, "a flushed tombstone still shadows the older table");
assert.equal(lsm.get("a"), "1 (updated)");
assert.equal(lsm.get("e"), "5");
assert.equal(lsm.get("zzz"), undefined);

console.log(`lsm_lifecycle: ok (${lsm.tables.length} tables)`);
