/**
 * The read-only memtable `seal()` hands out, ready to flush.
 *
 * @module
 */

import { bindMemtable, Memtable } from "./memtable.ts";
import type { Arena } from "./_arena.ts";
import { Lease } from "./_lease.ts";
import { ListCore } from "./_core.ts";
import { internals } from "./_internals.ts";
import { SHARED, STATE, STATE_FROZEN } from "./_layout.ts";
import { type FrozenMemtableHandle, openHandle } from "./handle.ts";

/**
 * A sealed list: read-only, complete (it holds exactly the writes that
 * returned success before `seal()` returned) and unchanging, so a flusher can
 * walk it at leisure, in this worker or another (`share()` / `attach()`).
 * Iteration yields tombstones: write them out, they shadow older tables.
 * Release it once flushed ({@link Memtable.release}, or `using`): its memory
 * then serves a later list as soon as every instance of it, in every agent,
 * is released. V8 does not count that memory towards garbage collection, so
 * a frozen memtable that is only dropped stays resident for a long time.
 *
 * Inherited, and documented on the classes they come from (`deno doc` lists a
 * class's own members only): the reads `get`, `getLive`, `containsKey`,
 * `getMany`, `iter`, `range`, `first`, `last`, `cursor`, `cursorAt`,
 * `cursorForPrev` and `rawCursor` on {@link SkipListReader}; `snapshot`,
 * `size`, `isEmpty`, the memory statistics, `avgKeySize`, `avgValueSize`,
 * `validate`, `release` and `[Symbol.dispose]` on {@link Memtable}.
 *
 * @example Flushing a sealed memtable
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * let memtable = new ConcurrentSkipList();
 * memtable.insert(bytes("b"), bytes("2"));
 * memtable.insert(bytes("a"), bytes("1"));
 * memtable.delete(bytes("c"));
 * const [frozen, fresh] = memtable.seal();
 * memtable = fresh; // writers continue here
 * const table = [...frozen].map((e) => [new TextDecoder().decode(e.key), e.isTombstone]);
 * assert.deepEqual(table, [["a", false], ["b", false], ["c", true]]);
 * ```
 */
export class FrozenMemtable extends Memtable {
  #core: ListCore;

  /** Not public: frozen memtables come from `seal()` and `attach()`. */
  private constructor(core: ListCore) {
    super();
    this.#core = core;
    bindMemtable(this, core);
  }

  static {
    internals.newFrozenMemtable = (core) => new FrozenMemtable(core);
  }

  /**
   * Opens, in this worker, a frozen memtable shared by `frozen.share()`.
   *
   * @param handle What `share()` returned (possibly posted from another worker).
   * @returns The same memtable.
   * @throws {TypeError} When `handle` is not a frozen memtable's handle.
   *
   * @example
   * ```ts
   * import { ConcurrentSkipList, FrozenMemtable } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const [frozen] = new ConcurrentSkipList().seal();
   * assert.ok(FrozenMemtable.attach(frozen.share()).isEmpty());
   * assert.throws(() => FrozenMemtable.attach({} as never), TypeError);
   * ```
   */
  static attach(handle: FrozenMemtableHandle): FrozenMemtable {
    const arena = openHandle("FrozenMemtable", handle, "fastskip.FrozenMemtable");
    // Observes the sealer's store of STATE_FROZEN: everything written before
    // it is visible, and nothing changes after it (see PlainLinks in _links.ts).
    if (Atomics.load(arena.i32, STATE) !== STATE_FROZEN) {
      arena.dropReference();
      throw new TypeError("Cannot attach FrozenMemtable: the list behind the handle is not sealed");
    }
    return newFrozenMemtable(arena, new Lease("FrozenMemtable", arena));
  }

  /**
   * A structured-cloneable handle to this memtable, for `FrozenMemtable.attach`.
   *
   * @returns The handle.
   */
  share(): FrozenMemtableHandle {
    this.#core.lease.check("share");
    const arena = this.#core.arena;
    // Frozen reads are plain already; the flag lets other agents attach it.
    Atomics.store(arena.i32, SHARED, 1);
    return { kind: "fastskip.FrozenMemtable", memory: arena.backing, generation: arena.generation };
  }
}

/**
 * Wraps an arena this agent has seen frozen (internal), reading it under
 * `lease`.
 */
export function newFrozenMemtable(arena: Arena, lease: Lease): FrozenMemtable {
  return internals.newFrozenMemtable(ListCore.frozen(arena, lease));
}
