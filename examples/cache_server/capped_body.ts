/**
 * Reading a request body with a size cap enforced while it streams.
 *
 * `request.arrayBuffer()` reads the whole body before its length can be
 * checked, so a 300 MB chunked upload (no Content-Length to check up front)
 * was held in memory in full before the server could refuse it. Here the
 * stream is read chunk by chunk and cancelled as soon as the total passes the
 * cap: at most the cap plus one chunk is ever held, and the rest of the
 * upload is never read (Deno's server then closes the connection).
 *
 * @module
 */

/**
 * The declared `Content-Length`, if the header is a plain decimal number
 * (HTTP servers refuse a malformed one before the handler runs).
 */
function declaredLength(headers: Headers): number | undefined {
  const text = headers.get("content-length");
  return text !== null && /^\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * The request's body as one buffer of its own, or `"too large"` once it is
 * known to exceed `maxBytes`: at once when the declared `Content-Length` is
 * over the cap (the body is then not read at all), else as soon as the bytes
 * read pass it. Either way the body stream is cancelled, so the rest of the
 * upload is not read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCappedBody } from "./capped_body.ts";
 *
 * const small = new Request("http://x/", { method: "PUT", body: "abc" });
 * assert.deepEqual(await readCappedBody(small, 3), new TextEncoder().encode("abc"));
 * const large = new Request("http://x/", { method: "PUT", body: "abcd" });
 * assert.equal(await readCappedBody(large, 3), "too large");
 * ```
 */
export async function readCappedBody(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array | "too large"> {
  const body = request.body;
  if (body === null) return new Uint8Array(0);
  if ((declaredLength(request.headers) ?? 0) > maxBytes) {
    await body.cancel("the declared Content-Length is over the cap");
    return "too large";
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      await reader.cancel("the body is over the cap");
      return "too large";
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.length;
  }
  return whole;
}
