/**
 * What a live list and a frozen memtable share beyond reads: snapshots,
 * size and memory statistics, and the structural check.
 *
 * @module
 */

import type { SkipListCore } from "./_skiplist.ts";
import { checkStructure } from "./_structure.ts";
import { View } from "./_view.ts";
import { bindReader, SkipListReader } from "./skip_list_reader.ts";
import { newSnapshot, type Snapshot } from "./snapshot.ts";
import type { ValidateOptions, ValidationReport } from "./validation.ts";

let bind: (memtable: Memtable, core: SkipListCore) => void;

/**
 * A memtable, live ({@link ConcurrentSkipList}) or sealed
 * ({@link FrozenMemtable}): the reads of {@link SkipListReader} plus
 * snapshots, statistics and `validate()`. Not constructed directly.
 *
 * @example Reporting on either kind
 * ```ts
 * import { ConcurrentSkipList, type Memtable } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const describe = (memtable: Memtable) => `${memtable.size} keys, ${memtable.memoryUsage()} bytes`;
 * const list = new ConcurrentSkipList();
 * list.insert(new Uint8Array([1]), new Uint8Array(8));
 * const [frozen] = list.seal();
 * assert.equal(describe(list), describe(frozen));
 * ```
 */
export abstract class Memtable extends SkipListReader {
  #core!: SkipListCore;

  /** Not public: memtables are made by `new ConcurrentSkipList()` and `seal()`. */
  protected constructor() {
    super();
  }

  static {
    bind = (memtable, core) => {
      memtable.#core = core;
    };
  }

  /**
   * An exact point-in-time view (see {@link Snapshot}); of a frozen memtable,
   * everything it holds.
   *
   * @returns The snapshot.
   */
  snapshot(): Snapshot {
    return newSnapshot(new View(this.#core, this.#core.snapshotBound()));
  }

  /** Live keys (tombstoned ones not counted). Never negative. */
  get size(): number {
    return this.#core.size();
  }

  /**
   * Whether no key is live.
   *
   * @returns `true` when `size` is 0.
   */
  isEmpty(): boolean {
    return this.#core.size() === 0;
  }

  /**
   * Arena bytes allocated (control block included).
   *
   * @returns Bytes.
   */
  memoryUsage(): number {
    return this.#core.memoryUsage();
  }

  /**
   * Arena bytes currently reserved (backed by the buffer).
   *
   * @returns Bytes.
   */
  memoryReserved(): number {
    return this.#core.memoryReserved();
  }

  /**
   * `memoryUsage() / memoryReserved()`.
   *
   * @returns A ratio in 0..1.
   */
  memoryUtilization(): number {
    return this.#core.memoryUsage() / this.#core.memoryReserved();
  }

  /**
   * `memoryReserved() - memoryUsage()`.
   *
   * @returns Bytes.
   */
  memoryIdle(): number {
    return Math.max(0, this.#core.memoryReserved() - this.#core.memoryUsage());
  }

  /**
   * Checks the structure of the shared memory (see {@link ValidationReport}).
   *
   * @param options `quiescent` (default `true`).
   * @returns What was found.
   * @throws {Error} Naming the first broken invariant.
   */
  validate(options?: ValidateOptions): ValidationReport {
    return checkStructure(this.#core, options?.quiescent ?? true);
  }
}

/**
 * Gives a memtable its core, and the newest-version view it reads through
 * (internal: called by each subclass's constructor).
 */
export function bindMemtable(memtable: Memtable, core: SkipListCore): View {
  const view = new View(core);
  bind(memtable, core);
  bindReader(memtable, view);
  return view;
}
