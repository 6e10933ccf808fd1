/**
 * Where a cursor or an iterator is in a list seen at one bound: before the
 * first entry, on one (a node and the version visible there), or past the
 * end. `Cursor`, `RawCursor` and `Iter` differ only in what they show of it.
 *
 * @module
 */

import type { View } from "./_view.ts";
import type { Entry } from "./entry.ts";

/** `Position.node` before the first entry. */
const BEFORE_FIRST = -1;

/** What a call on a released instance's cursor or iterator says it tried. */
const READ = "read through a cursor or iterator";

/** A position in a view. */
export class Position {
  readonly view: View;
  /** The node it is on; 0 past the end; BEFORE_FIRST before the first. */
  node = BEFORE_FIRST;
  /** The version visible at the node (valid while on a node). */
  version = 0;

  constructor(view: View) {
    this.view = view;
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
    this.view.check(READ);
    const node = this.node;
    if (node === 0) return false;
    const core = this.view.core;
    return this.#moveTo(
      this.view.firstVisible(core.nextOf(node === BEFORE_FIRST ? core.head : node)),
    );
  }

  /** Moves to the first visible entry whose key is `>= target`; false if none. */
  seek(method: string, target: unknown): boolean {
    return this.#moveTo(this.view.seek(method, target));
  }

  /** The entry it is on, or undefined. */
  entry(): Entry | undefined {
    this.view.check(READ);
    return this.node > 0 ? this.view.entry(this.node, this.version) : undefined;
  }

  #moveTo(node: number): boolean {
    this.node = node;
    this.version = this.view.foundVersion;
    return node !== 0;
  }
}
