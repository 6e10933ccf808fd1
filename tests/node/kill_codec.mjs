/**
 * Keys, values and randomness of the preemptive-kill test (plain JavaScript:
 * Node runs it without a TypeScript step). The same encodings as the Deno
 * suite's `tests/concurrency/support/codec.ts` and `rng.ts`.
 *
 * A key is named by an integer id, `writer << 20 | op` for the key a writer
 * creates with its op number `op`: four bytes of the id big-endian, then 0–4
 * filler bytes derived from it (key lengths vary, so `avgKeySize()` is not a
 * constant). A value carries writer id, op number, key id and a checksum over
 * the three, then 0–12 filler bytes derived from the checksum: reading one
 * back checks all of it, so a torn, misplaced or foreign value is caught.
 */

/** Model state and read result: the key is absent. */
export const ABSENT = -1;
/** Model state and read result: the key's newest version is a tombstone. */
export const TOMBSTONE = -2;
/** Read result: a value that failed its checksum or belongs to another key. */
export const CORRUPT = -3;

/** Bits of a key id that hold the op number (the rest is the writer id). */
export const OP_BITS = 20;
/** Ops a writer may make: each creates at most one key id of its own. */
export const MAX_OPS = 1 << OP_BITS;

/** murmur3's 32-bit finalizer. */
export function mix32(x) {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85eb_ca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2_ae35);
  return (x ^ x >>> 16) >>> 0;
}

/** The seed of stream `stream` of a run seeded with `seed`. */
export function deriveSeed(seed, stream) {
  return mix32(seed ^ Math.imul(stream + 1, 0x9e37_79b9)) || 1;
}

/** A xorshift32 generator (never `Math.random`: a failing round replays from its seed). */
export class Rng {
  #x;

  constructor(seed) {
    this.#x = (seed | 0) || 0x9e37_79b9;
  }

  /** A uniform unsigned 32-bit integer. */
  next() {
    let x = this.#x;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#x = x;
    return x >>> 0;
  }

  /** A uniform integer in [0, n). */
  below(n) {
    return Math.floor((this.next() / 0x1_0000_0000) * n);
  }

  /** A uniform number in [0, 1). */
  fraction() {
    return this.next() / 0x1_0000_0000;
  }
}

/** The id of the key `writer` creates with its op number `op`. */
export function freshKeyId(writer, op) {
  return (writer << OP_BITS | op) >>> 0;
}

/** The writer that created key `id`. */
export function keyWriter(id) {
  return id >>> OP_BITS;
}

/** The id of the value `writer` writes with op `op`. */
export function valueId(writer, op) {
  return writer * MAX_OPS + op;
}

/** Human-readable form of a model state or read result. */
export function describeState(state) {
  if (state === ABSENT) return "absent";
  if (state === TOMBSTONE) return "a tombstone";
  if (state === CORRUPT) return "a corrupt value";
  return `the value of writer ${Math.floor(state / MAX_OPS)} op ${state % MAX_OPS}`;
}

function keyFiller(id) {
  return mix32(id ^ 0x6b65_7973);
}

/** Length of the key of `id`. */
export function keyLength(id) {
  return 4 + keyFiller(id) % 5;
}

/** Encodes keys into one reusable buffer (the list copies what it stores). */
export class KeyCodec {
  #buffer = new Uint8Array(8);

  /** The key of `id`: a view of this codec's buffer, valid until the next call. */
  key(id) {
    const b = this.#buffer;
    b[0] = id >>> 24;
    b[1] = id >>> 16;
    b[2] = id >>> 8;
    b[3] = id;
    const filler = keyFiller(id);
    const extra = filler % 5;
    for (let i = 0; i < extra; i++) b[4 + i] = filler >>> (8 * i);
    return b.subarray(0, 4 + extra);
  }
}

/** The id of a key made by {@link KeyCodec}, or -1 if it is not such a key. */
export function keyIdOf(key) {
  if (key.length < 4 || key.length > 8) return -1;
  const id = (key[0] << 24 | key[1] << 16 | key[2] << 8 | key[3]) >>> 0;
  const filler = keyFiller(id);
  const extra = filler % 5;
  if (key.length !== 4 + extra) return -1;
  for (let i = 0; i < extra; i++) if (key[4 + i] !== (filler >>> (8 * i) & 0xff)) return -1;
  return id;
}

function checksum(writer, op, key) {
  return mix32(mix32(writer * 0x10001 + op) ^ Math.imul(key, 0x2545_f491));
}

function put32(b, at, x) {
  b[at] = x;
  b[at + 1] = x >>> 8;
  b[at + 2] = x >>> 16;
  b[at + 3] = x >>> 24;
}

function get32(b, at) {
  return (b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24) >>> 0;
}

/** Length of the value `writer` writes with op `op` on key `key`. */
export function valueLength(writer, op, key) {
  return 16 + checksum(writer, op, key) % 13;
}

/** Encodes values into one reusable buffer. */
export class ValueCodec {
  #buffer = new Uint8Array(28);

  /** The value `writer` writes with op `op` on key `key`; valid until the next call. */
  value(writer, op, key) {
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
 * The value id held by `value`, checked against its checksum and the key it
 * was read under; {@link CORRUPT} if anything is off.
 */
export function decodeValue(value, key) {
  if (value.length < 16) return CORRUPT;
  const writer = get32(value, 0);
  const op = get32(value, 4);
  const sum = checksum(writer, op, key);
  if (get32(value, 8) !== key >>> 0 || get32(value, 12) !== sum) return CORRUPT;
  if (op >= MAX_OPS || writer >= 1 << (32 - OP_BITS)) return CORRUPT;
  const extra = sum % 13;
  if (value.length !== 16 + extra) return CORRUPT;
  for (let i = 0; i < extra; i++) if (value[16 + i] !== ((sum + i) & 0xff)) return CORRUPT;
  return valueId(writer, op);
}

/** The model state an entry (`{ key, value, isTombstone }`) of key `id` reads as. */
export function stateOfEntry(entry, id) {
  if (entry.isTombstone) return entry.value.length === 0 ? TOMBSTONE : CORRUPT;
  return decodeValue(entry.value, id);
}
