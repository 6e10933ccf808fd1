/**
 * What `new FastskipLevel(options)` takes beyond abstract-level's options.
 *
 * @module
 */

import type { SkipListHandle, SkipListOptions } from "../mod.ts";
import type { LevelOptions } from "./bases.ts";

/**
 * Options of a {@link FastskipLevel}: abstract-level's (`keyEncoding`,
 * `valueEncoding`, default `"utf8"`), and where the data lives: a list of its
 * own, sized by `skipList`, or, with `handle`, a list another store or
 * worker shared.
 *
 * @example A store of JSON values in a list capped at 64 MiB
 * ```ts
 * import { FastskipLevel, type FastskipLevelOptions } from "@fastskip/fastskip/level";
 * import assert from "node:assert/strict";
 *
 * const options: FastskipLevelOptions<string, { n: number }> = {
 *   valueEncoding: "json",
 *   skipList: { maxArenaBytes: 64 << 20 },
 * };
 * const db = new FastskipLevel(options);
 * await db.put("a", { n: 1 });
 * assert.deepEqual(await db.get("a"), { n: 1 });
 * await db.close();
 * ```
 */
export interface FastskipLevelOptions<K = string, V = string> extends LevelOptions<K, V> {
  /**
   * A list shared by `db.share()` or `list.share()`, in this or another
   * worker: the store reads and writes that list instead of making its own.
   * Not together with `skipList`.
   */
  handle?: SkipListHandle | undefined;
  /**
   * Sizing and limits of the store's own list (`arenaBytes`, `maxArenaBytes`,
   * `maxMemoryBytes`, `maxEntries`, `shards`, `seed`). Default: a 1 MiB arena
   * that grows up to 1 GiB.
   */
  skipList?: SkipListOptions | undefined;
}

/** The options split into the list's part and abstract-level's part. */
export interface SplitOptions<K, V> {
  handle: SkipListHandle | undefined;
  skipList: SkipListOptions | undefined;
  level: LevelOptions<K, V>;
}

/**
 * Reads `(location?, options?)` as memory-level does (a location string is
 * accepted and ignored, so that code written for it runs unchanged).
 *
 * @throws {TypeError} When options are not an object, or name both `handle` and `skipList`.
 */
export function splitOptions<K, V>(
  locationOrOptions: unknown,
  maybeOptions: unknown,
): SplitOptions<K, V> {
  const options = typeof locationOrOptions === "object" && locationOrOptions !== null
    ? locationOrOptions
    : maybeOptions;
  if (options === undefined || options === null) {
    return { handle: undefined, skipList: undefined, level: {} };
  }
  if (typeof options !== "object") {
    throw new TypeError(
      `FastskipLevel: options must be an object, received ${typeof options} ${String(options)}`,
    );
  }
  const { handle, skipList, ...level } = options as FastskipLevelOptions<K, V>;
  if (handle !== undefined && skipList !== undefined) {
    throw new TypeError(
      "FastskipLevel: options.handle and options.skipList cannot be used together: an attached list keeps the sizing it was made with",
    );
  }
  return { handle, skipList, level };
}
