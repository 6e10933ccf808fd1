import assert from "node:assert/strict";
import { ConcurrentSkipList, FrozenMemtable, type SkipListHandle } from "../../mod.ts";
import { internals } from "../../src/_internals.ts";
import { plain, raw } from "../support/bytes.ts";

Deno.test("a same-thread attach is the same list", () => {
  const list = new ConcurrentSkipList();
  const other = ConcurrentSkipList.attach(list.share());
  list.insert(raw(1), raw(1));
  other.insert(raw(2), raw(2));
  other.put(raw(1), raw(3));
  list.delete(raw(2));
  assert.deepEqual(plain(list), plain(other));
  assert.equal(list.size, 1);
  assert.equal(other.size, 1);
  assert.equal(other.totalInserts(), 3);
  list.validate();
});

Deno.test("a handle survives structured cloning", () => {
  const list = new ConcurrentSkipList();
  const copy = structuredClone(list.share());
  ConcurrentSkipList.attach(copy).insert(raw(5), raw(5));
  assert.deepEqual(list.getLive(raw(5)), raw(5));
});

Deno.test("sealing through one instance seals them all", () => {
  const list = new ConcurrentSkipList();
  const other = ConcurrentSkipList.attach(list.share());
  list.seal();
  assert.equal(other.isSealed(), true);
  assert.equal(other.insert(raw(1), raw()), false);
  assert.throws(() => other.seal(), { name: "SealError", kind: "AlreadySealed" });
});

Deno.test("a frozen memtable can be attached from its handle", () => {
  const list = new ConcurrentSkipList();
  list.insert(raw(1), raw(1));
  const [frozen] = list.seal();
  const attached = FrozenMemtable.attach(structuredClone(frozen.share()));
  assert.deepEqual(plain(attached), plain(frozen));
  attached.validate();
});

Deno.test("attach() of anything but a handle throws TypeError", async (t) => {
  const list = new ConcurrentSkipList();
  const bad: [string, unknown][] = [
    ["undefined", undefined],
    ["null", null],
    ["a string", "handle"],
    ["an empty object", {}],
    ["the wrong kind", { kind: "fastskip.FrozenMemtable", memory: list.share().memory }],
    ["an ArrayBuffer", { kind: "fastskip.ConcurrentSkipList", memory: new ArrayBuffer(1 << 16) }],
    ["a zeroed growable SharedArrayBuffer", {
      kind: "fastskip.ConcurrentSkipList",
      memory: new SharedArrayBuffer(1 << 16, { maxByteLength: 1 << 20 }),
    }],
    ["a tiny growable SharedArrayBuffer", {
      kind: "fastskip.ConcurrentSkipList",
      memory: new SharedArrayBuffer(8, { maxByteLength: 1 << 20 }),
    }],
    ["a zeroed shared WebAssembly.Memory", {
      kind: "fastskip.ConcurrentSkipList",
      memory: new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true }),
    }],
    ["a fixed-length SharedArrayBuffer (it could not grow with the list)", {
      kind: "fastskip.ConcurrentSkipList",
      memory: new SharedArrayBuffer(1 << 16),
    }],
    ["a handle of 0.1's shape (a buffer, no memory)", {
      kind: "fastskip.ConcurrentSkipList",
      buffer: new SharedArrayBuffer(1 << 16, { maxByteLength: 1 << 20 }),
      generation: 1,
    }],
  ];
  for (const [name, handle] of bad) {
    await t.step(name, () => {
      assert.throws(() => ConcurrentSkipList.attach(handle as SkipListHandle), TypeError);
      assert.throws(() => FrozenMemtable.attach(handle as never), TypeError);
    });
  }
  await t.step("an open list's memory as a frozen memtable", () => {
    assert.throws(
      () => FrozenMemtable.attach({ ...list.share(), kind: "fastskip.FrozenMemtable" }),
      /not sealed/,
    );
  });
});

Deno.test("a list is private to its maker until share(): a handle forged from its memory does not attach", () => {
  const list = new ConcurrentSkipList();
  list.insert(new Uint8Array([1]), new Uint8Array([1]));
  // The very object share() would hand out, taken from inside.
  const forged = {
    kind: "fastskip.ConcurrentSkipList" as const,
    memory: internals.readerView(list)!.core.arena.backing,
    generation: 0,
  };
  assert.throws(
    () => ConcurrentSkipList.attach(forged),
    /Cannot attach ConcurrentSkipList: the list behind the handle was never shared: make handles with list\.share\(\)/,
  );
  // The refused attach took no reference: the list still counts one instance.
  const handle = list.share();
  const same = ConcurrentSkipList.attach(handle);
  assert.equal(same.size, 1);
  same.insert(new Uint8Array([2]), new Uint8Array([2]));
  assert.equal(list.size, 2, "the maker reads what the attached instance wrote");
  list.validate();
});
