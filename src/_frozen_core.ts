/**
 * Reads of a frozen list with plain loads.
 *
 * Why this is sound: a core is made frozen only after an `Atomics.load` of
 * `STATE` returned `STATE_FROZEN` (in this agent), which synchronizes with
 * the sealer's store of it, which came after every writer announced in
 * flight had finished (`_skiplist.ts`, seal). From then on no link, chain
 * head or length changes (invariant 6), so plain loads see the final values
 * and no view can fall behind a growth. The one exception is a stamp left
 * `PENDING` by a writer that died mid-write: a frozen read that meets one
 * falls back to the atomic resolution of the live path, so that every reader
 * agrees on it.
 *
 * A flush walks the whole memtable, and at a million entries each step is a
 * cache miss; `Atomics.load` is a builtin call in V8, so plain loads matter
 * most here.
 *
 * @module
 */

import type { Arena } from "./_arena.ts";
import type { Lease } from "./_lease.ts";
import { compareProbe } from "./_keys.ts";
import {
  HEIGHT,
  HEIGHT_BITS,
  HEIGHT_MASK,
  NODE_NEXT,
  NODE_VERSIONS,
  PENDING,
  VERSION_OLDER,
  VERSION_STAMP,
} from "./_layout.ts";
import { BELOW, type DescendMode, LAST, SkipListCore } from "./_skiplist.ts";

/** A core over a frozen list: same answers as its base, read with plain loads. */
export class FrozenCore extends SkipListCore {
  /**
   * @param arena An arena whose `STATE` this agent has read as frozen.
   */
  constructor(arena: Arena, lease: Lease) {
    super(arena, lease, false); // readers of a frozen list must not write to it
    arena.refresh(); // the last growth happened before the freeze
  }

  override nextOf(node: number): number {
    return this.arena.i32[node + NODE_NEXT];
  }

  override versionAt(node: number, bound: number): number {
    const i32 = this.arena.i32;
    let version = i32[node + NODE_VERSIONS];
    while (version > 0) {
      let stamp = i32[version + VERSION_STAMP];
      if (stamp === PENDING) stamp = this.stampOf(version);
      if (stamp < bound) return version;
      version = i32[version + VERSION_OLDER];
    }
    return 0;
  }

  override keyOffsetOf(node: number): number {
    return (node + NODE_NEXT + (this.arena.i32[node] & HEIGHT_MASK)) * 4;
  }

  override keyWordOf(node: number): number {
    return node + NODE_NEXT + (this.arena.i32[node] & HEIGHT_MASK);
  }

  override successorOf(node: number): number {
    return this.arena.i32[node + NODE_NEXT];
  }

  override descend(mode: DescendMode, floor: number): number {
    const i32 = this.arena.i32;
    const probe = this.probe;
    let node = this.head;
    let knownAbove = 0;
    for (let level = i32[HEIGHT] - 1; level >= floor; level--) {
      for (;;) {
        const next = i32[node + NODE_NEXT + level];
        if (next === 0 || next === knownAbove) break;
        if (mode !== LAST) {
          const header = i32[next];
          const order = compareProbe(
            probe,
            i32,
            next + NODE_NEXT + (header & HEIGHT_MASK),
            header >>> HEIGHT_BITS,
          );
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

  override search(): number {
    const i32 = this.arena.i32;
    const probe = this.probe;
    let node = this.head;
    let knownGreater = 0;
    for (let level = i32[HEIGHT] - 1; level >= 0; level--) {
      for (;;) {
        const next = i32[node + NODE_NEXT + level];
        if (next === 0 || next === knownGreater) break;
        const header = i32[next];
        const order = compareProbe(
          probe,
          i32,
          next + NODE_NEXT + (header & HEIGHT_MASK),
          header >>> HEIGHT_BITS,
        );
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
}
