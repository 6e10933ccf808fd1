/**
 * The owner worker of the postMessage design (what users build today): it
 * alone holds a `sorted-btree` (same comparator, same prefill), and serves
 * the operations the client workers post to it, one message per operation
 * or per batch.
 *
 * Wire format, per operation: 1 byte (0 = get, 1 = insert), the 16-byte key,
 * the 8-byte value (inserts). Reply per operation: 1 byte (1 = found /
 * stored), then the 8-byte value for a found get. Compact byte messages are
 * the cheapest structured clone there is, so this baseline is a favourable
 * one for the owner design.
 *
 * @module
 */

import { KEY_BYTES } from "../keys.ts";
import { SortedBTreeAdapter } from "../peers.ts";
import {
  OP_BYTES,
  type OwnerInit,
  prefill,
  REPLY_BYTES,
  scope,
  type WorkerReply,
} from "./protocol.ts";

scope.onmessage = (event: MessageEvent) => {
  const init = event.data as OwnerInit;
  try {
    const tree = new SortedBTreeAdapter().tree;
    prefill(init.prefill, (k, v) => tree.set(k, v, false));
    for (const port of init.ports) {
      port.onmessage = (message: MessageEvent) => {
        const request = message.data as Uint8Array;
        const count = request.length / OP_BYTES;
        const reply = new Uint8Array(new ArrayBuffer(count * REPLY_BYTES));
        for (let i = 0; i < count; i++) {
          const at = i * OP_BYTES;
          const out = i * REPLY_BYTES;
          if (request[at] === 0) {
            const value = tree.get(request.subarray(at + 1, at + 1 + KEY_BYTES));
            if (value !== undefined) {
              reply[out] = 1;
              reply.set(value, out + 1);
            }
          } else {
            const key = request.slice(at + 1, at + 1 + KEY_BYTES);
            const value = request.slice(at + 1 + KEY_BYTES, at + OP_BYTES);
            if (tree.set(key, value, false)) reply[out] = 1;
          }
        }
        port.postMessage(reply, [reply.buffer]);
      };
      port.start();
    }
    scope.postMessage({ type: "ready" } satisfies WorkerReply);
  } catch (error) {
    scope.postMessage({ type: "error", message: String(error) } satisfies WorkerReply);
  }
};
