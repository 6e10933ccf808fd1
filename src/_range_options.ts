/**
 * Range options checked and resolved into a {@link RangeSpec}: bounds copied
 * into probes (so that later changes to the caller's arrays do not move the
 * range, and every bound check is a word compare), a prefix turned into the
 * pair of bounds it stands for, and an empty range recognised up front.
 *
 * @module
 */

import { compareProbes, Probe } from "./_keys.ts";
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

/** One end of a range. */
export interface Bound {
  /** The bound's key, copied (later changes to the caller's array do not move the range). */
  readonly probe: Probe;
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
  for (const name of Object.keys(options)) {
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
    const order = compareProbes(lower.probe, upper.probe);
    if (order > 0 || (order === 0 && !(lower.inclusive && upper.inclusive))) empty = true;
  }
  return { lower, upper, reverse, limit, tombstones, empty };
}

// Bound probes take their words from a shared slab: a range is often short
// (ten entries), and two fresh typed-array buffers per bound would cost more
// than the whole walk. A slab lives as long as one of its probes does.
const SLAB_WORDS = 1024;
/** Bounds longer than this many words get storage of their own. */
const SLAB_MAX_KEY_WORDS = 64;
let slab = new Int32Array(SLAB_WORDS);
let slabUsed = 0;

function bound(bytes: Uint8Array, inclusive: boolean): Bound {
  const words = (bytes.byteLength + 3) >>> 2;
  let probe: Probe;
  if (words > SLAB_MAX_KEY_WORDS) {
    probe = new Probe(new Int32Array(words));
  } else {
    if (slabUsed + words > SLAB_WORDS) {
      slab = new Int32Array(SLAB_WORDS);
      slabUsed = 0;
    }
    probe = new Probe(slab.subarray(slabUsed, slabUsed + words));
    slabUsed += words;
  }
  probe.set(bytes); // a private copy, whatever memory `bytes` views
  return { probe, inclusive };
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
  out[end - 1]++;
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
