/**
 * Keys and values of the concurrency suite.
 *
 * A key is named by a non-negative integer id: its first four bytes are the id
 * big-endian, followed by 0–4 filler bytes derived from the id, so byte order
 * equals id order while key lengths vary (exercising the word-wise compare).
 *
 * A value says who wrote it: writer id, op number and key id, a checksum over
 * the three, then 0–12 filler bytes derived from the checksum. Reading a value
 * back checks all of it, so a torn, misplaced or foreign value is caught. A
 * value is named in histories by its id, `writer << 24 | op`.
 *
 * @module
 */

import { mix32 } from "./rng.ts";

/** Largest writer id a value id can carry. */
export const MAX_WRITER = 126;
/** Largest op number a value id can carry. */
export const MAX_OP = 0xff_ffff;

/** Result code: the key is absent (also the model state "absent"). */
export const ABSENT = -1;
/** Result code: the key's newest version is a tombstone (also a model state). */
export const TOMBSTONE = -2;
/** Result code: a value that failed its checksum or belongs to another key. */
export const CORRUPT = -3;
/** Result code: the call threw something it must not throw. */
export const ERROR = -4;
/** Result code of `getOrInsert` when it inserted. */
export const INSERTED = -5;
/** Result code: the write was refused because the list is sealed. */
export const SEALED = -6;
/** Result code: the write was refused as out of memory (arena full or a limit reached). */
export const FULL = -7;

/** The id of the value written by `writer`'s op number `op`. */
export function valueId(writer: number, op: number): number {
  return writer << 24 | op;
}

/** Writer of a value id. */
export function writerOf(id: number): number {
  return id >>> 24;
}

/** Op number of a value id. */
export function opOf(id: number): number {
  return id & MAX_OP;
}

/** Human-readable form of a model state or result code. */
export function describeCode(code: number): string {
  switch (code) {
    case ABSENT:
      return "absent";
    case TOMBSTONE:
      return "tombstone";
    case CORRUPT:
      return "corrupt value";
    case ERROR:
      return "error";
    case INSERTED:
      return "inserted";
    case SEALED:
      return "refused: sealed";
    case FULL:
      return "refused: out of memory";
    default:
      return code >= 0 ? `value w${writerOf(code)}#${opOf(code)}` : `code ${code}`;
  }
}

/** Encodes keys into one reusable buffer (the list copies what it stores). */
export class KeyCodec {
  readonly #buffer = new Uint8Array(8);

  /** The key of `id`; a view of this codec's buffer, valid until the next call. */
  key(id: number): Uint8Array {
    const b = this.#buffer;
    b[0] = id >>> 24;
    b[1] = id >>> 16;
    b[2] = id >>> 8;
    b[3] = id;
    const filler = mix32(id ^ 0x6b65_7973);
    const extra = filler % 5;
    for (let i = 0; i < extra; i++) b[4 + i] = filler >>> (8 * i);
    return b.subarray(0, 4 + extra);
  }

  /** Just the four-byte id prefix: sorts right before `key(id)`. */
  prefix(id: number): Uint8Array {
    this.key(id);
    return this.#buffer.subarray(0, 4);
  }
}

/** A fresh copy of the key of `id`. */
export function keyOf(id: number): Uint8Array {
  return new KeyCodec().key(id).slice();
}

/** The id of a key made by {@link KeyCodec}, or -1 if it is not such a key. */
export function keyIdOf(key: Uint8Array): number {
  if (key.length < 4 || key.length > 8) return -1;
  const id = (key[0]! << 24 | key[1]! << 16 | key[2]! << 8 | key[3]!) >>> 0;
  const filler = mix32(id ^ 0x6b65_7973);
  const extra = filler % 5;
  if (key.length !== 4 + extra) return -1;
  for (let i = 0; i < extra; i++) if (key[4 + i] !== (filler >>> (8 * i) & 0xff)) return -1;
  return id;
}

function checksum(writer: number, op: number, key: number): number {
  return mix32(mix32(writer * 0x10001 + op) ^ Math.imul(key, 0x2545_f491));
}

function put32(b: Uint8Array, at: number, x: number): void {
  b[at] = x;
  b[at + 1] = x >>> 8;
  b[at + 2] = x >>> 16;
  b[at + 3] = x >>> 24;
}

function get32(b: Uint8Array, at: number): number {
  return (b[at]! | b[at + 1]! << 8 | b[at + 2]! << 16 | b[at + 3]! << 24) >>> 0;
}

/** Encodes values into one reusable buffer. */
export class ValueCodec {
  readonly #buffer = new Uint8Array(28);

  /** The value `writer` writes with op `op` on key `key`; valid until the next call. */
  value(writer: number, op: number, key: number): Uint8Array {
    const b = this.#buffer;
    const sum = checksum(writer, op, key);
    put32(b, 0, writer);
    put32(b, 4, op);
    put32(b, 8, key);
    put32(b, 12, sum);
    const extra = sum % 13;
    for (let i = 0; i < extra; i++) b[16 + i] = (sum + i) & 0xff;
    return b.subarray(0, 16 + extra);
  }
}

/**
 * The value id held by `value`, checked against its checksum and against the
 * key it was read under; {@link CORRUPT} if anything is off.
 */
export function decodeValue(value: Uint8Array, key: number): number {
  if (value.length < 16) return CORRUPT;
  const writer = get32(value, 0);
  const op = get32(value, 4);
  const sum = checksum(writer, op, key);
  if (get32(value, 8) !== key >>> 0 || get32(value, 12) !== sum) return CORRUPT;
  if (writer > MAX_WRITER || op > MAX_OP) return CORRUPT;
  const extra = sum % 13;
  if (value.length !== 16 + extra) return CORRUPT;
  for (let i = 0; i < extra; i++) if (value[16 + i] !== ((sum + i) & 0xff)) return CORRUPT;
  return valueId(writer, op);
}

/** What a `get`-like read returned, as a model state or {@link CORRUPT}. */
export function stateOfRead(
  found: readonly [value: Uint8Array, tombstone: boolean] | undefined,
  key: number,
): number {
  if (found === undefined) return ABSENT;
  if (found[1]) return found[0].length === 0 ? TOMBSTONE : CORRUPT;
  return decodeValue(found[0], key);
}
