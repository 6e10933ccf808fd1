/**
 * The structural check behind `validate()`: walks every level and every
 * version chain and throws at the first broken invariant of `_layout.ts`.
 * It reads links with `Atomics.load`, so it may run while others write
 * (`quiescent: false`); only a quiescent list is held to the exact counts.
 *
 * Walking while others write: levels are walked from the top down, so every
 * node seen at level i+1 was linked at level i before that walk started
 * (invariant 4) and must be found there; records allocated during the walk
 * move the end of the arena, which is re-read before an address is called
 * out of range.
 *
 * A quiescent live list may still have writes in flight that will never
 * finish: a worker terminated mid-write leaves its announcement raised, and
 * maybe a `PENDING` stamp and statistics it never added. Each such write
 * accounts for at most one pending stamp and one unit of lag in each count,
 * so the check allows that much per write in flight and reports it. A frozen
 * list is held to exact counts: a forced seal recounts them (invariant 6).
 *
 * @module
 */

import { compareStored, storedKeyBound } from "./_keys.ts";
import {
  ALLOC,
  boundWord,
  firstFreeWord,
  HEIGHT,
  linkWord,
  MAX_HEIGHT,
  NODE_VERSIONS,
  nodeWords,
  PENDING,
  STATE,
  STATE_FROZEN,
  TOMBSTONE,
  VERSION_STAMP,
  VERSION_VALUE,
} from "./_layout.ts";
import type { ListCore } from "./_core.ts";
import { heightOf, keyLengthOf, keyWordOf, olderOf, valueLengthOf } from "./_records.ts";
import type { ValidationReport } from "./validation.ts";

/** Walks the whole structure; throws an `Error` naming the first violation. */
export function checkStructure(core: ListCore, quiescent: boolean): ValidationReport {
  const arena = core.arena;
  const lowest = firstFreeWord(core.stats.stripeCount);
  let end = 0;
  const fail = (message: string): never => {
    throw new Error(`fastskip structure check failed: ${message}`);
  };
  /** Re-reads the end of the allocated arena and makes the views reach it. */
  const refreshEnd = (): void => {
    end = Atomics.load(arena.i32, ALLOC);
    arena.refresh();
  };
  const checkAddress = (address: number, what: string): void => {
    if (address >= end && !quiescent) refreshEnd();
    if (address < lowest || address >= end) {
      fail(`${what} ${address} lies outside [${lowest}, ${end})`);
    }
  };
  // A record below `end` may still lie past the views: the bump pointer
  // moves before its writer grows the memory, so a refresh at `end` can miss
  // it. A linked record was grown into before it was linked: cover it.
  const coverNode = (node: number): void => {
    arena.cover(node + 1);
    arena.cover(node + nodeWords(heightOf(arena.i32, node), keyLengthOf(arena.i32, node)));
  };
  const coverVersion = (version: number): void => {
    arena.cover(version + VERSION_VALUE);
  };
  const i32 = () => arena.i32;
  const keyWord = (node: number) => keyWordOf(i32(), node);
  const keyLength = (node: number) => keyLengthOf(i32(), node);
  const exactBounds = core.links.exactBounds;
  refreshEnd();

  let height = Atomics.load(i32(), HEIGHT);
  if (height < 1 || height > MAX_HEIGHT) fail(`list height ${height} is out of range`);
  for (let level = MAX_HEIGHT - 1; level >= height; level--) {
    // An insert raises the height before it links, so a link seen here means
    // the raise is visible too: re-reading tells a race from a broken list.
    if (Atomics.load(i32(), linkWord(core.head, level)) === 0) continue;
    height = Math.max(height, Atomics.load(i32(), HEIGHT));
    if (height <= level) fail(`level ${level} is above the list height but not empty`);
  }

  const levels: number[] = new Array(height).fill(0);
  let above: number[] = [];
  let liveEntries = 0;
  let tombstones = 0;
  let versions = 0;
  let pendingStamps = 0;
  for (let level = height - 1; level >= 0; level--) {
    const nodes: number[] = [];
    // Each bound is read before its link (invariant 9).
    let from = core.head;
    let bound = Atomics.load(i32(), boundWord(from, level));
    for (let node = Atomics.load(i32(), linkWord(from, level)); node !== 0;) {
      checkAddress(node, `node at level ${level}`);
      coverNode(node);
      if (nodes.length > end) fail(`level ${level} has a cycle`);
      const nodeHeight = heightOf(i32(), node);
      if (nodeHeight < 1 || nodeHeight > MAX_HEIGHT) fail(`node ${node} has height ${nodeHeight}`);
      if (nodeHeight <= level) {
        fail(`node ${node} of height ${nodeHeight} is linked at level ${level}`);
      }
      const actual = storedKeyBound(i32(), keyWord(node), keyLength(node));
      if (bound < actual || (exactBounds && bound !== actual)) {
        fail(
          `the bound beside node ${from}'s link at level ${level} is ${bound}, ` +
            `node ${node}'s key has bound ${actual}`,
        );
      }
      const previous = nodes[nodes.length - 1];
      if (
        previous !== undefined &&
        compareStored(
            i32(),
            keyWord(previous),
            keyLength(previous),
            keyWord(node),
            keyLength(node),
          ) >= 0
      ) {
        fail(`level ${level} is not strictly sorted at node ${node}`);
      }
      if (level === 0) {
        const newest = checkChain(node);
        if (valueLengthOf(i32(), newest) === TOMBSTONE) tombstones++;
        else liveEntries++;
      }
      nodes.push(node);
      from = node;
      bound = Atomics.load(i32(), boundWord(from, level));
      node = Atomics.load(i32(), linkWord(from, level));
    }
    // Every node of the level above, in the same order (both are sorted).
    let index = 0;
    for (const node of above) {
      while (index < nodes.length && nodes[index] !== node) index++;
      if (index === nodes.length) {
        fail(`node ${node} at level ${level + 1} is not in level ${level}`);
      }
    }
    levels[level] = nodes.length;
    above = nodes;
  }

  /** Checks `node`'s version chain; returns its newest version. */
  function checkChain(node: number): number {
    const newest = Atomics.load(i32(), node + NODE_VERSIONS);
    if (newest <= 0) fail(`node ${node} has no version`);
    let newer = PENDING + 1;
    let steps = 0;
    let version = newest;
    for (;;) {
      checkAddress(version, `version of node ${node}`);
      coverVersion(version);
      if (++steps > end) fail(`the version chain of node ${node} has a cycle`);
      versions++;
      const stamp = Atomics.load(i32(), version + VERSION_STAMP);
      if (stamp === PENDING) {
        pendingStamps++;
      } else {
        if (stamp >= newer) {
          fail(`the version chain of node ${node} is not newest-first at version ${version}`);
        }
        newer = stamp;
      }
      const valueLength = valueLengthOf(i32(), version);
      if (valueLength < TOMBSTONE) fail(`version ${version} has value length ${valueLength}`);
      const older = olderOf(i32(), version);
      if (older > 0) {
        version = older;
        continue;
      }
      if (older !== -node) fail(`the first version of node ${node} names node ${-older}`);
      return newest;
    }
  }

  // A forced seal leaves the in-flight count of a dead writer behind; a
  // frozen list is immutable whatever it says.
  const frozen = Atomics.load(i32(), STATE) === STATE_FROZEN;
  const writesInFlight = frozen ? 0 : core.stats.inflight();
  const entries = levels[0]!;
  const sizeLag = liveEntries - core.stats.size();
  const nodeLag = entries - core.stats.nodeCount();
  const statisticsLag = Math.max(Math.abs(sizeLag), Math.abs(nodeLag));
  if (quiescent) {
    const allowed = writesInFlight === 0
      ? ""
      : ` (${writesInFlight} writes in flight allow that many)`;
    if (pendingStamps > writesInFlight) {
      fail(`${pendingStamps} versions are still PENDING on a quiescent list${allowed}`);
    }
    if (Math.abs(sizeLag) > writesInFlight) {
      fail(`size is ${core.stats.size()} but ${liveEntries} keys are live${allowed}`);
    }
    if (Math.abs(nodeLag) > writesInFlight) {
      fail(`${core.stats.nodeCount()} nodes were counted but level 0 holds ${entries}${allowed}`);
    }
  }
  return {
    entries,
    liveEntries,
    tombstones,
    versions,
    height,
    levels,
    writesInFlight,
    pendingStamps,
    statisticsLag,
  };
}
