#!/usr/bin/env bash
# Regenerates gen/ (TypeScript, Go, Python, Java) from proto/ with the pinned local plugins.
# Extra arguments go to `buf generate` (scripts/check-generated.sh passes `-o DIR`).
# Needs `npm ci` first; installs the other generators via scripts/install-codegen.sh (a no-op
# once they are there).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" # buf.gen.yaml names plugins and protoc by paths relative to the repository root

if [[ ! -x node_modules/.bin/buf ]]; then
  echo "generate: node_modules/.bin/buf missing: run 'npm ci' first" >&2
  exit 1
fi
scripts/install-codegen.sh

# buf.gen.yaml already names every tool by path; PATH is set too so that anything a plugin
# runs in turn resolves to the same pinned tools.
export PATH="$ROOT/.tools/bin:$ROOT/node_modules/.bin:$PATH"
exec npx --no-install buf generate "$@"
