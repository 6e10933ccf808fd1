/**
 * The one read interface of a list's records, and its three implementations:
 * {@link AtomicLinks} for a live list shared with other agents,
 * {@link LocalLinks} for a live list still private to the agent that made it,
 * {@link PlainLinks} for a frozen one.
 * The search loop, the version chains and the cursors read through a
 * `Links`, so they are written once for both.
 *
 * What differs, and why:
 *
 * - A live list's mutable words (links, version heads, stamps, the list
 *   height) are read with `Atomics.load` (invariant 3): a plain read of a
 *   racing word may be hoisted or reordered. A frozen list's never change
 *   again once this agent has seen `STATE_FROZEN` (invariant 6), so plain
 *   loads are sound, and at a million entries they are what a flush spends
 *   its time on (`Atomics.load` is a builtin call in V8).
 * - A live list no other agent can reach (never `share()`d: invariant 8) has
 *   no racing words at all, so its maker reads and writes them with plain
 *   loads and stores too;
 *   `Atomics.load` is a builtin call in V8 (20–29 ns against 2–7 ns for a
 *   plain load, `bench/README.md`), and a lookup makes about 25 of them.
 * - A shared live list may have grown in another agent: a record reached by a link
 *   may lie past this agent's views, so {@link Links.node} and
 *   {@link Links.version} refresh them first (the grow happened before the
 *   record was written, which happened before the CAS that published it). A
 *   frozen list's views are refreshed once, when it is opened.
 *
 * Either way, every read of a record goes through the view these methods
 * return, never through a copy taken before them.
 *
 * @module
 */

import type { Arena } from "./_arena.ts";
import { nodeEndOf, versionEndOf } from "./_records.ts";
import {
  HEIGHT,
  linkWord,
  NODE_NEXT,
  NODE_VERSIONS,
  SHARED,
  VERSION_STAMP,
  VERSION_VALUE,
  VERSION_VALUE_LENGTH,
} from "./_layout.ts";

/** How one agent reads the records of one list. */
export interface Links {
  readonly arena: Arena;
  /** Levels in use (only ever raised). */
  height(): number;
  /** Successor of readable `node` at `level`, 0 at the end. */
  next(node: number, level: number): number;
  /**
   * Whether searches may decide on the bounds beside the links (invariant 9
   * of `_layout.ts`) and read the whole list with plain loads through the
   * view {@link Links.node} returns, which nothing replaces during a search:
   * true for a private list (only its maker grows it, never mid-search) and
   * a frozen one.
   */
  readonly readsBounds: boolean;
  /**
   * Whether every bound equals the bound of the node its link leads to (a
   * list never shared), rather than an upper bound of it.
   */
  readonly exactBounds: boolean;
  /** Makes `node`, just reached by a link, readable; returns the view to read it through. */
  node(node: number): Int32Array;
  /** Newest version of readable `node`. */
  newest(node: number): number;
  /** Makes `version`, just reached by a link, readable; returns the view to read it through. */
  version(version: number): Int32Array;
  /** The stamp of readable `version` as stored (`PENDING` until committed). */
  stamp(version: number): number;

  // Mutable words (links, stamps, counters): `Atomics` unless the list is private.
  /** Loads mutable word `word`. */
  load(word: number): number;
  /** Stores `value` into mutable word `word`. */
  store(word: number, value: number): void;
  /** Adds `delta` to mutable word `word`; returns the word's previous value. */
  add(word: number, delta: number): number;
  /** Replaces `expected` by `value` in mutable word `word`; returns what it held. */
  compareExchange(word: number, expected: number, value: number): number;
}

/**
 * The mutable words of a list other agents may reach, through `Atomics`:
 * sequentially consistent, so a plain store before one of these is visible
 * to an agent that observes it (invariant 2).
 */
abstract class SharedWords {
  abstract readonly arena: Arena;

  load(word: number): number {
    return Atomics.load(this.arena.i32, word);
  }

  store(word: number, value: number): void {
    Atomics.store(this.arena.i32, word, value);
  }

  add(word: number, delta: number): number {
    return Atomics.add(this.arena.i32, word, delta);
  }

  compareExchange(word: number, expected: number, value: number): number {
    return Atomics.compareExchange(this.arena.i32, word, expected, value);
  }
}

/** Reads of a live list: `Atomics` on every mutable word, views refreshed as needed. */
export class AtomicLinks extends SharedWords implements Links {
  readonly arena: Arena;

  constructor(arena: Arena) {
    super();
    this.arena = arena;
  }

  height(): number {
    return Atomics.load(this.arena.i32, HEIGHT);
  }

  next(node: number, level: number): number {
    // Observes the successor, and by invariant 2 its contents, fully written.
    return Atomics.load(this.arena.i32, linkWord(node, level));
  }

  /** False: a bound is a racing word here, and an `Atomics.load` costs more than it saves. */
  readonly readsBounds: boolean = false;
  readonly exactBounds: boolean = false;

  node(node: number): Int32Array {
    const arena = this.arena;
    let i32 = arena.i32;
    if (node + NODE_NEXT > arena.viewWords) i32 = arena.cover(node + NODE_NEXT);
    const end = nodeEndOf(node, i32[node]!);
    return end > arena.viewWords ? arena.cover(end) : i32;
  }

  newest(node: number): number {
    // Observes the newest published version (and, by invariant 2, its contents).
    return Atomics.load(this.arena.i32, node + NODE_VERSIONS);
  }

  version(version: number): Int32Array {
    const arena = this.arena;
    let i32 = arena.i32;
    if (version + VERSION_VALUE > arena.viewWords) i32 = arena.cover(version + VERSION_VALUE);
    const end = versionEndOf(version, i32[version + VERSION_VALUE_LENGTH]!);
    return end > arena.viewWords ? arena.cover(end) : i32;
  }

  stamp(version: number): number {
    return Atomics.load(this.arena.i32, version + VERSION_STAMP);
  }
}

/**
 * Reads of a live list that is private to this agent (invariant 8): plain
 * loads, and no refresh of the views, since this agent made every growth
 * itself (`Arena.allocate` refreshes them). Reads go through `arena.i32` each
 * time: a growth replaces it.
 */
export class LocalLinks implements Links {
  readonly arena: Arena;

  constructor(arena: Arena) {
    this.arena = arena;
  }

  load(word: number): number {
    return this.arena.i32[word]!;
  }

  store(word: number, value: number): void {
    this.arena.i32[word] = value;
  }

  add(word: number, delta: number): number {
    const i32 = this.arena.i32;
    const previous = i32[word]!;
    i32[word] = previous + delta;
    return previous;
  }

  compareExchange(word: number, expected: number, value: number): number {
    const i32 = this.arena.i32;
    const previous = i32[word]!;
    if (previous === expected) i32[word] = value;
    return previous;
  }

  height(): number {
    return this.arena.i32[HEIGHT]!;
  }

  next(node: number, level: number): number {
    return this.arena.i32[linkWord(node, level)]!;
  }

  readonly readsBounds: boolean = true;
  /** True: this agent is the only writer, and stores each bound right after its link. */
  readonly exactBounds: boolean = true;

  node(_node: number): Int32Array {
    return this.arena.i32;
  }

  newest(node: number): number {
    return this.arena.i32[node + NODE_VERSIONS]!;
  }

  version(_version: number): Int32Array {
    return this.arena.i32;
  }

  stamp(version: number): number {
    return this.arena.i32[version + VERSION_STAMP]!;
  }
}

/**
 * Reads of a frozen list with plain loads. Sound only once this agent has
 * read `STATE_FROZEN` with `Atomics.load` (which synchronizes with the
 * sealer's store of it, after every write had finished). A stamp left
 * `PENDING` by a writer that died is the one word that may still change: the
 * caller resolves it atomically (`Versions.commit`), so all agree on it.
 */
export class PlainLinks extends SharedWords implements Links {
  readonly arena: Arena;
  readonly #i32: Int32Array;

  /** @param arena An arena whose `STATE` this agent has read as frozen. */
  constructor(arena: Arena) {
    super();
    this.arena = arena;
    arena.refresh(); // the last growth happened before the freeze
    this.#i32 = arena.i32;
    // Writers of a shared list may have stored bounds out of order (invariant 9).
    this.exactBounds = Atomics.load(arena.i32, SHARED) === 0;
  }

  height(): number {
    return this.#i32[HEIGHT]!;
  }

  next(node: number, level: number): number {
    return this.#i32[linkWord(node, level)]!;
  }

  readonly readsBounds: boolean = true;
  readonly exactBounds: boolean;

  node(_node: number): Int32Array {
    return this.#i32;
  }

  newest(node: number): number {
    return this.#i32[node + NODE_VERSIONS]!;
  }

  version(_version: number): Int32Array {
    return this.#i32;
  }

  stamp(version: number): number {
    return this.#i32[version + VERSION_STAMP]!;
  }
}
