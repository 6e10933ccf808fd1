/**
 * Cursors: positioned, seekable walks in key order.
 *
 * @module
 */

import { internals } from "./_internals.ts";
import { inheritIteratorPrototype } from "./_iterator_prototype.ts";
import { Position } from "./_position.ts";
import type { View } from "./_view.ts";
import type { Entry } from "./entry.ts";

/**
 * A position in a list, for range and prefix scans. A cursor is before the
 * first entry (from `cursor()`), on an entry (`valid()`), or past the end;
 * it moves both ways (`nextEntry()`, `prevEntry()`).
 * It reports the version current when it moved onto the key (on a snapshot:
 * the version the snapshot sees). Iterating a cursor yields its current entry
 * (the first one, if it is before the first), then advances.
 *
 * A cursor inherits from `Iterator.prototype`, so the Iterator helpers
 * (`take`, `drop`, `filter`, `map`, `toArray`, `reduce`, `find`, …) work on
 * it wherever the runtime has them (Deno, Bun, Node 22 and later; Node 20 has
 * none). Like `for … of`, they consume the cursor from its current position
 * forward, moving it as they go: after `cursor.take(2).toArray()` it is on the
 * entry after the two it yielded. A helper never moves it backwards, and the
 * helper's own iterator has none of the cursor's methods.
 *
 * | method | cost |
 * | --- | --- |
 * | `nextEntry()` | O(1) |
 * | `prevEntry()` | O(1) amortized, plus O(log n) once per run of ~16 entries |
 * | `seek`, `seekForPrev`, `seekToFirst`, `seekToLast` | O(log n) |
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
 *
 * @example The Iterator helpers, from where the cursor is
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * const text = (data: Uint8Array) => new TextDecoder().decode(data);
 * const list = new ConcurrentSkipList();
 * for (const k of ["a", "b", "c", "d", "e"]) list.insert(bytes(k), bytes(k.toUpperCase()));
 * const cursor = list.cursorAt(bytes("b"))!;
 * assert.deepEqual(cursor.take(2).map((entry) => text(entry.value)).toArray(), ["B", "C"]);
 * assert.equal(text(cursor.entry()!.key), "d"); // take(2) left it on the next entry
 * ```
 */
export class Cursor {
  #position: Position;

  /** Not public: cursors come from `cursor()` and `cursorAt()`. */
  private constructor(position: Position) {
    this.#position = position;
  }

  static {
    inheritIteratorPrototype(this.prototype);
    internals.newCursor = (position) => new Cursor(position);
  }

  /**
   * Whether the cursor is on an entry.
   *
   * @returns `false` before the first entry and past the last.
   */
  valid(): boolean {
    return this.#position.valid();
  }

  /**
   * The entry the cursor is on.
   *
   * @returns The entry, or `undefined` when the cursor is not `valid()`.
   */
  entry(): Entry | undefined {
    return this.#position.entry();
  }

  /**
   * Moves to the next entry (from before the first: to the first).
   *
   * @returns `false` when there is none; the cursor is then past the end.
   */
  nextEntry(): boolean {
    return this.#position.next();
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
    return this.#position.seek("seek", target);
  }

  /**
   * Moves to the previous entry (from past the end: to the last). Nodes have
   * no back links: a step back searches from the top of the list, once per
   * run of about 16 entries, so a walk backwards costs O(1) amortized per
   * entry plus O(log n) per run.
   *
   * @returns `false` when there is none; the cursor is then before the first
   * entry (where `nextEntry()` goes to the first).
   *
   * @example Walking backwards from a key
   * ```ts
   * import { ConcurrentSkipList } from "@fastskip/fastskip";
   * import assert from "node:assert/strict";
   *
   * const list = new ConcurrentSkipList();
   * for (const k of [1, 2, 3]) list.insert(new Uint8Array([k]), new Uint8Array());
   * const cursor = list.cursorAt(new Uint8Array([3]))!;
   * const keys = [cursor.entry()!.key[0]];
   * while (cursor.prevEntry()) keys.push(cursor.entry()!.key[0]);
   * assert.deepEqual(keys, [3, 2, 1]);
   * assert.equal(cursor.valid(), false);
   * ```
   */
  prevEntry(): boolean {
    return this.#position.prev();
  }

  /**
   * Moves to the last entry whose key is `<= target` (RocksDB's
   * `SeekForPrev`), searching from the start of the list.
   *
   * @param target The upper bound.
   * @returns `false` when no key is `<= target`; the cursor is then before the first entry.
   * @throws {TypeError} When `target` is not a `Uint8Array`.
   */
  seekForPrev(target: Uint8Array): boolean {
    return this.#position.seekForPrev("seekForPrev", target);
  }

  /**
   * Moves to the first entry.
   *
   * @returns `false` when there is none (the cursor is then past the end).
   */
  seekToFirst(): boolean {
    return this.#position.seekToFirst();
  }

  /**
   * Moves to the last entry.
   *
   * @returns `false` when there is none (the cursor is then before the first entry).
   */
  seekToLast(): boolean {
    return this.#position.seekToLast();
  }

  /**
   * Yields the current entry and advances (from before the first: the first).
   *
   * @returns The iterator result.
   */
  next(): IteratorResult<Entry, undefined> {
    const position = this.#position;
    if (position.beforeFirst()) position.next();
    const entry = position.entry();
    if (entry === undefined) return { done: true, value: undefined };
    position.next();
    return { done: false, value: entry };
  }
}

/**
 * What a {@link Cursor} inherits from `Iterator.prototype`: the Iterator
 * helpers (typed by `lib.esnext`; present at run time where the runtime has
 * them), which consume the cursor from its current position forward, and
 * `[Symbol.iterator]()`, which returns the cursor itself. The class extends
 * nothing so that the module also loads where there is no global `Iterator`
 * (Node 20); it re-parents its prototype instead.
 *
 * @example
 * ```ts
 * import { ConcurrentSkipList } from "@fastskip/fastskip";
 * import assert from "node:assert/strict";
 *
 * const list = new ConcurrentSkipList();
 * for (const k of [1, 2, 3]) list.insert(new Uint8Array([k]), new Uint8Array());
 * const cursor = list.cursorAt(new Uint8Array([2]))!;
 * assert.equal(cursor[Symbol.iterator](), cursor);
 * assert.deepEqual(cursor.map((entry) => entry.key[0]).toArray(), [2, 3]);
 * ```
 */
export interface Cursor extends IteratorObject<Entry, undefined, unknown> {
  /**
   * Returns this cursor, so that it can be used in `for … of`.
   *
   * @returns This cursor.
   */
  [Symbol.iterator](): this;
}

/** A cursor before the first entry of `view` (internal). */
export function newCursor(view: View): Cursor {
  return internals.newCursor(new Position(view));
}

/** A cursor on the first entry `>= target`, or undefined (internal). */
export function newCursorAt(view: View, method: string, target: unknown): Cursor | undefined {
  const position = new Position(view);
  return position.seek(method, target) ? internals.newCursor(position) : undefined;
}

/** A cursor on the last entry `<= target`, or undefined (internal). */
export function newCursorForPrev(view: View, method: string, target: unknown): Cursor | undefined {
  const position = new Position(view);
  return position.seekForPrev(method, target) ? internals.newCursor(position) : undefined;
}
