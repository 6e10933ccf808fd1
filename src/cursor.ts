/**
 * Cursors: positioned, seekable walks in key order.
 *
 * @module
 */

import type { View } from "./_view.ts";
import type { Entry } from "./entry.ts";

let makeCursor: (view: View, node: number) => Cursor;

/** `#node` value of a cursor before the first entry. */
const BEFORE_FIRST = -1;

/**
 * A position in a list, for range and prefix scans. A cursor is before the
 * first entry (from `cursor()`), on an entry (`valid()`), or past the end.
 * It reports the version current when it moved onto the key (on a snapshot:
 * the version the snapshot sees). Iterating a cursor yields its current entry
 * (the first one, if it is before the first), then advances.
 *
 * | method | cost |
 * | --- | --- |
 * | `nextEntry()` | O(1) |
 * | `seek(target)` | O(log n) |
 *
 * @example A prefix scan
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * const text = (data: Uint8Array) => new TextDecoder().decode(data);
 * const list = new ConcurrentSkipList();
 * for (const k of ["user:1", "user:2", "video:1", "apple"]) list.insert(bytes(k), bytes("v"));
 * const found = [];
 * const cursor = list.cursorAt(bytes("user:"));
 * for (const entry of cursor ?? []) {
 *   if (!text(entry.key).startsWith("user:")) break;
 *   found.push(text(entry.key));
 * }
 * assert.deepEqual(found, ["user:1", "user:2"]);
 * ```
 */
export class Cursor implements IterableIterator<Entry> {
  #view: View;
  /** The node the cursor is on; 0 past the end; BEFORE_FIRST before the first. */
  #node: number;
  #version = 0;

  /** Not public: cursors come from `cursor()` and `cursorAt()`. */
  private constructor(view: View, node: number) {
    this.#view = view;
    this.#node = node;
    if (node > 0) this.#version = view.foundVersion;
  }

  static {
    makeCursor = (view, node) => new Cursor(view, node);
  }

  #moveTo(node: number): boolean {
    this.#node = node;
    this.#version = this.#view.foundVersion;
    return node !== 0;
  }

  /**
   * Whether the cursor is on an entry.
   *
   * @returns `false` before the first entry and past the last.
   */
  valid(): boolean {
    return this.#node > 0;
  }

  /**
   * The entry the cursor is on.
   *
   * @returns The entry, or `undefined` when the cursor is not `valid()`.
   */
  entry(): Entry | undefined {
    return this.#node > 0 ? this.#view.entry(this.#node, this.#version) : undefined;
  }

  /**
   * Moves to the next entry (from before the first: to the first).
   *
   * @returns `false` when there is none; the cursor is then past the end.
   */
  nextEntry(): boolean {
    const node = this.#node;
    if (node === 0) return false;
    const view = this.#view;
    const from = node === BEFORE_FIRST ? view.core.head : node;
    return this.#moveTo(view.firstVisible(view.core.nextOf(from)));
  }

  /**
   * Moves to the first entry whose key is `>= target`, searching from the
   * start of the list (a cursor may seek backwards, and seek again after
   * running off the end).
   *
   * @param target The lower bound.
   * @returns `false` when no key is `>= target`; the cursor is then past the end.
   * @throws {TypeError} When `target` is not a `Uint8Array`.
   */
  seek(target: Uint8Array): boolean {
    return this.#moveTo(this.#view.seek("seek", target));
  }

  /**
   * Yields the current entry and advances (from before the first: the first).
   *
   * @returns The iterator result.
   */
  next(): IteratorResult<Entry, undefined> {
    if (this.#node === BEFORE_FIRST) this.nextEntry();
    const entry = this.entry();
    if (entry === undefined) return { done: true, value: undefined };
    this.nextEntry();
    return { done: false, value: entry };
  }

  /**
   * Returns this cursor, so that it can be used in `for … of`.
   *
   * @returns This cursor.
   */
  [Symbol.iterator](): this {
    return this;
  }
}

/** A cursor before the first entry of `view` (internal). */
export function newCursor(view: View): Cursor {
  return makeCursor(view, BEFORE_FIRST);
}

/** A cursor on the first entry `>= target`, or undefined (internal). */
export function newCursorAt(view: View, method: string, target: unknown): Cursor | undefined {
  const node = view.seek(method, target);
  return node === 0 ? undefined : makeCursor(view, node);
}
