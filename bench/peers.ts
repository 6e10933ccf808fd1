/**
 * One adapter per structure, so that every structure does the same work:
 * the same `Uint8Array` keys and values, the same unsigned lexicographic
 * order, the same operations through each structure's fastest public API.
 *
 * Every measured loop lives inside its adapter (one function per structure
 * and operation), so each call site stays monomorphic: the benchmark harness
 * makes one megamorphic call per batch, never one per operation.
 *
 * Every read returns a checksum over the bytes it touched (`key[0] +
 * value[0]` per entry read, `value[0] + 1` per hit), which keeps the JIT from
 * discarding the work and lets {@link crossCheck} prove the adapters agree.
 *
 * | structure | package | insert | put (overwrite) | get | seek + next | full scan |
 * | --- | --- | --- | --- | --- | --- | --- |
 * | fastskip | this repo | `insert` (first value wins) | `put` (new version) | `getLive` | `cursorAt` + `entry`/`nextEntry` | `for … of list` / `frozen`, and `frozen.rawCursor()` |
 * | sorted-btree | `npm:sorted-btree` | `set(k, v, false)` | `set(k, v)` | `get` | `entries(target, reused)` | `forEachPair` |
 * | js-sdsl | `npm:js-sdsl` `OrderedMap` | `setElement` | `setElement` | `getElementByKey` | `lowerBound` + `pointer`/`next` | `forEach` |
 * | functional-red-black-tree | `npm:functional-red-black-tree` | `find`, then `insert` (memory-level's `_put`) | `find(k).update(v)` | `get` | `ge` + `next` | `forEach` |
 * | sonic-forest AVL | `npm:sonic-forest` `AvlMap` | `set` | `set` | `get` | `getOrNextLower` + `next` | `forEach` |
 *
 * @module
 */

import { ConcurrentSkipList, type FrozenMemtable, type SkipListOptions } from "../mod.ts";
import sortedBTree from "sorted-btree";
import { OrderedMap } from "js-sdsl";
import createRBTree from "functional-red-black-tree";
import { AvlMap } from "sonic-forest/lib/avl/AvlMap.js";
import { compareBytes } from "./keys.ts";

/**
 * sorted-btree is CommonJS with `exports.default = BTree`; Deno's default
 * import is `module.exports`, so the class is one level down.
 */
const BTreeClass = sortedBTree.default;
type BTree<K, V> = InstanceType<typeof BTreeClass<K, V>>;

/** The operations every structure offers the suite. */
export interface OrderedAdapter {
  /** Display name (also the row label of every table). */
  readonly name: string;
  /** Replaces the structure by a fresh, empty one. */
  reset(): void;
  /** Inserts `keys[i] → values[i]` for `i` in `[from, to)`; returns how many were new. */
  insertRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number;
  /** Overwrites (or adds) `keys[i] → values[i]`; returns the count of calls. */
  putRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number;
  /** Looks `keys[i]` up; returns the sum of `value[0] + 1` over the hits. */
  getRange(keys: Uint8Array[], from: number, to: number): number;
  /** For each target, the first `count` entries `>= target`; returns their checksum. */
  seekRange(targets: Uint8Array[], from: number, to: number, count: number): number;
  /** Visits every entry in order; returns the checksum. */
  scan(): number;
  /** Number of entries. */
  size(): number;
  /**
   * Gives back what the structure holds outside the JS heap, once it is no
   * longer used: fastskip releases its lists (as an engine releases each
   * flushed memtable), so the next list reuses their memory; the peers live
   * on the JS heap, which the garbage collector reuses, and do nothing.
   */
  dispose(): void;
}

/** Options of every fastskip list the suite builds (defaults, fixed seed). */
export const FASTSKIP_OPTIONS: SkipListOptions = { seed: 42 };

/** fastskip's `ConcurrentSkipList` (and, after {@link FastskipAdapter.seal}, its `FrozenMemtable`). */
export class FastskipAdapter implements OrderedAdapter {
  readonly name: string = "fastskip";
  list: ConcurrentSkipList = new ConcurrentSkipList(FASTSKIP_OPTIONS);
  frozen: FrozenMemtable | undefined;

  reset(): void {
    this.dispose();
    this.list = new ConcurrentSkipList(FASTSKIP_OPTIONS);
    this.frozen = undefined;
  }

  dispose(): void {
    this.frozen?.release(); // with the sealed list's claim, handed to it by seal()
    this.list.release();
  }

  insertRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number {
    const list = this.list;
    let stored = 0;
    for (let i = from; i < to; i++) if (list.insert(keys[i]!, values[i]!)) stored++;
    return stored;
  }

  putRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number {
    const list = this.list;
    for (let i = from; i < to; i++) list.put(keys[i]!, values[i]!);
    return to - from;
  }

  getRange(keys: Uint8Array[], from: number, to: number): number {
    const list = this.list;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const value = list.getLive(keys[i]!);
      if (value !== undefined) sum += value[0]! + 1;
    }
    return sum;
  }

  seekRange(targets: Uint8Array[], from: number, to: number, count: number): number {
    const list = this.list;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const cursor = list.cursorAt(targets[i]!);
      if (cursor === undefined) continue;
      for (let k = 0; k < count; k++) {
        const entry = cursor.entry();
        if (entry === undefined) break;
        sum += entry.key[0]! + entry.value[0]!;
        if (k + 1 < count) cursor.nextEntry();
      }
    }
    return sum;
  }

  scan(): number {
    let sum = 0;
    for (const entry of this.list) sum += entry.key[0]! + entry.value[0]!;
    return sum;
  }

  /** Seals the list (keeping the frozen memtable for {@link FastskipAdapter.scanFrozen}). */
  seal(): FrozenMemtable {
    const [frozen] = this.list.seal();
    this.frozen = frozen;
    return frozen;
  }

  /** Full scan of the frozen memtable made by {@link FastskipAdapter.seal}. */
  scanFrozen(): number {
    let sum = 0;
    for (const entry of this.frozen!) sum += entry.key[0]! + entry.value[0]!;
    return sum;
  }

  /** The same scan through `rawCursor()`, the allocation-free API meant for flushes. */
  scanFrozenRaw(): number {
    let sum = 0;
    const cursor = this.frozen!.rawCursor();
    while (cursor.nextEntry()) {
      sum += cursor.bytes[cursor.keyOffset]! + cursor.bytes[cursor.valueOffset]!;
    }
    return sum;
  }

  size(): number {
    return this.list.size;
  }
}

/** `npm:sorted-btree`: a B+ tree (default node size 32) with a comparator. */
export class SortedBTreeAdapter implements OrderedAdapter {
  readonly name: string = "sorted-btree";
  tree: BTree<Uint8Array, Uint8Array> = new BTreeClass<Uint8Array, Uint8Array>(
    undefined,
    compareBytes,
  );
  #pair: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];

  reset(): void {
    this.tree = new BTreeClass<Uint8Array, Uint8Array>(undefined, compareBytes);
  }

  insertRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number {
    const tree = this.tree;
    let stored = 0;
    for (let i = from; i < to; i++) if (tree.set(keys[i]!, values[i]!, false)) stored++;
    return stored;
  }

  putRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number {
    const tree = this.tree;
    for (let i = from; i < to; i++) tree.set(keys[i]!, values[i]!);
    return to - from;
  }

  getRange(keys: Uint8Array[], from: number, to: number): number {
    const tree = this.tree;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const value = tree.get(keys[i]!);
      if (value !== undefined) sum += value[0]! + 1;
    }
    return sum;
  }

  seekRange(targets: Uint8Array[], from: number, to: number, count: number): number {
    const tree = this.tree;
    const reused = this.#pair;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const it = tree.entries(targets[i]!, reused);
      for (let k = 0; k < count; k++) {
        const r = it.next();
        if (r.done) break;
        sum += r.value[0][0]! + r.value[1][0]!;
      }
    }
    return sum;
  }

  scan(): number {
    let sum = 0;
    this.tree.forEachPair((k, v) => {
      sum += k[0]! + v[0]!;
    });
    return sum;
  }

  size(): number {
    return this.tree.size;
  }

  dispose(): void {}
}

/** `npm:js-sdsl` `OrderedMap`: a red-black tree with a comparator. */
export class JsSdslAdapter implements OrderedAdapter {
  readonly name: string = "js-sdsl";
  map: OrderedMap<Uint8Array, Uint8Array> = new OrderedMap<Uint8Array, Uint8Array>(
    [],
    compareBytes,
  );

  reset(): void {
    this.map = new OrderedMap<Uint8Array, Uint8Array>([], compareBytes);
  }

  insertRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number {
    const map = this.map;
    const before = map.size();
    for (let i = from; i < to; i++) map.setElement(keys[i]!, values[i]!);
    return map.size() - before;
  }

  putRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number {
    const map = this.map;
    for (let i = from; i < to; i++) map.setElement(keys[i]!, values[i]!);
    return to - from;
  }

  getRange(keys: Uint8Array[], from: number, to: number): number {
    const map = this.map;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const value = map.getElementByKey(keys[i]!);
      if (value !== undefined) sum += value[0]! + 1;
    }
    return sum;
  }

  seekRange(targets: Uint8Array[], from: number, to: number, count: number): number {
    const map = this.map;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const it = map.lowerBound(targets[i]!);
      const end = map.end();
      for (let k = 0; k < count; k++) {
        if (it.equals(end)) break;
        const pair = it.pointer;
        sum += pair[0][0]! + pair[1][0]!;
        if (k + 1 < count) it.next();
      }
    }
    return sum;
  }

  scan(): number {
    let sum = 0;
    this.map.forEach((pair) => {
      sum += pair[0][0]! + pair[1][0]!;
    });
    return sum;
  }

  size(): number {
    return this.map.size();
  }

  dispose(): void {}
}

/** The iterator of `functional-red-black-tree` (the package ships no types). */
interface RBIterator<K, V> {
  readonly valid: boolean;
  readonly key: K;
  readonly value: V;
  next(): void;
  update(value: V): RBTree<K, V>;
}

/** A persistent red-black tree of `functional-red-black-tree`. */
interface RBTree<K, V> {
  readonly length: number;
  insert(key: K, value: V): RBTree<K, V>;
  get(key: K): V | undefined;
  find(key: K): RBIterator<K, V>;
  ge(key: K): RBIterator<K, V>;
  forEach(visit: (key: K, value: V) => unknown): unknown;
}

const createTree = createRBTree as unknown as <K, V>(
  compare: (a: K, b: K) => number,
) => RBTree<K, V>;

/**
 * `npm:functional-red-black-tree`: the persistent tree memory-level uses as
 * its store. Writes follow memory-level's `_put`: `find`, then `update` or
 * `insert` (the tree itself would happily hold duplicate keys).
 */
export class FunctionalRBTreeAdapter implements OrderedAdapter {
  readonly name: string = "functional-red-black-tree";
  tree: RBTree<Uint8Array, Uint8Array> = createTree<Uint8Array, Uint8Array>(compareBytes);

  reset(): void {
    this.tree = createTree<Uint8Array, Uint8Array>(compareBytes);
  }

  insertRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number {
    let tree = this.tree;
    let stored = 0;
    for (let i = from; i < to; i++) {
      const it = tree.find(keys[i]!);
      if (!it.valid) {
        tree = tree.insert(keys[i]!, values[i]!);
        stored++;
      }
    }
    this.tree = tree;
    return stored;
  }

  putRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number {
    let tree = this.tree;
    for (let i = from; i < to; i++) {
      const it = tree.find(keys[i]!);
      tree = it.valid ? it.update(values[i]!) : tree.insert(keys[i]!, values[i]!);
    }
    this.tree = tree;
    return to - from;
  }

  getRange(keys: Uint8Array[], from: number, to: number): number {
    const tree = this.tree;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const value = tree.get(keys[i]!);
      if (value !== undefined) sum += value[0]! + 1;
    }
    return sum;
  }

  seekRange(targets: Uint8Array[], from: number, to: number, count: number): number {
    const tree = this.tree;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const it = tree.ge(targets[i]!);
      for (let k = 0; k < count; k++) {
        if (!it.valid) break;
        sum += it.key[0]! + it.value[0]!;
        if (k + 1 < count) it.next();
      }
    }
    return sum;
  }

  scan(): number {
    let sum = 0;
    this.tree.forEach((k, v) => {
      sum += k[0]! + v[0]!;
    });
    return sum;
  }

  size(): number {
    return this.tree.length;
  }

  dispose(): void {}
}

/** A node of sonic-forest's maps. */
interface SonicNode {
  readonly k: Uint8Array;
  v: Uint8Array;
}

/** `npm:sonic-forest` `AvlMap`: an AVL tree with parent links and a comparator. */
export class SonicForestAvlAdapter implements OrderedAdapter {
  readonly name: string = "sonic-forest AVL";
  map: InstanceType<typeof AvlMap<Uint8Array, Uint8Array>> = new AvlMap<Uint8Array, Uint8Array>(
    compareBytes,
  );

  reset(): void {
    this.map = new AvlMap<Uint8Array, Uint8Array>(compareBytes);
  }

  insertRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number {
    const map = this.map;
    const before = map.size();
    for (let i = from; i < to; i++) map.set(keys[i]!, values[i]!);
    return map.size() - before;
  }

  putRange(keys: Uint8Array[], values: Uint8Array[], from: number, to: number): number {
    const map = this.map;
    for (let i = from; i < to; i++) map.set(keys[i]!, values[i]!);
    return to - from;
  }

  getRange(keys: Uint8Array[], from: number, to: number): number {
    const map = this.map;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const value = map.get(keys[i]!);
      if (value !== undefined) sum += value[0]! + 1;
    }
    return sum;
  }

  seekRange(targets: Uint8Array[], from: number, to: number, count: number): number {
    const map = this.map;
    const next = map.next;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const target = targets[i]!;
      // Lower bound from the public floor search: the floor itself if equal, else its successor.
      const floor = map.getOrNextLower(target) as SonicNode | undefined;
      let node: SonicNode | undefined = floor === undefined
        ? map.first() as SonicNode | undefined
        : compareBytes(floor.k, target) === 0
        ? floor
        : next(floor as never) as SonicNode | undefined;
      for (let k = 0; k < count && node !== undefined; k++) {
        sum += node.k[0]! + node.v[0]!;
        if (k + 1 < count) node = next(node as never) as SonicNode | undefined;
      }
    }
    return sum;
  }

  scan(): number {
    let sum = 0;
    this.map.forEach((node) => {
      sum += node.k[0]! + node.v[0]!;
    });
    return sum;
  }

  size(): number {
    return this.map.size();
  }

  dispose(): void {}
}

/** Every structure, fastskip first. */
export function allAdapters(): OrderedAdapter[] {
  return [
    new FastskipAdapter(),
    new SortedBTreeAdapter(),
    new JsSdslAdapter(),
    new FunctionalRBTreeAdapter(),
    new SonicForestAvlAdapter(),
  ];
}

/**
 * Builds every adapter over the same small data and checks that every
 * operation returns the same checksum everywhere (same work, same answers).
 * Throws naming the first disagreement.
 */
export function crossCheck(
  keys: Uint8Array[],
  values: Uint8Array[],
  probes: Uint8Array[],
  misses: Uint8Array[],
  seeks: Uint8Array[],
  putValues: Uint8Array[],
): Record<string, number> {
  const adapters = allAdapters();
  const results: Record<string, number>[] = [];
  for (const adapter of adapters) {
    const r: Record<string, number> = {};
    r.inserted = adapter.insertRange(keys, values, 0, keys.length);
    r.duplicates = adapter.insertRange(keys, values, 0, Math.min(100, keys.length));
    r.size = adapter.size();
    r.hits = adapter.getRange(probes, 0, probes.length);
    r.misses = adapter.getRange(misses, 0, misses.length);
    r.seek = adapter.seekRange(seeks, 0, seeks.length, 10);
    r.scan = adapter.scan();
    adapter.putRange(keys, putValues, 0, keys.length);
    r.afterPut = adapter.getRange(probes, 0, probes.length);
    r.scanAfterPut = adapter.scan();
    if (adapter instanceof FastskipAdapter) {
      adapter.seal();
      r.frozenScan = adapter.scanFrozen();
      if (r.frozenScan !== r.scanAfterPut) {
        throw new Error(
          `crossCheck: fastskip frozen scan ${r.frozenScan} != live ${r.scanAfterPut}`,
        );
      }
      delete r.frozenScan;
    }
    results.push(r);
  }
  // allAdapters() is never empty and results[i] belongs to adapters[i]: fastskip's row is the
  // reference.
  const reference = results[0]!;
  for (let i = 1; i < results.length; i++) {
    const result = results[i]!;
    for (const [field, expected] of Object.entries(reference)) {
      if (result[field] !== expected) {
        throw new Error(
          `crossCheck: ${adapters[i]!.name} gives ${field} = ${result[field]}, ` +
            `${adapters[0]!.name} gives ${expected}`,
        );
      }
    }
  }
  return reference;
}
