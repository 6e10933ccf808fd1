/**
 * Argument checks shared by the public methods: a wrong type is a
 * `TypeError`, a wrong size a `RangeError`, both naming the method and the
 * argument, and both thrown before the list is touched.
 *
 * @module
 */

import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from "./_layout.ts";
import { describe } from "./options.ts";

/**
 * Whether `bytes` is a view of a buffer that was transferred away: it then
 * reads as empty, which must not pass for the empty key or value. Asked
 * only of empty views, so the common call never touches `bytes.buffer`.
 */
function isDetached(bytes: Uint8Array): boolean {
  const buffer = bytes.buffer as ArrayBuffer & { detached?: boolean };
  return buffer.detached === true;
}

/** Checks a key argument. */
export function checkKey(method: string, key: unknown, name = "key"): Uint8Array {
  return checkBytes(method, key, name, "key", MAX_KEY_BYTES);
}

/** Checks a value argument. */
export function checkValue(method: string, value: unknown, name = "value"): Uint8Array {
  return checkBytes(method, value, name, "value", MAX_VALUE_BYTES);
}

/**
 * Checks that `bytes` is a live `Uint8Array` of at most `most` bytes. Small
 * on purpose: it is inlined into every write and read, so the messages are
 * built out of line, by {@link badBytes}, only when a check fails.
 */
function checkBytes(
  method: string,
  bytes: unknown,
  name: string,
  what: string,
  most: number,
): Uint8Array {
  if (
    !(bytes instanceof Uint8Array) || bytes.byteLength > most ||
    (bytes.byteLength === 0 && isDetached(bytes))
  ) {
    throw badBytes(method, bytes, name, what, most);
  }
  return bytes;
}

/** The error for an argument {@link checkBytes} refused. */
function badBytes(
  method: string,
  bytes: unknown,
  name: string,
  what: string,
  most: number,
): Error {
  if (!(bytes instanceof Uint8Array)) {
    return new TypeError(
      `Cannot ${method}: ${name} must be a Uint8Array, received ${describe(bytes)}`,
    );
  }
  if (bytes.byteLength > most) {
    return new RangeError(
      `Cannot ${method}: ${name} is ${bytes.byteLength} bytes, the most a ${what} may have is ${most}`,
    );
  }
  return new TypeError(
    `Cannot ${method}: ${name} is a view of a detached (transferred) ArrayBuffer`,
  );
}

/** Checks that `iterable` can be iterated, and iterates it into an array. */
export function collect<T>(method: string, iterable: unknown, name: string): T[] {
  if (
    iterable === null || iterable === undefined ||
    typeof (iterable as Iterable<T>)[Symbol.iterator] !== "function" ||
    typeof iterable === "string"
  ) {
    throw new TypeError(
      `Cannot ${method}: ${name} must be an iterable, received ${describe(iterable)}`,
    );
  }
  return Array.from(iterable as Iterable<T>);
}

/**
 * Checks an options argument: undefined (no options) or an object whose own
 * and inherited enumerable names are all in `known`. `what` starts the
 * message ("Cannot seal"). for-in allocates nothing on a plain object.
 */
export function checkOptionNames(
  what: string,
  options: unknown,
  known: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
  }
  for (const name in options) {
    if (!known.has(name)) {
      throw new TypeError(
        `${what}: unknown option ${JSON.stringify(name)} (known: ${[...known].join(", ")})`,
      );
    }
  }
  return options as Record<string, unknown>;
}
