/**
 * The demo's final check: reads every table back and compares it with what
 * the writers acknowledged.
 *
 * Two checks, both exact because each key has a single writer (see
 * `protocol.ts`):
 *
 * 1. Per table: the table of generation g holds exactly the keys written
 *    (acknowledged) in generation g, each with its last write there: the
 *    right value, or a tombstone. Nothing missing, nothing extra.
 * 2. Per key, as an LSM read does it: searching tables newest first through
 *    their index, the first table holding the key holds the key's last
 *    acknowledged write overall.
 *
 * @module
 */

import { keyFor, KEYS_PER_WRITER, NO_WRITE, parseKey, writeValue } from "./protocol.ts";
import type { WriterReport } from "./coordinator.ts";
import { Table } from "./table_format.ts";

export interface VerifyResult {
  tables: number;
  records: number;
  keys: number;
  /** Problems found, the first few described; empty when all is well. */
  problems: string[];
  problemCount: number;
}

const MAX_DESCRIBED = 10;

export function verifyTables(
  tables: readonly { gen: number; bytes: Uint8Array }[],
  writers: readonly WriterReport[],
): VerifyResult {
  const problems: string[] = [];
  let problemCount = 0;
  const problem = (text: string) => {
    if (problemCount++ < MAX_DESCRIBED) problems.push(text);
  };

  // gen → writer → packed write per key. A report's gens and records are parallel arrays, and
  // each record holds KEYS_PER_WRITER packed writes (FromWriter's "done").
  const expected = new Map<number, Map<number, Int32Array>>();
  for (const report of writers) {
    report.gens.forEach((gen, i) => {
      if (!expected.has(gen)) expected.set(gen, new Map());
      expected.get(gen)!.set(report.writer, report.records[i]!);
    });
  }

  const scratch = new Uint8Array(64);
  const sameValue = (actual: Uint8Array, writer: number, index: number, seq: number) => {
    const length = writeValue(scratch, writer, index, seq);
    if (actual.length !== length) return false;
    for (let i = 0; i < length; i++) if (actual[i] !== scratch[i]) return false;
    return true;
  };
  /** Describes a mismatch between a stored record and a packed write, or "" if they agree. */
  const compare = (
    record: { value: Uint8Array; isTombstone: boolean },
    writer: number,
    index: number,
    packed: number,
  ): string => {
    const seq = packed >>> 1;
    const tombstone = (packed & 1) === 1;
    if (record.isTombstone !== tombstone) {
      return tombstone
        ? "a value where a delete was acknowledged"
        : "a tombstone instead of a value";
    }
    return tombstone || sameValue(record.value, writer, index, seq)
      ? ""
      : `a wrong value (write #${seq})`;
  };

  // 1. Per table.
  const decoded = new Map<number, Table>();
  let records = 0;
  for (const { gen, bytes } of tables) {
    let table: Table;
    try {
      table = new Table(bytes);
    } catch (error) {
      problem(`table ${gen}: ${(error as Error).message}`);
      continue;
    }
    decoded.set(gen, table);
    const inGen = expected.get(gen);
    let matched = 0;
    for (const record of table) {
      records++;
      const owner = parseKey(record.key);
      const packed = owner ? inGen?.get(owner.writer)?.[owner.index] ?? NO_WRITE : NO_WRITE;
      if (owner === undefined || packed === NO_WRITE) {
        problem(`table ${gen}: holds ${text(record.key)}, which no writer wrote in that memtable`);
        continue;
      }
      const mismatch = compare(record, owner.writer, owner.index, packed);
      if (mismatch) problem(`table ${gen}: ${text(record.key)} has ${mismatch}`);
      else matched++;
    }
    const wanted = countWrites(inGen);
    if (matched !== wanted) {
      problem(`table ${gen}: ${wanted} acknowledged keys, ${matched} found intact`);
    }
  }
  for (const [gen, inGen] of expected) {
    if (!decoded.has(gen) && countWrites(inGen) > 0) {
      problem(`memtable ${gen}: ${countWrites(inGen)} acknowledged keys, but no table`);
    }
  }

  // 2. Per key, newest table first.
  const newestFirst = [...decoded.entries()].sort((a, b) => b[0] - a[0]);
  let keys = 0;
  for (const report of writers) {
    for (let index = 0; index < KEYS_PER_WRITER; index++) {
      let last = NO_WRITE;
      let lastGen = 0;
      report.gens.forEach((gen, i) => {
        const packed = report.records[i]![index]!;
        if (packed !== NO_WRITE && gen > lastGen) [last, lastGen] = [packed, gen];
      });
      if (last === NO_WRITE) continue;
      keys++;
      const key = keyFor(report.writer, index);
      const hit = newestFirst.find(([, table]) => table.get(key) !== undefined);
      if (hit === undefined) {
        problem(`${text(key)}: acknowledged in memtable ${lastGen}, found in no table`);
      } else if (hit[0] !== lastGen) {
        problem(
          `${text(key)}: last written in memtable ${lastGen}, newest table with it is ${hit[0]}`,
        );
      } else {
        const mismatch = compare(hit[1].get(key)!, report.writer, index, last);
        if (mismatch) problem(`${text(key)}: newest table has ${mismatch}`);
      }
    }
  }
  return { tables: decoded.size, records, keys, problems, problemCount };
}

function countWrites(inGen: Map<number, Int32Array> | undefined): number {
  let count = 0;
  for (const slots of inGen?.values() ?? []) {
    for (const packed of slots) if (packed !== NO_WRITE) count++;
  }
  return count;
}

function text(key: Uint8Array): string {
  return JSON.stringify(new TextDecoder().decode(key));
}
