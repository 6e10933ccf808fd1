/**
 * Maps positions V8 reports (lines and columns of the JavaScript Deno emits
 * for a TypeScript module) back to lines of the TypeScript source.
 *
 * V8 sees only the emitted code: its deopt traces and CPU profiles name
 * `file:///…/_skiplist.ts:255:12`, where 255 is a line of the type-stripped
 * output, not of the file a reader opens. Deno keeps that output, with an
 * inline source map, in its emit cache (`$DENO_DIR/gen/file/<path>.js`);
 * this module reads the map and answers the source line. When the cache or
 * the map is missing (another `DENO_DIR`, no read permission) it answers
 * undefined and callers print the emitted position instead.
 *
 * @module
 */

/** One mapped segment: emitted column → source line (0-based). */
interface Segment {
  column: number;
  sourceLine: number;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes the base64-VLQ numbers of one segment of a `mappings` string. */
function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`source map: bad VLQ digit ${c}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return out;
}

/**
 * Decodes a source map's `mappings` into, per emitted line, its segments
 * sorted by column (only the source line is kept: one source per module).
 */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let sourceLine = 0;
  for (const line of mappings.split(";")) {
    const segments: Segment[] = [];
    let column = 0;
    for (const text of line.split(",")) {
      if (text === "") continue;
      const fields = decodeVlq(text);
      const columnDelta = fields[0];
      if (columnDelta === undefined) throw new Error(`source map: segment ${text} holds no number`);
      column += columnDelta;
      if (fields.length >= 4) {
        sourceLine += fields[2]!;
        segments.push({ column, sourceLine });
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** Where Deno keeps its emitted code: `DENO_DIR`, else the default per OS. */
function denoDir(): string | undefined {
  try {
    const explicit = Deno.env.get("DENO_DIR");
    if (explicit) return explicit;
    const home = Deno.env.get("HOME");
    if (home === undefined) return undefined;
    return Deno.build.os === "darwin" ? `${home}/Library/Caches/deno` : `${home}/.cache/deno`;
  } catch {
    return undefined; // no --allow-env
  }
}

const cache = new Map<string, Segment[][] | null>();

function mapsOf(url: string): Segment[][] | null {
  let lines = cache.get(url);
  if (lines !== undefined) return lines;
  lines = null;
  const dir = denoDir();
  if (dir !== undefined && url.startsWith("file:///")) {
    try {
      const emitted = Deno.readTextFileSync(`${dir}/gen/file${url.slice("file://".length)}.js`);
      const match = emitted.match(
        /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)/,
      );
      if (match !== null) {
        const map = JSON.parse(atob(match[1]!)) as { mappings: string };
        lines = decodeMappings(map.mappings);
      }
    } catch {
      lines = null; // not emitted (plain .js), or not readable: no mapping
    }
  }
  cache.set(url, lines);
  return lines;
}

/**
 * The 1-based source line of 1-based emitted `line`, `column` in module
 * `url`, or undefined when it cannot be told. Without a column, the line's
 * last segment answers: an emitted line may begin with the tail of a doc
 * comment that Deno joined to the code after it.
 */
export function sourceLine(url: string, line: number, column?: number): number | undefined {
  const lines = mapsOf(url);
  const segments = lines?.[line - 1];
  if (segments === undefined || segments.length === 0) return undefined;
  if (column === undefined) return segments[segments.length - 1]!.sourceLine + 1;
  let best = segments[0]!;
  for (const segment of segments) {
    if (segment.column > column - 1) break;
    best = segment;
  }
  return best.sourceLine + 1;
}

/**
 * `src/_skiplist.ts:312`: a position relative to the repository, by source
 * line when the map tells it, else `src/_skiplist.ts, emitted line 255`.
 */
export function describePosition(url: string, line: number, column?: number): string {
  const mapped = sourceLine(url, line, column);
  const root = new URL("../", import.meta.url).href;
  const path = url.startsWith(root) ? url.slice(root.length) : url.replace(/^.*\//, "");
  return mapped === undefined ? `${path}, emitted line ${line}` : `${path}:${mapped}`;
}
