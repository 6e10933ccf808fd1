/**
 * Makes a Worker's release of a frozen memtable the last one: the Worker
 * attaches it, this agent releases its own instance, then the Worker
 * releases (`hold_worker.ts`). Used by the reuse tests.
 *
 * @module
 */

import type { FrozenMemtable } from "../../mod.ts";
import type { HoldTask } from "./hold_worker.ts";

/** Releases `frozen` here and in a Worker, the Worker last; resolves to the Worker's answers. */
export async function releaseLastInWorker(frozen: FrozenMemtable): Promise<string[]> {
  const worker = new Worker(new URL("./hold_worker.ts", import.meta.url), { type: "module" });
  try {
    const ask = (task: HoldTask) =>
      new Promise<string>((resolve) => {
        worker.onmessage = ({ data }) => resolve(data);
        worker.postMessage(task);
      });
    const attached = await ask({ handle: frozen.share() });
    frozen.release(); // not the last instance: the worker's is
    return [attached, await ask("release")];
  } finally {
    worker.terminate();
  }
}
