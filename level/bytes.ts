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

/**
 * A plain copy of bytes the list returned. The list's keys and values are
 * views of its shared memory, valid until the store is closed (the list is
 * released then) and visible to every worker; a level user gets a copy in
 * an ordinary `ArrayBuffer`, which outlives the store and which every Web
 * API accepts. `slice()` of a view on a `SharedArrayBuffer` makes exactly that.
 */
export function copyOut(view: Uint8Array): Uint8Array {
  return view.slice();
}
