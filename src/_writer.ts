/**
 * The write path of a live list: insert, versioned overwrite and delete, each
 * announced for the seal handshake (`_seal.ts`), published by one CAS, and
 * committed with a stamp (`_versions.ts`).
 *
 * ## Insert (after RocksDB's `InlineSkipList::Insert` and Pebble's `arenaskl`)
 *
 * ```text
 *   level 2  head ──────────────────────────────▶ 40
 *   level 1  head ────────▶ 10 ─────────────────▶ 40
 *   level 0  head ─▶ 5 ──▶ 10 ──▶ 20 ─────────▶ 40      insert 30 (height 2)
 *                                 prev[0]       next[0]
 *   1. search top-down, recording prev[l] < 30 <= next[l] at every level
 *   2. write node 30 privately: header, first version, key,
 *      next[0] = 40 with bound(40) beside it
 *   3. CAS prev[0].next[0]: 40 -> 30      (publishes the node and its value)
 *      then store bound(30) beside that link (invariant 9)
 *      lost? re-search level 0 from prev[0]; an equal key means a duplicate
 *   4. for l = 1 .. height-1: store next[l] and its bound,
 *      CAS prev[l].next[l]: next[l] -> 30, then store bound(30) beside it
 *      lost? re-search level l from prev[l] and retry that level only
 *   5. commit: draw a stamp, CAS the version's stamp PENDING -> stamp
 * ```
 *
 * Differences from the `fastskip` crate: upper levels are re-searched on a
 * failed CAS instead of relinked blindly (the crate can unsort them); one
 * allocation per insert however many retries; no writer shards to run out of;
 * versions instead of in-place tombstones, so snapshots are stable.
 *
 * @module
 */

import type { ListCore } from "./_core.ts";
import { compareProbe, copyBytes, type Probe, storedKeyBound } from "./_keys.ts";
import { keyLengthOf, keyWordOf, nodeHeader } from "./_records.ts";
import { FIND, search, Splice } from "./_search.ts";
import { testHooks } from "./_testing.ts";
import {
  CLOCK_EXHAUSTED,
  DUPLICATE,
  NO_SPACE,
  OVER_ENTRY_LIMIT,
  OVER_MEMORY_LIMIT,
  SEALED,
  STORED,
  STORED_OVER_LIVE,
  TOO_LARGE,
  type WriteStatus,
} from "./_write_status.ts";
import {
  boundWord,
  firstFreeWord,
  HEIGHT,
  linkWord,
  MAX_HEIGHT,
  NIL_BOUND,
  NODE_VERSIONS,
  nodeWords,
  PENDING,
  SEED,
  STATE_EXHAUSTED,
  STATE_OPEN,
  TOMBSTONE,
  VERSION_OLDER,
  VERSION_STAMP,
  VERSION_VALUE,
  VERSION_VALUE_LENGTH,
  versionWords,
} from "./_layout.ts";

const WRITE_INSERT = 0;
const WRITE_PUT = 1;
const WRITE_DELETE = 2;
type WriteKind = typeof WRITE_INSERT | typeof WRITE_PUT | typeof WRITE_DELETE;

/** One agent's writing handle on one live list. */
export class ListWriter {
  readonly core: ListCore;
  /** The splice of the last search: prev[l] < key <= next[l] (0 = nil). */
  #splice = new Splice();
  /** Levels the splice covers (the list height when the search started). */
  #spliceHeight = 0;
  /**
   * Whether the splice is the one this writer's last insert linked its node
   * into, with that node as prev[0]: {@link ListWriter.#reuseTailSplice} may
   * reuse it while that node is still the last one.
   */
  #spliceAtTail = false;
  /** xorshift32 state for tower heights; never 0. */
  #random: number;

  constructor(core: ListCore) {
    this.core = core;
    // Instance 0 of a seeded list draws the same heights every run.
    this.#random = mix32(core.arena.i32[SEED]! ^ Math.imul(core.ordinal, 0x9e3779b9)) || 1;
  }

  /** Stores `probe`'s key with `value` unless the key has an entry. */
  insert(probe: Probe, value: Uint8Array): WriteStatus {
    return this.#write(WRITE_INSERT, probe, value, true);
  }

  /** Stores a new version of `probe`'s key whatever its state. */
  put(probe: Probe, value: Uint8Array): WriteStatus {
    return this.#write(WRITE_PUT, probe, value, true);
  }

  /** Records a tombstone for `probe`'s key (also when absent). Soft limits do not apply. */
  delete(probe: Probe): WriteStatus {
    return this.#write(WRITE_DELETE, probe, null, false);
  }

  /**
   * Stores `probe`'s key with a first version (`value`, or a tombstone when
   * null). `kind` decides what an existing key means: a duplicate for insert;
   * for put and delete, the new version is prepended to it.
   */
  #write(kind: WriteKind, probe: Probe, value: Uint8Array | null, limits: boolean): WriteStatus {
    const core = this.core;
    const stats = core.stats;
    stats.announce(); // the seal handshake: see _seal.ts
    try {
      const state = core.state(); // after the announcement
      if (state !== STATE_OPEN) return state === STATE_EXHAUSTED ? CLOCK_EXHAUSTED : SEALED;
      if (kind !== WRITE_DELETE) stats.countInsertCall();
      const existing = this.#findSplice(probe);
      if (existing !== 0) {
        if (kind === WRITE_INSERT) return DUPLICATE;
        // A new version of a present key does not grow size: only memory is limited.
        if (limits && this.#overMemoryLimit()) return OVER_MEMORY_LIMIT;
        const version = this.#allocateVersion(value);
        return version < 0 ? -version as WriteStatus : this.#prepend(existing, version);
      }
      if (limits) {
        if (this.#overMemoryLimit()) return OVER_MEMORY_LIMIT;
        if (this.#overEntryLimit()) return OVER_ENTRY_LIMIT;
      }
      return this.#insertNode(kind, probe, value);
    } finally {
      stats.withdraw();
    }
  }

  /** Allocates node + first version in one block, links it, commits it. */
  #insertNode(kind: WriteKind, probe: Probe, value: Uint8Array | null): WriteStatus {
    const height = this.#randomHeight();
    const valueLength = value === null ? TOMBSTONE : value.byteLength;
    const nodeSize = nodeWords(height, probe.byteLength);
    const arena = this.core.arena;
    const node = arena.allocate(nodeSize + versionWords(valueLength), this.core.links);
    if (node === 0) return this.#whyNot(nodeSize + versionWords(valueLength));
    const version = node + nodeSize;
    // Private until the level-0 CAS: plain stores (invariant 2).
    const i32 = arena.i32;
    i32[node] = nodeHeader(height, probe.byteLength);
    i32[node + NODE_VERSIONS] = version;
    const keyWord = linkWord(node, height); // the key follows the tower
    const probeWords = probe.words;
    for (let i = 0; i < probe.wordCount; i++) i32[keyWord + i] = probeWords[i]!;
    this.#fillVersion(version, value);
    i32[version + VERSION_OLDER] = -node; // first version: names its node

    const winner = this.#link(node, height, probe);
    if (winner !== 0) {
      this.#spliceAtTail = false;
      // Lost the level-0 race to the same key. The node is wasted (never
      // linked); a put or delete still lands, as a version of the winner.
      return kind === WRITE_INSERT ? DUPLICATE : this.#prepend(winner, version);
    }
    this.#keepTailSplice(node, height);
    this.#stamp(version);
    return STORED;
  }

  // ---------------------------------------------------------------- splices

  /**
   * Records the splice of `probe` at every level in use; returns the node
   * holding its key (leaving the splice incomplete), or 0.
   */
  #findSplice(probe: Probe): number {
    if (this.#spliceAtTail) {
      const reused = this.#reuseTailSplice(probe);
      if (reused >= 0) return reused;
    }
    this.#spliceAtTail = false;
    const core = this.core;
    const height = core.links.height();
    this.#spliceHeight = height;
    return search(core.links, probe, FIND, core.head, height - 1, 0, this.#splice);
  }

  /**
   * Ascending inserts (sequence numbers, timestamps) append after the node
   * this writer inserted last. If that node is still the last one and the
   * probe sorts after it, the splice of the last insert (prev = that node or
   * nodes before it, next = nil at every level) brackets the probe at every
   * level: no search is needed. A level another agent appended to meanwhile
   * fails its CAS and is re-searched as usual. Returns 0 when the splice can
   * be used, the last node if it holds the probe's key, or -1 to search.
   */
  #reuseTailSplice(probe: Probe): number {
    const links = this.core.links;
    const last = this.#splice.prev[0]!;
    if (links.next(last, 0) !== 0) return -1;
    const i32 = links.node(last);
    const order = compareProbe(probe, i32, keyWordOf(i32, last), keyLengthOf(i32, last));
    if (order === 0) return last;
    return order > 0 ? 0 : -1;
  }

  /**
   * After `node` was linked: keep its splice (prev = node at its levels,
   * unchanged above) for the next ascending insert, if `node` went in at the
   * end of level 0; a node with a successor never becomes last again (nodes
   * are never unlinked). Whether the splice may be reused is decided then, by
   * {@link ListWriter.#reuseTailSplice}: if `node` is still last at level 0,
   * every next[] of the splice is nil, since a node after it at any level
   * would follow it at level 0 too (levels are linked bottom-up and are
   * sublists, invariant 4). Checking every next[] here instead read every
   * level in use on each append: 8 % of an ascending insert's profile at 1M.
   */
  #keepTailSplice(node: number, height: number): void {
    const splice = this.#splice;
    const prev = splice.prev;
    for (let level = 0; level < height; level++) prev[level] = node;
    if (height > this.#spliceHeight) this.#spliceHeight = height;
    this.#spliceAtTail = splice.next[0] === 0;
  }

  // ---------------------------------------------------------------- linking

  /** Links `node` at levels 0 … height-1; returns 0, or the node that won its key. */
  #link(node: number, height: number, probe: Probe): number {
    const { prev, next } = this.#splice;
    const core = this.core;
    for (let level = this.#spliceHeight; level < height; level++) {
      // Levels the search did not cover start at the head; a stale nil
      // successor just fails the CAS and re-searches.
      prev[level] = core.head;
      next[level] = 0;
    }
    this.#raiseHeight(height);
    if (testHooks.race !== null) testHooks.race("splice");
    for (let level = 0; level < height; level++) {
      for (;;) {
        const predecessor = prev[level]!;
        const successor = next[level]!;
        const links = core.links;
        const successorBound = successor === 0
          ? NIL_BOUND
          : this.#successorBound(predecessor, level, successor);
        if (level === 0) {
          const i32 = core.arena.i32; // still private
          i32[linkWord(node, 0)] = successor;
          i32[boundWord(node, 0)] = successorBound;
        } else {
          links.store(linkWord(node, level), successor); // node is published
          links.store(boundWord(node, level), successorBound);
        }
        // Publishes the node at this level; at level 0, with its key and value.
        const cas = links.compareExchange(linkWord(predecessor, level), successor, node);
        if (cas === successor) {
          // Late or lost (a kill), the old bound stays above the new successor's.
          links.store(boundWord(predecessor, level), probe.bound);
          break;
        }
        if (testHooks.broken === "blind-link" && level === 0) {
          next[0] = links.load(linkWord(prev[0]!, 0));
          continue;
        }
        // Lost: re-search this level only, from prev (still below: keys never move).
        const sameKey = search(core.links, probe, FIND, prev[level]!, level, level, this.#splice);
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

  /**
   * The bound a node spliced between `predecessor` and `successor` at
   * `level` gives its link to `successor`: exact (invariant 9). A private
   * list's predecessor holds it; a shared list's may hold a stale one, so it
   * is read from the successor's key (already read by the search, as a rule).
   */
  #successorBound(predecessor: number, level: number, successor: number): number {
    const links = this.core.links;
    if (links.exactBounds) return links.load(boundWord(predecessor, level));
    const i32 = links.node(successor);
    return storedKeyBound(i32, keyWordOf(i32, successor), keyLengthOf(i32, successor));
  }

  /**
   * Raises the list height to at least `height` (never lowers it). A search
   * that read the old height misses only the new top levels, whose links it
   * would have followed down anyway: levels are sublists (invariant 4).
   */
  #raiseHeight(height: number): void {
    const links = this.core.links;
    let current = links.load(HEIGHT);
    while (current < height) {
      const seen = links.compareExchange(HEIGHT, current, height);
      if (seen === current) return;
      current = seen;
    }
  }

  /** Prepends private `version` to `node`'s chain, then commits it. */
  #prepend(node: number, version: number): WriteStatus {
    const core = this.core;
    const links = core.links;
    for (;;) {
      const newest = links.newest(node);
      // Fixes the stamp we are about to supersede: chains stay decreasing
      // (invariant 5) even if its writer has not committed yet.
      core.versions.stampOf(newest);
      core.arena.i32[version + VERSION_OLDER] = newest; // still private
      // Publishes the version (invariant 2).
      if (links.compareExchange(node + NODE_VERSIONS, newest, version) === newest) {
        // The CAS tells exactly which version this one replaced.
        const overLive = !core.isTombstone(newest);
        this.#stamp(version);
        return overLive ? STORED_OVER_LIVE : STORED;
      }
    }
  }

  /** Commits the version this writer just linked (unless a helper beat it to it). */
  #stamp(version: number): void {
    if (testHooks.race !== null) testHooks.race("stamp");
    this.core.versions.commit(version);
  }

  // ---------------------------------------------------------------- records

  /** A filled private version, or minus the status that says why there is none. */
  #allocateVersion(value: Uint8Array | null): number {
    const size = versionWords(value === null ? TOMBSTONE : value.byteLength);
    const version = this.core.arena.allocate(size, this.core.links);
    if (version === 0) return -this.#whyNot(size);
    this.#fillVersion(version, value);
    return version;
  }

  /** Why an allocation of `words` failed: the arena is full, or it could never fit. */
  #whyNot(words: number): WriteStatus {
    const arena = this.core.arena;
    return words > arena.capacityWords - firstFreeWord(this.core.stats.stripeCount)
      ? TOO_LARGE
      : NO_SPACE;
  }

  /** Writes a private version record (stamp PENDING, no older version yet). */
  #fillVersion(version: number, value: Uint8Array | null): void {
    const arena = this.core.arena;
    const i32 = arena.i32;
    i32[version + VERSION_STAMP] = PENDING;
    if (value === null) {
      i32[version + VERSION_VALUE_LENGTH] = TOMBSTONE;
    } else {
      i32[version + VERSION_VALUE_LENGTH] = value.byteLength;
      copyBytes(value, arena.u8, (version + VERSION_VALUE) * 4);
    }
  }

  /** Whether `maxMemoryBytes` stops new versions. */
  #overMemoryLimit(): boolean {
    const core = this.core;
    return core.maxMemoryBytes > 0 && core.stats.memoryUsage() >= core.maxMemoryBytes;
  }

  /** Whether `maxEntries` stops new keys. */
  #overEntryLimit(): boolean {
    const core = this.core;
    return core.maxEntries > 0 && core.stats.size() >= core.maxEntries;
  }

  /** A tower height with P(height > h) = 2^-h, capped at MAX_HEIGHT (see there why 1/2). */
  #randomHeight(): number {
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    // Each leading zero bit of a uniform word has odds 1/2 (x is never 0).
    return Math.min(Math.clz32(x), MAX_HEIGHT - 1) + 1;
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
