/**
 * Decoding of the two record kinds of `_layout.ts`, nodes and versions: the
 * one place that knows where a node's key starts or how long a version is.
 * Everything that reads records (the search, the version chains, the write
 * path, the structural check, the raw cursor) goes through these.
 *
 * All of them read immutable words (headers, lengths, key and value bytes:
 * invariant 3) with plain loads, and take the `Int32Array` to read from as an
 * argument: whoever calls them has made the record readable through that view
 * (`Links.node`, `Links.version`).
 *
 * @module
 */

import {
  HEIGHT_BITS,
  HEIGHT_MASK,
  LEVEL_WORDS,
  NODE_NEXT,
  TOMBSTONE,
  VERSION_OLDER,
  VERSION_VALUE,
  VERSION_VALUE_LENGTH,
  wordsFor,
} from "./_layout.ts";

// ---------------------------------------------------------------- nodes

/** Packs a node header word. */
export function nodeHeader(height: number, keyByteLength: number): number {
  return height | keyByteLength << HEIGHT_BITS;
}

/** Levels of `node`'s tower (1 … MAX_HEIGHT). */
export function heightOf(i32: Int32Array, node: number): number {
  return i32[node]! & HEIGHT_MASK;
}

/** Byte length of `node`'s key. */
export function keyLengthOf(i32: Int32Array, node: number): number {
  return i32[node]! >>> HEIGHT_BITS;
}

/** Word address of `node`'s key: after the header, the versions link and the tower. */
export function keyWordOf(i32: Int32Array, node: number): number {
  return node + NODE_NEXT + LEVEL_WORDS * (i32[node]! & HEIGHT_MASK);
}

/** First word after `node` (its key's padding included), from its header word. */
export function nodeEndOf(node: number, header: number): number {
  return node + NODE_NEXT + LEVEL_WORDS * (header & HEIGHT_MASK) + wordsFor(header >>> HEIGHT_BITS);
}

/** Byte offset of `node`'s key in the arena (`address * 4`: past 2 GiB a shift goes negative). */
export function keyOffsetOf(i32: Int32Array, node: number): number {
  return keyWordOf(i32, node) * 4;
}

// ---------------------------------------------------------------- versions

/** Value byte length of `version`, or {@link TOMBSTONE}. */
export function valueLengthOf(i32: Int32Array, version: number): number {
  return i32[version + VERSION_VALUE_LENGTH]!;
}

/** Whether `version` is a tombstone. */
export function isTombstone(i32: Int32Array, version: number): boolean {
  return i32[version + VERSION_VALUE_LENGTH] === TOMBSTONE;
}

/** The version `version` replaced, or minus its node for a node's first version. */
export function olderOf(i32: Int32Array, version: number): number {
  return i32[version + VERSION_OLDER]!;
}

/** Byte offset of `version`'s value in the arena. */
export function valueOffsetOf(version: number): number {
  return (version + VERSION_VALUE) * 4;
}

/** First word after `version`, from its value length. */
export function versionEndOf(version: number, valueLength: number): number {
  return version + VERSION_VALUE + (valueLength > 0 ? wordsFor(valueLength) : 0);
}
