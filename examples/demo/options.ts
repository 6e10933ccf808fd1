/**
 * The demo's command line: parsing, limits and the help text. Every mistake
 * becomes a `UsageError` with a one-line message; the demo prints it and
 * exits with code 2 (no stack trace: it is the user's input, not a bug).
 *
 * @module
 */

export interface DemoOptions {
  workers: number;
  seconds: number;
  memtableBytes: number;
  /** Where tables go; undefined means a fresh temporary directory. */
  dir: string | undefined;
  keep: boolean;
  help: boolean;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export const USAGE = `Usage: deno run --allow-read --allow-write examples/demo.ts [options]

Several writer workers fill one shared fastskip memtable; when it fills up it is
sealed, a flusher worker writes it to a sorted table file, and writing goes on
in a fresh memtable. At the end every table is read back and checked against
every write the writers saw succeed.

Options:
  --workers N          writer workers (1-64, default 4)
  --seconds S          how long the writers write (0.1-3600, default 10)
  --memtable-bytes B   memtable size that triggers a seal: bytes, or with a
                       K/M/G suffix (64K-1G, default 4M)
  --dir PATH           where to write tables (default: a fresh temporary directory)
  --keep               keep the tables (and the temporary directory) at the end
  -h, --help           show this help`;

const MIB = 1 << 20;

/** Parses the demo's arguments (`--name value` or `--name=value`). */
export function parseArgs(args: readonly string[]): DemoOptions {
  const options: DemoOptions = {
    workers: 4,
    seconds: 10,
    memtableBytes: 4 * MIB,
    dir: undefined,
    keep: false,
    help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-h" || arg === "--help") {
      options.help = true;
      continue;
    }
    if (arg === "--keep") {
      options.keep = true;
      continue;
    }
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const equals = arg.indexOf("=");
    const name = equals < 0 ? arg : arg.slice(0, equals);
    if (!["--workers", "--seconds", "--memtable-bytes", "--dir"].includes(name)) {
      throw new UsageError(`unknown option ${name}`);
    }
    let value: string;
    if (equals >= 0) {
      value = arg.slice(equals + 1);
    } else {
      if (i + 1 >= args.length) throw new UsageError(`${name} needs a value`);
      value = args[++i]!;
    }
    switch (name) {
      case "--workers":
        options.workers = wholeNumber(name, value, 1, 64);
        break;
      case "--seconds":
        options.seconds = decimal(name, value, 0.1, 3600);
        break;
      case "--memtable-bytes":
        options.memtableBytes = byteSize(name, value, 64 * 1024, 1024 * MIB);
        break;
      case "--dir":
        if (value === "") throw new UsageError("--dir needs a non-empty path");
        options.dir = value;
        break;
    }
  }
  return options;
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`${name} expects a whole number, got ${JSON.stringify(value)}`);
  }
  return inRange(name, Number(value), min, max, String(min), String(max));
}

function decimal(name: string, value: string, min: number, max: number): number {
  if (!/^\d+(\.\d+)?$/.test(value)) {
    throw new UsageError(`${name} expects a number of seconds, got ${JSON.stringify(value)}`);
  }
  return inRange(name, Number(value), min, max, String(min), String(max));
}

function byteSize(name: string, value: string, min: number, max: number): number {
  const match = /^(\d+)([kKmMgG]?)(i?[bB])?$/.exec(value);
  if (match === null) {
    throw new UsageError(`${name} expects a size like 4194304 or 4M, got ${JSON.stringify(value)}`);
  }
  // Group 2 always takes part in a match (it may be empty): "", k, m or g.
  const unit = { "": 1, k: 1024, m: MIB, g: 1024 * MIB }[match[2]!.toLowerCase()]!;
  return inRange(name, Number(match[1]) * unit, min, max, "64K", "1G");
}

function inRange(
  name: string,
  n: number,
  min: number,
  max: number,
  minText: string,
  maxText: string,
): number {
  if (!(n >= min && n <= max)) {
    throw new UsageError(`${name} must be between ${minText} and ${maxText}, got ${n}`);
  }
  return n;
}
