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

let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

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
  if (length > POOLED_MAX) {
    const own = new Uint8Array(length);
    own.set(view);
    return own;
  }
  if (slabUsed + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const at = slabUsed;
  slab.set(view, at);
  slabUsed = at + length;
  return slab.subarray(at, at + length);
}
