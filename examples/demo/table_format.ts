/**
 * The demo's sorted table format: what a flushed memtable looks like on disk.
 *
 * Pure encode/decode over bytes (no file access), so the flusher worker, the
 * final verification and `examples/lsm_lifecycle.ts` share one definition.
 *
 * ```
 * table file, all integers little-endian
 * ┌────────────────────────────────────────────────────────────────────────┐
 * │ header   8 B   magic "FSKT" │ u32 format version (1)                   │
 * ├────────────────────────────────────────────────────────────────────────┤
 * │ records  one per key, keys strictly ascending (unsigned bytes):        │
 * │          u8 kind (0 = value, 1 = tombstone) │ u32 keyLength │          │
 * │          u32 valueLength (0 for a tombstone) │ key │ value             │
 * ├────────────────────────────────────────────────────────────────────────┤
 * │ index    one entry per block of INDEX_INTERVAL records, for the        │
 * │          block's first record: u32 recordOffset │ u32 keyLength │ key  │
 * ├────────────────────────────────────────────────────────────────────────┤
 * │ footer  20 B   u32 indexOffset │ u32 indexCount │ u32 recordCount │    │
 * │                u32 checksum (FNV-1a of bytes [0, footer)) │ "FSKT"     │
 * └────────────────────────────────────────────────────────────────────────┘
 * ```
 *
 * Why this shape: a memtable iterates in key order with one entry per key
 * (its newest version), so a flush is a single sequential write. Tombstones
 * are kept because a newer table's tombstone must shadow an older table's
 * value. The sparse index lets a point lookup binary-search the block and
 * scan at most INDEX_INTERVAL records, without decoding the whole file. The
 * footer sits at the end so the writer never seeks back; the checksum
 * catches a torn or truncated file.
 *
 * @module
 */

/** One record of a table: a value or a tombstone (whose value is empty). */
export interface TableRecord {
  key: Uint8Array;
  value: Uint8Array;
  isTombstone: boolean;
}

/** Records per index block: a lookup scans at most this many. */
export const INDEX_INTERVAL = 16;

const MAGIC = 0x544b5346; // "FSKT" read as a little-endian u32
const VERSION = 1;
const HEADER_BYTES = 8;
const FOOTER_BYTES = 20;
const RECORD_HEADER_BYTES = 9; // kind + keyLength + valueLength
const INDEX_HEADER_BYTES = 8; // recordOffset + keyLength

/** Unsigned-byte order, a proper prefix first: the skip list's key order. */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** FNV-1a, 32 bits: enough to catch a torn write, trivial to reimplement. */
function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Encodes records, which must come in strictly ascending key order (as a
 * memtable iterates), into one table. Keys and values are copied, so they may
 * be views of shared memory.
 */
export function encodeTable(records: readonly TableRecord[]): Uint8Array {
  let size = HEADER_BYTES + FOOTER_BYTES;
  for (let i = 0; i < records.length; i++) {
    const { key, value, isTombstone } = records[i]!;
    if (i > 0 && compareKeys(records[i - 1]!.key, key) >= 0) {
      throw new RangeError(`Cannot encode table: record ${i} is not in ascending key order`);
    }
    size += RECORD_HEADER_BYTES + key.length + (isTombstone ? 0 : value.length);
    if (i % INDEX_INTERVAL === 0) size += INDEX_HEADER_BYTES + key.length;
  }
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);

  let at = HEADER_BYTES;
  const blockOffsets: number[] = [];
  for (let i = 0; i < records.length; i++) {
    const { key, value, isTombstone } = records[i]!;
    if (i % INDEX_INTERVAL === 0) blockOffsets.push(at);
    const valueLength = isTombstone ? 0 : value.length;
    view.setUint8(at, isTombstone ? 1 : 0);
    view.setUint32(at + 1, key.length, true);
    view.setUint32(at + 5, valueLength, true);
    bytes.set(key, at + RECORD_HEADER_BYTES);
    if (!isTombstone) bytes.set(value, at + RECORD_HEADER_BYTES + key.length);
    at += RECORD_HEADER_BYTES + key.length + valueLength;
  }

  const indexOffset = at;
  for (let b = 0; b < blockOffsets.length; b++) {
    const key = records[b * INDEX_INTERVAL]!.key; // block b starts at that record
    view.setUint32(at, blockOffsets[b]!, true);
    view.setUint32(at + 4, key.length, true);
    bytes.set(key, at + INDEX_HEADER_BYTES);
    at += INDEX_HEADER_BYTES + key.length;
  }

  view.setUint32(at, indexOffset, true);
  view.setUint32(at + 4, blockOffsets.length, true);
  view.setUint32(at + 8, records.length, true);
  view.setUint32(at + 12, fnv1a(bytes.subarray(0, at)), true);
  view.setUint32(at + 16, MAGIC, true);
  return bytes;
}

/**
 * A decoded table: iterate it in key order, or look a key up through the
 * sparse index. Construction checks magic, version, checksum, bounds and key
 * order, and throws a `RangeError` naming the first problem.
 */
export class Table implements Iterable<TableRecord> {
  readonly recordCount: number;
  #bytes: Uint8Array;
  #view: DataView;
  #indexOffset: number;
  /** Offset of each index block's first record, and that record's key. */
  #blocks: { offset: number; key: Uint8Array }[] = [];

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const view = this.#view;
    const fail = (why: string): never => {
      throw new RangeError(`Cannot read table: ${why}`);
    };
    if (bytes.length < HEADER_BYTES + FOOTER_BYTES) fail(`${bytes.length} bytes is too short`);
    const footer = bytes.length - FOOTER_BYTES;
    if (view.getUint32(0, true) !== MAGIC || view.getUint32(footer + 16, true) !== MAGIC) {
      fail("bad magic (not a table, or truncated)");
    }
    if (view.getUint32(4, true) !== VERSION) fail(`unknown version ${view.getUint32(4, true)}`);
    if (view.getUint32(footer + 12, true) !== fnv1a(bytes.subarray(0, footer))) {
      fail("checksum mismatch (torn or corrupted file)");
    }
    this.#indexOffset = view.getUint32(footer, true);
    const indexCount = view.getUint32(footer + 4, true);
    this.recordCount = view.getUint32(footer + 8, true);
    if (this.#indexOffset < HEADER_BYTES || this.#indexOffset > footer) fail("bad index offset");

    let at = this.#indexOffset;
    for (let b = 0; b < indexCount; b++) {
      if (at + INDEX_HEADER_BYTES > footer) fail(`index entry ${b} runs past the footer`);
      const offset = view.getUint32(at, true);
      const keyLength = view.getUint32(at + 4, true);
      at += INDEX_HEADER_BYTES;
      if (at + keyLength > footer) fail(`index entry ${b} runs past the footer`);
      this.#blocks.push({ offset, key: bytes.subarray(at, at + keyLength) });
      at += keyLength;
    }
    if (at !== footer) fail("index does not end at the footer");
    // One full pass checks record bounds, order, count and index agreement.
    let count = 0;
    let previous: Uint8Array | undefined;
    for (const { record, offset } of this.#records(HEADER_BYTES)) {
      if (previous !== undefined && compareKeys(previous, record.key) >= 0) {
        fail(`record ${count} is out of key order`);
      }
      if (count % INDEX_INTERVAL === 0) {
        const block = this.#blocks[count / INDEX_INTERVAL];
        if (block?.offset !== offset || compareKeys(block.key, record.key) !== 0) {
          fail(`index block ${count / INDEX_INTERVAL} does not match record ${count}`);
        }
      }
      previous = record.key;
      count++;
    }
    if (count !== this.recordCount) fail(`footer says ${this.recordCount} records, found ${count}`);
    if (this.#blocks.length !== Math.ceil(count / INDEX_INTERVAL)) fail("wrong index size");
  }

  /** Walks records from `offset` to the index; values are views of the file bytes. */
  *#records(offset: number): Generator<{ record: TableRecord; offset: number }> {
    const view = this.#view;
    const bytes = this.#bytes;
    let at = offset;
    while (at < this.#indexOffset) {
      if (at + RECORD_HEADER_BYTES > this.#indexOffset) {
        throw new RangeError(`Cannot read table: record at ${at} runs into the index`);
      }
      const kind = view.getUint8(at);
      const keyLength = view.getUint32(at + 1, true);
      const valueLength = view.getUint32(at + 5, true);
      const keyStart = at + RECORD_HEADER_BYTES;
      const end = keyStart + keyLength + valueLength;
      if (kind > 1 || end > this.#indexOffset || (kind === 1 && valueLength !== 0)) {
        throw new RangeError(`Cannot read table: bad record at ${at}`);
      }
      yield {
        offset: at,
        record: {
          key: bytes.subarray(keyStart, keyStart + keyLength),
          value: bytes.subarray(keyStart + keyLength, end),
          isTombstone: kind === 1,
        },
      };
      at = end;
    }
  }

  /** All records in key order. */
  *[Symbol.iterator](): Iterator<TableRecord> {
    for (const { record } of this.#records(HEADER_BYTES)) yield record;
  }

  /**
   * The record for `key` (value or tombstone), or `undefined` if this table
   * does not hold it: a binary search over the index, then a short scan.
   */
  get(key: Uint8Array): TableRecord | undefined {
    const blocks = this.#blocks;
    // The last block whose first key is <= key.
    let lo = 0;
    let hi = blocks.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(blocks[mid]!.key, key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return undefined;
    let scanned = 0;
    for (const { record } of this.#records(blocks[found]!.offset)) {
      const order = compareKeys(record.key, key);
      if (order === 0) return record;
      if (order > 0 || ++scanned === INDEX_INTERVAL) return undefined;
    }
    return undefined;
  }
}
