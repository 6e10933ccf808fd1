/**
 * The cache server example, driven by a real HTTP client (`fetch`) over a
 * socket, in-process: started on port 0, shut down at the end. Every
 * response body is consumed (or cancelled) so the resource sanitizer stays
 * quiet.
 */

import assert from "node:assert/strict";
import cacheServer, { startCacheServer } from "../../examples/cache_server.ts";
import { GenerationalCache } from "../../examples/cache_server/generational_cache.ts";
import type { ListedEntry } from "../../examples/cache_server/listing.ts";
import { percentEncodeBytes } from "../../examples/cache_server/percent_bytes.ts";

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

/** A server of its own for one test: 4 KiB values at most. */
async function withServer(run: (base: string) => Promise<void>): Promise<void> {
  const server = startCacheServer({ port: 0, memtableBytes: 64 << 10, maxValueBytes: 4096 });
  try {
    await run(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
  await server.finished;
}

Deno.test("cache server: HEAD on a key or a listing answers GET's status and headers, no body", async () => {
  await withServer(async (base) => {
    await call(`${base}/kv/h/one`, { method: "PUT", body: "12345" });
    for (const path of ["/kv/h/one", "/kv?prefix=h/", "/kv/h/missing", "/kv?limit=0"]) {
      const get = await fetch(`${base}${path}`);
      const getBody = new Uint8Array(await get.arrayBuffer());
      const head = await fetch(`${base}${path}`, { method: "HEAD" });
      const headBody = new Uint8Array(await head.arrayBuffer());
      assert.equal(head.status, get.status, path);
      assert.equal(head.headers.get("content-type"), get.headers.get("content-type"), path);
      assert.equal(head.headers.get("content-length"), String(getBody.length), path);
      assert.ok(getBody.length > 0, `GET ${path} has a body`);
      assert.equal(headBody.length, 0, `HEAD ${path} has none`);
    }
    assert.equal((await call(`${base}/kv/h/one`)).body, "12345", "HEAD changed nothing");
  });
});

Deno.test("cache server: every 405 says what is allowed, in Allow and in the error", async () => {
  await withServer(async (base) => {
    const cases: [string, string, string][] = [
      ["/kv/some/key", "PATCH", "GET, HEAD, PUT, DELETE"],
      ["/kv/some/key", "POST", "GET, HEAD, PUT, DELETE"],
      ["/kv", "PATCH", "GET, HEAD"],
      ["/kv", "PUT", "GET, HEAD"],
      ["/kv", "DELETE", "GET, HEAD"],
    ];
    for (const [path, method, allowed] of cases) {
      const response = await fetch(`${base}${path}`, { method, body: "x" });
      const body = await response.json();
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(response.headers.get("allow"), allowed, `${method} ${path}`);
      assert.match(body.error, new RegExp(`^${method} is not allowed`));
    }
  });
});

Deno.test("cache server: a chunked upload over the cap gets 413 long before the client has sent it all", async () => {
  await withServer(async (base) => {
    const total = 300 << 20;
    const chunkBytes = 64 << 10;
    let pulled = 0;
    let stop = false;
    // A body the client pulls on demand (no Content-Length: chunked); it
    // counts what was asked of it. The server may only have read what was pulled.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (stop || pulled >= total) return controller.close();
        pulled += chunkBytes;
        controller.enqueue(new Uint8Array(chunkBytes).fill(7));
      },
    }, { highWaterMark: 0 });
    const response = await fetch(`${base}/kv/huge`, {
      method: "PUT",
      body,
      duplex: "half",
    } as RequestInit);
    const pulledAtResponse = pulled;
    stop = true; // Deno's fetch would go on pulling after the answer
    assert.equal(response.status, 413);
    assert.match((await response.json()).error, /larger than 4096 bytes/);
    // What was pulled is at most the cap plus the socket buffers in between.
    assert.ok(
      pulledAtResponse < total / 10,
      `answered after ${pulledAtResponse} of ${total} bytes were pulled`,
    );
    assert.equal((await call(`${base}/kv/huge`)).status, 404, "nothing was stored");
  });
});

/** Sends raw bytes on a fresh connection, then reads the response head. */
async function rawRequest(port: number, head: string, closeWrite: boolean): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(head));
    if (closeWrite) await conn.closeWrite();
    let text = "";
    const buffer = new Uint8Array(4096);
    while (!text.includes("\r\n\r\n")) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    return text;
  } finally {
    conn.close();
  }
}

Deno.test("cache server: a declared Content-Length over the cap gets 413 without a byte of body", async () => {
  const server = startCacheServer({ port: 0, memtableBytes: 64 << 10, maxValueBytes: 4096 });
  try {
    // Headers only, then end of input: a server that waited for the body
    // would read end-of-file and fail the request, not answer 413.
    const head = await rawRequest(
      server.addr.port,
      "PUT /kv/declared HTTP/1.1\r\nHost: x\r\nContent-Length: 314572800\r\n\r\n",
      true,
    );
    assert.match(head, /^HTTP\/1\.1 413 /);
    // Control: the same request within the cap has to wait for its body.
    const small = await rawRequest(
      server.addr.port,
      "PUT /kv/declared HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
      false,
    );
    assert.match(small, /^HTTP\/1\.1 204 /);
  } finally {
    await server.shutdown();
  }
  await server.finished;
});

Deno.test("cache server: keys and values that are not UTF-8 round-trip through PUT, GET and the listing", async () => {
  await withServer(async (base) => {
    const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const cases: [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>][] = [
      [new Uint8Array([0xff, 0x00, 0x80, 0x2f, 0x41]), allBytes], // neither is UTF-8
      [new Uint8Array([0xff, 0x01]), bytes("plain text")], // binary key, text value
      [new Uint8Array([0xff, 0x02]), bytes("\ufeffkept BOM, \u00e9, \u{1f600}")], // UTF-8 with a BOM
      [new Uint8Array([0xff, 0x03]), new Uint8Array([0xed, 0xa0, 0x80])], // an encoded surrogate
      [new Uint8Array([0xff, 0x04]), new Uint8Array(0)], // the empty value
    ];
    for (const [key, value] of cases) {
      const put = await call(`${base}/kv/${percentEncodeBytes(key)}`, {
        method: "PUT",
        body: value,
      });
      assert.equal(put.status, 204);
      const got = await fetch(`${base}/kv/${percentEncodeBytes(key)}`);
      assert.deepEqual(new Uint8Array(await got.arrayBuffer()), value);
    }
    // Page through the 0xff prefix two at a time, decoding each field by its marker.
    const decode = (field: string, encoding: string | undefined) =>
      encoding === "base64" ? Uint8Array.fromBase64(field) : bytes(field);
    const listed: [Uint8Array, Uint8Array][] = [];
    let after: string | null = null;
    do {
      const page: Response = await fetch(
        `${base}/kv?prefix=%FF&limit=2${after === null ? "" : `&after=${after}`}`,
      );
      const { entries, next }: { entries: ListedEntry[]; next: string | null } = await page.json();
      for (const e of entries) {
        listed.push([decode(e.key, e.keyEncoding), decode(e.value, e.valueEncoding)]);
      }
      if (next !== null) assert.match(next, /^[\x21-\x7e]+$/, "next is plain ASCII");
      after = next;
    } while (after !== null);
    assert.deepEqual(listed, cases);
    // The markers appear exactly where the bytes are not UTF-8.
    const { entries } = await (await fetch(`${base}/kv?prefix=%FF&limit=3`)).json();
    assert.deepEqual(entries.map((e: Record<string, string>) => [e.keyEncoding, e.valueEncoding]), [
      ["base64", "base64"],
      ["base64", undefined],
      ["base64", undefined],
    ]);
    assert.equal(entries[2].value, "\ufeffkept BOM, \u00e9, \u{1f600}");
  });
});

Deno.test("cache server: the default export answers requests when given to Deno.serve", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    cacheServer.fetch,
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const key = `default-export/${crypto.randomUUID()}`;
    assert.equal((await call(`${base}/kv/${key}`, { method: "PUT", body: "served" })).status, 204);
    assert.deepEqual(await call(`${base}/kv/${key}`), {
      status: 200,
      body: "served",
      type: "application/octet-stream",
    });
    const head = await fetch(`${base}/kv/${key}`, { method: "HEAD" });
    await head.body?.cancel();
    assert.equal(head.headers.get("content-length"), "6");
    const patch = await fetch(`${base}/kv/${key}`, { method: "PATCH" });
    await patch.body?.cancel();
    assert.equal(patch.headers.get("allow"), "GET, HEAD, PUT, DELETE");
  } finally {
    await server.shutdown();
  }
  await server.finished;
});

const serverPath = new URL("../../examples/cache_server.ts", import.meta.url).pathname;

/** A port nobody listens on right now. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/**
 * Runs the server as its own process (`deno run` or `deno serve`) until it
 * prints where it listens, makes `check` against that base URL, then stops
 * it; returns the port it listened on and all it printed.
 */
async function runServerProcess(
  args: string[],
  env: Record<string, string>,
  check: (base: string) => Promise<void>,
): Promise<{ port: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  let port: number | undefined;
  try {
    while (port === undefined) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the server exited before listening:\n${stdout}\n${await stderr}`);
      stdout += value;
      const match = /cache server on http:\/\/127\.0\.0\.1:(\d+)\/kv/.exec(stdout);
      if (match !== null) port = Number(match[1]);
    }
    await check(`http://127.0.0.1:${port}`);
  } finally {
    try {
      child.kill("SIGTERM");
    } catch {
      // It has exited already; its output says why.
    }
    await child.status;
  }
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    stdout += value;
  }
  return { port, stdout, stderr: await stderr };
}

/** PUT then GET through a running server. */
async function roundTrip(base: string): Promise<void> {
  assert.equal((await call(`${base}/kv/process`, { method: "PUT", body: "up" })).status, 204);
  assert.equal((await call(`${base}/kv/process`)).body, "up");
}

Deno.test("cache server: deno run listens where --host/--port or HOST/PORT say, flags first", async (t) => {
  const run = ["run", "--no-prompt", "--allow-net", "--allow-env=HOST,PORT", serverPath];
  await t.step("HOST and PORT from the environment", async () => {
    const port = freePort();
    const result = await runServerProcess(
      run,
      { HOST: "127.0.0.1", PORT: String(port) },
      roundTrip,
    );
    assert.equal(result.port, port);
  });
  await t.step("--host and --port, also as --flag=value", async () => {
    const port = freePort();
    const result = await runServerProcess(
      [...run, "--host=127.0.0.1", "--port", String(port)],
      {},
      roundTrip,
    );
    assert.equal(result.port, port);
  });
  await t.step("a flag wins over its variable", async () => {
    const port = freePort();
    const result = await runServerProcess(
      [...run, "--port", String(port)],
      { HOST: "127.0.0.1", PORT: "1" },
      roundTrip,
    );
    assert.equal(result.port, port);
  });
});

Deno.test("cache server: a bad HOST, PORT, --host or --port is one line on stderr and exit 2", async (t) => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [[], { PORT: "abc" }, /PORT must be a port number from 0 to 65535, got "abc"/],
    [[], { PORT: "70000" }, /PORT must be a port number/],
    [[], { HOST: "not a host" }, /HOST must be a host name or an IP address/],
    [["--port", "65536"], {}, /--port must be a port number/],
    [["--host", ""], {}, /--host must be a host name/],
    [["--host=a/b"], {}, /--host must be a host name/],
    [["--host"], {}, /--host needs a value/],
    [["--port", "1", "--port", "2"], {}, /--port is given twice/],
  ];
  for (const [args, env, message] of cases) {
    await t.step(`${args.join(" ")} ${JSON.stringify(env)}`, async () => {
      const { code, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-prompt", "--allow-net", "--allow-env=HOST,PORT", serverPath, ...args],
        env,
        stdout: "null",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(stderr).trim();
      assert.equal(code, 2, err);
      assert.equal(err.split("\n").length, 1, `one line: ${err}`);
      assert.match(err, /^cache_server: /);
      assert.match(err, message);
    });
  }
});

Deno.test("cache server: deno serve runs the default export, and only it", async () => {
  const port = freePort();
  const result = await runServerProcess(
    ["serve", "--no-prompt", "--host", "127.0.0.1", "--port", String(port), serverPath],
    {},
    roundTrip,
  );
  assert.equal(result.port, port);
  // Had the module also started its `deno run` server, it would say so (or fail to listen).
  assert.equal(result.stdout.match(/cache server on/g)?.length, 1, result.stdout);
  assert.doesNotMatch(result.stderr, /cannot listen|error/i, result.stderr);
});
