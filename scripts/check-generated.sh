#!/usr/bin/env bash
# Fails if the committed gen/ (HEAD) is not exactly what `buf generate` produces from the
# committed proto/ and buf.gen.yaml: regenerates into a temporary directory and lists every file
# that differs, is missing or is stale. `--worktree` compares the working tree instead (before
# committing). Hand-written packaging (package.json, go.mod, go.sum, pyproject.toml, pom.xml,
# README*, py.typed) and build outputs (target/, build/, dist/, __pycache__, *.egg-info) are
# not compared.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

mode=committed
case "${1:-}" in
  "") ;;
  --worktree) mode=worktree ;;
  *) echo "usage: $0 [--worktree]" >&2; exit 2 ;;
esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [[ $mode == committed ]]; then
  # Inputs and outputs as committed: a clean export of HEAD, generated with this checkout's
  # tools (node_modules/, .tools/, scripts/ are linked, not copied).
  src="$tmp/src"
  mkdir -p "$src"
  git archive HEAD proto buf.yaml buf.gen.yaml gen | tar -x -C "$src"
  ln -s "$ROOT/node_modules" "$src/node_modules"
  ln -s "$ROOT/.tools" "$src/.tools"
  ln -s "$ROOT/scripts" "$src/scripts"
  scripts/install-codegen.sh
  (cd "$src" && PATH="$ROOT/.tools/bin:$ROOT/node_modules/.bin:$PATH" \
    "$ROOT/node_modules/.bin/buf" generate -o "$tmp/out") >&2
  compare="$src/gen"
else
  scripts/generate.sh -o "$tmp/out" >&2
  compare="$ROOT/gen"
fi

# Prints the relative paths of generated files under directory $1, sorted.
generated_files() {
  (cd "$1" && find . -type f -print | sed 's|^\./||') |
    grep -Ev '(^|/)(package\.json|go\.mod|go\.sum|pyproject\.toml|pom\.xml|README[^/]*|py\.typed)$' |
    grep -Ev '(^|/)(target|build|dist|__pycache__|node_modules)/|\.egg-info/|\.pyc$' |
    LC_ALL=C sort || true
}

generated_files "$tmp/out/gen" >"$tmp/expected.txt"
generated_files "$compare" >"$tmp/actual.txt"

status=0
while read -r f; do
  echo "missing (generated, not in gen/): gen/$f"
  status=1
done < <(LC_ALL=C comm -23 "$tmp/expected.txt" "$tmp/actual.txt")
while read -r f; do
  echo "stale (in gen/, no longer generated): gen/$f"
  status=1
done < <(LC_ALL=C comm -13 "$tmp/expected.txt" "$tmp/actual.txt")
while read -r f; do
  if ! cmp -s "$tmp/out/gen/$f" "$compare/$f"; then
    echo "differs: gen/$f"
    status=1
  fi
done < <(LC_ALL=C comm -12 "$tmp/expected.txt" "$tmp/actual.txt")

if [[ $status -ne 0 ]]; then
  echo "check-generated: $mode gen/ is out of date; run scripts/generate.sh and commit the result" >&2
  exit 1
fi
echo "check-generated: $mode gen/ matches proto/ ($(wc -l <"$tmp/expected.txt") generated files)"
