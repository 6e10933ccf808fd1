/**
 * Explicit snapshots: `db.snapshot()` on a fastskip snapshot.
 *
 * @module
 */

import type { ConcurrentSkipList, Snapshot } from "../mod.ts";
import { SnapshotBase } from "./bases.ts";
import { levelError } from "./errors.ts";

/**
 * The store at one point in time, from `db.snapshot()`: pass it as
 * `{ snapshot }` to `get`, `getMany`, `has`, `hasMany`, `getSync`,
 * `iterator`, `keys`, `values` and `clear`. It is a fastskip snapshot,
 * exact even while other workers write the same list: every write that
 * completed before `db.snapshot()` returned is in it, nothing that started
 * after is. It costs nothing to keep beyond its object; `close()` it when
 * done, as abstract-level asks (closing the store closes it too).
 *
 * @example
 * ```ts
 * import { FastskipLevel } from "@fastskip/fastskip/level";
 * import assert from "node:assert/strict";
 *
 * const db = new FastskipLevel();
 * await db.put("fruit", "apple");
 * const snapshot = db.snapshot();
 * await db.put("fruit", "pear");
 * assert.equal(await db.get("fruit", { snapshot }), "apple");
 * assert.equal(await db.get("fruit"), "pear");
 * await snapshot.close();
 * await db.close();
 * ```
 */
export class FastskipSnapshot extends SnapshotBase {
  readonly #reader: Snapshot;
  readonly #list: ConcurrentSkipList;

  /**
   * Not for direct use: `db.snapshot()` makes snapshots.
   *
   * @param list The store's list.
   * @param options abstract-level's snapshot options (`owner`: the store or sublevel).
   */
  constructor(list: ConcurrentSkipList, options: { owner: unknown }) {
    super(options);
    this.#list = list;
    this.#reader = list.snapshot();
  }

  /**
   * The fastskip snapshot to read `list` through, for a store's private API.
   * A snapshot of another store (or of this store before it was reopened) is
   * refused: it would read a different list.
   *
   * @param snapshot The `snapshot` option abstract-level forwarded.
   * @param list The list of the store that reads.
   * @returns The fastskip snapshot.
   * @throws {Error} (`code: "LEVEL_SNAPSHOT_NOT_OPEN"`) For a foreign snapshot.
   */
  static readerOf(snapshot: unknown, list: ConcurrentSkipList): Snapshot {
    if (!(typeof snapshot === "object" && snapshot !== null && #reader in snapshot)) {
      throw new TypeError(
        `FastskipLevel: the snapshot option must come from db.snapshot() of a FastskipLevel, received ${
          Object.prototype.toString.call(snapshot)
        }`,
      );
    }
    if (snapshot.#list !== list) {
      throw levelError(
        "FastskipLevel: the snapshot belongs to another store (or to this one before it was reopened)",
        "LEVEL_SNAPSHOT_NOT_OPEN",
      );
    }
    return snapshot.#reader;
  }
}
