#!/usr/bin/env bash
# Compile one area of the tree alone (for parallel work when other areas are mid-edit):
#   scripts/build-area.sh NAME DIR [DIR...]   -> /tmp/sst-build-NAME (then: node --test /tmp/sst-build-NAME/DIR)
set -euo pipefail
name=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
out=/tmp/sst-build-$name
cfg=$root/.tsconfig.$name.json
inc=$(printf '"%s/**/*",' "$@")
cat > "$cfg" <<JSON
{ "extends": "./tsconfig.json", "compilerOptions": { "outDir": "$out", "rootDir": "." },
  "include": [${inc} "span-processor/types.ts", "span-processor/config.ts"] }
JSON
cd "$root"
npx tsc -p "$cfg"
rm -f "$cfg"
for d in "$@"; do
  (cd "$root" && find "$d" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.cjs' -o -name '*.mjs' -o -name '*.js' \) -not -path '*/node_modules/*' -print0 | while IFS= read -r -d '' f; do mkdir -p "$out/$(dirname "$f")"; cp "$f" "$out/$f"; done)
done
ln -sfn "$root/node_modules" "$out/node_modules"
echo "built $out"
