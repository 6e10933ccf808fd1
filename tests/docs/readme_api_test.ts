/**
 * README.md's API table names every export of `mod.ts`, every public member of its classes and
 * every field of its options, as `deno doc --json mod.ts` lists them: a method added to the code
 * and not to the table fails here.
 */

import assert from "node:assert/strict";
import { ROOT, runDeno } from "./repository.ts";

/** The parts of `deno doc --json` output this test reads. */
interface DocMember {
  name: string;
  accessibility?: string;
}
interface DocDeclaration {
  kind: string;
  def?: { methods?: DocMember[]; properties?: DocMember[] };
}
interface DocOutput {
  nodes: Record<string, { symbols: { name: string; declarations: DocDeclaration[] }[] }>;
}

/**
 * The console's inspection hooks are called by `console.log`, never by name: the table shows
 * them as `console.log(list)`.
 */
const INSPECTION_HOOKS = new Set([
  '[Symbol.for("Deno.customInspect")]',
  '[Symbol.for("nodejs.util.inspect.custom")]',
]);

/** Every name the public API has, each with where it comes from (for the failure message). */
async function publicNames(): Promise<Map<string, string>> {
  const { code, output } = await runDeno("doc", "--json", "mod.ts");
  assert.equal(code, 0, `deno doc --json mod.ts failed:\n${output}`);
  const doc = JSON.parse(output) as DocOutput;
  const names = new Map<string, string>();
  for (const { symbols } of Object.values(doc.nodes)) {
    for (const symbol of symbols) {
      names.set(symbol.name, "export");
      for (const { kind, def } of symbol.declarations) {
        const options = kind === "interface" && symbol.name.endsWith("Options");
        if (kind !== "class" && !options) continue;
        for (const member of [...(def?.methods ?? []), ...(def?.properties ?? [])]) {
          if (member.accessibility === "private" || member.accessibility === "protected") continue;
          const name = INSPECTION_HOOKS.has(member.name)
            ? "console.log"
            : member.name.replace(/^\[(.*)\]$/, "$1"); // [Symbol.iterator] → Symbol.iterator
          names.set(name, `${symbol.name}.${member.name}`);
        }
      }
    }
  }
  return names;
}

/** The identifiers (dotted paths and their parts) in the code spans of README.md's API section. */
async function apiTableNames(): Promise<Set<string>> {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const section = /^## API\n([\s\S]*?)(?=^## )/m.exec(readme);
  assert.ok(section, "README.md has an ## API section");
  const names = new Set<string>();
  for (const [, code] of section[1]!.matchAll(/`([^`]+)`/g)) {
    for (const [path] of code!.matchAll(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g)) {
      names.add(path);
      for (const part of path.split(".")) names.add(part);
    }
  }
  return names;
}

Deno.test("README.md's API table names every public export, member and option", async () => {
  const [api, table] = await Promise.all([publicNames(), apiTableNames()]);
  assert.ok(api.has("ConcurrentSkipList") && api.has("insert"), "deno doc lists the API");
  const missing = [...api].filter(([name]) => !table.has(name)).map(([name, from]) =>
    `${name} (${from})`
  );
  assert.deepEqual(missing, [], `missing from README.md's API table:\n${missing.join("\n")}`);
});
