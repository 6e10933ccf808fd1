/**
 * Where a cursor or an iterator is in a list seen at one bound: before the
 * first entry, on one (a node and the version visible there), or past the
 * end. `Cursor`, `RawCursor` and `Iter` differ only in what they show of it.
 *
 * @module
 */

import { ALLOC, NODE_NEXT, NODE_VERSIONS, VERSION_STAMP } from "./_layout.ts";
import type { Bound } from "./_range_options.ts";
import { ScanAhead } from "./_scan_ahead.ts";
import { BELOW, LAST } from "./_search.ts";
import type { View } from "./_view.ts";
import type { Entry } from "./entry.ts";

/** `Position.node` before the first entry. */
const BEFORE_FIRST = -1;

/** What a call on a released instance's cursor or iterator says it tried. */
const READ = "read through a cursor or iterator";

/**
 * Level a reverse run is collected from: a backward search stops there, and
 * a level-0 walk from the node it found to the current one collects about
 * 2^RUN_LEVEL = 16 nodes (each level holds half the one below), yielded
 * from the last. One search per run instead of one per step, and still no
 * back links.
 */
const RUN_LEVEL = 4;
/** `#below` when no reverse run is in progress: the next one ends at `node`. */
const NO_RUN = -2;
/** `#below` when the run in progress began at the head: nothing lies before it. */
const HEAD_REACHED = -3;

/**
 * Allocated bytes from which a forward scan of a private or frozen list
 * touches the nodes ahead of it ({@link ScanAhead}). Below, the list fits in
 * a last-level cache and the walkers gain nothing. Measured per step: even at
 * 100k entries (6 MB), 0.85× the time at 300k, 0.80× at 1M (60 MB), and 1.4×
 * at 10k, where moving them costs more than the misses they save.
 */
const SCAN_AHEAD_MIN_BYTES = 8 * 1024 * 1024;

/** A position in a view. */
export class Position {
  readonly view: View;
  /** The node it is on; 0 past the end; BEFORE_FIRST before the first. */
  node = BEFORE_FIRST;
  /** The version visible at the node (valid while on a node). */
  version = 0;

  constructor(view: View) {
    this.view = view;
    const core = view.core;
    const links = core.links;
    this.#ahead = links.readsBounds && links.load(ALLOC) * 4 >= SCAN_AHEAD_MIN_BYTES
      ? new ScanAhead()
      : null;
  }

  /** Whether it is on an entry. */
  valid(): boolean {
    this.view.check(READ);
    return this.node > 0;
  }

  /** Whether it has not moved yet. */
  beforeFirst(): boolean {
    return this.node === BEFORE_FIRST;
  }

  /** Moves to the next visible entry (from before the first: the first); false past the end. */
  next(): boolean {
    const view = this.view;
    view.check(READ);
    const node = this.node;
    if (node === 0) return false;
    const core = view.core;
    const links = core.links;
    const from = node === BEFORE_FIRST ? core.head : node;
    if (!links.readsBounds) return this.#moveTo(core.next(from));
    // Read with plain loads through one view (a private or frozen list): the
    // step in a few loads, the newest version checked here, older ones and a
    // PENDING stamp (never below a bound) left to `#moveTo`.
    const i32 = links.node(from);
    const next = i32[from + NODE_NEXT]!;
    if (next === 0) return this.#moveTo(0);
    const newest = i32[next + NODE_VERSIONS]!;
    if (!(i32[newest + VERSION_STAMP]! < view.bound)) {
      if (!this.#moveTo(next)) return false;
      this.#ahead?.step(links.node(this.node), node, this.node);
      return true;
    }
    this.node = next;
    this.version = newest;
    this.#runLength = 0;
    this.#below = NO_RUN;
    this.#ahead?.step(i32, node, next);
    return true;
  }

  /** Touches the nodes ahead of a forward scan of a large list (null: small, or read with Atomics). */
  readonly #ahead: ScanAhead | null;

  /** Moves to the first visible entry whose key is `>= target`; false if none. */
  seek(method: string, target: unknown): boolean {
    return this.#moveTo(this.view.seek(method, target));
  }

  /** The entry it is on, or undefined. */
  entry(): Entry | undefined {
    this.view.check(READ);
    return this.node > 0 ? this.view.entry(this.node, this.version) : undefined;
  }

  /** Moves to the first visible entry from `node` on (0: none); false, past the end, if none is. */
  #moveTo(node: number): boolean {
    const view = this.view;
    let version = 0;
    while (node !== 0 && (version = view.versionAt(node)) === 0) node = view.core.next(node);
    this.node = node;
    this.version = version;
    this.#runLength = 0;
    this.#below = NO_RUN;
    return node !== 0;
  }

  // ------------------------------------------------------------ backwards
  //
  // Nodes have no back links. A step back is a search from the head, as in
  // LevelDB's memtable iterator, but it collects a run: the search for the
  // current key stops at level RUN_LEVEL, on the last node P there below it,
  // and a level-0 walk from P up to the current node records every node in
  // between. Steps back then pop the run; the next run ends at P.
  //
  //   level 2   head ───────────────▶ P ──────────────────────────▶ …
  //   level 0   head ─▶ … ─▶ o ─▶ o ─▶ P ─▶ a ─▶ b ─▶ c ─▶ current
  //                                    └───── run: P a b c ─────┘   popped c, b, a, P
  //
  // On a live list the walk from P reaches the current node (level 0 is
  // sorted and holds every node, and nodes never move), so a run holds every
  // node between them linked before the walk: runs tile the keys below the
  // start, and a reverse walk never goes forwards and never skips a key
  // present for the whole walk. Keys linked later may or may not appear.

  /** Nodes of the reverse run, lowest first; popped from `#runLength - 1` down. */
  #run: Int32Array | null = null;
  /** Nodes of the run not yet popped. */
  #runLength = 0;
  /** Where the next run ends: the first node of the current one, NO_RUN or HEAD_REACHED. */
  #below = NO_RUN;

  /**
   * Moves to the previous visible entry (from past the end: the last);
   * false, and before the first entry, when there is none.
   */
  prev(): boolean {
    this.view.check(READ);
    if (this.node === BEFORE_FIRST) return false;
    const view = this.view;
    const core = view.core;
    for (;;) {
      if (this.#runLength === 0) {
        const below = this.#below;
        if (below === HEAD_REACHED || !this.#collectRun(below === NO_RUN ? this.node : below)) {
          return this.#toBeforeFirst();
        }
      }
      const node = this.#run![--this.#runLength]!;
      const version = core.versionAt(node, view.bound);
      if (version !== 0) {
        this.node = node;
        this.version = version;
        return true;
      }
      // Not visible at this bound (written after the snapshot): go on below it.
    }
  }

  /**
   * Collects the run of nodes below `upper` (0: below the end). Returns false
   * when there is none.
   */
  #collectRun(upper: number): boolean {
    const core = this.view.core;
    const head = core.head;
    let from: number;
    if (upper === 0) {
      from = core.descend(core.probe, LAST, RUN_LEVEL);
    } else {
      core.probeKeyOf(upper, core.probe);
      from = core.descend(core.probe, BELOW, RUN_LEVEL);
    }
    let run = this.#run ??= new Int32Array(64);
    let length = 0;
    let node = from === head ? core.next(head) : from;
    // The walk ends at `upper` by identity: no key compare per node.
    while (node !== upper) {
      if (node === 0) {
        // `from` sorts below `upper` and both are in level 0, which is sorted
        // and loses no node: only a broken structure ends the walk early.
        throw new Error("fastskip: invariant broken: level 0 does not lead to a node above");
      }
      if (length === run.length) {
        const longer = new Int32Array(run.length * 2);
        longer.set(run);
        this.#run = run = longer;
      }
      run[length++] = node;
      node = core.next(node);
    }
    this.#runLength = length;
    this.#below = from === head ? HEAD_REACHED : from;
    return length !== 0;
  }

  #toBeforeFirst(): false {
    this.node = BEFORE_FIRST;
    this.version = 0;
    this.#runLength = 0;
    this.#below = NO_RUN;
    return false;
  }

  /** Moves to the first visible entry; false (and past the end) if there is none. */
  seekToFirst(): boolean {
    this.view.check(READ);
    this.#toBeforeFirst();
    return this.next();
  }

  /** Moves to the last visible entry; false (and before the first) if there is none. */
  seekToLast(): boolean {
    this.view.check(READ);
    this.node = 0;
    this.#runLength = 0;
    this.#below = NO_RUN;
    return this.prev();
  }

  /** Moves to the last visible entry whose key is `<= target`; false if none. */
  seekForPrev(method: string, target: unknown): boolean {
    return this.#landAtOrBelow(this.view.lastAtOrBelow(method, target));
  }

  /** Moves to the first visible entry whose key is `>= bound` (a checked range bound). */
  seekBound(bound: Bound): boolean {
    this.view.check(READ);
    return this.#moveTo(this.view.seekBound(bound));
  }

  /** Moves to the last visible entry whose key is `<= bound` (a checked range bound). */
  seekForPrevBound(bound: Bound): boolean {
    this.view.check(READ);
    return this.#landAtOrBelow(this.view.lastAtOrBelowBound(bound));
  }

  /** Lands on `node` (0: none) if visible, else on the first visible entry below it. */
  #landAtOrBelow(node: number): boolean {
    if (node === 0) return this.#toBeforeFirst();
    this.node = node;
    this.#runLength = 0;
    this.#below = NO_RUN;
    const view = this.view;
    const version = view.core.versionAt(node, view.bound);
    if (version === 0) return this.prev();
    this.version = version;
    return true;
  }

  /** Whether the entry it is on (it must be valid) is a tombstone. */
  isTombstone(): boolean {
    this.view.check(READ);
    return this.view.isTombstone(this.version);
  }

  /** Negative, 0 or positive as `bound` sorts before, at or after the key it is on. */
  compareBound(bound: Bound): number {
    this.view.check(READ);
    return this.view.compareBound(bound, this.node);
  }

  /** Negative, 0 or positive as its key sorts before, at or after `other`'s (both valid). */
  compareKeys(other: Position): number {
    this.view.check(READ);
    return this.view.compareKeys(this.node, other.view, other.node);
  }
}
