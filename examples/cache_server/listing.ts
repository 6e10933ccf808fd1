/**
 * `GET /kv?prefix=p&limit=n&after=k`: a page of entries in key order, as JSON.
 *
 * Keys and values are bytes, and JSON strings are text, so each field is
 * written as UTF-8 text when it is valid UTF-8 and as base64 otherwise, with
 * a marker saying so:
 *
 *   {"entries":[{"key":"fruit/apple","value":"red"},
 *               {"key":"AP8=","keyEncoding":"base64","value":"…","valueEncoding":"base64"}],
 *    "next":"fruit/apple"}
 *
 * A field without `keyEncoding` / `valueEncoding` is the text itself. `next`
 * is the last key of the page, percent-encoded (ASCII, bytes as `%XX`), to be
 * appended as it is: `&after=${next}`; it is null on the last page. `prefix`
 * and `after` are percent-encoded bytes too, so a page can start anywhere.
 *
 * @module
 */

import type { GenerationalCache } from "./generational_cache.ts";
import { percentEncodeBytes, queryBytes } from "./percent_bytes.ts";

const DEFAULT_LIMIT = 100;
/** Largest page: the page is built in memory before it is sent. */
const MAX_LIMIT = 1000;

/** `fatal`: invalid UTF-8 must fail, not become U+FFFD; `ignoreBOM`: keep a leading U+FEFF. */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * One entry of a listing, as it appears in the JSON: a field without its
 * `…Encoding` marker is the UTF-8 text itself.
 *
 * @example
 * ```ts
 * import type { ListedEntry } from "./listing.ts";
 *
 * const entry: ListedEntry = { key: "AP8=", keyEncoding: "base64", value: "red" };
 * ```
 */
export interface ListedEntry {
  key: string;
  keyEncoding?: "base64";
  value: string;
  valueEncoding?: "base64";
}

/**
 * A field as UTF-8 text when the bytes are valid UTF-8, else as base64.
 * Reads the bytes (which may be a view of shared memory) before returning,
 * so the result does not depend on the memory staying put.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { textOrBase64 } from "./listing.ts";
 *
 * assert.deepEqual(textOrBase64(new TextEncoder().encode("é")), { text: "é" });
 * assert.deepEqual(textOrBase64(new Uint8Array([0xff])), { base64: "/w==" });
 * ```
 */
export function textOrBase64(bytes: Uint8Array): { text: string } | { base64: string } {
  try {
    return { text: strictUtf8.decode(bytes) };
  } catch {
    return { base64: bytes.toBase64() };
  }
}

/** The entry in its JSON form. */
function listedEntry(key: Uint8Array, value: Uint8Array): ListedEntry {
  const k = textOrBase64(key);
  const v = textOrBase64(value);
  return {
    ...("text" in k ? { key: k.text } : { key: k.base64, keyEncoding: "base64" as const }),
    ...("text" in v ? { value: v.text } : { value: v.base64, valueEncoding: "base64" as const }),
  };
}

/**
 * The listing for a query string (`url.search`): status 200 and the page,
 * or status 400 and an error message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GenerationalCache } from "./generational_cache.ts";
 * import { listing } from "./listing.ts";
 *
 * const cache = new GenerationalCache(64 << 10, 1024);
 * cache.put(new TextEncoder().encode("a/1"), new Uint8Array([0xff]));
 * assert.deepEqual(listing(cache, "?prefix=a/"), {
 *   status: 200,
 *   body: { entries: [{ key: "a/1", value: "/w==", valueEncoding: "base64" }], next: null },
 * });
 * assert.equal(listing(cache, "?limit=0").status, 400);
 * ```
 */
export function listing(
  cache: GenerationalCache,
  search: string,
):
  | { status: 200; body: { entries: ListedEntry[]; next: string | null } }
  | { status: 400; body: { error: string } } {
  let params: Map<string, Uint8Array>;
  try {
    params = queryBytes(search);
  } catch (error) {
    return { status: 400, body: { error: (error as TypeError).message } };
  }
  const limitText = new TextDecoder().decode(
    params.get("limit") ?? new TextEncoder().encode(String(DEFAULT_LIMIT)),
  );
  if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_LIMIT) {
    return {
      status: 400,
      body: {
        error: `limit must be a whole number from 1 to ${MAX_LIMIT}, got ${
          JSON.stringify(limitText)
        }`,
      },
    };
  }
  const limit = Number(limitText);
  // One more than the page, to know whether there is a next one. The store
  // reads both generations as one range (`mergeReaders`), already in key order.
  const found = cache.list(
    params.get("prefix") ?? new Uint8Array(0),
    limit + 1,
    params.get("after"),
  );
  const page = found.slice(0, limit);
  const entries = page.map((e) => listedEntry(e.key, e.value));
  const next = found.length > limit ? percentEncodeBytes(page[limit - 1]!.key) : null;
  return { status: 200, body: { entries, next } };
}
