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
#                            + sdk/python (userharbor.sessions)
#                java        gen/java and sdk/java installed to the local Maven repository (~/.m2,
#                            or -Dmaven.repo.local in MAVEN_OPTS), examples/java compiled
#   run        runs the examples; needs the server's address in USERHARBOR_ADDR (default
#              127.0.0.1:50051) and its DEV_MAILBOX_FILE.
#
# Needs Node 20, Go >= 1.26, Python >= 3.10, JDK 17 + Maven; downloads from the Go module proxy,
# PyPI and Maven Central on first use. Fails (never skips) when a toolchain is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[run-examples] %s\n' "$*" >&2; }
export GOTOOLCHAIN=local # build with this Go; never download another toolchain
MVN=(mvn -B -q)
# die, need, need_jdk, locked, prepare_python, VENV, java_libraries (shared with scripts/sdk-tests.sh)
source "$ROOT/scripts/lib/sdk-toolchains.sh"

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
prepare_typescript() {
  need node "need Node 20+"
  [[ -x node_modules/.bin/tsx ]] || die "node_modules/.bin/tsx missing: run 'npm ci' first"
}

prepare_go() {
  need go "need Go >= 1.26"
  (cd examples/go && go mod download && go build -o /dev/null .)
}

prepare_java() {
  need_jdk
  locked java java_libraries
  # compile, and resolve exec-maven-plugin now so `run` does not download anything.
  locked java "${MVN[@]}" -f examples/java/pom.xml compile exec:help
}

# ---------------------------------------------------------------- run
run_example() {
  case "$1" in
    typescript) USERHARBOR_PROTOCOL=grpc npx --no-install tsx examples/typescript/lifecycle.ts ;;
    typescript-connect) USERHARBOR_PROTOCOL=connect npx --no-install tsx examples/typescript/lifecycle.ts ;;
    go) (cd examples/go && go run .) ;;
    python) "$VENV/bin/python" examples/python/lifecycle.py ;;
    java) locked java "${MVN[@]}" -f examples/java/pom.xml compile exec:java ;;
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
