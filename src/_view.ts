/**
 * Reads of one list as of one snapshot bound: what the live list, a frozen
 * memtable and a snapshot have in common. The live list and a frozen
 * memtable read at {@link LATEST}; a snapshot at the clock value it took.
 *
 * @module
 */

import { checkKey, collect } from "./_args.ts";
import { compareAcross } from "./_keys.ts";
import type { Bound } from "./_range_options.ts";
import type { ListCore } from "./_core.ts";
import { AT_OR_BELOW } from "./_search.ts";
import { LATEST } from "./_versions.ts";
import type { Entry } from "./entry.ts";

/** The value `get` returns for a tombstone. */
const EMPTY = new Uint8Array(0);

/** A list seen at one bound. */
export class View {
  readonly core: ListCore;
  /** Versions stamped below this are visible. */
  readonly bound: number;

  constructor(core: ListCore, bound: number = LATEST) {
    this.core = core;
    this.bound = bound;
  }

  /** Throws the `TypeError` of a call to `method` if the instance was released. */
  check(method: string): void {
    this.core.lease.check(method);
  }

  /** The visible version of `key`'s node, or 0 (absent, or newer than the bound). */
  #versionOf(method: string, key: unknown): number {
    this.check(method);
    const core = this.core;
    const probe = core.probe;
    probe.set(checkKey(method, key));
    const node = core.find(probe);
    return node === 0 ? 0 : core.versionAt(node, this.bound);
  }

  get(key: Uint8Array): [value: Uint8Array, tombstone: boolean] | undefined {
    const version = this.#versionOf("get", key);
    if (version === 0) return undefined;
    const value = this.core.valueOf(version);
    return value === null ? [EMPTY, true] : [value, false];
  }

  getLive(key: Uint8Array, method = "getLive"): Uint8Array | undefined {
    const version = this.#versionOf(method, key);
    return version === 0 ? undefined : this.core.valueOf(version) ?? undefined;
  }

  containsKey(key: Uint8Array): boolean {
    const version = this.#versionOf("containsKey", key);
    return version !== 0 && !this.core.isTombstone(version);
  }

  getMany(keys: Iterable<Uint8Array>): (Uint8Array | undefined)[] {
    this.check("getMany");
    const all = collect<Uint8Array>("getMany", keys, "keys");
    all.forEach((key, index) => checkKey("getMany", key, `keys[${index}]`));
    return all.map((key) => this.getLive(key, "getMany"));
  }

  /** The entry of `node` at `version`. */
  entry(node: number, version: number): Entry {
    const core = this.core;
    const value = core.valueOf(version);
    return value === null
      ? { key: core.keyOf(node), value: EMPTY, isTombstone: true }
      : { key: core.keyOf(node), value, isTombstone: false };
  }

  /** The visible version of `node` (0 = none), or 0 when it is newer than the bound. */
  versionAt(node: number): number {
    return this.core.versionAt(node, this.bound);
  }

  /** The first node (visible or not) whose key is `>= target`, or 0. */
  seek(method: string, target: unknown): number {
    this.check(method);
    const core = this.core;
    core.probe.set(checkKey(method, target, "target"));
    return core.seek(core.probe);
  }

  /**
   * As {@link View.seek}, for a bound already checked by the caller (a range
   * bound may be longer than any key).
   */
  seekBound(bound: Bound): number {
    const core = this.core;
    core.probe.setStored(bound.words, bound.offset, bound.byteLength);
    return core.seek(core.probe);
  }

  /**
   * The last node (visible or not) whose key is `<= target`, or 0 when none
   * is. Visibility is the caller's: a reverse step from an invisible node
   * goes on below it.
   */
  lastAtOrBelow(method: string, target: unknown): number {
    this.check(method);
    this.core.probe.set(checkKey(method, target, "target"));
    return this.#lastAtOrBelowProbe();
  }

  /** As {@link View.lastAtOrBelow}, for a bound already checked by the caller. */
  lastAtOrBelowBound(bound: Bound): number {
    this.core.probe.setStored(bound.words, bound.offset, bound.byteLength);
    return this.#lastAtOrBelowProbe();
  }

  #lastAtOrBelowProbe(): number {
    const core = this.core;
    const node = core.descend(core.probe, AT_OR_BELOW, 0);
    return node === core.head ? 0 : node;
  }

  /** Whether `version` (visible at some node) is a tombstone. */
  isTombstone(version: number): boolean {
    return this.core.isTombstone(version);
  }

  /** Negative, 0 or positive as `bound` sorts before, at or after `node`'s key. */
  compareBound(bound: Bound, node: number): number {
    const core = this.core;
    const keyWord = core.keyWordOf(node);
    return compareAcross(
      bound.words,
      bound.offset,
      bound.byteLength,
      core.links.node(node),
      keyWord,
      core.keyLengthOf(node),
    );
  }

  /**
   * Negative, 0 or positive as `node`'s key sorts before, at or after the key
   * of `otherNode` in `other` (possibly another list).
   */
  compareKeys(node: number, other: View, otherNode: number): number {
    const core = this.core;
    const otherCore = other.core;
    const keyWord = core.keyWordOf(node);
    const otherKeyWord = otherCore.keyWordOf(otherNode);
    return compareAcross(
      core.links.node(node),
      keyWord,
      core.keyLengthOf(node),
      otherCore.links.node(otherNode),
      otherKeyWord,
      otherCore.keyLengthOf(otherNode),
    );
  }
}
