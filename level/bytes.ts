/**
 * Keys and values between abstract-level and the list: what the list takes,
 * and the copies handed back to level users.
 *
 * @module
 */

/**
 * `data` as the `Uint8Array` the list takes. abstract-level's `view` format
 * is any `ArrayBufferView` (a custom encoding may return a `DataView` or a
 * `Uint16Array`); those are viewed again as bytes, never copied.
 */
export function asBytes(data: ArrayBufferView): Uint8Array {
  return data instanceof Uint8Array
    ? data
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Bytes of each slab that small copies are carved from (Node's `Buffer` pool size). */
const SLAB_BYTES = 8192;
/** Copies up to this long come from a slab; longer ones get a buffer of their own. */
const POOLED_MAX = SLAB_BYTES / 4;
/**
 * Stored bytes up to this long are copied a word at a time by a loop;
 * longer ones by `set`, whose memcpy wins once it has enough to do (it
 * needs a view of the source first, one allocation more per copy).
 */
const WORD_COPY_MAX = 256;

let slabBuffer = new ArrayBuffer(SLAB_BYTES);
let slabBytes = new Uint8Array(slabBuffer);
let slabWords = new Int32Array(slabBuffer);
/** Bytes of the slab handed out; always a multiple of 4, so that each copy starts on a word. */
let slabUsed = 0;

/** Where in the slab a copy of `length` bytes (at most POOLED_MAX) goes; a fresh slab if it is full. */
function carve(length: number): number {
  const rounded = (length + 3) & ~3;
  if (slabUsed + rounded > SLAB_BYTES) {
    slabBuffer = new ArrayBuffer(SLAB_BYTES);
    slabBytes = new Uint8Array(slabBuffer);
    slabWords = new Int32Array(slabBuffer);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed = at + rounded;
  return at;
}

/**
 * A plain copy of bytes the list returned. The list's keys and values are
 * views of its shared memory, valid until the store is released and visible
 * to every worker; a level user gets a copy in ordinary memory, which
 * outlives the store and which every Web API accepts.
 *
 * Small copies are carved out of 8 KiB slabs, as Node carves small `Buffer`s
 * out of its pool: a fresh `ArrayBuffer` per copy costs more than the read
 * that found the bytes (V8 gives each one a separately allocated, tracked
 * backing store). So `copy.buffer` may be larger than the copy and shared
 * with other copies; `byteOffset` and `byteLength` say where it is, as for
 * a pooled `Buffer`, and writing into one copy never touches another.
 */
export function copyOut(view: Uint8Array): Uint8Array {
  const length = view.length;
  if (length > POOLED_MAX) return view.slice();
  const at = carve(length);
  slabBytes.set(view, at);
  return new Uint8Array(slabBuffer, at, length);
}

/**
 * The list's memory as a raw cursor exposes it (`RawCursor.bytes`), with a
 * word view of it for {@link copyStored}; `words` is null when the bytes do
 * not start on a word.
 */
export class StoredBytes {
  readonly bytes: Uint8Array;
  readonly words: Int32Array | null;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.words = (bytes.byteOffset & 3) === 0
      ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2)
      : null;
  }
}

/**
 * A plain copy of `stored.bytes[offset, offset + length)`, as
 * {@link copyOut} makes one, read straight from the list's memory: no view
 * of the shared memory is made for it. Keys and values start on a word
 * there, so a short one is copied a word at a time, its last 1–3 bytes
 * (if any) one by one: the copy never carries bytes beyond its end, which
 * belong to the list's record padding.
 */
export function copyStored(stored: StoredBytes, offset: number, length: number): Uint8Array {
  const bytes = stored.bytes;
  const words = stored.words;
  if (length > POOLED_MAX) return bytes.slice(offset, offset + length);
  const at = carve(length);
  if (words === null || length > WORD_COPY_MAX || (offset & 3) !== 0) {
    slabBytes.set(bytes.subarray(offset, offset + length), at);
  } else {
    const whole = length >>> 2;
    const into = slabWords;
    let from = offset >>> 2;
    let to = at >>> 2;
    const end = from + whole;
    while (from < end) into[to++] = words[from++]!;
    const tail = slabBytes;
    for (let i = whole << 2; i < length; i++) tail[at + i] = bytes[offset + i]!;
  }
  return new Uint8Array(slabBuffer, at, length);
}
