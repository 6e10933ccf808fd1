/**
 * The structural check behind `validate()`: walks every level and every
 * version chain and throws at the first broken invariant of `_layout.ts`.
 * It reads links with `Atomics.load`, so it may run while others write, but
 * only a quiescent list can be held to the exact-count checks.
 *
 * @module
 */

import { compareStored } from "./_keys.ts";
import {
  ALLOC,
  firstFreeWord,
  HEIGHT,
  HEIGHT_BITS,
  HEIGHT_MASK,
  MAX_HEIGHT,
  NODE_NEXT,
  NODE_VERSIONS,
  PENDING,
  TOMBSTONE,
  VERSION_OLDER,
  VERSION_STAMP,
  VERSION_VALUE_LENGTH,
} from "./_layout.ts";
import type { SkipListCore } from "./_skiplist.ts";
import type { ValidationReport } from "./validation.ts";

/** Walks the whole structure; throws an `Error` naming the first violation. */
export function checkStructure(core: SkipListCore, quiescent: boolean): ValidationReport {
  const arena = core.arena;
  arena.refresh();
  const i32 = arena.i32;
  const lowest = firstFreeWord(core.stripeCount);
  const end = Atomics.load(i32, ALLOC);
  const maxSteps = end; // every record takes at least one word: more steps is a cycle
  const fail = (message: string): never => {
    throw new Error(`fastskip structure check failed: ${message}`);
  };
  const checkAddress = (address: number, what: string): void => {
    if (address < lowest || address >= end) {
      fail(`${what} ${address} lies outside [${lowest}, ${end})`);
    }
  };
  const keyWord = (node: number) => node + NODE_NEXT + (i32[node] & HEIGHT_MASK);
  const keyLength = (node: number) => i32[node] >>> HEIGHT_BITS;

  const height = Atomics.load(i32, HEIGHT);
  if (height < 1 || height > MAX_HEIGHT) fail(`list height ${height} is out of range`);
  for (let level = height; level < MAX_HEIGHT; level++) {
    if (Atomics.load(i32, core.head + NODE_NEXT + level) !== 0) {
      fail(`level ${level} is above the list height but not empty`);
    }
  }

  const levels: number[] = [];
  let below: number[] = [];
  let liveEntries = 0;
  let tombstones = 0;
  let versions = 0;
  for (let level = 0; level < height; level++) {
    const nodes: number[] = [];
    let index = 0; // position in `below` (level - 1), for the sublist check
    for (let node = Atomics.load(i32, core.head + NODE_NEXT + level); node !== 0;) {
      checkAddress(node, `node at level ${level}`);
      if (nodes.length > maxSteps) fail(`level ${level} has a cycle`);
      const nodeHeight = i32[node] & HEIGHT_MASK;
      if (nodeHeight < 1 || nodeHeight > MAX_HEIGHT) fail(`node ${node} has height ${nodeHeight}`);
      if (nodeHeight <= level) {
        fail(`node ${node} of height ${nodeHeight} is linked at level ${level}`);
      }
      const previous = nodes[nodes.length - 1];
      if (
        previous !== undefined &&
        compareStored(
            i32,
            keyWord(previous),
            keyLength(previous),
            keyWord(node),
            keyLength(node),
          ) >= 0
      ) {
        fail(`level ${level} is not strictly sorted at node ${node}`);
      }
      if (level > 0) {
        while (index < below.length && below[index] !== node) index++;
        if (index === below.length) {
          fail(`node ${node} at level ${level} is not in level ${level - 1}`);
        }
      } else {
        const head = checkChain(node);
        if (i32[head + VERSION_VALUE_LENGTH] === TOMBSTONE) tombstones++;
        else liveEntries++;
      }
      nodes.push(node);
      node = Atomics.load(i32, node + NODE_NEXT + level);
    }
    levels.push(nodes.length);
    below = nodes;
  }

  /** Checks `node`'s version chain; returns its newest version. */
  function checkChain(node: number): number {
    const newest = Atomics.load(i32, node + NODE_VERSIONS);
    if (newest === 0) fail(`node ${node} has no version`);
    let newer = PENDING + 1;
    let steps = 0;
    for (let version = newest; version !== 0; version = i32[version + VERSION_OLDER]) {
      checkAddress(version, `version of node ${node}`);
      if (++steps > maxSteps) fail(`the version chain of node ${node} has a cycle`);
      versions++;
      const stamp = Atomics.load(i32, version + VERSION_STAMP);
      if (stamp === PENDING) {
        if (quiescent) {
          fail(`version ${version} of node ${node} is still PENDING on a quiescent list`);
        }
        continue;
      }
      if (stamp >= newer) {
        fail(`the version chain of node ${node} is not newest-first at version ${version}`);
      }
      newer = stamp;
      const valueLength = i32[version + VERSION_VALUE_LENGTH];
      if (valueLength < TOMBSTONE) fail(`version ${version} has value length ${valueLength}`);
    }
    return newest;
  }

  if (quiescent) {
    if (core.size() !== liveEntries) {
      fail(`size is ${core.size()} but ${liveEntries} keys are live`);
    }
    const counted = core.nodeCount();
    if (counted !== levels[0]) fail(`${counted} nodes were linked but level 0 holds ${levels[0]}`);
    if (core.inflight() !== 0) fail(`${core.inflight()} writes are still in flight`);
  }
  return { entries: levels[0], liveEntries, tombstones, versions, height, levels };
}
