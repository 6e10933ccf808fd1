/**
 * The cache server example, driven by a real HTTP client (`fetch`) over a
 * socket, in-process: started on port 0, shut down at the end. Every
 * response body is consumed (or cancelled) so the resource sanitizer stays
 * quiet.
 */

import assert from "node:assert/strict";
import { startCacheServer } from "../../examples/cache_server.ts";
import { GenerationalCache } from "../../examples/cache_server/generational_cache.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined) =>
  data === undefined ? undefined : new TextDecoder().decode(data);

/** One request; returns the status and the body as text (always consumed). */
async function call(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: string; type: string | null }> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    body: await response.text(),
    type: response.headers.get("content-type"),
  };
}

Deno.test("cache server answers put, get, delete and prefix listings over HTTP", async (t) => {
  const server = startCacheServer({ port: 0, memtableBytes: 64 << 10, maxValueBytes: 4096 });
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    await t.step("PUT then GET returns the value; PUT again overwrites it", async () => {
      assert.equal((await call(`${base}/kv/hello`, { method: "PUT", body: "world" })).status, 204);
      assert.deepEqual(await call(`${base}/kv/hello`), {
        status: 200,
        body: "world",
        type: "application/octet-stream",
      });
      await call(`${base}/kv/hello`, { method: "PUT", body: "again" });
      assert.equal((await call(`${base}/kv/hello`)).body, "again");
    });

    await t.step("keys may hold slashes and percent-encoded bytes", async () => {
      await call(`${base}/kv/dir/a%20b/%C3%A9`, { method: "PUT", body: "nested" });
      assert.equal((await call(`${base}/kv/dir/a%20b/%C3%A9`)).body, "nested");
      const listed = JSON.parse((await call(`${base}/kv?prefix=dir/`)).body);
      assert.deepEqual(listed.entries, [{ key: "dir/a b/é", value: "nested" }]);
    });

    await t.step("a missing key is 404, also for DELETE", async () => {
      const missing = await call(`${base}/kv/nobody`);
      assert.equal(missing.status, 404);
      assert.match(JSON.parse(missing.body).error, /no such key/);
      assert.equal((await call(`${base}/kv/nobody`, { method: "DELETE" })).status, 404);
    });

    await t.step("DELETE removes a key: 204, then 404", async () => {
      await call(`${base}/kv/doomed`, { method: "PUT", body: "x" });
      assert.equal((await call(`${base}/kv/doomed`, { method: "DELETE" })).status, 204);
      assert.equal((await call(`${base}/kv/doomed`)).status, 404);
      assert.equal((await call(`${base}/kv/doomed`, { method: "DELETE" })).status, 404);
    });

    await t.step("a prefix listing is in key order, paged with limit and next", async () => {
      for (const id of [5, 3, 1, 4, 2]) {
        await call(`${base}/kv/user/${id}`, { method: "PUT", body: `name ${id}` });
      }
      await call(`${base}/kv/user`, { method: "PUT", body: "not under user/" });
      await call(`${base}/kv/users`, { method: "PUT", body: "not under user/ either" });
      await call(`${base}/kv/user/3`, { method: "DELETE" });
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        // next is already percent-encoded: it is appended as it is.
        const query: string = `prefix=user/&limit=2${after === null ? "" : `&after=${after}`}`;
        const page = await call(`${base}/kv?${query}`);
        assert.equal(page.status, 200);
        assert.equal(page.type, "application/json");
        const { entries, next } = JSON.parse(page.body);
        assert.ok(entries.length <= 2);
        seen.push(...entries.map((e: { key: string; value: string }) => `${e.key}=${e.value}`));
        after = next;
        pages++;
      } while (after !== null);
      assert.deepEqual(seen, ["user/1=name 1", "user/2=name 2", "user/4=name 4", "user/5=name 5"]);
      assert.equal(pages, 2);
    });

    await t.step("bad requests are 400, 405, 413 or 404 with a JSON error", async () => {
      const cases: [string, RequestInit | undefined, number][] = [
        ["/kv?limit=abc", undefined, 400],
        ["/kv?limit=0", undefined, 400],
        ["/kv?limit=5000", undefined, 400],
        ["/kv/", undefined, 400], // empty key
        ["/kv/%E0%A4%A", undefined, 400], // broken percent-encoding
        [`/kv/${"k".repeat(2000)}`, undefined, 400], // key too long
        ["/kv/big", { method: "PUT", body: "x".repeat(5000) }, 413],
        ["/kv/x", { method: "POST", body: "x" }, 405],
        ["/kv", { method: "POST", body: "x" }, 405],
        ["/elsewhere", undefined, 404],
      ];
      for (const [path, init, status] of cases) {
        const response = await call(`${base}${path}`, init);
        assert.equal(response.status, status, `${init?.method ?? "GET"} ${path.slice(0, 30)}`);
        assert.equal(typeof JSON.parse(response.body).error, "string");
      }
      assert.equal((await call(`${base}/kv/big`)).status, 404, "a refused PUT stores nothing");
    });

    await t.step("writing past a generation's size evicts the oldest keys only", async () => {
      const value = "v".repeat(1000);
      for (let i = 0; i < 300; i++) {
        const key = `fill/${String(i).padStart(3, "0")}`;
        assert.equal((await call(`${base}/kv/${key}`, { method: "PUT", body: value })).status, 204);
      }
      const listed = JSON.parse((await call(`${base}/kv?prefix=fill/&limit=1000`)).body);
      const kept: string[] = listed.entries.map((e: { key: string }) => e.key);
      assert.ok(kept.length > 0 && kept.length < 300, `kept ${kept.length} of 300`);
      // What survives is the newest contiguous run of keys.
      const first = Number(kept[0]!.slice(5));
      assert.deepEqual(
        kept,
        Array.from({ length: 300 - first }, (_, i) => `fill/${String(first + i).padStart(3, "0")}`),
      );
      assert.equal((await call(`${base}/kv/fill/000`)).status, 404);
      assert.equal((await call(`${base}/kv/fill/299`)).body, value);
    });
  } finally {
    await server.shutdown();
  }
  await server.finished;
});

Deno.test("GenerationalCache: the current generation shadows the previous one", () => {
  const cache = new GenerationalCache(16 << 10, 256);
  cache.put(bytes("keep"), bytes("old"));
  cache.put(bytes("gone"), bytes("old"));
  let filler = 0;
  while (cache.rotations === 0) cache.put(bytes(`filler/${filler++}`), new Uint8Array(100));
  // Both keys now live in the previous generation only.
  assert.equal(text(cache.get(bytes("keep"))), "old");
  cache.put(bytes("keep"), bytes("new"));
  assert.equal(cache.delete(bytes("gone")), true);
  assert.equal(text(cache.get(bytes("keep"))), "new");
  assert.equal(cache.get(bytes("gone")), undefined, "the tombstone hides the older value");
  assert.equal(cache.delete(bytes("gone")), false);
  const listed = cache.list(bytes(""), 1000).map((e) => `${text(e.key)}=${text(e.value)}`);
  assert.ok(listed.includes("keep=new"));
  assert.ok(!listed.includes("keep=old"), "a key is listed once, with its newest value");
  assert.ok(!listed.some((entry) => entry.startsWith("gone=")));
  const keys = cache.list(bytes(""), 1000).map((e) => text(e.key)!);
  assert.deepEqual(keys, [...keys].sort(), "merged listing stays in key order");
});

Deno.test("GenerationalCache.list() pages within a prefix: an after below it starts at it, one past it ends the listing", () => {
  const cache = new GenerationalCache(64 << 10, 256);
  for (const key of ["a/1", "b/1", "b/2", "b/3", "b\xff", "c/1"]) cache.put(bytes(key), bytes("v"));
  const keys = (prefix: string, limit: number, after?: string) =>
    cache.list(bytes(prefix), limit, after === undefined ? undefined : bytes(after)).map((e) =>
      text(e.key)
    );
  assert.deepEqual(keys("b/", 2), ["b/1", "b/2"]);
  assert.deepEqual(keys("b/", 2, "b/2"), ["b/3"]);
  assert.deepEqual(keys("b/", 10, "a/9"), ["b/1", "b/2", "b/3"], "after below the prefix");
  assert.deepEqual(keys("b/", 10, "b0"), [], "after past every key with the prefix");
  assert.deepEqual(keys("", 2, "b/3"), ["b\xff", "c/1"], "the empty prefix has no end");
});
