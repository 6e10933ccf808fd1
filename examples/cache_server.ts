/**
 * An HTTP key-value cache on a fastskip list: the shape of a Deno Deploy
 * cache (no file access, no workers, only the network).
 *
 *   deno run --allow-net examples/cache_server.ts [--port 8000]   serve until Ctrl-C
 *   deno run --allow-net examples/cache_server.ts --self-test     start, check, stop
 *
 *   PUT    /kv/:key                    body = value          → 204
 *   GET    /kv/:key                                          → 200 value | 404
 *   DELETE /kv/:key                                          → 204 | 404
 *   GET    /kv?prefix=p&limit=n&after=k                      → 200 JSON, key order:
 *          {"entries":[{"key":"…","value":"…"}],"next":"…"|null}  (next: pass as after=)
 *
 * Keys are the percent-decoded rest of the path (UTF-8; may contain "/").
 * Listings show values as UTF-8 text. Errors are JSON `{"error":"…"}` with
 * 400 (bad request), 404, 405 or 413 (value too large).
 *
 * Memory stays bounded: the store keeps two generations of memtable and
 * evicts the oldest (see `cache_server/generational_cache.ts`).
 *
 * @module
 */

import assert from "node:assert/strict"; // for --self-test only
import { GenerationalCache, MAX_KEY_BYTES } from "./cache_server/generational_cache.ts";

export interface CacheServerOptions {
  /** Port to listen on; 0 picks a free one (read it from `server.addr`). Default 8000. */
  port?: number;
  /** Interface to listen on. Default "127.0.0.1". */
  hostname?: string;
  /** Size of a generation; the cache holds at most about twice this. Default 16 MiB. */
  memtableBytes?: number;
  /** Largest value accepted (larger ones get 413). Default 1 MiB. */
  maxValueBytes?: number;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const error = (status: number, message: string) => json({ error: message }, status);

/** Answers one request; exported so it can be tested without a socket. */
export async function handle(cache: GenerationalCache, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/kv") {
    if (request.method !== "GET") return error(405, "use GET /kv?prefix=…");
    return listing(cache, url.searchParams);
  }
  if (!url.pathname.startsWith("/kv/")) return error(404, "not found: try /kv/:key or /kv?prefix=");
  let keyText: string;
  try {
    keyText = decodeURIComponent(url.pathname.slice("/kv/".length));
  } catch {
    return error(400, "the key is not valid percent-encoding");
  }
  const key = encoder.encode(keyText);
  if (key.length === 0) return error(400, "the key must not be empty");
  if (key.length > MAX_KEY_BYTES) {
    return error(400, `the key is longer than ${MAX_KEY_BYTES} bytes`);
  }

  switch (request.method) {
    case "GET": {
      const value = cache.get(key);
      if (value === undefined) return error(404, `no such key: ${keyText}`);
      // Copy out of shared memory: a Response body must be a plain buffer.
      return new Response(value.slice(), {
        headers: { "content-type": "application/octet-stream" },
      });
    }
    case "PUT": {
      const declared = Number(request.headers.get("content-length") ?? 0);
      const tooLarge = `the value is larger than ${cache.maxValueBytes} bytes`;
      if (declared > cache.maxValueBytes) {
        await request.body?.cancel();
        return error(413, tooLarge);
      }
      const value = new Uint8Array(await request.arrayBuffer());
      if (value.length > cache.maxValueBytes) return error(413, tooLarge);
      cache.put(key, value);
      return new Response(null, { status: 204 });
    }
    case "DELETE":
      return cache.delete(key)
        ? new Response(null, { status: 204 })
        : error(404, `no such key: ${keyText}`);
    default:
      return new Response(JSON.stringify({ error: "use GET, PUT or DELETE" }), {
        status: 405,
        headers: { "content-type": "application/json", allow: "GET, PUT, DELETE" },
      });
  }
}

function listing(cache: GenerationalCache, params: URLSearchParams): Response {
  const limitText = params.get("limit") ?? String(DEFAULT_LIMIT);
  if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_LIMIT) {
    return error(400, `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  const limit = Number(limitText);
  const after = params.get("after");
  const entries = cache.list(
    encoder.encode(params.get("prefix") ?? ""),
    limit + 1, // one more, to know whether there is a next page
    after === null ? undefined : encoder.encode(after),
  ).map((e) => ({ key: decoder.decode(e.key), value: decoder.decode(e.value) }));
  const next = entries.length > limit ? entries[limit - 1]!.key : null;
  return json({ entries: entries.slice(0, limit), next });
}

/**
 * Starts the cache server and returns it: `await server.shutdown()` stops it.
 *
 * @example
 * ```ts ignore
 * const server = startCacheServer({ port: 0 });
 * const response = await fetch(`http://127.0.0.1:${server.addr.port}/kv/hello`, { method: "PUT", body: "world" });
 * await server.shutdown();
 * ```
 */
export function startCacheServer(options: CacheServerOptions = {}): Deno.HttpServer<Deno.NetAddr> {
  const cache = new GenerationalCache(
    options.memtableBytes ?? 16 << 20,
    options.maxValueBytes ?? 1 << 20,
  );
  return Deno.serve(
    { port: options.port ?? 8000, hostname: options.hostname ?? "127.0.0.1", onListen: () => {} },
    (request) => handle(cache, request),
  );
}

/** `--self-test`: round trips through a real socket, then a clean stop. */
async function selfTest(): Promise<void> {
  const server = startCacheServer({ port: 0 });
  const base = `http://127.0.0.1:${server.addr.port}/kv`;
  try {
    for (
      const [key, value] of [
        ["fruit/apple", "red"],
        ["fruit/banana", "yellow"],
        ["veg/kale", "green"],
      ] as const
    ) {
      const put = await fetch(`${base}/${key}`, { method: "PUT", body: value });
      await put.body?.cancel();
      assert.equal(put.status, 204);
    }
    const got = await fetch(`${base}/fruit/apple`);
    assert.equal(await got.text(), "red");
    const removed = await fetch(`${base}/fruit/apple`, { method: "DELETE" });
    await removed.body?.cancel();
    assert.equal(removed.status, 204);
    const gone = await fetch(`${base}/fruit/apple`);
    await gone.body?.cancel();
    assert.equal(gone.status, 404);
    const list = await fetch(`${base}?prefix=fruit/`);
    assert.deepEqual(await list.json(), {
      entries: [{ key: "fruit/banana", value: "yellow" }],
      next: null,
    });
  } finally {
    await server.shutdown();
  }
  console.log("cache_server: ok");
}

if (import.meta.main) {
  const [flag, value, ...rest] = Deno.args;
  if (flag === "--self-test" && value === undefined) {
    await selfTest();
  } else if (
    flag === undefined || (flag === "--port" && /^\d+$/.test(value ?? "") && rest.length === 0)
  ) {
    const server = startCacheServer({ port: Number(value ?? 8000) });
    console.log(`cache server on http://127.0.0.1:${server.addr.port}/kv (Ctrl-C stops it)`);
  } else {
    const problem = flag === "--port"
      ? `--port needs a port number, got ${JSON.stringify(value ?? "")}`
      : `unknown arguments ${JSON.stringify(Deno.args.join(" "))}`;
    console.error(`cache_server: ${problem}; usage: cache_server.ts [--port N] | --self-test`);
    Deno.exitCode = 2;
  }
}
