/**
 * The lock-free skip list over an {@link Arena}: search, insert, versioned
 * overwrite, commit stamps and the seal handshake. The public classes are thin
 * shells over {@link SkipListCore}; one core exists per agent per list, and
 * all cores of a list share nothing but the buffer.
 *
 * ## Concurrency contract
 *
 * - Any number of agents may call every method at once, on cores attached to
 *   the same buffer. Nothing blocks except `seal()`, which waits (bounded) for
 *   writes already in flight.
 * - A core is not re-entrant: one agent uses it from one call at a time
 *   (JavaScript agents are single-threaded, so this holds by construction).
 * - Reads never write to the arena except to resolve a `PENDING` stamp they
 *   meet (helping, below). Writes publish with one CAS each.
 *
 * ## Insert (after RocksDB's `InlineSkipList::Insert` and Pebble's `arenaskl`)
 *
 * ```text
 *   level 2  head ──────────────────────────────▶ 40
 *   level 1  head ────────▶ 10 ─────────────────▶ 40
 *   level 0  head ─▶ 5 ──▶ 10 ──▶ 20 ─────────▶ 40      insert 30 (height 2)
 *                                 prev[0]       next[0]
 *   1. search top-down, recording prev[l] < 30 <= next[l] at every level
 *   2. write node 30 privately: header, first version, key, next[0] = 40
 *   3. CAS prev[0].next[0]: 40 -> 30      (publishes the node and its value)
 *      lost? re-search level 0 from prev[0]; an equal key means a duplicate
 *   4. for l = 1 .. height-1: store next[l], CAS prev[l].next[l]: next[l] -> 30
 *      lost? re-search level l from prev[l] and retry that level only
 *   5. commit: draw a stamp, CAS the version's stamp PENDING -> stamp
 * ```
 *
 * Differences from the `fastskip` crate: upper levels are re-searched on a
 * failed CAS instead of relinked blindly (the crate can unsort them); one
 * allocation per insert however many retries; no writer shards to run out of;
 * versions instead of in-place tombstones, so snapshots are stable.
 *
 * ## Commit stamps (checked by `models/versions.pml`)
 *
 * A version is linked with stamp `PENDING`; right after, its writer draws
 * `Atomics.add(CLOCK, 1)` and CASes it in. Any agent that meets a `PENDING`
 * stamp before acting on it (a reader, a writer about to prepend, an iterator)
 * draws its own stamp and CASes it in first, so a stamp is fixed the moment
 * anybody depends on it. A snapshot is `S = Atomics.load(CLOCK)`; a version is
 * in it when its stamp is below `S`. Stamps drawn after `S` was read are `>= S`,
 * so writes that start after the snapshot stay out of it, and those that
 * completed before it are in.
 *
 * ## Seal (checked by `models/seal.pml`)
 *
 * A writer announces itself (`Atomics.add` on its stripe's in-flight count),
 * then loads `STATE`; `seal()` CASes `STATE` to sealing, then waits for every
 * in-flight count to drain. Sequential consistency means that either the
 * writer sees the seal and backs out, or the sealer sees the writer and
 * waits for it: nothing a writer reports as stored is missing from the frozen
 * list, and nothing is written to it afterwards.
 *
 * @module
 */

import { type Arena, nodeHeader } from "./_arena.ts";
import type { Lease } from "./_lease.ts";
import { compareProbe, Probe } from "./_keys.ts";
import { testHooks } from "./_testing.ts";
import {
  ALLOC,
  CLOCK,
  FINAL,
  FINAL_KEY_BYTES_F64,
  FINAL_LIVE_F64,
  FINAL_NODES_F64,
  FINAL_VALUE_BYTES_F64,
  FINAL_VALUE_VERSIONS_F64,
  headAddress,
  HEIGHT,
  HEIGHT_BITS,
  HEIGHT_MASK,
  INSTANCES,
  LAST_STAMP,
  LINE_WORDS,
  MAX_ENTRIES_F64,
  MAX_HEIGHT,
  MAX_MEMORY_BYTES_F64,
  NODE_HEADER,
  NODE_NEXT,
  NODE_VERSIONS,
  nodeWords,
  PARK,
  PENDING,
  SEED,
  STATE,
  STATE_EXHAUSTED,
  STATE_FROZEN,
  STATE_OPEN,
  STATE_SEALING,
  STATE_STALLED,
  STRIPE_COUNT,
  STRIPE_INFLIGHT,
  STRIPE_INSERTS,
  STRIPE_KEY_BYTES,
  STRIPE_LIVE,
  STRIPE_NODES,
  STRIPE_VALUE_BYTES,
  STRIPE_VALUE_VERSIONS,
  STRIPES,
  TOMBSTONE,
  VERSION_OLDER,
  VERSION_STAMP,
  VERSION_VALUE,
  VERSION_VALUE_LENGTH,
  versionWords,
  wordsFor,
} from "./_layout.ts";

// ---- write outcomes (status codes inside; exceptions only at the public edge) ----
/** The write was stored. */
export const STORED = 0;
/** `insert`: the key already has an entry. */
export const DUPLICATE = 1;
/** The arena is full, a limit is reached, or the stamp clock ran out. */
export const NO_SPACE = 2;
/** The list is sealed (or being sealed). */
export const SEALED = 3;
export type WriteStatus = typeof STORED | typeof DUPLICATE | typeof NO_SPACE | typeof SEALED;

/** `seal()` froze the list. */
export const SEAL_DONE = 0;
/** The list was sealed (or is being sealed) by another call. */
export const SEAL_ALREADY = 1;
/** Writes in flight did not finish in time; the list stays sealed. */
export const SEAL_STALLED = 2;
export type SealStatus = typeof SEAL_DONE | typeof SEAL_ALREADY | typeof SEAL_STALLED;

/** Snapshot bound that sees the newest version (every resolved stamp is below it). */
export const LATEST = PENDING;

// ---- what {@link SkipListCore.descend} looks for ----
/** The last node whose key is below the probe. */
export const BELOW = 0;
/** The last node whose key is at or below the probe. */
export const AT_OR_BELOW = 1;
/** The last node of the list. */
export const LAST = 2;
export type DescendMode = typeof BELOW | typeof AT_OR_BELOW | typeof LAST;

const WRITE_INSERT = 0;
const WRITE_PUT = 1;
const WRITE_DELETE = 2;
type WriteKind = typeof WRITE_INSERT | typeof WRITE_PUT | typeof WRITE_DELETE;

/** One agent's handle on one list. */
export class SkipListCore {
  readonly arena: Arena;
  /** Word address of the head node. */
  readonly head: number;
  /** Word address of this core's statistics stripe. */
  readonly stripe: number;
  readonly stripeCount: number;
  readonly maxMemoryBytes: number;
  readonly maxEntries: number;
  readonly probe: Probe = new Probe();
  /** The claim of the instance this core serves; its methods check it first. */
  readonly lease: Lease;

  // The splice of the last search: prev[l] < probe <= next[l] (0 = nil).
  #prev = new Int32Array(MAX_HEIGHT);
  #next = new Int32Array(MAX_HEIGHT);
  /** Levels the splice covers (the list height when the search started). */
  #spliceHeight = 0;
  /**
   * Whether the splice is the one this core's last insert linked its node
   * into, with that node as prev[0] and nil as next at every level: the
   * condition under which {@link SkipListCore.#reuseTailSplice} may reuse it.
   */
  #spliceAtTail = false;
  /** xorshift32 state for tower heights; never 0. */
  #random: number;

  /** Node touched by the last write (the existing one on a duplicate). */
  lastNode = 0;
  /** Whether the version the last put/delete replaced was live. */
  lastReplacedLive = false;

  /**
   * @param register Whether to take an instance number (a stripe and a seed)
   * from the list; readers of a frozen list must not write to it.
   */
  constructor(arena: Arena, lease: Lease, register = true) {
    this.arena = arena;
    this.lease = lease;
    const i32 = arena.i32;
    this.stripeCount = i32[STRIPE_COUNT];
    this.head = headAddress(this.stripeCount);
    this.maxMemoryBytes = arena.readF64(MAX_MEMORY_BYTES_F64);
    this.maxEntries = arena.readF64(MAX_ENTRIES_F64);
    const ordinal = register ? Atomics.add(i32, INSTANCES, 1) : 0;
    this.stripe = STRIPES + (ordinal & (this.stripeCount - 1)) * LINE_WORDS;
    // Instance 0 of a seeded list draws the same heights every run.
    this.#random = mix32(i32[SEED] ^ Math.imul(ordinal, 0x9e3779b9)) || 1;
  }

  // ---------------------------------------------------------------- records

  /** Makes node `node` readable through the views; returns its header word. */
  #touchNode(node: number): number {
    const arena = this.arena;
    arena.cover(node + NODE_NEXT);
    const header = arena.i32[node];
    arena.cover(node + NODE_NEXT + (header & HEIGHT_MASK) + wordsFor(header >>> HEIGHT_BITS));
    return header;
  }

  /** Makes version `version` readable through the views; returns its value length. */
  #touchVersion(version: number): number {
    const arena = this.arena;
    arena.cover(version + VERSION_VALUE);
    const valueLength = arena.i32[version + VERSION_VALUE_LENGTH];
    if (valueLength > 0) arena.cover(version + VERSION_VALUE + wordsFor(valueLength));
    return valueLength;
  }

  /** Negative, 0 or positive as the probe sorts before, at or after `node`'s key. */
  #compareTo(node: number): number {
    const header = this.#touchNode(node);
    const keyWord = node + NODE_NEXT + (header & HEIGHT_MASK);
    return compareProbe(this.probe, this.arena.i32, keyWord, header >>> HEIGHT_BITS);
  }

  /** A view of `node`'s key in shared memory (immutable, valid for good). */
  keyOf(node: number): Uint8Array {
    const byteOffset = this.keyOffsetOf(node);
    return new Uint8Array(this.arena.buffer, byteOffset, this.arena.i32[node] >>> HEIGHT_BITS);
  }

  /**
   * Byte offset of `node`'s key in the arena; makes the node readable through
   * `arena.u8`. Its length is `keyLengthOf(node)`.
   */
  keyOffsetOf(node: number): number {
    const header = this.#touchNode(node);
    return (node + NODE_NEXT + (header & HEIGHT_MASK)) * 4;
  }

  /** Byte length of `node`'s key (the node must have been made readable). */
  keyLengthOf(node: number): number {
    return this.arena.i32[node] >>> HEIGHT_BITS;
  }

  /**
   * A view of `version`'s value, or null for a tombstone. `version` must come
   * from {@link SkipListCore.versionAt}, which made it readable.
   */
  valueOf(version: number): Uint8Array | null {
    const valueLength = this.arena.i32[version + VERSION_VALUE_LENGTH];
    if (valueLength === TOMBSTONE) return null;
    return new Uint8Array(this.arena.buffer, (version + VERSION_VALUE) * 4, valueLength);
  }

  /** Whether `version` (from {@link SkipListCore.versionAt}) is a tombstone. */
  isTombstone(version: number): boolean {
    return this.arena.i32[version + VERSION_VALUE_LENGTH] === TOMBSTONE;
  }

  /** Successor of `node` at level 0 (0 at the end), observed atomically. */
  nextOf(node: number): number {
    return Atomics.load(this.arena.i32, node + NODE_NEXT);
  }

  // ---------------------------------------------------------------- stamps

  /**
   * The stamp of `version`, resolving it first if still PENDING: draws a fresh
   * stamp and offers it with a CAS; whoever wins, the stamp is then fixed.
   */
  stampOf(version: number): number {
    this.arena.cover(version + VERSION_VALUE);
    const stamp = Atomics.load(this.arena.i32, version + VERSION_STAMP);
    return stamp === PENDING ? this.#commit(version) : stamp;
  }

  /**
   * Draws a stamp and offers it to PENDING `version`; returns the stamp the
   * version ends up with. The agent whose CAS wins also does the version's
   * accounting, so a write whose worker died after linking it is counted by
   * whoever meets it first, exactly once.
   */
  #commit(version: number): number {
    const i32 = this.arena.i32;
    const drawn = Atomics.add(i32, CLOCK, 1);
    const previous = Atomics.compareExchange(i32, version + VERSION_STAMP, PENDING, drawn);
    if (previous !== PENDING) return previous; // someone else committed it first
    if (drawn >= LAST_STAMP) Atomics.compareExchange(i32, STATE, STATE_OPEN, STATE_EXHAUSTED);
    this.#account(version);
    return drawn;
  }

  /**
   * Adds a just-committed version to this core's stripe: a live key gained or
   * lost against the version it replaced, a new node for a first version,
   * value bytes for a value.
   */
  #account(version: number): void {
    const i32 = this.arena.i32;
    const stripe = this.stripe;
    const valueLength = i32[version + VERSION_VALUE_LENGTH];
    const older = i32[version + VERSION_OLDER];
    let liveDelta = valueLength === TOMBSTONE ? 0 : 1;
    if (older < 0) {
      // The first version of node -older: a key is added.
      const node = -older;
      Atomics.add(i32, stripe + STRIPE_NODES, 1);
      Atomics.add(i32, stripe + STRIPE_KEY_BYTES, i32[node + NODE_HEADER] >>> HEIGHT_BITS);
    } else if (this.#touchVersion(older) !== TOMBSTONE) {
      liveDelta--;
    }
    if (liveDelta !== 0) Atomics.add(i32, stripe + STRIPE_LIVE, liveDelta);
    if (valueLength !== TOMBSTONE) {
      Atomics.add(i32, stripe + STRIPE_VALUE_VERSIONS, 1);
      Atomics.add(i32, stripe + STRIPE_VALUE_BYTES, valueLength);
    }
  }

  /** The current snapshot bound: versions stamped below it are visible. */
  snapshotBound(): number {
    return Atomics.load(this.arena.i32, CLOCK);
  }

  /**
   * The newest version of `node` visible at bound `bound` (use {@link LATEST}
   * for the newest of all), or 0 if every version is newer.
   */
  versionAt(node: number, bound: number): number {
    this.arena.cover(node + NODE_NEXT);
    const i32 = this.arena.i32;
    // Observes the newest published version (and, by invariant 2, its contents).
    let version = Atomics.load(i32, node + NODE_VERSIONS);
    while (version > 0) {
      this.#touchVersion(version);
      const stamp = Atomics.load(this.arena.i32, version + VERSION_STAMP);
      if ((stamp === PENDING ? this.#commit(version) : stamp) < bound) return version;
      version = this.arena.i32[version + VERSION_OLDER]; // <= 0 after the first version
    }
    return 0;
  }

  // ---------------------------------------------------------------- search

  /** The node holding the probe's key, or 0. */
  find(): number {
    const found = this.search();
    return found > 0 ? found : 0;
  }

  /** The first node whose key is `>=` the probe, or 0. */
  seek(): number {
    const found = this.search();
    return found > 0 ? found : -found;
  }

  /**
   * Searches top-down for the probe: returns the node holding its key, or
   * minus the first node above it (0 when none is).
   */
  search(): number {
    const i32 = this.arena.i32;
    let node = this.head;
    let knownGreater = 0; // compared above the probe at a higher level
    for (let level = Atomics.load(i32, HEIGHT) - 1; level >= 0; level--) {
      for (;;) {
        const next = Atomics.load(this.arena.i32, node + NODE_NEXT + level);
        if (next === 0 || next === knownGreater) break;
        const order = this.#compareTo(next);
        if (order === 0) return next;
        if (order < 0) {
          knownGreater = next;
          break;
        }
        node = next;
      }
    }
    return -knownGreater;
  }

  // ------------------------------------------ backward search (no back links)

  /**
   * Searches top-down for the last node before the probe, as LevelDB's
   * memtable iterator steps back (`FindLessThan`, `FindLast`): nodes have no
   * back links, so a step back is a search from the head. `mode` says which
   * node: the last below the probe ({@link BELOW}), at or below it
   * ({@link AT_OR_BELOW}), or the last of the list ({@link LAST}, probe
   * unused). The search stops at level `floor`: the node returned is the
   * last one *of that level* that qualifies (the head when none does), from
   * which a level-0 walk reaches the exact one. Floor 0 gives the exact node.
   *
   * On a live list: a node linked for the whole search and qualifying is
   * never passed over, because the search only advances through qualifying
   * nodes and level 0 holds every node (invariant 4); the node returned may
   * be followed by qualifying nodes linked meanwhile.
   */
  descend(mode: DescendMode, floor: number): number {
    let node = this.head;
    let knownAbove = 0; // compared as not qualifying at a higher level
    for (let level = Atomics.load(this.arena.i32, HEIGHT) - 1; level >= floor; level--) {
      for (;;) {
        // Observes the successor at this level, fully written (invariant 2).
        const next = Atomics.load(this.arena.i32, node + NODE_NEXT + level);
        if (next === 0 || next === knownAbove) break;
        if (mode === LAST) {
          this.#touchNode(next); // its links are read next
        } else {
          const order = this.#compareTo(next);
          if (order < 0 || (order === 0 && mode === BELOW)) {
            knownAbove = next;
            break;
          }
        }
        node = next;
      }
    }
    return node;
  }

  /** Sets the probe to `node`'s key (to search for what lies before it). */
  probeKeyOf(node: number): void {
    const keyWord = this.keyWordOf(node);
    this.probe.setStored(this.arena.i32, keyWord, this.keyLengthOf(node));
  }

  /** Word address of `node`'s key; makes the node readable through the views. */
  keyWordOf(node: number): number {
    const header = this.#touchNode(node);
    return node + NODE_NEXT + (header & HEIGHT_MASK);
  }

  /**
   * Successor of `node` at level 0, for a node reached by a link but not
   * read yet (its words may lie past this agent's views after a growth).
   */
  successorOf(node: number): number {
    this.arena.cover(node + NODE_NEXT + 1);
    // Observes the successor, fully written (invariant 2).
    return Atomics.load(this.arena.i32, node + NODE_NEXT);
  }

  /**
   * Records the splice of the probe at every level in use; returns the node
   * holding the probe's key (leaving the splice incomplete), or 0.
   */
  #findSplice(): number {
    if (this.#spliceAtTail) {
      const reused = this.#reuseTailSplice();
      if (reused >= 0) return reused;
    }
    this.#spliceAtTail = false;
    const prev = this.#prev;
    const next = this.#next;
    const height = Atomics.load(this.arena.i32, HEIGHT);
    let node = this.head;
    let knownGreater = 0;
    for (let level = height - 1; level >= 0; level--) {
      let successor: number;
      for (;;) {
        successor = Atomics.load(this.arena.i32, node + NODE_NEXT + level);
        if (successor === 0 || successor === knownGreater) break;
        const order = this.#compareTo(successor);
        if (order === 0) return successor;
        if (order < 0) {
          knownGreater = successor;
          break;
        }
        node = successor;
      }
      prev[level] = node;
      next[level] = successor;
    }
    this.#spliceHeight = height;
    return 0;
  }

  /**
   * Ascending inserts (sequence numbers, timestamps) append after the node
   * this core inserted last. If that node is still the last one and the probe
   * sorts after it, the splice of the last insert (prev = that node or nodes
   * before it, next = nil at every level) brackets the probe at every level:
   * no search is needed. A level another agent appended to meanwhile fails
   * its CAS and is re-searched as usual. Returns 0 when the splice can be
   * used, the last node if it holds the probe's key, or -1 to search.
   */
  #reuseTailSplice(): number {
    const last = this.#prev[0];
    if (Atomics.load(this.arena.i32, last + NODE_NEXT) !== 0) return -1;
    const order = this.#compareTo(last);
    if (order === 0) return last;
    return order > 0 ? 0 : -1;
  }

  /**
   * Re-searches one level after a lost CAS, starting from `prev[level]` (still
   * below the probe: keys never move). Returns a node with the probe's key if
   * it appeared meanwhile, else 0 with `prev[level]`, `next[level]` updated.
   */
  #findSpliceForLevel(level: number): number {
    let node = this.#prev[level];
    let successor: number;
    for (;;) {
      successor = Atomics.load(this.arena.i32, node + NODE_NEXT + level);
      if (successor === 0) break;
      const order = this.#compareTo(successor);
      if (order === 0) return successor;
      if (order < 0) break;
      node = successor;
    }
    this.#prev[level] = node;
    this.#next[level] = successor;
    return 0;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Inserts the probe's key with a first version (`value`, or a tombstone when
   * `value` is null). `kind` decides what an existing key means: a duplicate
   * for insert; for put and delete, the new version is prepended to it.
   * The probe must be set. On return `lastNode` is the key's node.
   */
  #write(kind: WriteKind, value: Uint8Array | null, checkLimits: boolean): WriteStatus {
    const i32 = this.arena.i32;
    Atomics.add(i32, this.stripe + STRIPE_INFLIGHT, 1); // announce (seal handshake)
    try {
      const state = Atomics.load(i32, STATE); // after the announcement: see module doc
      if (state !== STATE_OPEN) return state === STATE_EXHAUSTED ? NO_SPACE : SEALED;
      if (kind !== WRITE_DELETE) Atomics.add(i32, this.stripe + STRIPE_INSERTS, 1);
      const existing = this.#findSplice();
      if (existing !== 0) {
        this.lastNode = existing;
        if (kind === WRITE_INSERT) return DUPLICATE;
        if (checkLimits && this.#overLimit()) return NO_SPACE;
        const version = this.#allocateVersion(value);
        if (version === 0) return NO_SPACE;
        this.#prepend(existing, version);
        return STORED;
      }
      if (checkLimits && this.#overLimit()) return NO_SPACE;
      return this.#insertNode(kind, value);
    } finally {
      Atomics.sub(this.arena.i32, this.stripe + STRIPE_INFLIGHT, 1);
    }
  }

  /** Allocates node + first version in one block, links it, commits it. */
  #insertNode(kind: WriteKind, value: Uint8Array | null): WriteStatus {
    const probe = this.probe;
    const height = this.#randomHeight();
    const keyWords = probe.wordCount;
    const valueLength = value === null ? TOMBSTONE : value.byteLength;
    const nodeSize = nodeWords(height, probe.byteLength);
    const node = this.arena.allocate(nodeSize + versionWords(valueLength));
    if (node === 0) return NO_SPACE;
    const version = node + nodeSize;
    // Private until the level-0 CAS: plain stores (invariant 2).
    const i32 = this.arena.i32;
    i32[node] = nodeHeader(height, probe.byteLength);
    i32[node + NODE_VERSIONS] = version;
    const keyWord = node + NODE_NEXT + height;
    const probeWords = probe.words;
    for (let i = 0; i < keyWords; i++) i32[keyWord + i] = probeWords[i];
    this.#fillVersion(version, value);
    i32[version + VERSION_OLDER] = -node; // first version: names its node

    const winner = this.#link(node, height);
    if (winner !== 0) {
      this.#spliceAtTail = false;
      // Lost the level-0 race to the same key. The node is wasted (never
      // linked); a put or delete still lands, as a version of the winner.
      this.lastNode = winner;
      if (kind === WRITE_INSERT) return DUPLICATE;
      this.#prepend(winner, version);
      return STORED;
    }
    this.lastNode = node;
    this.lastReplacedLive = false;
    this.#keepTailSplice(node, height);
    this.#stamp(version);
    return STORED;
  }

  /**
   * After `node` was linked: if it went in at the end of the list, keep its
   * splice (prev = node at its levels, unchanged above, next = nil) for the
   * next ascending insert; otherwise forget it.
   */
  #keepTailSplice(node: number, height: number): void {
    const prev = this.#prev;
    const next = this.#next;
    if (height > this.#spliceHeight) this.#spliceHeight = height;
    let atTail = true;
    for (let level = 0; level < this.#spliceHeight; level++) {
      if (level < height) prev[level] = node;
      if (next[level] !== 0) atTail = false;
    }
    this.#spliceAtTail = atTail;
  }

  /** Links `node` at levels 0 … height-1; returns 0, or the node that won its key. */
  #link(node: number, height: number): number {
    const prev = this.#prev;
    const next = this.#next;
    const head = this.head;
    for (let level = this.#spliceHeight; level < height; level++) {
      // Levels the search did not cover start at the head; a stale nil
      // successor just fails the CAS and re-searches.
      prev[level] = head;
      next[level] = 0;
    }
    this.#raiseHeight(height);
    if (testHooks.race !== null) testHooks.race("splice");
    let i32 = this.arena.i32;
    for (let level = 0; level < height; level++) {
      for (;;) {
        const successor = next[level];
        if (level === 0) i32[node + NODE_NEXT] = successor; // still private
        else Atomics.store(i32, node + NODE_NEXT + level, successor); // node is published
        // Publishes the node at this level; at level 0, with its key and value.
        if (
          Atomics.compareExchange(i32, prev[level] + NODE_NEXT + level, successor, node) ===
            successor
        ) {
          break;
        }
        if (testHooks.broken === "blind-link" && level === 0) {
          next[0] = Atomics.load(i32, prev[0] + NODE_NEXT);
          continue;
        }
        const sameKey = this.#findSpliceForLevel(level);
        i32 = this.arena.i32;
        if (sameKey !== 0) {
          if (level > 0) {
            // Above level 0 this node already owns the key: no other node has it.
            throw new Error(
              `fastskip: invariant broken: a second node holds a key at level ${level}`,
            );
          }
          return sameKey;
        }
      }
      if (level === 0 && testHooks.race !== null) testHooks.race("link");
    }
    return 0;
  }

  /** Raises the list height to at least `height` (never lowers it). */
  #raiseHeight(height: number): void {
    const i32 = this.arena.i32;
    let current = Atomics.load(i32, HEIGHT);
    while (current < height) {
      const seen = Atomics.compareExchange(i32, HEIGHT, current, height);
      if (seen === current) return;
      current = seen;
    }
  }

  /** Prepends private `version` to `node`'s chain, then commits it. */
  #prepend(node: number, version: number): void {
    const i32 = this.arena.i32;
    for (;;) {
      const newest = Atomics.load(i32, node + NODE_VERSIONS);
      // Fixes the stamp we are about to supersede: chains stay decreasing
      // (invariant 5) even if its writer has not committed yet.
      this.stampOf(newest);
      i32[version + VERSION_OLDER] = newest; // still private
      // Publishes the version (invariant 2).
      if (Atomics.compareExchange(i32, node + NODE_VERSIONS, newest, version) === newest) {
        // The CAS tells exactly which version this one replaced.
        this.lastReplacedLive = this.#touchVersion(newest) !== TOMBSTONE;
        this.#stamp(version);
        return;
      }
    }
  }

  /** Commits the version this core just linked (unless a helper beat it to it). */
  #stamp(version: number): void {
    if (testHooks.race !== null) testHooks.race("stamp");
    this.#commit(version);
  }

  #allocateVersion(value: Uint8Array | null): number {
    const version = this.arena.allocate(
      versionWords(value === null ? TOMBSTONE : value.byteLength),
    );
    if (version !== 0) this.#fillVersion(version, value);
    return version;
  }

  /** Writes a private version record (stamp PENDING, no older version yet). */
  #fillVersion(version: number, value: Uint8Array | null): void {
    const i32 = this.arena.i32;
    i32[version + VERSION_STAMP] = PENDING;
    if (value === null) {
      i32[version + VERSION_VALUE_LENGTH] = TOMBSTONE;
    } else {
      i32[version + VERSION_VALUE_LENGTH] = value.byteLength;
      this.arena.u8.set(value, (version + VERSION_VALUE) * 4);
    }
  }

  /** Whether a soft limit (maxMemoryBytes, maxEntries) stops new entries. */
  #overLimit(): boolean {
    if (this.maxMemoryBytes > 0 && this.memoryUsage() >= this.maxMemoryBytes) return true;
    return this.maxEntries > 0 && this.size() >= this.maxEntries;
  }

  /** A tower height with P(height > h) = 4^-h, capped at MAX_HEIGHT. */
  #randomHeight(): number {
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    let height = 1;
    while (height < MAX_HEIGHT && (x & 3) === 0) {
      height++;
      x >>>= 2;
    }
    return height;
  }

  // ------------------------------------------------------- public write ops

  /** Stores the probe's key with `value` unless the key has an entry. */
  insert(value: Uint8Array): WriteStatus {
    return this.#write(WRITE_INSERT, value, true);
  }

  /** Stores a new version of the probe's key whatever its state. */
  put(value: Uint8Array): WriteStatus {
    return this.#write(WRITE_PUT, value, true);
  }

  /**
   * Records a tombstone for the probe's key (also when absent). Soft limits do
   * not apply. `lastReplacedLive` tells whether a live entry was deleted.
   */
  delete(): WriteStatus {
    this.lastReplacedLive = false;
    return this.#write(WRITE_DELETE, null, false);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Current lifecycle state (`STATE_*`). */
  state(): number {
    return Atomics.load(this.arena.i32, STATE);
  }

  /**
   * Seals: stops new writes, then waits until the writes in flight finish or
   * `timeoutMs` passes. With `force`, does not wait (for in-flight counts left
   * by workers known to be dead). On timeout the list stays sealed but not
   * frozen (`STATE_STALLED`): no write gets in, and a later call may wait again.
   */
  seal(timeoutMs: number, force: boolean): SealStatus {
    const i32 = this.arena.i32;
    for (;;) {
      const state = Atomics.load(i32, STATE);
      if (state === STATE_SEALING || state === STATE_FROZEN) return SEAL_ALREADY;
      // OPEN, EXHAUSTED (clock ran out) and STALLED (an earlier seal timed out)
      // may all be sealed now; the CAS picks one sealer.
      if (Atomics.compareExchange(i32, STATE, state, STATE_SEALING) === state) break;
    }
    const deadline = performance.now() + timeoutMs;
    if (testHooks.broken === "seal-no-wait") force = true;
    for (let polls = 0; !force && this.inflight() !== 0; polls++) {
      if (polls < 1000) continue;
      if (performance.now() >= deadline) {
        Atomics.store(i32, STATE, STATE_STALLED);
        return SEAL_STALLED;
      }
      pause(i32);
    }
    Atomics.store(i32, STATE, STATE_FROZEN);
    if (force) this.#recount();
    return SEAL_DONE;
  }

  /**
   * After a forced seal: commits every version a dead writer left PENDING and
   * recounts the statistics from the records into line 4 (invariant 6).
   *
   * Why recount rather than trust the stripes: a writer killed between the
   * CAS that commits its version and the `Atomics.add`s that count it leaves
   * the stripes short for good, and only the records know. The recount is
   * exact whatever the stamps say, since it counts linked records, and it
   * goes to a line of its own because an agent that committed a dead
   * writer's version just before may still be adding to a stripe.
   * Only a chain's newest version can be PENDING: a writer resolves the head
   * before it prepends. O(n): force-sealing is the rare recovery path.
   */
  #recount(): void {
    let live = 0, nodes = 0, keyBytes = 0, valueVersions = 0, valueBytes = 0;
    for (let node = this.nextOf(this.head); node !== 0; node = this.nextOf(node)) {
      const header = this.#touchNode(node);
      nodes++;
      keyBytes += header >>> HEIGHT_BITS;
      let version = Atomics.load(this.arena.i32, node + NODE_VERSIONS);
      this.stampOf(version);
      if (this.#touchVersion(version) !== TOMBSTONE) live++;
      for (; version > 0; version = this.arena.i32[version + VERSION_OLDER]!) {
        const valueLength = this.#touchVersion(version);
        if (valueLength === TOMBSTONE) continue;
        valueVersions++;
        valueBytes += valueLength;
      }
    }
    const f64 = new Float64Array(this.arena.buffer, 0, STRIPES >>> 1);
    f64[FINAL_LIVE_F64 >>> 1] = live;
    f64[FINAL_NODES_F64 >>> 1] = nodes;
    f64[FINAL_KEY_BYTES_F64 >>> 1] = keyBytes;
    f64[FINAL_VALUE_VERSIONS_F64 >>> 1] = valueVersions;
    f64[FINAL_VALUE_BYTES_F64 >>> 1] = valueBytes;
    // Publishes the counts to every agent that reads a statistic after it.
    Atomics.store(this.arena.i32, FINAL, 1);
  }

  /**
   * A statistic recounted by a forced seal (a `FINAL_…_F64` word), or -1
   * while the stripes answer.
   */
  #final(f64Word: number): number {
    if (Atomics.load(this.arena.i32, FINAL) === 0) return -1;
    return new Float64Array(this.arena.buffer, f64Word * 4, 1)[0]!;
  }

  /** Writes announced and not yet finished, over all stripes. */
  inflight(): number {
    return this.#sumStripes(STRIPE_INFLIGHT);
  }

  // ---------------------------------------------------------------- statistics

  #sumStripes(field: number): number {
    const i32 = this.arena.i32;
    let sum = 0;
    for (let s = 0; s < this.stripeCount; s++) {
      sum += Atomics.load(i32, STRIPES + s * LINE_WORDS + field);
    }
    return sum;
  }

  /** Like `#sumStripes`, for counters that may exceed 2^31 (read unsigned). */
  #sumStripesUnsigned(field: number): number {
    const i32 = this.arena.i32;
    let sum = 0;
    for (let s = 0; s < this.stripeCount; s++) {
      sum += Atomics.load(i32, STRIPES + s * LINE_WORDS + field) >>> 0;
    }
    return sum;
  }

  /** Live keys; never negative even while stripes disagree in flight. */
  size(): number {
    const final = this.#final(FINAL_LIVE_F64);
    return final >= 0 ? final : Math.max(0, this.#sumStripes(STRIPE_LIVE));
  }

  /** Distinct keys stored, live or tombstoned. */
  nodeCount(): number {
    const final = this.#final(FINAL_NODES_F64);
    return final >= 0 ? final : this.#sumStripes(STRIPE_NODES);
  }

  totalInserts(): number {
    return this.#sumStripesUnsigned(STRIPE_INSERTS);
  }

  keyBytes(): number {
    const final = this.#final(FINAL_KEY_BYTES_F64);
    return final >= 0 ? final : this.#sumStripesUnsigned(STRIPE_KEY_BYTES);
  }

  valueBytes(): number {
    const final = this.#final(FINAL_VALUE_BYTES_F64);
    return final >= 0 ? final : this.#sumStripesUnsigned(STRIPE_VALUE_BYTES);
  }

  valueVersions(): number {
    const final = this.#final(FINAL_VALUE_VERSIONS_F64);
    return final >= 0 ? final : this.#sumStripes(STRIPE_VALUE_VERSIONS);
  }

  /** Arena bytes allocated, control block included. */
  memoryUsage(): number {
    return Atomics.load(this.arena.i32, ALLOC) * 4;
  }

  /** Arena bytes currently backed by the buffer. */
  memoryReserved(): number {
    return this.arena.buffer.byteLength;
  }
}

/** Waits a little without burning the core, where the agent may block. */
function pause(i32: Int32Array): void {
  try {
    // Nobody notifies this word: it is a 0.2 ms sleep.
    Atomics.wait(i32, PARK, 0, 0.2);
  } catch {
    // Agents that may not block (a browser's main thread): keep spinning.
  }
}

/** A 32-bit integer hash (murmur3's finalizer), to spread seeds. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ x >>> 16;
}
