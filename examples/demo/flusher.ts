/**
 * Demo flusher worker: turns each sealed memtable into a table file.
 *
 * It runs in its own worker so that encoding and disk writes never stall the
 * coordinator (which must keep sealing) or the writers. Flushes arrive one
 * message at a time and are handled synchronously, so they complete in
 * generation order and a table never overtakes an older one.
 *
 * The file is written under a temporary name and renamed into place: a crash
 * mid-write leaves no half table behind under a real table name.
 *
 * Needs read (its own module) and write (the table directory) permission,
 * inherited from the demo.
 *
 * @module
 */

import { FrozenMemtable } from "../../mod.ts";
import type { FromFlusher, ToFlusher, WorkerScope } from "./protocol.ts";
import { encodeTable, type TableRecord } from "./table_format.ts";

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event: MessageEvent<ToFlusher>) => {
  const { gen, handle, path } = event.data;
  try {
    const started = performance.now();
    // Attaching in this worker maps the same shared arena: nothing is copied
    // until the encoder copies each entry into the file image.
    using frozen = FrozenMemtable.attach(handle); // released once the table is written
    const records: TableRecord[] = [...frozen]; // key order, newest version, tombstones included
    let reply: FromFlusher;
    if (records.length === 0) {
      reply = { type: "flushed", gen, path: null, records: 0, tombstones: 0, bytes: 0, ms: 0 };
    } else {
      const bytes = encodeTable(records);
      const temporary = `${path}.tmp`;
      Deno.writeFileSync(temporary, bytes);
      Deno.renameSync(temporary, path);
      reply = {
        type: "flushed",
        gen,
        path,
        records: records.length,
        tombstones: records.filter((r) => r.isTombstone).length,
        bytes: bytes.length,
        ms: performance.now() - started,
      };
    }
    scope.postMessage(reply);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage({ type: "error", gen, message } satisfies FromFlusher);
  }
};
