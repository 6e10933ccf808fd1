/**
 * Range options checked and resolved into a {@link RangeSpec}: bounds copied
 * as words (so that later changes to the caller's arrays do not move the
 * range, and every bound check is a word compare), a prefix turned into the
 * pair of bounds it stands for, and an empty range recognised up front.
 *
 * @module
 */

import { compareAcross } from "./_keys.ts";
import { describe } from "./options.ts";

const OPTION_NAMES: readonly string[] = [
  "gte",
  "gt",
  "lte",
  "lt",
  "prefix",
  "reverse",
  "limit",
  "tombstones",
];
const KNOWN = new Set(OPTION_NAMES);

/**
 * One end of a range: its key, copied (later changes to the caller's array
 * do not move the range) as zero-padded words at `offset` in `words`, the
 * layout of a key in the arena, so that it compares with stored keys in place.
 */
export interface Bound {
  readonly words: Int32Array;
  readonly offset: number;
  readonly byteLength: number;
  /** Whether a key equal to the bound is in the range. */
  readonly inclusive: boolean;
}

/** A checked range. */
export interface RangeSpec {
  readonly lower: Bound | null;
  readonly upper: Bound | null;
  readonly reverse: boolean;
  /** A non-negative integer or Infinity. */
  readonly limit: number;
  readonly tombstones: boolean;
  /** Nothing can be in it (bounds crossed, or limit 0): no search is needed. */
  readonly empty: boolean;
}

/** Checks `options` of `method` (a TypeError or RangeError naming the option) and resolves them. */
export function resolveRange(method: string, options: unknown): RangeSpec {
  const what = `Cannot ${method}`;
  if (options === undefined) options = {};
  if (
    typeof options !== "object" || options === null || Array.isArray(options) ||
    ArrayBuffer.isView(options)
  ) {
    throw new TypeError(
      `${what}: options must be an object such as { gte, lt, reverse, limit }, received ${
        describe(options)
      }`,
    );
  }
  // for-in allocates nothing on a plain object (Object.keys makes an array);
  // an inherited enumerable property is refused as unknown too.
  for (const name in options) {
    if (!KNOWN.has(name)) {
      throw new TypeError(
        `${what}: unknown option ${JSON.stringify(name)} (known: ${OPTION_NAMES.join(", ")})`,
      );
    }
  }
  // Named property loads (not options[name]): a range of ten entries is
  // short enough for a keyed lookup per option to show.
  const given = options as Record<string, unknown>;
  const gte = bytesOption(what, given.gte, "gte");
  const gt = bytesOption(what, given.gt, "gt");
  const lte = bytesOption(what, given.lte, "lte");
  const lt = bytesOption(what, given.lt, "lt");
  const prefix = bytesOption(what, given.prefix, "prefix");
  if (gte !== undefined && gt !== undefined) {
    throw new RangeError(
      `${what}: gt and gte are both set (${bytesText(gt)} and ${
        bytesText(gte)
      }); a range takes at most one lower bound`,
    );
  }
  if (lte !== undefined && lt !== undefined) {
    throw new RangeError(
      `${what}: lt and lte are both set (${bytesText(lt)} and ${
        bytesText(lte)
      }); a range takes at most one upper bound`,
    );
  }
  if (prefix !== undefined) {
    const bound = gte !== undefined
      ? "gte"
      : gt !== undefined
      ? "gt"
      : lte !== undefined
      ? "lte"
      : lt !== undefined
      ? "lt"
      : undefined;
    if (bound !== undefined) {
      throw new RangeError(
        `${what}: prefix (${bytesText(prefix)}) cannot be combined with ${bound} (${
          bytesText(given[bound] as Uint8Array)
        }); a prefix is a range of its own`,
      );
    }
  }
  const reverse = booleanOption(what, given.reverse, "reverse", false);
  const tombstones = booleanOption(what, given.tombstones, "tombstones", true);
  const limit = limitOption(what, given.limit);

  let lower: Bound | null = null;
  let upper: Bound | null = null;
  if (prefix !== undefined) {
    // Keys that start with P are exactly those in [P, successor(P)).
    if (prefix.byteLength > 0) lower = bound(prefix, true);
    const end = prefixEnd(prefix);
    if (end !== null) upper = bound(end, false);
  } else {
    if (gte !== undefined) lower = bound(gte, true);
    else if (gt !== undefined) lower = bound(gt, false);
    if (lte !== undefined) upper = bound(lte, true);
    else if (lt !== undefined) upper = bound(lt, false);
  }
  let empty = limit === 0;
  if (lower !== null && upper !== null) {
    const order = compareAcross(
      lower.words,
      lower.offset,
      lower.byteLength,
      upper.words,
      upper.offset,
      upper.byteLength,
    );
    if (order > 0 || (order === 0 && !(lower.inclusive && upper.inclusive))) empty = true;
  }
  return { lower, upper, reverse, limit, tombstones, empty };
}

// Bounds take their words from a shared slab: a range is often short (ten
// entries), and a typed array per bound (a buffer, or even a view) would cost
// more than its walk. A slab lives as long as one of its bounds does.
const SLAB_WORDS = 1024;
/** Bounds longer than this many words get words of their own. */
const SLAB_MAX_KEY_WORDS = 64;
let slab = new Int32Array(SLAB_WORDS);
let slabUsed = 0;

function bound(bytes: Uint8Array, inclusive: boolean): Bound {
  const byteLength = bytes.byteLength;
  const wordCount = (byteLength + 3) >>> 2;
  if (wordCount > SLAB_MAX_KEY_WORDS) {
    const words = new Int32Array(wordCount);
    new Uint8Array(words.buffer).set(bytes);
    return { words, offset: 0, byteLength, inclusive };
  }
  if (slabUsed + wordCount > SLAB_WORDS) {
    slab = new Int32Array(SLAB_WORDS);
    slabUsed = 0;
  }
  const offset = slabUsed;
  slabUsed += wordCount;
  // Little-endian words, zero-padded, as keys lie in the arena (a few words:
  // cheaper by hand than a TypedArray.prototype.set call).
  for (let w = 0; w < wordCount; w++) {
    const at = w * 4;
    let word = 0;
    for (let i = at + Math.min(4, byteLength - at) - 1; i >= at; i--) word = word << 8 | bytes[i]!;
    slab[offset + w] = word;
  }
  return { words: slab, offset, byteLength, inclusive };
}

/**
 * The smallest byte string above every key that starts with `prefix`: the
 * prefix with its trailing 0xff bytes dropped and its last byte raised by
 * one; null when there is none (the prefix is empty or all 0xff).
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | null {
  let end = prefix.byteLength;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return null;
  const out = prefix.slice(0, end);
  out[end - 1]!++;
  return out;
}

function bytesOption(what: string, value: unknown, name: string): Uint8Array | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${what}: ${name} must be a Uint8Array, received ${describe(value)}`);
  }
  return value;
}

function booleanOption(what: string, value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new TypeError(`${what}: ${name} must be a boolean, received ${describe(value)}`);
  }
  return value;
}

function limitOption(what: string, value: unknown): number {
  if (value === undefined) return Infinity;
  if (typeof value !== "number") {
    throw new TypeError(`${what}: limit must be a number, received ${describe(value)}`);
  }
  if (value === Infinity) return value;
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `${what}: limit must be a non-negative integer or Infinity, received ${value}`,
    );
  }
  return value;
}

/** The bytes of a bound, for messages: at most 16, in brackets. */
function bytesText(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, 16)).join(", ");
  return `[${shown}${bytes.byteLength > 16 ? `, … (${bytes.byteLength} bytes)` : ""}]`;
}
