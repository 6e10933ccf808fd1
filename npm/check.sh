#!/usr/bin/env bash
# Checks the npm package the way a Node user gets it: builds dist/npm/, packs
# it, installs the tarball into a scratch project outside this repository,
# runs npm/consumer/workers.mjs there (worker_threads, imports by name) and
# type-checks npm/consumer/api_types.ts against the installed .d.ts files.
# Needs Deno, Node 20+ and the npm registry (for typescript only).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

# The one TypeScript the build uses, pinned in deno.json.
ts_version=$(node -p 'JSON.parse(require("fs").readFileSync("deno.json", "utf8")).imports.typescript.replace(/^npm:typescript@/, "")')

deno task build:npm

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "npm/check.sh: npm pack"
tarball=$(cd dist/npm && npm pack --silent --pack-destination "$scratch")
echo "npm/check.sh: packed $tarball"

# The declarations name .js files, as the JavaScript does, never sources that
# are not shipped.
if grep -rnE "from \"\.\.?/[^\"]*\.ts\"|import\(\"\.\.?/[^\"]*\.ts\"\)" --include='*.d.ts' dist/npm; then
  echo "npm/check.sh: a declaration imports a .ts file" >&2
  exit 1
fi

cd "$scratch"
cat >package.json <<'EOF'
{ "name": "fastskip-consumer", "private": true, "type": "module" }
EOF
cat >tsconfig.json <<'EOF'
{
  "compilerOptions": {
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "target": "es2022",
    "lib": ["es2024", "esnext.disposable"],
    "types": [],
    "strict": true,
    "noEmit": true,
    "skipLibCheck": false
  },
  "files": ["api_types.ts"]
}
EOF
cp "$repo/npm/consumer/workers.mjs" "$repo/npm/consumer/api_types.ts" .

echo "npm/check.sh: npm install ./$tarball typescript@$ts_version"
npm install --no-audit --no-fund --prefer-offline "./$tarball" "typescript@$ts_version"
for file in package.json mod.js mod.d.ts README.md LICENSE; do
  [ -f "node_modules/@fastskip/fastskip/$file" ] || {
    echo "npm/check.sh: the installed package has no $file" >&2
    exit 1
  }
done

echo "npm/check.sh: node workers.mjs"
node workers.mjs

echo "npm/check.sh: tsc --noEmit (moduleResolution nodenext)"
# tsc prints its errors on stdout, with the files it read.
if ! files=$(npx --no-install tsc -p . --listFiles); then
  echo "$files"
  exit 1
fi
echo "$files" | grep -v '/typescript/lib/' || true
grep -q '/node_modules/@fastskip/fastskip/mod\.d\.ts$' <<<"$files" || {
  echo "npm/check.sh: tsc did not read the package's mod.d.ts" >&2
  exit 1
}
echo "npm/check.sh: ok"
