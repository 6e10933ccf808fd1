/**
 * A Worker that holds a frozen memtable until told to let go: attach on the
 * first message, release on the second, answering each. Lets a test make
 * this agent's release the last one.
 *
 * @module
 */

import { FrozenMemtable, type FrozenMemtableHandle } from "../../mod.ts";

/** What the main thread sends: a handle to hold, then `"release"`. */
export type HoldTask = { handle: FrozenMemtableHandle } | "release";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<HoldTask>) => void) | null;
  postMessage(message: string): void;
};

let held: FrozenMemtable | undefined;

scope.onmessage = ({ data: task }) => {
  if (task === "release") {
    const size = held?.size;
    held?.release();
    scope.postMessage(`released ${size}`);
  } else {
    held = FrozenMemtable.attach(task.handle);
    scope.postMessage(`attached ${held.size}`);
  }
};
