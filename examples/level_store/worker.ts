/**
 * The worker of `level_store.ts`: attaches a FastskipLevel to the list the
 * main thread shares, reads a user, writes events into the same sublevel.
 *
 * @module
 */

import { FastskipLevel, type SkipListHandle } from "../../level.ts";

/** What the main thread sends. */
export interface Job {
  handle: SkipListHandle;
  events: number;
}

/** What the worker answers. */
export interface Result {
  written: number;
  sawScore: number | undefined;
}

interface Scope {
  onmessage: ((event: MessageEvent<Job>) => void) | null;
  postMessage(message: Result): void;
}
const scope = globalThis as unknown as Scope;

scope.onmessage = async ({ data }) => {
  const db = FastskipLevel.attach<string, { score: number }>(data.handle, {
    valueEncoding: "json",
  });
  const sawScore = (await db.get("user:1"))?.score;
  const events = db.sublevel<string, string>("events", { valueEncoding: "utf8" });
  for (let i = 1; i <= data.events; i++) {
    await events.put(String(i).padStart(4, "0"), `event ${i} from the worker`);
  }
  await db.release(); // this worker's hold; the main thread keeps its own
  scope.postMessage({ written: data.events, sawScore });
};
