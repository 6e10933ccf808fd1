/**
 * Deterministic op streams and the sequential specification of one key.
 *
 * A worker's ops are a pure function of (workload, worker id, seed), so the
 * main thread (or a reader worker) can regenerate any worker's ops to build
 * the model its results are checked against, without shipping them around.
 *
 * @module
 */

import { ABSENT, describeCode, INSERTED, TOMBSTONE, valueId } from "./codec.ts";
import { deriveSeed, Rng } from "./rng.ts";

/** What a worker can call on the list. */
export type OpName =
  | "insert"
  | "tryInsert"
  | "getOrInsert"
  | "put"
  | "delete"
  | "tryDelete"
  | "get";

/** Op codes, as stored in histories. */
export const OP_CODES: Readonly<Record<OpName, number>> = {
  insert: 0,
  tryInsert: 1,
  getOrInsert: 2,
  put: 3,
  delete: 4,
  tryDelete: 5,
  get: 6,
};

/** Op names by code. */
export const OP_NAMES: readonly OpName[] = [
  "insert",
  "tryInsert",
  "getOrInsert",
  "put",
  "delete",
  "tryDelete",
  "get",
];

/** The operations of the sequential specification (one key). */
export type SpecOp = "insert" | "getOrInsert" | "put" | "delete" | "get";

/** The specification op an API call implements. */
export function specOpOf(op: OpName): SpecOp {
  switch (op) {
    case "insert":
    case "tryInsert":
      return "insert";
    case "tryDelete":
      return "delete";
    default:
      return op;
  }
}

/** A result of `op` in words: `true` / `false` for insert, put and delete. */
export function describeResult(op: SpecOp, code: number): string {
  const boolean = op === "insert" || op === "put" || op === "delete";
  return boolean && (code === 0 || code === 1) ? String(code === 1) : describeCode(code);
}

/** Whether `op` may change the list. */
export function isWrite(op: OpName): boolean {
  return op !== "get";
}

/**
 * The sequential specification of one key. A state is {@link ABSENT},
 * {@link TOMBSTONE} or a value id (>= 0, live). Results: 1 / 0 for
 * insert, delete and put; the state for get; for getOrInsert {@link INSERTED},
 * the live value id, or TOMBSTONE (it throws DuplicateKey on a tombstone).
 *
 * - insert(v): absent -> live(v), 1; otherwise 0, unchanged (first value wins,
 *   a tombstone counts as an entry);
 * - put(v): -> live(v), 1;
 * - delete: live -> tombstone, 1; absent -> tombstone, 0 (the tombstone is
 *   still recorded); tombstone -> tombstone, 0;
 * - get: returns the state, unchanged;
 * - getOrInsert(v): absent -> live(v), INSERTED; live(x) -> x; tombstone -> TOMBSTONE.
 *
 * Returns `[next state, expected result]`.
 */
export function applySpec(state: number, op: SpecOp, value: number): [number, number] {
  switch (op) {
    case "insert":
      return state === ABSENT ? [value, 1] : [state, 0];
    case "put":
      return [value, 1];
    case "delete":
      return [TOMBSTONE, state >= 0 ? 1 : 0];
    case "get":
      return [state, state];
    case "getOrInsert":
      return state === ABSENT ? [value, INSERTED] : [state, state];
  }
}

/** Relative weights of the ops a random workload draws. */
export type Mix = Readonly<Partial<Record<OpName, number>>>;

/**
 * Which keys a worker touches. `own`: key ids congruent to the worker id
 * modulo the number of workers (one writer per key); `shared`: all of them.
 */
export type Ownership = "own" | "shared";

/** A workload: how a worker's op stream is generated. */
export type Workload =
  | {
    /** Each op draws a key and an op kind at random. */
    readonly kind: "random";
    /** Key ids are `0 … keys-1`. */
    readonly keys: number;
    readonly ownership: Ownership;
    readonly mix: Mix;
  }
  | {
    /** Each key of the worker's key set once, with one method. */
    readonly kind: "permutation";
    readonly keys: number;
    readonly ownership: Ownership;
    /**
     * `same`: every worker walks one seeded order; `shuffled`: every worker
     * its own order; `ascending`: key order, so that every insert lands in
     * the tail gap of the list, where all workers meet (the most level-0
     * CAS races, and, with shared keys, the most same-key races).
     */
    readonly order: "same" | "shuffled" | "ascending";
    /** Worker `w` uses `methods[w % methods.length]`. */
    readonly methods: readonly OpName[];
  };

/** One op of a stream: what to call, on which key, with which value. */
export interface Op {
  op: OpName;
  key: number;
  /** Value id written by the op (meaningful for writes of a value). */
  value: number;
}

/** Generates one worker's ops, in order. */
export class OpStream {
  readonly workload: Workload;
  readonly workers: number;
  readonly worker: number;
  /** Ops generated so far (= index of the next op). */
  index = 0;
  /** Length of the stream (Infinity for random workloads). */
  readonly length: number;
  #rng: Rng;
  #ops: OpName[] = [];
  #weights: number[] = [];
  #total = 0;
  #order: number[] = [];
  #method: OpName = "insert";

  constructor(workload: Workload, workers: number, worker: number, seed: number) {
    this.workload = workload;
    this.workers = workers;
    this.worker = worker;
    this.#rng = new Rng(deriveSeed(seed, worker));
    if (workload.kind === "random") {
      this.length = Infinity;
      for (const name of OP_NAMES) {
        const weight = workload.mix[name] ?? 0;
        if (weight > 0) {
          this.#ops.push(name);
          this.#weights.push(weight);
          this.#total += weight;
        }
      }
      if (this.#total === 0) throw new Error("a random workload needs a non-empty mix");
    } else {
      this.#order = ownKeys(workload, workers, worker);
      if (workload.order !== "ascending") {
        const orderSeed = workload.order === "same"
          ? deriveSeed(seed, 1000)
          : deriveSeed(seed, worker);
        new Rng(orderSeed).shuffle(this.#order);
      }
      const method = workload.methods[worker % workload.methods.length];
      if (method === undefined) throw new Error("a permutation workload needs at least one method");
      this.#method = method;
      this.length = this.#order.length;
    }
  }

  /** The next op; throws past the end of a finite stream. */
  next(): Op {
    const index = this.index++;
    const workload = this.workload;
    if (workload.kind === "permutation") {
      if (index >= this.#order.length) throw new Error("op stream exhausted");
      return { op: this.#method, key: this.#order[index]!, value: valueId(this.worker, index) };
    }
    const rng = this.#rng;
    let key: number;
    if (workload.ownership === "own") {
      const slots = Math.ceil((workload.keys - this.worker) / this.workers);
      key = rng.below(slots) * this.workers + this.worker;
    } else {
      key = rng.below(workload.keys);
    }
    let pick = rng.below(this.#total);
    // pick < #total, the sum of #weights, so k stops at an index of #weights and #ops.
    let k = 0;
    while (pick >= this.#weights[k]!) pick -= this.#weights[k++]!;
    return { op: this.#ops[k]!, key, value: valueId(this.worker, index) };
  }
}

/** The key ids `worker` touches under `workload`, ascending. */
export function ownKeys(workload: Workload, workers: number, worker: number): number[] {
  const keys: number[] = [];
  if (workload.ownership === "own") {
    for (let key = worker; key < workload.keys; key += workers) keys.push(key);
  } else {
    for (let key = 0; key < workload.keys; key++) keys.push(key);
  }
  return keys;
}

/**
 * One worker's ops replayed against a model of its own keys (valid for
 * `own` workloads, where every result is determined by the worker's ops).
 */
export class Replayer {
  readonly stream: OpStream;
  /** key id -> state (absent keys are not in the map). */
  readonly model: Map<number, number>;

  constructor(
    workload: Workload,
    workers: number,
    worker: number,
    seed: number,
    model: Map<number, number> = new Map(),
  ) {
    this.stream = new OpStream(workload, workers, worker, seed);
    this.model = model;
  }

  /** Ops applied so far. */
  get position(): number {
    return this.stream.index;
  }

  /** Applies the next op to the model; returns it with the result it must have. */
  step(): { op: Op; expected: number } {
    const op = this.stream.next();
    const before = this.model.get(op.key) ?? ABSENT;
    const [after, expected] = applySpec(before, specOpOf(op.op), op.value);
    if (after !== ABSENT) this.model.set(op.key, after);
    return { op, expected };
  }

  /** Applies ops until `position` ops have been applied. */
  advanceTo(position: number): void {
    while (this.stream.index < position) this.step();
  }

  /** Skips ops (not applied to the model) until `position`. */
  skipTo(position: number): void {
    while (this.stream.index < position) this.stream.next();
  }
}
