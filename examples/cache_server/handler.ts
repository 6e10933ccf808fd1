/**
 * The cache server's routes: one `fetch`-style function from a `Request` to
 * a `Response`, over one {@linkcode GenerationalCache}.
 *
 *   GET | HEAD    /kv/:key   → 200 value (application/octet-stream) | 404
 *   PUT           /kv/:key   → 204 | 413 (over the cap, refused while streaming)
 *   DELETE        /kv/:key   → 204 | 404
 *   GET | HEAD    /kv?prefix=p&limit=n&after=k → 200 JSON (see `listing.ts`)
 *
 * Any other method is 405 with an `Allow` header. HEAD answers exactly what
 * GET would, headers and `Content-Length` included, without the body.
 *
 * @module
 */

import { readCappedBody } from "./capped_body.ts";
import { type GenerationalCache, MAX_KEY_BYTES } from "./generational_cache.ts";
import { listing } from "./listing.ts";
import { percentDecodeBytes } from "./percent_bytes.ts";

const KEY_METHODS = ["GET", "HEAD", "PUT", "DELETE"];
const LISTING_METHODS = ["GET", "HEAD"];

const encoder = new TextEncoder();

/** A JSON response with its Content-Length, so HEAD can repeat it without the body. */
function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const bytes = encoder.encode(JSON.stringify(body));
  return new Response(bytes, {
    status,
    headers: {
      "content-type": "application/json",
      "content-length": String(bytes.length),
      ...headers,
    },
  });
}

const error = (status: number, message: string, headers?: Record<string, string>) =>
  json({ error: message }, status, headers);

function notAllowed(method: string, route: string, allowed: string[]): Response {
  return error(405, `${method} is not allowed on ${route}; use ${allowed.join(", ")}`, {
    allow: allowed.join(", "),
  });
}

/** The same status and headers without the body (the headers already carry its length). */
function headOnly(response: Response): Response {
  response.body?.cancel();
  return new Response(null, { status: response.status, headers: response.headers });
}

/**
 * A request handler over `cache`: give it to `Deno.serve`, or export it as
 * `export default { fetch }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GenerationalCache } from "./generational_cache.ts";
 * import { cacheHandler } from "./handler.ts";
 *
 * const fetch = cacheHandler(new GenerationalCache(64 << 10, 1024));
 * const put = await fetch(new Request("http://x/kv/a", { method: "PUT", body: "1" }));
 * assert.equal(put.status, 204);
 * assert.equal(await (await fetch(new Request("http://x/kv/a"))).text(), "1");
 * const patch = await fetch(new Request("http://x/kv/a", { method: "PATCH" }));
 * assert.equal(patch.headers.get("allow"), "GET, HEAD, PUT, DELETE");
 * await patch.body?.cancel();
 * ```
 */
export function cacheHandler(cache: GenerationalCache): (request: Request) => Promise<Response> {
  return async (request) => {
    const response = await route(cache, request);
    return request.method === "HEAD" ? headOnly(response) : response;
  };
}

function route(cache: GenerationalCache, request: Request): Promise<Response> | Response {
  const url = new URL(request.url);
  if (url.pathname === "/kv") {
    if (!LISTING_METHODS.includes(request.method)) {
      return notAllowed(request.method, "/kv", LISTING_METHODS);
    }
    const { status, body } = listing(cache, url.search);
    return json(body, status);
  }
  if (!url.pathname.startsWith("/kv/")) return error(404, "not found: try /kv/:key or /kv?prefix=");
  if (!KEY_METHODS.includes(request.method)) {
    return notAllowed(request.method, "/kv/:key", KEY_METHODS);
  }
  // The key is the rest of the path, each %XX one byte: keys need not be UTF-8.
  const encoded = url.pathname.slice("/kv/".length);
  const key = percentDecodeBytes(encoded);
  if (key === undefined) return error(400, "the key is not valid percent-encoding");
  if (key.length === 0) return error(400, "the key must not be empty");
  if (key.length > MAX_KEY_BYTES) {
    return error(400, `the key is ${key.length} bytes, longer than ${MAX_KEY_BYTES}`);
  }
  switch (request.method) {
    case "GET":
    case "HEAD": {
      const value = cache.get(key);
      if (value === undefined) return error(404, `no such key: ${encoded}`);
      // The value is a view of the list's shared memory, valid until its
      // generation is dropped: copy it into a buffer of the response's own.
      const copy = value.slice();
      return new Response(copy, {
        headers: {
          "content-type": "application/octet-stream",
          "content-length": String(copy.length),
        },
      });
    }
    case "PUT":
      return put(cache, key, request);
    default: // DELETE
      return cache.delete(key)
        ? new Response(null, { status: 204 })
        : error(404, `no such key: ${encoded}`);
  }
}

async function put(cache: GenerationalCache, key: Uint8Array, request: Request): Promise<Response> {
  const value = await readCappedBody(request, cache.maxValueBytes);
  if (value === "too large") {
    return error(413, `the value is larger than ${cache.maxValueBytes} bytes`);
  }
  cache.put(key, value);
  return new Response(null, { status: 204 });
}
