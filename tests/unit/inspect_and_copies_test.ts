import assert from "node:assert/strict";
import { ConcurrentSkipList } from "../../mod.ts";
import { raw } from "../support/bytes.ts";

Deno.test("console.log of a list shows its size, memory and state, and says when it was released", () => {
  const list = new ConcurrentSkipList();
  list.insert(raw(1), raw(1));
  assert.match(
    Deno.inspect(list),
    /^ConcurrentSkipList \{ size: 1, memoryUsage: \d+, memoryReserved: \d+, state: "open" \}$/,
  );
  const [frozen, fresh] = list.seal();
  assert.match(Deno.inspect(frozen), /^FrozenMemtable \{ size: 1, .*state: "frozen" \}$/);
  frozen.release();
  assert.equal(Deno.inspect(frozen), "FrozenMemtable { released }");
  fresh.release();
});

Deno.test("slice() of a returned value is a plain copy that Response, Blob and crypto.subtle accept", async () => {
  const list = new ConcurrentSkipList();
  const text = new TextEncoder().encode("hello, shared memory");
  list.put(raw(1), text);
  const view = list.getLive(raw(1))!;
  assert.ok(view.buffer instanceof SharedArrayBuffer, "reads return views of shared memory");
  const copy = view.slice();
  assert.ok(copy.buffer instanceof ArrayBuffer && !(copy.buffer instanceof SharedArrayBuffer));
  assert.equal(await new Response(copy).text(), "hello, shared memory");
  assert.equal(await new Blob([copy]).text(), "hello, shared memory");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", copy));
  const expected = new Uint8Array(await crypto.subtle.digest("SHA-256", text));
  assert.deepEqual(digest, expected);
  // The copy is the caller's: writing it leaves the list as it was.
  copy[0] = 0;
  assert.deepEqual(list.getLive(raw(1)), text);
  list.release();
});
