/**
 * Key order and the probe: the key a search is looking for, copied once per
 * operation into private memory so that every comparison is a loop over
 * 32-bit words with no allocation.
 *
 * Keys sort by unsigned bytes, a proper prefix first. Both the stored key and
 * the probe are zero-padded to a whole word, so on a little-endian host two
 * words are equal exactly when their four bytes are; only the first differing
 * word is byte-swapped to big-endian to decide the order. Zero padding sorts
 * below every byte, and equal padded words fall back to the byte lengths,
 * which makes `"a" < "a\0"` come out right.
 *
 * @module
 */

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error("fastskip needs a little-endian host: stored keys are compared as LE words");
}

/** Flips a big-endian word's order from unsigned to signed. */
const SIGN_BIT = 0x8000_0000 | 0;

/**
 * The four bytes of a key word read big-endian, with the sign bit flipped so
 * that comparing two results as signed numbers compares the bytes unsigned.
 * It orders two differing key words, and of a key's first word (0 for an
 * empty key) it makes the key's bound, the word stored beside each link that
 * leads to the key (invariant 9 of `_layout.ts`). Keys are zero-padded, so
 * when two keys' bounds differ the keys sort the same way (a key shorter
 * than four bytes pads with zeros, below every byte); equal bounds say
 * nothing, and the keys must be compared.
 */
export function keyBound(firstWord: number): number {
  return ((firstWord & 0xff) << 24 | (firstWord & 0xff00) << 8 | (firstWord >>> 8) & 0xff00 |
    firstWord >>> 24) ^ SIGN_BIT;
}

/** The bound of the stored key at `keyWord` of `keyByteLength` bytes. */
export function storedKeyBound(i32: Int32Array, keyWord: number, keyByteLength: number): number {
  return keyBound(keyByteLength === 0 ? 0 : i32[keyWord]!);
}

/**
 * Longest copy done by a byte loop: `TypedArray.prototype.set` is a builtin
 * call whose fixed cost (tens of ns) outweighs a loop over a short key or value.
 */
const SHORT_COPY_BYTES = 64;

/** Copies all of `from` into `to` at byte `at`: a loop when short, `set` when long. */
export function copyBytes(from: Uint8Array, to: Uint8Array, at: number): void {
  const byteLength = from.byteLength;
  if (byteLength > SHORT_COPY_BYTES) {
    to.set(from, at);
    return;
  }
  for (let i = 0; i < byteLength; i++) to[at + i] = from[i]!;
}

/** A key held in private memory as zero-padded words. */
export class Probe {
  words: Int32Array = new Int32Array(16);
  bytes: Uint8Array = new Uint8Array(this.words.buffer);
  byteLength = 0;
  wordCount = 0;
  /** The key's {@link keyBound}, compared with the bounds beside links. */
  bound: number = keyBound(0);

  /** Room for `wordCount` words (out of line: the copies stay small enough to inline). */
  #grow(wordCount: number): void {
    this.words = new Int32Array(Math.max(wordCount, this.words.length * 2));
    this.bytes = new Uint8Array(this.words.buffer);
  }

  /** Copies `key` in (any view: offset and length are honoured). */
  set(key: Uint8Array): void {
    const byteLength = key.byteLength;
    const wordCount = (byteLength + 3) >>> 2;
    if (wordCount > this.words.length) this.#grow(wordCount);
    if (wordCount > 0) this.words[wordCount - 1] = 0;
    copyBytes(key, this.bytes, 0);
    this.byteLength = byteLength;
    this.wordCount = wordCount;
    this.bound = keyBound(wordCount === 0 ? 0 : this.words[0]!);
  }

  /**
   * Copies a stored key in, word by word: the arena holds keys zero-padded
   * exactly as a probe does, and they are immutable, so plain loads are
   * sound. Used to search for the key of a node already reached (a reverse
   * step) without making a view of it.
   */
  setStored(i32: Int32Array, keyWord: number, byteLength: number): void {
    const wordCount = (byteLength + 3) >>> 2;
    if (wordCount > this.words.length) this.#grow(wordCount);
    const words = this.words;
    for (let i = 0; i < wordCount; i++) words[i] = i32[keyWord + i]!;
    this.byteLength = byteLength;
    this.wordCount = wordCount;
    this.bound = keyBound(wordCount === 0 ? 0 : words[0]!);
  }
}

/**
 * Compares the probe with a stored key: negative when the probe sorts first,
 * 0 when equal, positive when it sorts after. `keyWord` is the address of the
 * key's first word in `i32`; the key is immutable, so plain loads are sound.
 */
export function compareProbe(
  probe: Probe,
  i32: Int32Array,
  keyWord: number,
  keyByteLength: number,
): number {
  const probeWords = probe.words;
  const keyWords = (keyByteLength + 3) >>> 2;
  const common = probe.wordCount < keyWords ? probe.wordCount : keyWords;
  for (let i = 0; i < common; i++) {
    const a = probeWords[i];
    const b = i32[keyWord + i];
    if (a !== b) return keyBound(a!) < keyBound(b!) ? -1 : 1;
  }
  return probe.byteLength - keyByteLength;
}

/** Compares two stored keys the same way (for structural checks, not hot paths). */
export function compareStored(
  i32: Int32Array,
  keyWordA: number,
  byteLengthA: number,
  keyWordB: number,
  byteLengthB: number,
): number {
  const common = Math.min((byteLengthA + 3) >>> 2, (byteLengthB + 3) >>> 2);
  for (let i = 0; i < common; i++) {
    const a = i32[keyWordA + i];
    const b = i32[keyWordB + i];
    if (a !== b) return keyBound(a!) < keyBound(b!) ? -1 : 1;
  }
  return byteLengthA - byteLengthB;
}

/**
 * Compares two stored keys that may lie in different lists (a merged read):
 * negative, 0 or positive as key A sorts before, at or after key B.
 */
export function compareAcross(
  i32A: Int32Array,
  keyWordA: number,
  byteLengthA: number,
  i32B: Int32Array,
  keyWordB: number,
  byteLengthB: number,
): number {
  const wordsA = (byteLengthA + 3) >>> 2;
  const wordsB = (byteLengthB + 3) >>> 2;
  const common = wordsA < wordsB ? wordsA : wordsB;
  for (let i = 0; i < common; i++) {
    const a = i32A[keyWordA + i];
    const b = i32B[keyWordB + i];
    if (a !== b) return keyBound(a!) < keyBound(b!) ? -1 : 1;
  }
  return byteLengthA - byteLengthB;
}
