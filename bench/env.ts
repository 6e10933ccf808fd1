/**
 * The benchmarks' settings from the environment (`FASTSKIP_*`), read so that
 * a run without `--allow-env` still works, on the defaults.
 *
 * @module
 */

/** Environment variable `name`, or undefined when unset or not readable (no `--allow-env`). */
export function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** Environment variable `name`, or `fallback` when unset or not readable. */
export function envOr(name: string, fallback: string): string {
  return env(name) ?? fallback;
}
