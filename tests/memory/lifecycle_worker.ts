/**
 * A Worker of the memory tests: attaches what it is sent, does one step of
 * the cycle (fill, flush, or an attach that must fail), releases what it
 * attached, and answers.
 *
 * @module
 */

import {
  ConcurrentSkipList,
  FrozenMemtable,
  type FrozenMemtableHandle,
  type SkipListHandle,
} from "../../mod.ts";
import { fill, flush } from "./lifecycle.ts";

/** What the main thread asks. */
export type LifecycleTask =
  | { type: "fill"; handle: SkipListHandle; cycle: number; writer: number; count: number }
  | { type: "flush"; handle: FrozenMemtableHandle; cycle: number }
  | { type: "attach"; handle: SkipListHandle };

/** What the worker answers. */
export type LifecycleReply =
  | { type: "filled" }
  | { type: "flushed"; entries: number; foreign: number }
  | { type: "attached"; error: string | null }
  | { type: "failed"; error: string };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LifecycleTask>) => void) | null;
  postMessage(message: LifecycleReply): void;
};

scope.onmessage = ({ data: task }) => {
  try {
    scope.postMessage(run(task));
  } catch (error) {
    scope.postMessage({ type: "failed", error: String(error) });
  }
};

function run(task: LifecycleTask): LifecycleReply {
  switch (task.type) {
    case "fill": {
      using list = ConcurrentSkipList.attach(task.handle);
      fill(list, task.cycle, task.writer, task.count);
      return { type: "filled" };
    }
    case "flush": {
      using frozen = FrozenMemtable.attach(task.handle);
      return { type: "flushed", ...flush(frozen, task.cycle) };
    }
    case "attach": {
      try {
        ConcurrentSkipList.attach(task.handle).release();
        return { type: "attached", error: null };
      } catch (error) {
        return { type: "attached", error: `${(error as Error).name}: ${(error as Error).message}` };
      }
    }
  }
}
