/**
 * The shared-memory format of one list: where every word lives, and the rules
 * that make it safe for several agents (the main thread and Workers) to use it
 * at once. Everything else in `src/` relies on what is written here.
 *
 * ## Addresses
 *
 * A list is one growable block of shared memory (the arena: a shared
 * `WebAssembly.Memory`, whose buffers are `SharedArrayBuffer`s, or a growable
 * `SharedArrayBuffer`; `_backing.ts`). An address is the index of a 32-bit
 * word in it (byte offset / 4); address 0 is the magic word,
 * so 0 doubles as "nil" in every link. Records are word-aligned; the arena is
 * never larger than {@link FORMAT_MAX_ARENA_BYTES}, so every address is a
 * positive Int32. Byte offsets reach 2^32: compute them as `address * 4`,
 * never `address << 2`, which turns negative past 2 GiB.
 *
 * ## Control block (word addresses, one 64-byte line per group)
 *
 * | line | words | written by | contents |
 * | --- | --- | --- | --- |
 * | 0 | `MAGIC` … `MAX_ENTRIES_F64` | creator, once | format, options (immutable) |
 * | 1 | `ALLOC` | allocating writers (CAS) | bump pointer: first free word |
 * | 2 | `CLOCK` | writers and helpers (`Atomics.add`) | next commit stamp |
 * | 3 | `STATE`, `HEIGHT`, `INSTANCES`, `PARK`, `REFS`, `GENERATION`, `SHARED` | `seal()`, inserts, `attach()`, `release()` | lifecycle, list height, references |
 * | 4 | `FINAL` … `FINAL_VALUE_BYTES_F64` | a forced `seal()`, once | statistics recounted from the records |
 * | 5… | one line per stripe | the agents using that stripe | in-flight writes and statistics |
 *
 * Then the head node (a node of height `MAX_HEIGHT` with an empty key that is
 * never compared), then the records allocated by writers.
 *
 * ## Node (one per distinct key)
 *
 * | word | name | mutable? |
 * | --- | --- | --- |
 * | `+0` | `NODE_HEADER`: `height \| keyByteLength << 4` | no |
 * | `+1` | `NODE_VERSIONS`: address of the newest version | CAS only |
 * | `+2+2·level` | {@link linkWord}: successor at `level` (0 … height-1) | CAS / store before publication |
 * | `+3+2·level` | {@link boundWord}: the successor's key bound, an upper bound (invariant 9) | store |
 * | `+2+2·height …` | key bytes, zero-padded to a word | no |
 *
 * Each level's link and bound are adjacent, so the bound is on the line the
 * search has just read the link from.
 *
 * ## Version (one per insert, put or delete of a key)
 *
 * | word | name | mutable? |
 * | --- | --- | --- |
 * | `+0` | `VERSION_STAMP`: commit stamp, `PENDING` until resolved | CAS once, PENDING → stamp |
 * | `+1` | `VERSION_OLDER`: the version it replaced, or −(its node) if first | no |
 * | `+2` | `VERSION_VALUE_LENGTH`: value byte length, or `TOMBSTONE` | no |
 * | `+3 …` | value bytes, zero-padded to a word | no |
 *
 * An insert allocates its node and its first version in one block (the version
 * right after the key), so a lookup usually finds the value on the key's line.
 *
 * ## Invariants
 *
 * 1. Memory is never freed or reused while the list has an unreleased
 *    instance: an address, once published, names the same immutable contents
 *    until every instance in every agent is released (invariant 7). A returned
 *    view of a key or value stays valid and unchanged until then.
 * 2. A record is written with plain stores while it is private, then published
 *    by one `Atomics.compareExchange` on a link word (`NODE_NEXT`,
 *    `NODE_VERSIONS`). Sequentially consistent atomics order those plain stores
 *    before the publishing CAS, so an agent that reads the link with
 *    `Atomics.load` sees the record fully written.
 * 3. Mutable words (links, stamps, every control word but line 0) are touched
 *    only through `Atomics`. Immutable words are read with plain loads.
 * 4. A node is linked bottom-up: level 0 first, level i+1 only after level i,
 *    so every level is a sublist of the one below, and a node met at any
 *    level is already in level 0.
 * 5. Stamps are set once. A version chain is strictly decreasing in stamp from
 *    the head, because a writer resolves the head's stamp before prepending.
 * 6. Once `STATE` is `STATE_FROZEN`, no word of the buffer changes again except
 *    a `PENDING` stamp left by a writer that died mid-write: the first agent
 *    that meets it commits it (through `Atomics`), with the statistics that
 *    version adds. A forced seal commits them all, and recounts the
 *    statistics from the records into line 4 (`FINAL`), before it stores
 *    `STATE_FROZEN`; `FINAL` then answers every statistic, so an accounting
 *    that a killed agent never finished cannot leave them short.
 * 7. `REFS` counts the unreleased instances of the list over all agents
 *    (checked by `models/reuse.pml`). An instance marks itself released
 *    before it decrements `REFS`, and never reads the buffer afterwards.
 *    `attach()` takes its reference only while `REFS > 0` (CAS), and only
 *    then compares `GENERATION` with its handle's, so an attach either holds
 *    the list its handle was made for or fails. A buffer is reused only by
 *    the agent whose CAS moves `REFS` from 0 to `RECYCLING`; it bumps
 *    `GENERATION` before it rewrites anything and publishes the new list
 *    with `REFS = 1` last. Records of the new list are not zeroed first:
 *    every word of a record is written before the CAS that publishes it
 *    (invariant 2), and no word past `ALLOC` is read.
 * 8. A list is private to the agent that made it until `share()` stores
 *    `SHARED = 1` (checked by `models/shared.pml`). `attach()` loads `SHARED`
 *    before it takes a reference and refuses the buffer while it is 0, so no
 *    other agent reads or writes a private list: its maker may touch its
 *    mutable words (links, version heads, stamps, counters) with plain loads
 *    and stores (`LocalLinks`, the bump pointer included; the seal stays atomic),
 *    and switches to `Atomics` in the same call that sets `SHARED`, before
 *    any handle exists. The store of `SHARED` also publishes every plain write made
 *    before it to the agent whose attach observes it.
 * 9. Bounds (checked by `models/link_bounds.pml`): beside every link word is
 *    the bound of the key it leads to, its first four bytes read big-endian
 *    (`keyBound` in `_keys.ts`). A bound is never below the bound of the
 *    node its link leads to; in a private list (invariant 8) it is equal.
 *    A writer gives its node, at each level, the exact bound of the
 *    successor before the CAS that links it there, and after the CAS stores
 *    its own key's bound into the predecessor's bound word. Links only ever
 *    move to smaller keys (nodes are never unlinked), so a bound stored late
 *    or never (a writer killed after its CAS) is still above the
 *    successor's: never below it. A search may therefore move past a
 *    successor whose bound is below the probe's without reading it, and in
 *    a private or frozen list go down a level when the probe's bound is
 *    below it (a lookup that goes down early finds the same node; an insert
 *    splice needs the exact bounds of a private list). A live shared list's
 *    searches ignore bounds: reading them would cost an `Atomics.load` each.
 *    A check that runs beside writers reads a bound before its link: the
 *    link read later leads to a key no larger, so the bound still holds.
 *
 * @module
 */

/** Marks a buffer as a fastskip arena ("fskp" in ASCII, little-endian). */
export const MAGIC_VALUE = 0x706b7366;
/** Bumped whenever this layout changes; `attach` refuses other versions. */
export const FORMAT_VERSION = 5;

/** Largest arena: word addresses stay below 2^30, positive in an Int32. */
export const FORMAT_MAX_ARENA_BYTES = 0x1_0000_0000 - 0x1_0000;
/** Largest key: its byte length must fit the 27 bits `NODE_HEADER` leaves beside the height. */
export const MAX_KEY_BYTES = 0x7ff_ffff;
/** Largest value: its byte length must fit `VERSION_VALUE_LENGTH` (a signed word). */
export const MAX_VALUE_BYTES = 0x7fff_ffff;

/**
 * Tallest tower. A tower rises one more level with probability 1/2
 * (`ListWriter`'s random heights), so 24 levels index 2^24 = 16 M keys well.
 *
 * Why 1/2 and not LevelDB's and RocksDB's 1/4: a search decides most steps
 * on the bound beside a link (invariant 9), so the nodes it only looks past
 * cost nothing, and the cache lines it touches are those of the nodes it
 * moves forward to: (1 - p) / p per level over log_{1/p}(n) levels, that is
 * 1.44 ln n at p = 1/2 against 2.16 ln n at p = 1/4, a third fewer. The
 * price is 2 levels per node on average instead of 1.33 (5.3 bytes more).
 */
export const MAX_HEIGHT = 24;

/** Words in one 64-byte cache line: hot control words sit on lines of their own. */
export const LINE_WORDS = 16;

// ---- control block, line 0: written once by the creator, then immutable ----
export const MAGIC = 0;
export const FORMAT = 1;
/** Number of statistics stripes (a power of two). */
export const STRIPE_COUNT = 2;
/** Seed the tower heights of every attached instance derive from. */
export const SEED = 3;
/** The `shards` option, kept to be reported back and copied by `seal()`. */
export const SHARDS = 4;
/**
 * Float64 options, as word indexes (8-aligned: byte offset = 4 × index):
 * float64 slot n of the line is the pair of words at `2 * n`.
 */
export const ARENA_BYTES_F64 = 2 * 3;
export const MAX_ARENA_BYTES_F64 = 2 * 4;
export const MAX_MEMORY_BYTES_F64 = 2 * 5;
export const MAX_ENTRIES_F64 = 2 * 6;

// ---- control block, lines 1–3: mutable, Atomics only ----
/** First free word of the arena. Advanced by CAS, never past the capacity. */
export const ALLOC = 1 * LINE_WORDS;
/** Next commit stamp to hand out. A snapshot is one load of it. */
export const CLOCK = 2 * LINE_WORDS;
/** Lifecycle: `STATE_OPEN`, then `STATE_SEALING`, then `STATE_FROZEN`. */
export const STATE = 3 * LINE_WORDS;
/** Number of levels in use (1 … MAX_HEIGHT); only ever raised. */
export const HEIGHT = STATE + 1;
/** Count of instances ever attached; picks each instance's stripe and seed. */
export const INSTANCES = STATE + 2;
/** Always 0: `seal()` sleeps on it with `Atomics.wait` between polls. */
export const PARK = STATE + 3;
/**
 * Unreleased instances over all agents (invariant 7): `> 0` in use, 0 free
 * to reuse, {@link RECYCLING} while an agent rewrites the buffer for a new list.
 */
export const REFS = STATE + 4;
/** Bumped each time the buffer starts a new list; a handle carries the one it was made for. */
export const GENERATION = STATE + 5;
/** `REFS` while an agent rewrites a released buffer for a new list: no attach gets in. */
export const RECYCLING = -1;
/**
 * 0 while the list is private to the agent that made it; 1 once `share()`
 * made a handle (invariant 8). Set once; `attach()` refuses a buffer where it is 0.
 */
export const SHARED = STATE + 6;

// ---- control block, line 4: written once, by a forced seal (invariant 6) ----
/** 0, or 1 once the statistics below were recounted from the records. */
export const FINAL = 4 * LINE_WORDS;
/**
 * Float64 slots of the recounted statistics, as word indexes (8-aligned):
 * count n (from 1) takes the pair of words at `FINAL + 2 * n`, after the flag's pair.
 */
export const FINAL_LIVE_F64 = FINAL + 2 * 1;
export const FINAL_NODES_F64 = FINAL + 2 * 2;
export const FINAL_KEY_BYTES_F64 = FINAL + 2 * 3;
export const FINAL_VALUE_VERSIONS_F64 = FINAL + 2 * 4;
export const FINAL_VALUE_BYTES_F64 = FINAL + 2 * 5;

/** Accepting writes. */
export const STATE_OPEN = 0;
/** `seal()` has begun: writes fail, the sealer waits for those in flight. */
export const STATE_SEALING = 1;
/** Sealed and drained: nothing changes any more (invariant 6). */
export const STATE_FROZEN = 2;
/** The stamp clock ran out: writes fail as out of memory; seal still works. */
export const STATE_EXHAUSTED = 3;
/** A seal gave up waiting for writes in flight: writes fail; seal may retry. */
export const STATE_STALLED = 4;

// ---- stripes: one line each, from line 5 ----
/** Word address of the first stripe. */
export const STRIPES = 5 * LINE_WORDS;
/** Writes between their announcement and their end (the seal handshake). */
export const STRIPE_INFLIGHT = 0;
/** Live keys added minus live keys removed (summed, clamped at 0, for `size`). */
export const STRIPE_LIVE = 1;
/** Nodes linked (distinct keys stored, live or tombstoned). */
export const STRIPE_NODES = 2;
/** Insert-family calls that reached the list (`totalInserts`). */
export const STRIPE_INSERTS = 3;
/** Key bytes of the nodes linked (unsigned: read with `>>> 0`). */
export const STRIPE_KEY_BYTES = 4;
/** Value bytes of the value versions linked (unsigned). */
export const STRIPE_VALUE_BYTES = 5;
/** Value versions linked (tombstones excluded). */
export const STRIPE_VALUE_VERSIONS = 6;
/** Most stripes a list may have; more would only slow the summing reads. */
export const MAX_STRIPES = 64;

// ---- node ----
export const NODE_HEADER = 0;
export const NODE_VERSIONS = 1;
/** First word of the tower: level `l`'s link is at `NODE_NEXT + LEVEL_WORDS * l`. */
export const NODE_NEXT = 2;
/** Words per level of a tower: the link, then its bound. */
export const LEVEL_WORDS = 2;
/** Offset of a level's bound word from its link word. */
export const LINK_BOUND = 1;
/** The bound stored beside a nil link (never read: a nil link ends the level first). */
export const NIL_BOUND = 0x7fff_ffff;
/**
 * Bits of `NODE_HEADER` holding the height (1 … MAX_HEIGHT); the key's byte
 * length fills the other 27 and is read unsigned (it may set the top bit).
 */
export const HEIGHT_BITS = 5;
export const HEIGHT_MASK = (1 << HEIGHT_BITS) - 1;

// ---- version ----
export const VERSION_STAMP = 0;
/**
 * The version this one replaced; for a node's first version, minus the node's
 * address (so a chain ends at a value <= 0, and whoever commits a first
 * version can count its key).
 */
export const VERSION_OLDER = 1;
export const VERSION_VALUE_LENGTH = 2;
export const VERSION_VALUE = 3;
/** `VERSION_VALUE_LENGTH` of a tombstone. */
export const TOMBSTONE = -1;
/** The stamp of a version not yet committed; compares above every snapshot. */
export const PENDING = 0x7fff_ffff;
/** First stamp handed out; a snapshot taken on a new list is `FIRST_STAMP`. */
export const FIRST_STAMP = 1;
/**
 * Stamps stop being handed out here (writes fail as out of memory), so that a
 * stamp can never reach `PENDING`. A 4 GiB arena holds under 2^28 versions.
 */
export const LAST_STAMP = PENDING - 0x100_0000;

/** Words taken by a key or value of `byteLength` bytes, padding included. */
export function wordsFor(byteLength: number): number {
  return (byteLength + 3) >>> 2;
}

/** Word address of the head node, right after the stripes. */
export function headAddress(stripeCount: number): number {
  return STRIPES + stripeCount * LINE_WORDS;
}

/** First word writers may allocate: the end of the head node, line-aligned. */
export function firstFreeWord(stripeCount: number): number {
  const headEnd = headAddress(stripeCount) + NODE_NEXT + LEVEL_WORDS * MAX_HEIGHT;
  return Math.ceil(headEnd / LINE_WORDS) * LINE_WORDS;
}

/** Words of a node of `height` levels with a key of `keyByteLength` bytes. */
export function nodeWords(height: number, keyByteLength: number): number {
  return NODE_NEXT + LEVEL_WORDS * height + wordsFor(keyByteLength);
}

/** Word address of `node`'s link at `level`. */
export function linkWord(node: number, level: number): number {
  return node + NODE_NEXT + LEVEL_WORDS * level;
}

/** Word address of the bound beside `node`'s link at `level` (invariant 9). */
export function boundWord(node: number, level: number): number {
  return node + NODE_NEXT + LEVEL_WORDS * level + LINK_BOUND;
}

/** Words of a version with a value of `valueByteLength` bytes (-1: tombstone). */
export function versionWords(valueByteLength: number): number {
  return VERSION_VALUE + (valueByteLength < 0 ? 0 : wordsFor(valueByteLength));
}

/**
 * The largest arena block one write can take: a node of full height with its
 * first version. Callers can multiply it to reserve room for a batch.
 */
export function worstCaseEntryBytes(keyByteLength: number, valueByteLength: number): number {
  return 4 * (nodeWords(MAX_HEIGHT, keyByteLength) + versionWords(valueByteLength));
}
