/**
 * The batch path of the level store on its own: a write that fails after the
 * room check (another worker took the room meanwhile) stops the batch with a
 * BatchError that says how far it got.
 *
 * @module
 */

import assert from "node:assert/strict";
import { BatchError, ConcurrentSkipList, InsertError } from "../../mod.ts";
import { applyBatch, type LevelOperation } from "../../level/batch.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

/** A list whose `put` fails from its `failAt`-th call on, as when other workers filled the arena. */
class FillingUp extends ConcurrentSkipList {
  calls = 0;
  constructor(readonly failAt: number) {
    super();
  }
  override put(key: Uint8Array, value: Uint8Array): void {
    if (++this.calls >= this.failAt) throw new InsertError("OutOfMemory", "arena full");
    super.put(key, value);
  }
}

Deno.test("applyBatch() stopped by a failed write reports the applied prefix in a BatchError", () => {
  const list = new FillingUp(2);
  try {
    const ops: LevelOperation[] = ["a", "b", "c"].map((key) => ({
      type: "put",
      key: bytes(key),
      value: bytes(key),
    }));
    assert.throws(
      () => applyBatch(list, 1 << 30, ops),
      (error) =>
        error instanceof BatchError && error.succeeded === 1 && error.failed === 2 &&
        error.failures.map((failure) => failure.index).join() === "1,2" &&
        /partial failure: 1 succeeded, 2 failed \(entries\[1\]: out of memory: arena full/.test(
          error.message,
        ),
    );
    assert.deepEqual(list.getLive(bytes("a")), bytes("a"));
    assert.equal(list.getLive(bytes("b")), undefined);
  } finally {
    list.release();
  }
});

Deno.test("applyBatch() on a sealed list writes nothing", () => {
  const list = new ConcurrentSkipList();
  const [frozen] = list.seal();
  try {
    assert.throws(
      () => applyBatch(list, 1 << 30, [{ type: "del", key: bytes("a") }]),
      (error) => error instanceof InsertError && error.kind === "Sealed",
    );
    assert.equal(frozen.size, 0);
  } finally {
    frozen.release();
  }
});
