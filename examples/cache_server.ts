/**
 * An HTTP key-value cache on a fastskip list, in the form Deno Deploy and
 * `deno serve` run: `export default { fetch }`.
 *
 *   deno serve examples/cache_server.ts                       (deno serve's --host / --port)
 *   deno run --allow-net examples/cache_server.ts [--host H] [--port N]   serve until Ctrl-C
 *   deno run --allow-net --allow-env=HOST,PORT examples/cache_server.ts   HOST / PORT too
 *   deno run --allow-net examples/cache_server.ts --self-test             start, check, stop
 *
 *   PUT         /kv/:key              body = value        → 204 | 413 (value too large)
 *   GET | HEAD  /kv/:key                                  → 200 value | 404
 *   DELETE      /kv/:key                                  → 204 | 404
 *   GET | HEAD  /kv?prefix=p&limit=n&after=k              → 200 JSON, in key order:
 *     {"entries":[{"key":"…","value":"…"}],"next":"…"|null}
 *     a field that is not UTF-8 is base64, marked "keyEncoding"/"valueEncoding": "base64";
 *     next is percent-encoded: append it as is, `&after=${next}`
 *
 * Keys are bytes: the rest of the path after `/kv/`, each `%XX` one byte (so
 * any key has a URL; "/" is allowed; a whole segment `.` or `..` is resolved
 * by URL parsing, in clients too, so it cannot be part of a key). `prefix`
 * and `after` are percent-encoded the same way. HEAD answers what GET would,
 * without the body. Other methods get 405 with `Allow`. A value over the cap
 * is refused while it streams in: a declared Content-Length over it at once,
 * a chunked upload as soon as the bytes read pass it (the rest is not read).
 * Errors are JSON `{"error":"…"}` with 400, 404, 405 or 413.
 *
 * When to use it: this cache lives in the memory of one isolate. It is the
 * fastest thing to ask (no network hop, no serialisation beyond the copy
 * out), but each isolate has its own: Deploy runs several isolates and starts
 * and stops them as it likes, so two requests may see two different caches,
 * and a restart empties it. It could be shared only with Workers of the same
 * isolate, and Deploy has no Workers. Use it for what is cheap to lose and
 * fine to hold per isolate (memoised computations, rate-limit windows,
 * hot keys in front of a slower store). For data every isolate must see, or
 * that must survive a restart, use Deno KV; for whole HTTP responses keyed by
 * request, the Cache API. (`deno serve --parallel` starts one isolate per
 * thread: each gets its own cache, for the same reason.)
 *
 * Memory stays bounded: the store keeps two generations of memtable and
 * evicts the oldest (see `cache_server/generational_cache.ts`).
 *
 * @module
 */

import assert from "node:assert/strict"; // for --self-test only
import { GenerationalCache } from "./cache_server/generational_cache.ts";
import { cacheHandler } from "./cache_server/handler.ts";
import {
  type Command,
  listenEnv,
  parseCommand,
  USAGE,
  UsageError,
} from "./cache_server/listen_options.ts";

/**
 * Options of {@linkcode startCacheServer}.
 *
 * @example
 * ```ts ignore
 * const options: CacheServerOptions = { port: 0, maxValueBytes: 64 << 10 };
 * ```
 */
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

const DEFAULT_MEMTABLE_BYTES = 16 << 20;
const DEFAULT_MAX_VALUE_BYTES = 1 << 20;

/** Set by `onListen`, which only `deno serve` calls: see the end of this file. */
let servedByDenoServe = false;

/** The cache of the default export, made on the first request (importing allocates nothing). */
let defaultFetch: ((request: Request) => Promise<Response>) | undefined;

/**
 * The server as `deno serve` and Deno Deploy take it: one cache of the
 * default sizes, made on the first request, answering every request of this
 * isolate.
 *
 * @example
 * ```ts ignore
 * import cacheServer from "./cache_server.ts";
 *
 * const server = Deno.serve({ port: 0 }, cacheServer.fetch);
 * await server.shutdown();
 * ```
 */
export default {
  fetch(request: Request): Promise<Response> {
    defaultFetch ??= cacheHandler(
      new GenerationalCache(DEFAULT_MEMTABLE_BYTES, DEFAULT_MAX_VALUE_BYTES),
    );
    return defaultFetch(request);
  },
  onListen(addr: Deno.Addr): void {
    servedByDenoServe = true;
    if (addr.transport === "tcp") console.log(`cache server on ${baseUrl(addr)}/kv`);
  },
} satisfies Deno.ServeDefaultExport;

const baseUrl = (addr: Deno.NetAddr) =>
  `http://${addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname}:${addr.port}`;

/**
 * Starts a cache server with a cache of its own and returns it:
 * `await server.shutdown()` stops it.
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
    options.memtableBytes ?? DEFAULT_MEMTABLE_BYTES,
    options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES,
  );
  return Deno.serve(
    { port: options.port ?? 8000, hostname: options.hostname ?? "127.0.0.1", onListen: () => {} },
    cacheHandler(cache),
  );
}

/** `--self-test`: round trips through a real socket, then a clean stop. */
async function selfTest(): Promise<void> {
  const server = startCacheServer({ port: 0 });
  const base = `${baseUrl(server.addr)}/kv`;
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
    const head = await fetch(`${base}/fruit/apple`, { method: "HEAD" });
    assert.equal(head.headers.get("content-length"), "3");
    assert.equal(await head.text(), "");
    const removed = await fetch(`${base}/fruit/apple`, { method: "DELETE" });
    await removed.body?.cancel();
    assert.equal(removed.status, 204);
    const gone = await fetch(`${base}/fruit/apple`);
    await gone.body?.cancel();
    assert.equal(gone.status, 404);
    const binary = await fetch(`${base}/fruit/%FF`, { method: "PUT", body: new Uint8Array([0]) });
    await binary.body?.cancel();
    const list = await fetch(`${base}?prefix=fruit/`);
    assert.deepEqual(await list.json(), {
      entries: [
        { key: "fruit/banana", value: "yellow" },
        { key: "ZnJ1aXQv/w==", keyEncoding: "base64", value: "\0" },
      ],
      next: null,
    });
  } finally {
    await server.shutdown();
  }
  console.log("cache_server: ok");
}

/** Runs what the command line asks for (`deno run`). */
async function main(command: Command): Promise<void> {
  if (command.kind === "help") {
    console.log(USAGE);
  } else if (command.kind === "self-test") {
    await selfTest();
  } else {
    let server: Deno.HttpServer<Deno.NetAddr>;
    try {
      server = startCacheServer({ hostname: command.hostname, port: command.port });
    } catch (error) {
      // Address in use, no such interface, no --allow-net: not a usage error.
      const reason = error instanceof Error ? error.message : String(error);
      // The threads of `deno serve --parallel` after the first are not given
      // onListen, so they land here, without the permission to listen.
      const hint = error instanceof Deno.errors.NotCapable
        ? "; under deno serve, leave out --parallel (each thread would have a cache of its own)"
        : "";
      console.error(
        `cache_server: cannot listen on ${command.hostname}:${command.port}: ${reason}${hint}`,
      );
      Deno.exit(1);
    }
    console.log(`cache server on ${baseUrl(server.addr)}/kv (Ctrl-C stops it)`);
  }
}

/** The command line and environment, or exit 2 with one line saying what is wrong. */
function readCommand(): Command {
  try {
    return parseCommand(Deno.args, listenEnv());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`cache_server: ${error.message}; ${USAGE}`);
    Deno.exit(2);
  }
}

if (import.meta.main) {
  // `deno serve` runs this module as the main module too, and Deno has no
  // way to ask which command runs (denoland/deno#25179). What tells them
  // apart: `deno serve` calls the default export's onListen right after this
  // module is evaluated, before any timer fires (Deno 2.9); `deno run` never
  // calls it. So the command line is checked now (a usage error exits here,
  // with its one line), and the server of `deno run` starts on the first
  // timer, unless `deno serve` has started one by then. (`deno serve
  // --parallel` calls onListen in its first thread only: not supported, and
  // each thread would hold a cache of its own anyway.)
  const command = readCommand();
  setTimeout(() => {
    if (!servedByDenoServe) main(command);
  }, 0);
}
