/**
 * The store behind `examples/cache_server.ts`: a cache of byte keys and
 * values in two generations of fastskip memtable.
 *
 * Memory stays bounded the way an LSM tree bounds its memtable: writes go to
 * the current list; when it reaches `memtableBytes` it is sealed and becomes
 * the previous generation, and the generation before that is dropped (its
 * entries evicted). Reads look in the current list, then the previous one;
 * a delete writes a tombstone, which is what hides the key's older value in
 * the previous generation. Reads and listings go through `mergeReaders`,
 * which reads both generations as one, the current one first.
 *
 * @module
 */

import {
  ConcurrentSkipList,
  type FrozenMemtable,
  InsertError,
  type MergedReader,
  mergeReaders,
  type RangeOptions,
  worstCaseEntryBytes,
} from "../../mod.ts";

/** Longest key the server accepts, in bytes (it sizes the arena's headroom). */
export const MAX_KEY_BYTES = 1024;

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const startsWith = (key: Uint8Array, prefix: Uint8Array) =>
  key.length >= prefix.length && prefix.every((byte, i) => key[i] === byte);

/**
 * The smallest key above every key that starts with `prefix` (drop trailing
 * 0xff bytes, add one to the last), or undefined when there is none.
 */
function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = prefix.slice(0, end);
  out[end - 1]!++;
  return out;
}

/** The two-generation store. */
export class GenerationalCache {
  readonly maxValueBytes: number;
  #current: ConcurrentSkipList;
  #previous: FrozenMemtable | undefined;
  /** Both generations as one reader, the current one first (rebuilt on rotation). */
  #both: MergedReader;
  #rotations = 0;

  constructor(memtableBytes: number, maxValueBytes: number) {
    this.maxValueBytes = maxValueBytes;
    // maxMemoryBytes is a soft limit: it refuses writes once reached, and the
    // write that crosses it may overshoot by one entry. The hard ceiling
    // leaves room for that entry, and for tombstones (never refused by the
    // soft limit), so a write into a fresh generation always fits.
    const maxArenaBytes = memtableBytes + worstCaseEntryBytes(MAX_KEY_BYTES, maxValueBytes) +
      (64 << 10);
    this.#current = new ConcurrentSkipList({
      maxMemoryBytes: memtableBytes,
      maxArenaBytes,
      arenaBytes: Math.min(1 << 20, maxArenaBytes),
    });
    this.#both = mergeReaders([this.#current]);
  }

  /** How many times a full generation was sealed (and the one before evicted). */
  get rotations(): number {
    return this.#rotations;
  }

  /** The newest version: current generation first, then the previous one. */
  get(key: Uint8Array): Uint8Array | undefined {
    return this.#both.getLive(key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#write(() => this.#current.put(key, value));
  }

  /** Whether the key was present. The tombstone shadows the previous generation. */
  delete(key: Uint8Array): boolean {
    const existed = this.get(key) !== undefined;
    this.#write(() => this.#current.tryDelete(key));
    return existed;
  }

  /**
   * Up to `limit` live entries whose key starts with `prefix` and is greater
   * than `after`, in key order, the current generation's version of a key
   * winning over the previous one's: one range over both generations.
   */
  list(
    prefix: Uint8Array,
    limit: number,
    after?: Uint8Array,
  ): { key: Uint8Array; value: Uint8Array }[] {
    // A prefix alone is a range of its own; after a page it is (after, end of prefix).
    let options: RangeOptions = { prefix, limit, tombstones: false };
    if (after !== undefined && compare(after, prefix) >= 0) {
      if (!startsWith(after, prefix)) return []; // past every key with this prefix
      const end = prefixEnd(prefix);
      options = end === undefined
        ? { gt: after, limit, tombstones: false }
        : { gt: after, lt: end, limit, tombstones: false };
    }
    return [...this.#both.range(options)];
  }

  /** Runs a write; when the generation is full, rotates once and retries. */
  #write(write: () => unknown): void {
    try {
      write();
    } catch (error) {
      if (!(error instanceof InsertError && error.kind === "OutOfMemory")) throw error;
      const sealed = this.#current;
      const [frozen, fresh] = sealed.seal();
      sealed.release(); // only this instance: the frozen memtable holds the claim now
      // The generation before is dropped here. Responses hold copies, so its
      // memory can serve a later generation at once.
      this.#previous?.release();
      this.#previous = frozen;
      this.#current = fresh;
      this.#both = mergeReaders([fresh, frozen]);
      this.#rotations++;
      write();
    }
  }
}
