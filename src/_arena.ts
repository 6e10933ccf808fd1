/**
 * The arena: one growable memory per list (its {@link Backing}: a shared
 * `WebAssembly.Memory` or a growable `SharedArrayBuffer`, `_backing.ts`), the
 * views this agent reads it through, and the bump allocator every writer
 * shares.
 *
 * Views are fixed-length views refreshed after growth rather than
 * length-tracking ones: V8 and JavaScriptCore compile accesses through a
 * length-tracking view of a growable buffer 2–3× slower. The price is that an
 * agent may follow a link to a record another agent allocated after growing
 * the memory; every first touch of a record therefore goes through
 * {@link Arena.cover}, which refreshes the views when the record ends past
 * them. The grow happens before the record is written, which happens before
 * the publishing CAS the reader observed, so the refreshed length covers it:
 * a refresh reads the length of the memory itself (`currentBuffer` in
 * `_backing.ts`), not the buffer this agent holds, which may lag.
 *
 * @module
 */

import { claimReleasedBuffer, releasedInThisAgent, rememberForReuse } from "./_arena_pool.ts";
import { type Backing, bufferOf, createBacking, currentBuffer, grow } from "./_backing.ts";
import type { Links } from "./_links.ts";
import {
  ALLOC,
  ARENA_BYTES_F64,
  CLOCK,
  FINAL,
  FIRST_STAMP,
  firstFreeWord,
  FORMAT,
  FORMAT_VERSION,
  GENERATION,
  headAddress,
  HEIGHT,
  MAGIC,
  MAGIC_VALUE,
  MAX_ARENA_BYTES_F64,
  MAX_ENTRIES_F64,
  MAX_HEIGHT,
  MAX_MEMORY_BYTES_F64,
  NODE_HEADER,
  REFS,
  SEED,
  SHARDS,
  SHARED,
  STRIPE_COUNT,
} from "./_layout.ts";
import {
  dropReference,
  generationOf,
  publishList,
  RELEASED,
  REUSED,
  TAKEN,
  takeReference,
} from "./_references.ts";

/** Why {@link Arena.attach} refused a buffer: not a fastskip list of this format. */
export const NOT_A_LIST = 3;
/** The list was never `share()`d: it is private to the agent that made it (invariant 8). */
export const NOT_SHARED = 4;
/** Every value of {@link AttachFailure}, to derive the type from. */
const ATTACH_FAILURES = [NOT_A_LIST, NOT_SHARED, RELEASED, REUSED] as const;
export type AttachFailure = typeof ATTACH_FAILURES[number];

/** Options after validation, as stored in the control block. */
export interface ArenaOptions {
  arenaBytes: number;
  maxArenaBytes: number;
  shards: number;
  stripeCount: number;
  maxMemoryBytes: number;
  maxEntries: number;
  seed: number;
}

/** Granularity of growth: the OS commits pages anyway, and fewer grows race less. */
const GROW_QUANTUM_BYTES = 64 * 1024;

/** Owns one list's memory and this agent's views of it. */
export class Arena {
  /** The list's memory; what `share()` hands to other agents. */
  readonly backing: Backing;
  /**
   * A buffer covering at least the views (the backing itself, or the
   * memory's buffer as of the last {@link Arena.refresh}): what returned
   * views are made of.
   */
  buffer: SharedArrayBuffer;
  /** Word view, refreshed by {@link Arena.refresh} after growth. */
  i32: Int32Array;
  /** Byte view over the same range as `i32`. */
  u8: Uint8Array;
  /** Words covered by the views. */
  viewWords: number;
  /** Capacity in words: `maxArenaBytes / 4`. Allocation never passes it. */
  readonly capacityWords: number;
  /** The generation of the buffer's list this arena reads (what handles carry). */
  readonly generation: number;

  private constructor(backing: Backing, generation: number) {
    const buffer = bufferOf(backing);
    this.backing = backing;
    this.buffer = buffer;
    this.generation = generation;
    this.viewWords = buffer.byteLength >>> 2;
    this.i32 = new Int32Array(buffer, 0, this.viewWords);
    this.u8 = new Uint8Array(buffer, 0, this.viewWords * 4);
    this.capacityWords = Math.floor(this.readF64(MAX_ARENA_BYTES_F64) / 4);
  }

  /**
   * Writes an empty list into a buffer whose instances were all released, or
   * into a new buffer when this agent has none, and takes the creating
   * instance's reference on it.
   */
  static create(options: ArenaOptions): Arena {
    let reused = claimReleasedBuffer(options.maxArenaBytes);
    if (reused !== undefined && !grow(reused.backing, options.arenaBytes, options.arenaBytes)) {
      // The OS refused to grow it: a new one may still be had. Left claimed,
      // this one goes back to the OS when the collector takes it.
      reused = undefined;
    }
    const backing = reused?.backing ?? createBacking(options.arenaBytes, options.maxArenaBytes);
    if (reused === undefined) rememberForReuse(backing);
    const buffer = bufferOf(backing);
    const i32 = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
    // A reused buffer: clear the old list's control block and head, but not
    // MAGIC, REFS (RECYCLING: no attach gets in) or GENERATION (already
    // bumped). Records need no clearing (invariant 7).
    if (reused !== undefined) {
      const oldEnd = firstFreeWord(i32[STRIPE_COUNT]!);
      const newEnd = firstFreeWord(options.stripeCount);
      i32.fill(0, MAGIC + 1, REFS);
      i32.fill(0, GENERATION + 1, Math.max(oldEnd, newEnd));
    }
    const f64 = new Float64Array(buffer, 0, 16);
    i32[FORMAT] = FORMAT_VERSION;
    i32[STRIPE_COUNT] = options.stripeCount;
    i32[SEED] = options.seed;
    i32[SHARDS] = options.shards;
    f64[ARENA_BYTES_F64 >>> 1] = options.arenaBytes;
    f64[MAX_ARENA_BYTES_F64 >>> 1] = options.maxArenaBytes;
    f64[MAX_MEMORY_BYTES_F64 >>> 1] = options.maxMemoryBytes;
    f64[MAX_ENTRIES_F64 >>> 1] = options.maxEntries;
    i32[ALLOC] = firstFreeWord(options.stripeCount);
    i32[CLOCK] = FIRST_STAMP;
    i32[HEIGHT] = 1;
    // The head node: full height, empty key, no versions, nil links.
    i32[headAddress(options.stripeCount) + NODE_HEADER] = MAX_HEIGHT;
    Atomics.store(i32, MAGIC, MAGIC_VALUE);
    // Publishes everything above to any agent whose attach observes it.
    publishList(i32);
    return new Arena(backing, reused?.generation ?? generationOf(i32));
  }

  /** The options this arena's list was created with (the config line written by `create`). */
  options(): ArenaOptions {
    const i32 = this.i32;
    return {
      arenaBytes: this.readF64(ARENA_BYTES_F64),
      maxArenaBytes: this.readF64(MAX_ARENA_BYTES_F64),
      shards: i32[SHARDS]!,
      stripeCount: i32[STRIPE_COUNT]!,
      maxMemoryBytes: this.readF64(MAX_MEMORY_BYTES_F64),
      maxEntries: this.readF64(MAX_ENTRIES_F64),
      seed: i32[SEED]!,
    };
  }

  /**
   * Opens a buffer made by {@link Arena.create}, in this or another agent,
   * for a handle made for `generation`, and takes a reference on it for the
   * new instance. Returns why not when it cannot (the caller words the error).
   */
  static attach(backing: Backing, generation: number): Arena | AttachFailure {
    const buffer = bufferOf(backing);
    if (buffer.byteLength < 4 * firstFreeWord(1)) return NOT_A_LIST;
    const i32 = new Int32Array(buffer, 0, FINAL);
    if (Atomics.load(i32, MAGIC) !== MAGIC_VALUE) return NOT_A_LIST;
    if (Atomics.load(i32, FORMAT) !== FORMAT_VERSION) return NOT_A_LIST;
    const status = takeReference(i32, generation);
    if (status !== TAKEN) return status;
    // Observes share()'s store: its maker reads atomically from then on, and
    // everything written before is visible here (invariant 8).
    if (Atomics.load(i32, SHARED) !== 1) {
      dropReference(i32);
      return NOT_SHARED;
    }
    // Only now is line 0 read with plain loads: the reference holds the list
    // of this generation, whose options were written before it was published.
    return new Arena(backing, generation);
  }

  /** Drops the reference an instance took (its release); see `_references.ts`. */
  dropReference(): void {
    if (dropReference(this.i32)) releasedInThisAgent(this.backing);
  }

  /** Reads an immutable Float64 option from line 0. */
  readF64(word: number): number {
    return new Float64Array(this.buffer, word << 2, 1)[0]!;
  }

  /** Re-creates the views if another agent (or this one) grew the memory. */
  refresh(): void {
    const buffer = currentBuffer(this.backing);
    const words = buffer.byteLength >>> 2;
    if (words === this.viewWords) return;
    this.buffer = buffer;
    this.viewWords = words;
    this.i32 = new Int32Array(this.buffer, 0, words);
    this.u8 = new Uint8Array(this.buffer, 0, words * 4);
  }

  /**
   * The word view, made to reach word `endWord` (exclusive) of a published
   * record. The view may be a new object: read through the one returned
   * (a local copy of `i32` taken before is stale once this refreshes).
   */
  cover(endWord: number): Int32Array {
    if (endWord > this.viewWords) this.refresh();
    return this.i32;
  }

  /** Words allocated so far, control block included. */
  usedWords(): number {
    return Atomics.load(this.i32, ALLOC);
  }

  /**
   * Reserves `words` fresh, zeroed words and returns the address of the first,
   * or 0 when the arena is at capacity (or the OS refuses to grow it). The
   * pointer only moves by CAS after a capacity check, so it never passes the
   * capacity and cannot wrap, however many agents race. The CAS goes through
   * the caller's `links`: `Atomics` once the list is shared, plain while it is
   * private to its maker (invariant 8).
   */
  allocate(words: number, links: Links): number {
    for (;;) {
      const start = links.load(ALLOC);
      const end = start + words;
      if (end > this.capacityWords) return 0;
      if (links.compareExchange(ALLOC, start, end) === start) {
        return this.#grow(end) ? start : 0;
      }
    }
  }

  /** Grows the memory to hold `endWord` words; false when the OS refuses. */
  #grow(endWord: number): boolean {
    if (endWord <= this.viewWords) return true;
    const wanted = endWord * 4;
    const doubled = Math.max(wanted, this.viewWords * 4 * 2);
    const rounded = Math.ceil(doubled / GROW_QUANTUM_BYTES) * GROW_QUANTUM_BYTES;
    // A reused memory may be able to grow past this list's capacity.
    if (!grow(this.backing, wanted, Math.min(rounded, this.capacityWords * 4))) return false;
    this.refresh();
    return true;
  }

  /** Bytes the memory holds now (grown by any agent). */
  byteLength(): number {
    return currentBuffer(this.backing).byteLength;
  }
}
