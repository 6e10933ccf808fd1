/**
 * The cache server's command line: where to listen, from `--host` / `--port`
 * or the `HOST` / `PORT` environment variables (a flag wins over its
 * variable), or `--self-test`, or `--help`.
 *
 * @module
 */

/**
 * The one-line usage, printed after every usage error.
 *
 * @example
 * ```ts
 * import { USAGE } from "./listen_options.ts";
 *
 * console.error(`cache_server: unknown argument "-x"; ${USAGE}`);
 * ```
 */
export const USAGE =
  "usage: cache_server.ts [--host H] [--port N] | --self-test | --help (or HOST, PORT in the environment)";

/**
 * What the command line asks for.
 *
 * @example
 * ```ts
 * import type { Command } from "./listen_options.ts";
 *
 * const command: Command = { kind: "serve", hostname: "127.0.0.1", port: 8000 };
 * ```
 */
export type Command =
  | { kind: "serve"; hostname: string; port: number }
  | { kind: "self-test" }
  | { kind: "help" };

/**
 * A command line or environment the server cannot use; its message is one line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCommand, UsageError } from "./listen_options.ts";
 *
 * assert.throws(() => parseCommand(["--bogus"], {}), UsageError);
 * ```
 */
export class UsageError extends Error {
  override name = "UsageError";
}

const DEFAULT_HOSTNAME = "127.0.0.1";
const DEFAULT_PORT = 8000;

function checkPort(source: string, text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new UsageError(
      `${source} must be a port number from 0 to 65535, got ${JSON.stringify(text)}`,
    );
  }
  return Number(text);
}

function checkHost(source: string, text: string): string {
  // A name or an address (IPv6 without brackets, as Deno.serve takes it):
  // anything else is a typo that would only fail later, less clearly.
  if (!/^[A-Za-z0-9._:%-]+$/.test(text)) {
    throw new UsageError(
      `${source} must be a host name or an IP address, got ${JSON.stringify(text)}`,
    );
  }
  return text;
}

/**
 * Reads the command line, then the environment for what the flags left out.
 * Throws a {@linkcode UsageError} with a one-line message for anything it
 * cannot use: an unknown argument, a flag without its value, a port that is
 * not 0 to 65535, a host with characters no host name has.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCommand } from "./listen_options.ts";
 *
 * assert.deepEqual(parseCommand(["--port", "9000"], { HOST: "0.0.0.0", PORT: "1" }), {
 *   kind: "serve",
 *   hostname: "0.0.0.0",
 *   port: 9000,
 * });
 * assert.throws(() => parseCommand(["--port", "x"], {}), /--port must be a port number/);
 * ```
 */
export function parseCommand(
  args: readonly string[],
  env: { HOST?: string | undefined; PORT?: string | undefined },
): Command {
  if (args.length === 1 && args[0] === "--self-test") return { kind: "self-test" };
  if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) return { kind: "help" };
  let host: string | undefined;
  let port: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^(--host|--port)(?:=(.*))?$/.exec(arg);
    if (match === null) {
      throw new UsageError(
        arg === "--self-test" || arg === "--help" || arg === "-h"
          ? `${arg} takes no other arguments`
          : `unknown argument ${JSON.stringify(arg)}`,
      );
    }
    const flag = match[1]!;
    const value = match[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (flag === "--host") {
      if (host !== undefined) throw new UsageError("--host is given twice");
      host = checkHost("--host", value);
    } else {
      if (port !== undefined) throw new UsageError("--port is given twice");
      port = checkPort("--port", value);
    }
  }
  return {
    kind: "serve",
    hostname: host ?? (env.HOST === undefined ? DEFAULT_HOSTNAME : checkHost("HOST", env.HOST)),
    port: port ?? (env.PORT === undefined ? DEFAULT_PORT : checkPort("PORT", env.PORT)),
  };
}

/**
 * `HOST` and `PORT` from the environment, read only if the env permission
 * for them is already granted (`--allow-env=HOST,PORT`): without it they are
 * left out rather than prompted for, so `deno run --allow-net` still starts.
 *
 * @example
 * ```ts ignore
 * const env = listenEnv(); // {} under `deno run --allow-net`
 * ```
 */
export function listenEnv(): { HOST?: string; PORT?: string } {
  const env: { HOST?: string; PORT?: string } = {};
  for (const name of ["HOST", "PORT"] as const) {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") continue;
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}
