/**
 * Errors in abstract-level's style: an `Error` with a `code` that callers
 * test (`LEVEL_DATABASE_NOT_OPEN`, …), as `module-error` makes them.
 *
 * @module
 */

/** An `Error` carrying abstract-level's `code` property. */
export function levelError(message: string, code: string, cause?: unknown): Error {
  const error = cause === undefined ? new Error(message) : new Error(message, { cause });
  return Object.assign(error, { code });
}
