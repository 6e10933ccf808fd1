/**
 * Touching the nodes a forward scan will reach before it reaches them.
 *
 * A scan follows level-0 links: each node's address is in the node before,
 * so in a list larger than the cache it waits for one miss per node, one
 * after the other (a tree's leaf holds the next keys' addresses side by
 * side, and the processor fetches those together). But the taller nodes
 * ahead are known early: a node of height above {@link SEGMENT_LEVEL} links
 * at that level to the next such node, about 2^SEGMENT_LEVEL nodes on. They
 * cut level 0 into segments, and a segment can be walked without the one
 * before it. So {@link ScanAhead} keeps {@link LANES} walkers on the
 * segments in front of the scan and moves each of them one node every
 * {@link ROUND_STEPS} steps of the scan: loads that depend on nothing the
 * scan waits for, so their misses overlap, and the scan then finds its nodes
 * in the cache.
 *
 * It only reads links and headers, with plain loads, and what it reads
 * decides nothing the scan returns: it is for lists read with plain loads
 * anyway (a private or a frozen list: `Links.readsBounds`), and for lists
 * larger than a cache holds (`Position` decides).
 *
 * @module
 */

import { linkWord, NODE_NEXT } from "./_layout.ts";
import { heightOf } from "./_records.ts";

/** Level whose nodes begin the segments: a segment holds about 2^3 = 8 nodes. */
const SEGMENT_LEVEL = 3;
/** Walkers, each on its own segment: the misses in flight at once. */
const LANES = 8;
/**
 * Scan steps per move of the walkers. Together they then fetch one node per
 * step the scan takes, as fast as the scan reads them (a walker that ends
 * its segment takes the next one in the same move), so they stay the
 * segments they were handed at the start ahead of it, about LANES, and what
 * they fetched is still in the cache when the scan gets there. (At 1M
 * entries, moving them every 4 steps gained nothing more and cost more.)
 */
const ROUND_STEPS = 8;
/**
 * Steps forward in a row before the walkers start: a seek that reads a few
 * entries never pays for them.
 */
const WARMUP_STEPS = 32;

/** The walkers in front of one forward scan. */
export class ScanAhead {
  /** The node each walker touches next; 0 when it has no segment. */
  readonly #at = new Int32Array(LANES);
  /** The node the scan's last step moved to; a step from anywhere else starts again. */
  #last = -1;
  /** Steps left before the walkers start. */
  #warmup = WARMUP_STEPS;
  /** The first node of the last segment handed out; 0 before the first and past the end. */
  #frontier = 0;
  /** Whether the walk of segment starts reached the end of the list. */
  #ended = false;
  /** Segment starts handed out, and those the scan has reached (both counted alike). */
  #handedOut = 0;
  #reached = 0;
  /** Scan steps until the walkers next move. */
  #countdown = ROUND_STEPS;

  /** Segments handed out that the scan has not reached yet (for tests). */
  get segmentsAhead(): number {
    return this.#handedOut - this.#reached;
  }

  /** Called with each step of the scan, `from` one node `to` the next, read through `i32`. */
  step(i32: Int32Array, from: number, to: number): void {
    if (from !== this.#last || this.#warmup !== 0) return this.#warm(from, to);
    this.#last = to;
    if (heightOf(i32, to) > SEGMENT_LEVEL) this.#reach(to);
    if (--this.#countdown === 0) this.#round(i32);
  }

  /** Counts down the steps before the walkers start; from the start again after a jump. */
  #warm(from: number, to: number): void {
    if (from !== this.#last) this.#restart();
    else this.#warmup--;
    this.#last = to;
  }

  /** The scan reached segment start `node`: the walkers begin here, or catch up from behind. */
  #reach(node: number): void {
    if (++this.#reached > this.#handedOut && !this.#ended) {
      this.#frontier = node;
      this.#handedOut = this.#reached;
    }
  }

  /** Moves each walker one node; one that ended its segment takes the next one. */
  #round(i32: Int32Array): void {
    this.#countdown = ROUND_STEPS;
    const at = this.#at;
    for (let lane = 0; lane < LANES; lane++) {
      let walker = at[lane]!;
      // One load of the walker's line, header and level-0 link. A tall node
      // begins the next segment, which another walker has: this one is done.
      if (walker !== 0 && heightOf(i32, walker) > SEGMENT_LEVEL) walker = 0;
      if (walker === 0) {
        const frontier = this.#frontier;
        if (frontier === 0) {
          at[lane] = 0;
          continue;
        }
        walker = i32[linkWord(frontier, SEGMENT_LEVEL)]!;
        this.#frontier = walker;
        this.#handedOut++;
        if (walker === 0) {
          this.#ended = true;
          at[lane] = 0;
          continue;
        }
      }
      at[lane] = i32[walker + NODE_NEXT]!;
    }
  }

  /** Forgets the walk: the scan moved by a seek or a step back. */
  #restart(): void {
    this.#at.fill(0);
    this.#warmup = WARMUP_STEPS;
    this.#frontier = 0;
    this.#ended = false;
    this.#handedOut = 0;
    this.#reached = 0;
    this.#countdown = ROUND_STEPS;
  }
}
