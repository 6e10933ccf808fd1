/**
 * What one agent holds to read one list: its arena, the links it reads
 * through (atomic for a live list, plain for a frozen one), its version
 * chains and statistics, and the lease of the instance it serves. The public
 * classes and the views over them read through a core; a live list adds a
 * {@link ListWriter} (`_writer.ts`) on top, a frozen memtable has none, so it
 * cannot write by construction.
 *
 * ## Concurrency contract
 *
 * - Any number of agents may read and write at once, each through cores of
 *   its own attached to the same buffer. Nothing blocks except `seal()`,
 *   which waits (bounded) for writes already in flight.
 * - A core is not re-entrant: one agent uses it from one call at a time
 *   (JavaScript agents are single-threaded, so this holds by construction).
 * - Reads never write to the arena except to commit a `PENDING` stamp they
 *   meet (helping, `_versions.ts`). Writes publish with one CAS each.
 *
 * @module
 */

import type { Arena } from "./_arena.ts";
import { Probe } from "./_keys.ts";
import type { Lease } from "./_lease.ts";
import { AtomicLinks, type Links, LocalLinks, PlainLinks } from "./_links.ts";
import {
  isTombstone,
  keyLengthOf,
  keyOffsetOf,
  keyWordOf,
  valueLengthOf,
  valueOffsetOf,
} from "./_records.ts";
import { FIND, search, type SearchMode, SEEK } from "./_search.ts";
import { Statistics } from "./_statistics.ts";
import { Versions } from "./_versions.ts";
import {
  headAddress,
  INSTANCES,
  MAX_ENTRIES_F64,
  MAX_MEMORY_BYTES_F64,
  SHARED,
  STATE,
  STRIPE_COUNT,
  TOMBSTONE,
} from "./_layout.ts";

/** One agent's reading handle on one list. */
export class ListCore {
  readonly arena: Arena;
  /** How this agent reads the records; replaced once, by {@link ListCore.share}. */
  links: Links;
  readonly versions: Versions;
  readonly stats: Statistics;
  /** The claim of the instance this core serves; its methods check it first. */
  readonly lease: Lease;
  /** Word address of the head node. */
  readonly head: number;
  /** This instance's number among those attached to the list (0 for frozen readers). */
  readonly ordinal: number;
  readonly maxMemoryBytes: number;
  readonly maxEntries: number;
  /**
   * Scratch space for the key of the call under way: the public methods copy
   * their key argument into it and pass it to the search explicitly.
   */
  readonly probe: Probe = new Probe();

  private constructor(arena: Arena, lease: Lease, links: Links, ordinal: number) {
    this.arena = arena;
    this.lease = lease;
    this.links = links;
    this.ordinal = ordinal;
    const stripeCount = arena.i32[STRIPE_COUNT]!;
    this.head = headAddress(stripeCount);
    this.stats = new Statistics(links, stripeCount, ordinal);
    this.versions = new Versions(links, this.stats);
    this.maxMemoryBytes = arena.readF64(MAX_MEMORY_BYTES_F64);
    this.maxEntries = arena.readF64(MAX_ENTRIES_F64);
  }

  /**
   * A core for an instance of a live list: it takes an instance number (a
   * stripe, a seed). The maker of a new list reads it with plain loads until
   * it shares it (invariant 8); an attached instance always uses `Atomics`.
   */
  static live(arena: Arena, lease: Lease, made: boolean): ListCore {
    const links = made ? new LocalLinks(arena) : new AtomicLinks(arena);
    return new ListCore(arena, lease, links, Atomics.add(arena.i32, INSTANCES, 1));
  }

  /**
   * Makes the list shareable (invariant 8): from now on this agent reads it
   * with `Atomics`, and `attach()` of its handles is allowed. Idempotent.
   */
  share(): void {
    if (this.links instanceof LocalLinks) {
      const links = new AtomicLinks(this.arena);
      this.links = links;
      this.versions.links = links;
      this.stats.links = links;
    }
    // After the switch: another agent's attach that observes it finds this
    // agent reading atomically, and every write made before it.
    Atomics.store(this.arena.i32, SHARED, 1);
  }

  /**
   * A core for a frozen list, read with plain loads. The caller has read
   * `STATE_FROZEN` with `Atomics.load` in this agent. It registers nothing:
   * readers of a frozen list must not write to it.
   */
  static frozen(arena: Arena, lease: Lease): ListCore {
    return new ListCore(arena, lease, new PlainLinks(arena), 0);
  }

  /**
   * Whether a limit is near: usage at 90 % of `maxMemoryBytes`, or size at
   * 90 % of `maxEntries` (time to seal and flush).
   */
  underBackpressure(): boolean {
    if (this.maxMemoryBytes > 0 && this.stats.memoryUsage() >= 0.9 * this.maxMemoryBytes) {
      return true;
    }
    return this.maxEntries > 0 && this.stats.size() >= 0.9 * this.maxEntries;
  }

  /** Current lifecycle state (`STATE_*`). */
  state(): number {
    return this.links.load(STATE);
  }

  // ---------------------------------------------------------------- search

  /** The node holding `probe`'s key, or 0. */
  find(probe: Probe): number {
    return search(this.links, probe, FIND, this.head, this.links.height() - 1, 0, null);
  }

  /** The first node whose key is `>=` `probe`'s, or 0. */
  seek(probe: Probe): number {
    return search(this.links, probe, SEEK, this.head, this.links.height() - 1, 0, null);
  }

  /**
   * The last node below (`BELOW`), at or below (`AT_OR_BELOW`) `probe`, or
   * of the list (`LAST`), among the nodes of level `floor`; the head when
   * there is none. Floor 0 gives the exact node; a higher floor stops early,
   * for a level-0 walk to finish (reverse runs, `_position.ts`). Above level
   * 0, a frozen list's stale-high bound (invariant 9) may stop it at an
   * earlier node of that level, which only lengthens the walk.
   */
  descend(probe: Probe, mode: SearchMode, floor: number): number {
    return search(this.links, probe, mode, this.head, this.links.height() - 1, floor, null);
  }

  /** Successor at level 0 of `node` (the head, or a node reached by a link); 0 at the end. */
  next(node: number): number {
    this.links.node(node);
    return this.links.next(node, 0);
  }

  /** The newest version of `node` visible at `bound`, or 0; see `Versions.at`. */
  versionAt(node: number, bound: number): number {
    return this.versions.at(node, bound);
  }

  // ---------------------------------------------------------------- records

  /** A view of `node`'s key in shared memory (immutable while the instance is unreleased). */
  keyOf(node: number): Uint8Array {
    const i32 = this.links.node(node);
    return new Uint8Array(this.arena.buffer, keyOffsetOf(i32, node), keyLengthOf(i32, node));
  }

  /** A view of `version`'s value (from {@link ListCore.versionAt}), or null for a tombstone. */
  valueOf(version: number): Uint8Array | null {
    const valueLength = valueLengthOf(this.links.version(version), version);
    if (valueLength === TOMBSTONE) return null;
    return new Uint8Array(this.arena.buffer, valueOffsetOf(version), valueLength);
  }

  /** Whether `version` (from {@link ListCore.versionAt}) is a tombstone. */
  isTombstone(version: number): boolean {
    return isTombstone(this.links.version(version), version);
  }

  /** Word address of `node`'s key, and (through the view returned by `links.node`) its length. */
  keyWordOf(node: number): number {
    return keyWordOf(this.links.node(node), node);
  }

  /** Byte length of `node`'s key. */
  keyLengthOf(node: number): number {
    return keyLengthOf(this.links.node(node), node);
  }

  /** Sets `probe` to `node`'s key (to search for what lies before it). */
  probeKeyOf(node: number, probe: Probe): void {
    const i32 = this.links.node(node);
    probe.setStored(i32, keyWordOf(i32, node), keyLengthOf(i32, node));
  }
}
