/**
 * Percent-encoding as bytes, for the cache server's keys.
 *
 * `decodeURIComponent` and `URLSearchParams` decode percent-escapes as UTF-8
 * text: `%FF` is refused by the first and turned into U+FFFD by the second,
 * so a key that is not UTF-8 could not be addressed or would be mangled.
 * Here every `%XX` is the byte XX, and any other character stands for its
 * UTF-8 bytes, so every byte string has a URL and comes back unchanged.
 *
 * @module
 */

const encoder = new TextEncoder();

const HEX = "0123456789ABCDEF";

/** Bytes kept as they are by {@linkcode percentEncodeBytes}: unreserved characters and "/". */
const KEPT = /^[A-Za-z0-9\-._~/]$/;

/**
 * The bytes a percent-encoded string stands for, or undefined if a `%` is not
 * followed by two hex digits. With `plusIsSpace` (query strings, as in HTML
 * forms), "+" is a space; in a path it is a plain "+".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { percentDecodeBytes } from "./percent_bytes.ts";
 *
 * assert.deepEqual(percentDecodeBytes("a%FF%00b"), new Uint8Array([0x61, 0xff, 0x00, 0x62]));
 * assert.deepEqual(percentDecodeBytes("a+b", true), new TextEncoder().encode("a b"));
 * assert.equal(percentDecodeBytes("%E0%A"), undefined);
 * ```
 */
export function percentDecodeBytes(text: string, plusIsSpace = false): Uint8Array | undefined {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "%") {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (char === "+" && plusIsSpace) {
      out.push(0x20);
    } else {
      // Not ASCII only if the URL was not normalised; a surrogate pair is one character.
      const codePoint = text.codePointAt(i)!;
      const whole = String.fromCodePoint(codePoint);
      out.push(...encoder.encode(whole));
      i += whole.length - 1;
    }
  }
  return new Uint8Array(out);
}

/**
 * Percent-encodes bytes for a URL path or query value: unreserved characters
 * and "/" stay as they are, every other byte becomes `%XX`. The result is
 * ASCII and decodes back to the same bytes with {@linkcode percentDecodeBytes}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { percentEncodeBytes } from "./percent_bytes.ts";
 *
 * assert.equal(percentEncodeBytes(new Uint8Array([0x61, 0x2f, 0xff, 0x20])), "a/%FF%20");
 * ```
 */
export function percentEncodeBytes(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && KEPT.test(char) ? char : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/**
 * The parameters of a query string (`url.search`, with or without its "?"),
 * each value as bytes; the first of repeated names wins, as with
 * `URLSearchParams.get`. Throws a `TypeError` naming the parameter when its
 * percent-encoding is broken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { queryBytes } from "./percent_bytes.ts";
 *
 * const query = queryBytes("?prefix=%FF&limit=2");
 * assert.deepEqual(query.get("prefix"), new Uint8Array([0xff]));
 * assert.deepEqual(query.get("limit"), new TextEncoder().encode("2"));
 * ```
 */
export function queryBytes(search: string): Map<string, Uint8Array> {
  const params = new Map<string, Uint8Array>();
  for (const pair of search.replace(/^\?/, "").split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? "" : pair.slice(equals + 1);
    const nameBytes = percentDecodeBytes(rawName, true);
    const name = nameBytes === undefined ? rawName : new TextDecoder().decode(nameBytes);
    const value = percentDecodeBytes(rawValue, true);
    if (nameBytes === undefined || value === undefined) {
      throw new TypeError(
        `the query parameter ${JSON.stringify(name)} is not valid percent-encoding`,
      );
    }
    if (!params.has(name)) params.set(name, value);
  }
  return params;
}
