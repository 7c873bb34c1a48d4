#!/usr/bin/env bash
# Prepares and runs the SDK examples (examples/<language>/) against a running server, printing
# how long each step took. Every example runs the whole account lifecycle and exits non-zero on
# the first answer it did not expect.
#
#   scripts/run-examples.sh [prepare|run|all] [example...]     (default: all, every example)
#
#   examples:  typescript (gRPC)  typescript-connect (Connect, HTTP/1.1)  go  python  java
#   prepare    installs what each example needs, idempotently (a re-run only checks):
#                typescript  node_modules from `npm ci` (checked, never installed here)
#                go          module cache (go mod download) and build cache (go build)
#                python      .tools/examples-venv: examples/python/requirements.txt + gen/python
#                java        gen/java installed to the local Maven repository (~/.m2, or
#                            -Dmaven.repo.local in MAVEN_OPTS), examples/java compiled
#   run        runs the examples; needs the server's address in USERHARBOR_ADDR (default
#              127.0.0.1:50051) and its DEV_MAILBOX_FILE.
#
# Needs Node 20, Go >= 1.26, Python >= 3.10, JDK 17 + Maven; downloads from the Go module proxy,
# PyPI and Maven Central on first use. Fails (never skips) when a toolchain is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[run-examples] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
need() { command -v "$1" >/dev/null || die "$1 not found: $2"; }
export GOTOOLCHAIN=local # build with this Go; never download another toolchain
MVN=(mvn -B -q)

mode=all
case "${1:-}" in prepare | run | all) mode=$1; shift ;; esac
examples=("$@")
[[ ${#examples[@]} -gt 0 ]] || examples=(typescript typescript-connect go python java)
for example in "${examples[@]}"; do
  case "$example" in typescript | typescript-connect | go | python | java) ;;
    *) die "unknown example '$example' (typescript, typescript-connect, go, python, java)" ;;
  esac
done

# ---------------------------------------------------------------- prepare
VENV="$ROOT/.tools/examples-venv"

prepare_typescript() {
  need node "need Node 20+"
  [[ -x node_modules/.bin/tsx ]] || die "node_modules/.bin/tsx missing: run 'npm ci' first"
}

prepare_go() {
  need go "need Go >= 1.26"
  (cd examples/go && go mod download && go build -o /dev/null .)
}

prepare_python() {
  need python3 "need Python >= 3.10"
  # The venv is rebuilt when the pins or the generated SDK change; otherwise this only checks.
  local key
  key="$(cat examples/python/requirements.txt <(find gen/python -type f -not -path '*/build/*' \
    -not -path '*.egg-info*' -not -name '*.pyc' | LC_ALL=C sort | xargs sha256sum) |
    sha256sum | cut -c1-16)"
  if [[ -f "$VENV/stamp" && "$(cat "$VENV/stamp")" == "$key" ]] &&
    "$VENV/bin/python" -c 'import grpc_status, userharbor.v1.accounts_pb2_grpc' 2>/dev/null; then
    return
  fi
  local tmp
  tmp="$(mktemp -d)"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  # Install from a copy so setuptools' build/ and *.egg-info never land in gen/python.
  cp -r gen/python "$tmp/userharbor-client"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input \
    -r examples/python/requirements.txt "$tmp/userharbor-client"
  rm -rf "$tmp"
  echo "$key" >"$VENV/stamp"
}

prepare_java() {
  need java "need JDK 17+"
  need mvn "need Maven 3.8+"
  # Always reinstall the SDK (a few seconds): ~/.m2 is shared, and another checkout may have
  # installed a different dev.userharbor:userharbor-client:0.1.0 there.
  "${MVN[@]}" -f gen/java/pom.xml install
  # compile, and resolve exec-maven-plugin now so `run` does not download anything.
  "${MVN[@]}" -f examples/java/pom.xml compile exec:help
}

# ---------------------------------------------------------------- run
run_example() {
  case "$1" in
    typescript) USERHARBOR_PROTOCOL=grpc npx --no-install tsx examples/typescript/lifecycle.ts ;;
    typescript-connect) USERHARBOR_PROTOCOL=connect npx --no-install tsx examples/typescript/lifecycle.ts ;;
    go) (cd examples/go && go run .) ;;
    python) "$VENV/bin/python" examples/python/lifecycle.py ;;
    java) "${MVN[@]}" -f examples/java/pom.xml compile exec:java ;;
  esac
}

# ---------------------------------------------------------------- main
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
declare -A prepared took
results=()
failed=0

if [[ $mode != run ]]; then
  for example in "${examples[@]}"; do
    lang=${example%-connect}
    [[ -z ${prepared[$lang]:-} ]] || continue
    log "$lang: preparing"
    start=$(now)
    "prepare_$lang"
    prepared[$lang]=1
    took[$lang]=$(since "$start")
    results+=("$(printf 'prepare %-19s %6ss' "$lang" "${took[$lang]}")")
  done
fi

if [[ $mode != prepare ]]; then
  [[ -n ${DEV_MAILBOX_FILE:-} ]] || die "set DEV_MAILBOX_FILE to the mailbox file of the server at ${USERHARBOR_ADDR:-127.0.0.1:50051}"
  export USERHARBOR_ADDR="${USERHARBOR_ADDR:-127.0.0.1:50051}" DEV_MAILBOX_FILE
  for example in "${examples[@]}"; do
    log "$example: running against $USERHARBOR_ADDR"
    start=$(now)
    if run_example "$example"; then outcome=ok; else outcome=FAILED; failed=1; fi
    results+=("$(printf 'run     %-19s %6ss  %s' "$example" "$(since "$start")" "$outcome")")
  done
fi

echo "examples:"
printf '  %s\n' "${results[@]}"
exit "$failed"
