/**
 * Builds the npm package for Node into `dist/npm/`: ESM JavaScript and `.d.ts`
 * files emitted by the TypeScript compiler from the same `mod.ts` that JSR
 * publishes, a `package.json` whose version is the one in `deno.json`, and the
 * README and LICENSE. Needs nothing but the npm registry (for `typescript`).
 *
 * Run it as `deno task build:npm`; `npm/check.sh` installs the result in a
 * scratch Node project and uses it from `worker_threads` and from TypeScript.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = new URL("../", import.meta.url);
const outDir = new URL("dist/npm/", root);

const denoJson = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));

/**
 * The compiler options of the emit. `rewriteRelativeImportExtensions` (TypeScript
 * 5.7+) turns `./src/x.ts` into `./src/x.js` in the JavaScript; Node 20 runs
 * ES2022 natively, so nothing is lowered; `Symbol.dispose` (which Node 20 has)
 * comes from `esnext.disposable`, so TypeScript users of the package need that
 * library too, and the iterators' types extend `IteratorObject`, so
 * TypeScript 5.6+. The DOM library only supplies
 * `performance`, which the seal's timeout reads and Node, Deno and Bun all have;
 * no public signature uses a DOM type (`npm/check.sh` type-checks the package
 * against the ES library alone).
 */
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ES2022,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2024.d.ts", "lib.esnext.disposable.d.ts", "lib.dom.d.ts"],
  types: [],
  strict: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  declaration: true,
  rewriteRelativeImportExtensions: true,
  rootDir: fileURLToPath(root),
  outDir: fileURLToPath(outDir),
  newLine: ts.NewLineKind.LineFeed,
};

/**
 * The compiler rewrites `.ts` specifiers in JavaScript only and leaves them in
 * declarations (microsoft/TypeScript#61037). TypeScript itself reads those, but
 * other tools that follow a `.d.ts` import look for a file that is not shipped,
 * so the declarations get the same `.js` specifiers as the code.
 */
const declarationSpecifiers: ts.TransformerFactory<ts.SourceFile | ts.Bundle> = (context) => {
  const { factory } = context;
  const rewrite = (specifier: ts.Expression): ts.StringLiteral | undefined => {
    if (!ts.isStringLiteral(specifier)) return undefined;
    const text = specifier.text;
    if (!/^\.\.?\//.test(text) || !text.endsWith(".ts") || text.endsWith(".d.ts")) return undefined;
    return factory.createStringLiteral(text.slice(0, -".ts".length) + ".js");
  };
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isImportDeclaration(node)) {
      const specifier = rewrite(node.moduleSpecifier);
      if (specifier) {
        return factory.updateImportDeclaration(
          node,
          node.modifiers,
          node.importClause,
          specifier,
          node.attributes,
        );
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const specifier = rewrite(node.moduleSpecifier);
      if (specifier) {
        return factory.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          specifier,
          node.attributes,
        );
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const specifier = rewrite(node.argument.literal);
      if (specifier) {
        return factory.updateImportTypeNode(
          node,
          factory.updateLiteralTypeNode(node.argument, specifier),
          node.attributes,
          node.qualifier,
          node.typeArguments,
          node.isTypeOf,
        );
      }
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (file) => ts.visitNode(file, visit) as ts.SourceFile | ts.Bundle;
};

await Deno.remove(outDir, { recursive: true }).catch((error) => {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
});

const program = ts.createProgram([fileURLToPath(new URL("mod.ts", root))], options);
const emitted = program.emit(undefined, undefined, undefined, false, {
  afterDeclarations: [declarationSpecifiers],
});
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
if (diagnostics.length > 0 || emitted.emitSkipped) {
  console.error(ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => fileURLToPath(root),
    getNewLine: () => "\n",
  }));
  console.error(`build:npm: TypeScript ${ts.version} reported ${diagnostics.length} error(s)`);
  Deno.exit(1);
}

const packageJson = {
  name: denoJson.name,
  version: denoJson.version,
  description: "A lock-free concurrent skip list in one growable SharedArrayBuffer, " +
    "shared by Workers through Atomics: an LSM-tree memtable and ordered byte-key index.",
  license: denoJson.license,
  keywords: ["skiplist", "skip-list", "concurrent", "lock-free", "SharedArrayBuffer", "memtable"],
  type: "module",
  exports: { ".": { types: "./mod.d.ts", default: "./mod.js" } },
  types: "./mod.d.ts",
  files: ["mod.js", "mod.d.ts", "src/"],
  engines: { node: ">=20" },
};
await Deno.writeTextFile(
  new URL("package.json", outDir),
  JSON.stringify(packageJson, null, 2) + "\n",
);
for (const file of ["README.md", "LICENSE"]) {
  await Deno.copyFile(new URL(file, root), new URL(file, outDir));
}

console.log(
  `build:npm: ${packageJson.name}@${packageJson.version} in dist/npm/ ` +
    `(TypeScript ${ts.version})`,
);
