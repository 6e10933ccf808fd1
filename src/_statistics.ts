/**
 * Statistics of a list, kept in striped counters (one 64-byte line per
 * stripe, LongAdder-style, so that writers on different stripes do not fight
 * over one word), and the recount a forced seal makes of them.
 *
 * Counting is done by whoever commits a version's stamp (`_versions.ts`), so
 * a write whose worker died after linking it is counted by the first agent
 * that meets it, exactly once. What no agent can do is finish the counting of
 * a worker killed between its commit and its `Atomics.add`s: that leaves the
 * stripes behind for good, by at most one unit each per such write. A live
 * list's statistics may therefore lag by the writes that died; a forced seal
 * recounts them from the records into line 4 (`FINAL`), which then answers
 * every statistic, exactly (invariant 6).
 *
 * @module
 */

import type { Arena } from "./_arena.ts";
import type { Links } from "./_links.ts";
import { keyLengthOf, olderOf, valueLengthOf } from "./_records.ts";
import {
  ALLOC,
  FINAL,
  FINAL_KEY_BYTES_F64,
  FINAL_LIVE_F64,
  FINAL_NODES_F64,
  FINAL_VALUE_BYTES_F64,
  FINAL_VALUE_VERSIONS_F64,
  LINE_WORDS,
  STRIPE_INFLIGHT,
  STRIPE_INSERTS,
  STRIPE_KEY_BYTES,
  STRIPE_LIVE,
  STRIPE_NODES,
  STRIPE_VALUE_BYTES,
  STRIPE_VALUE_VERSIONS,
  STRIPES,
  TOMBSTONE,
} from "./_layout.ts";

/** One agent's counters of one list: its own stripe to add to, all stripes to read. */
export class Statistics {
  readonly arena: Arena;
  /** The core's links, whose mutable-word operations the counters go through. */
  links: Links;
  readonly stripeCount: number;
  /** Word address of the stripe this agent adds to. */
  readonly stripe: number;

  constructor(links: Links, stripeCount: number, ordinal: number) {
    const arena = links.arena;
    this.arena = arena;
    this.links = links;
    this.stripeCount = stripeCount;
    this.stripe = STRIPES + (ordinal & (stripeCount - 1)) * LINE_WORDS;
  }

  // ------------------------------------------------------------- counting

  /** Announces a write (the seal handshake: `_seal.ts`). */
  announce(): void {
    this.links.add(this.stripe + STRIPE_INFLIGHT, 1);
  }

  /** Ends a write announced by {@link Statistics.announce}. */
  withdraw(): void {
    this.links.add(this.stripe + STRIPE_INFLIGHT, -1);
  }

  /** Counts an insert-family call that reached the list (`totalInserts`). */
  countInsertCall(): void {
    this.links.add(this.stripe + STRIPE_INSERTS, 1);
  }

  /**
   * Counts a version just committed (by this agent's CAS): a live key gained
   * or lost against the version it replaced, a key for a first version, and
   * its value bytes. `i32` must make `version` and the version it replaced
   * readable (the caller's `Links.version`).
   */
  account(i32: Int32Array, version: number): void {
    const stripe = this.stripe;
    const links = this.links;
    const valueLength = valueLengthOf(i32, version);
    const older = olderOf(i32, version);
    let liveDelta = valueLength === TOMBSTONE ? 0 : 1;
    if (older < 0) {
      // The first version of node -older, allocated with it in one block: a key is added.
      links.add(stripe + STRIPE_NODES, 1);
      links.add(stripe + STRIPE_KEY_BYTES, keyLengthOf(i32, -older));
    } else if (valueLengthOf(i32, older) !== TOMBSTONE) {
      liveDelta--;
    }
    if (liveDelta !== 0) links.add(stripe + STRIPE_LIVE, liveDelta);
    if (valueLength !== TOMBSTONE) {
      links.add(stripe + STRIPE_VALUE_VERSIONS, 1);
      links.add(stripe + STRIPE_VALUE_BYTES, valueLength);
    }
  }

  // -------------------------------------------------------------- reading

  #sum(field: number): number {
    const links = this.links;
    let sum = 0;
    for (let s = 0; s < this.stripeCount; s++) sum += links.load(STRIPES + s * LINE_WORDS + field);
    return sum;
  }

  /** Like `#sum`, for counters that may exceed 2^31 (read unsigned). */
  #sumUnsigned(field: number): number {
    const links = this.links;
    let sum = 0;
    for (let s = 0; s < this.stripeCount; s++) {
      sum += links.load(STRIPES + s * LINE_WORDS + field) >>> 0;
    }
    return sum;
  }

  /** A statistic recounted by a forced seal (a `FINAL_…_F64` word), or -1 while the stripes answer. */
  #final(f64Word: number): number {
    if (this.links.load(FINAL) === 0) return -1;
    return new Float64Array(this.arena.buffer, f64Word * 4, 1)[0]!;
  }

  /** Writes announced and not yet finished, over all stripes. */
  inflight(): number {
    return this.#sum(STRIPE_INFLIGHT);
  }

  /** Live keys; never negative even while stripes disagree in flight. */
  size(): number {
    const final = this.#final(FINAL_LIVE_F64);
    return final >= 0 ? final : Math.max(0, this.#sum(STRIPE_LIVE));
  }

  /** Distinct keys stored, live or tombstoned. */
  nodeCount(): number {
    const final = this.#final(FINAL_NODES_F64);
    return final >= 0 ? final : this.#sum(STRIPE_NODES);
  }

  totalInserts(): number {
    return this.#sumUnsigned(STRIPE_INSERTS);
  }

  keyBytes(): number {
    const final = this.#final(FINAL_KEY_BYTES_F64);
    return final >= 0 ? final : this.#sumUnsigned(STRIPE_KEY_BYTES);
  }

  valueBytes(): number {
    const final = this.#final(FINAL_VALUE_BYTES_F64);
    return final >= 0 ? final : this.#sumUnsigned(STRIPE_VALUE_BYTES);
  }

  valueVersions(): number {
    const final = this.#final(FINAL_VALUE_VERSIONS_F64);
    return final >= 0 ? final : this.#sum(STRIPE_VALUE_VERSIONS);
  }

  /** Arena bytes allocated, control block included. */
  memoryUsage(): number {
    return this.links.load(ALLOC) * 4;
  }

  /** Arena bytes currently backed by the buffer. */
  memoryReserved(): number {
    return this.arena.byteLength();
  }
}

/** What {@link writeFinal} records: the statistics counted from the records. */
export interface Recount {
  live: number;
  nodes: number;
  keyBytes: number;
  valueVersions: number;
  valueBytes: number;
}

/**
 * Writes a forced seal's recount into line 4, then publishes it: every
 * statistic read after an `Atomics.load` of `FINAL` that sees 1 is exact.
 * It goes to a line of its own because an agent that committed a dead
 * writer's version just before may still be adding to a stripe.
 */
export function writeFinal(arena: Arena, counts: Recount): void {
  const f64 = new Float64Array(arena.buffer, 0, STRIPES >>> 1);
  f64[FINAL_LIVE_F64 >>> 1] = counts.live;
  f64[FINAL_NODES_F64 >>> 1] = counts.nodes;
  f64[FINAL_KEY_BYTES_F64 >>> 1] = counts.keyBytes;
  f64[FINAL_VALUE_VERSIONS_F64 >>> 1] = counts.valueVersions;
  f64[FINAL_VALUE_BYTES_F64 >>> 1] = counts.valueBytes;
  // Publishes the counts to every agent that reads a statistic after it.
  Atomics.store(arena.i32, FINAL, 1);
}
