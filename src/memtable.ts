/**
 * What a live list and a frozen memtable share beyond reads: snapshots,
 * size and memory statistics, and the structural check.
 *
 * @module
 */

import type { ListCore } from "./_core.ts";
import { internals } from "./_internals.ts";
import { checkOptionNames } from "./_args.ts";
import { STATE_EXHAUSTED, STATE_FROZEN, STATE_OPEN } from "./_layout.ts";
import { checkStructure } from "./_structure.ts";
import { describe } from "./options.ts";
import { View } from "./_view.ts";
import { SkipListReader } from "./skip_list_reader.ts";
import { newSnapshot, type Snapshot } from "./snapshot.ts";
import type { ValidateOptions, ValidationReport } from "./validation.ts";

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
  #core!: ListCore;

  /** Not public: memtables are made by `new ConcurrentSkipList()` and `seal()`. */
  protected constructor() {
    super();
  }

  /** This memtable's core, or the `TypeError` of a call to `method` once released. */
  #checked(method: string): ListCore {
    const core = this.#core;
    core.lease.check(method);
    return core;
  }

  static {
    internals.setMemtableCore = (memtable, core) => {
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
    const core = this.#checked("snapshot");
    return newSnapshot(new View(core, core.versions.snapshotBound()));
  }

  /** Live keys (tombstoned ones not counted). Never negative. */
  get size(): number {
    return this.#checked("size").stats.size();
  }

  /**
   * Whether no key is live.
   *
   * @returns `true` when `size` is 0.
   */
  isEmpty(): boolean {
    return this.#checked("isEmpty").stats.size() === 0;
  }

  /**
   * Arena bytes allocated (control block included).
   *
   * @returns Bytes.
   */
  memoryUsage(): number {
    return this.#checked("memoryUsage").stats.memoryUsage();
  }

  /**
   * Arena bytes currently reserved (backed by the buffer).
   *
   * @returns Bytes.
   */
  memoryReserved(): number {
    return this.#checked("memoryReserved").stats.memoryReserved();
  }

  /**
   * `memoryUsage() / memoryReserved()`.
   *
   * @returns A ratio in 0..1.
   */
  memoryUtilization(): number {
    const core = this.#checked("memoryUtilization");
    return core.stats.memoryUsage() / core.stats.memoryReserved();
  }

  /**
   * `memoryReserved() - memoryUsage()`.
   *
   * @returns Bytes.
   */
  memoryIdle(): number {
    const core = this.#checked("memoryIdle");
    return Math.max(0, core.stats.memoryReserved() - core.stats.memoryUsage());
  }

  /**
   * Average key length over the distinct keys stored.
   *
   * @returns Bytes (0 when empty).
   */
  avgKeySize(): number {
    const core = this.#checked("avgKeySize");
    const nodes = core.stats.nodeCount();
    return nodes === 0 ? 0 : core.stats.keyBytes() / nodes;
  }

  /**
   * Average value length over the values stored (every `insert` and `put`
   * version; tombstones excluded).
   *
   * @returns Bytes (0 when none).
   */
  avgValueSize(): number {
    const core = this.#checked("avgValueSize");
    const versions = core.stats.valueVersions();
    return versions === 0 ? 0 : core.stats.valueBytes() / versions;
  }

  /**
   * Checks the structure of the shared memory (see {@link ValidationReport}).
   *
   * @param options `quiescent` (default `true`).
   * @returns What was found.
   * @throws {Error} Naming the first broken invariant.
   */
  validate(options?: ValidateOptions): ValidationReport {
    const core = this.#checked("validate");
    const quiescent = checkOptionNames("Cannot validate", options, VALIDATE_OPTIONS)?.quiescent ??
      true;
    if (typeof quiescent !== "boolean") {
      throw new TypeError(
        `Cannot validate: quiescent must be a boolean, received ${describe(quiescent)}`,
      );
    }
    return checkStructure(core, quiescent);
  }

  /**
   * Says that this agent is done with this instance, so that the list's
   * memory can serve a later list once every instance of it, in every agent,
   * is released. V8 does not count `SharedArrayBuffer` memory towards its
   * garbage collection, so without a release a dropped memtable stays
   * resident until a collection happens for other reasons.
   *
   * Afterwards every method of this instance, and of the snapshots, cursors
   * and iterators it made, throws a `TypeError`, and the keys and values it
   * returned may change. Calling it again does nothing. The instance that
   * called `seal()` hands its claim to the frozen memtable: releasing the
   * frozen memtable releases both, and releasing the sealed list afterwards
   * only stops that instance. Keep an instance until an agent you shared a
   * handle with has attached it: `attach` of a list whose instances were all
   * released throws.
   *
   * @example A seal cycle that gives its memory back
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * let list = new ConcurrentSkipList({ maxEntries: 100 });
   * list.insert(new Uint8Array([1]), new Uint8Array([1]));
   * const [frozen, fresh] = list.seal();
   * list = fresh;
   * assert.equal([...frozen].length, 1); // the flush
   * frozen.release(); // its memory serves the next fresh list
   * assert.throws(() => frozen.size, /released/);
   * ```
   */
  release(): void {
    this.#core.lease.release();
  }

  /**
   * {@link Memtable.release}, for `using` declarations.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * let frozenSize = 0;
   * {
   *   using list = new ConcurrentSkipList();
   *   list.insert(new Uint8Array([1]), new Uint8Array([1]));
   *   frozenSize = list.size;
   * } // released here
   * assert.equal(frozenSize, 1);
   * ```
   */
  [Symbol.dispose](): void {
    this.release();
  }

  /**
   * What `console.log` shows in Deno: size, memory and state, not the
   * private fields (`ConcurrentSkipList { size: 3, memoryUsage: 4352, … }`).
   */
  [Symbol.for("Deno.customInspect")](): string {
    return this.#inspect();
  }

  /** What `console.log` and `util.inspect` show in Node and Bun (as in Deno). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.#inspect();
  }

  #inspect(): string {
    const core = this.#core;
    const name = core.lease.owner; // not constructor.name: bundlers rename classes
    if (core.lease.released) return `${name} { released }`;
    const state = core.state();
    const stateName = state === STATE_OPEN
      ? "open"
      : state === STATE_FROZEN
      ? "frozen"
      : state === STATE_EXHAUSTED
      ? "exhausted"
      : "sealing";
    return `${name} { size: ${core.stats.size()}, memoryUsage: ${core.stats.memoryUsage()}, ` +
      `memoryReserved: ${core.stats.memoryReserved()}, state: "${stateName}" }`;
  }
}

const VALIDATE_OPTIONS: ReadonlySet<string> = new Set(["quiescent"]);

/**
 * Gives a memtable its core, and the newest-version view it reads through
 * (internal: called by each subclass's constructor).
 */
export function bindMemtable(memtable: Memtable, core: ListCore): View {
  const view = new View(core);
  internals.setMemtableCore(memtable, core);
  internals.setReaderView(memtable, view);
  return view;
}
