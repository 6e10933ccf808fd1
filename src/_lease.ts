/**
 * An instance's claim on its list: the flag every method checks before it
 * reads the buffer, and the one reference (`REFS`, `_references.ts`) the
 * instance drops when it is released.
 *
 * One lease per public instance (a `ConcurrentSkipList` or a
 * `FrozenMemtable`, in one agent); the snapshots, cursors and iterators an
 * instance makes read through its core and so check its lease. `seal()` hands
 * the sealing instance's reference to the frozen memtable it returns
 * ({@link Lease.handOver}): releasing the frozen memtable releases both, and
 * releasing the sealed instance afterwards only stops that instance.
 *
 * @module
 */

import type { Arena } from "./_arena.ts";

/** One instance's right to read a list. */
export class Lease {
  /** Set once by {@link Lease.release}; checked by every method of the instance. */
  released = false;
  /** The class name the errors use. */
  readonly owner: string;
  /** The arena whose reference this lease holds, or null once dropped or handed over. */
  #arena: Arena | null;
  /** Leases released together with this one (the instance that sealed it). */
  #dependents: Lease[] = [];

  /** @param arena An arena on which the caller took one reference for this lease. */
  constructor(owner: string, arena: Arena) {
    this.owner = owner;
    // Both fields change when the instance is released. Each is given the
    // other value first, so that V8 never compiles code that takes it for a
    // constant: the first release() in a process would drop all that code.
    this.released = true;
    this.released = false;
    this.#arena = null;
    this.#arena = arena;
  }

  /**
   * Moves this lease's reference to a new lease (the frozen memtable of a
   * seal); this lease is released with it.
   */
  handOver(owner: string, arena: Arena): Lease {
    const next = new Lease(owner, arena);
    next.#dependents.push(this);
    this.#arena = null;
    return next;
  }

  /** Marks the instance released, then drops its reference (at most once). */
  release(): void {
    if (this.released) return;
    // Marked first: nothing reads the buffer once the reference is dropped.
    this.released = true;
    for (const dependent of this.#dependents) dependent.released = true;
    const arena = this.#arena;
    this.#arena = null;
    arena?.dropReference();
  }

  /** Throws the `TypeError` of a call to `method` once the instance is released. */
  check(method: string): void {
    if (this.released) throw this.error(method);
  }

  /** The error of a call to `method` on a released instance. */
  error(method: string): TypeError {
    return new TypeError(
      `Cannot ${method}: this ${this.owner} was released (release() or [Symbol.dispose]()); ` +
        `its memory may already serve another list`,
    );
  }
}
