#!/usr/bin/env bash
# Runs the hand-written libraries' own test suites (sdk/go, sdk/python, sdk/java) against a
# running server; test/sdk/verifiers.test.ts does, with a server it starts.
#
#   scripts/sdk-tests.sh [prepare|run|all] [go|python|java...]    (default: all, every language)
#
#   prepare  installs what each suite needs, idempotently (shared with scripts/run-examples.sh):
#              go      module and build cache (go test -race compiled, not run)
#              python  .tools/examples-venv (+ pytest, mypy)
#              java    dependencies resolved, gen/java + sdk/java + its Spring Boot starter compiled
#                      (sdk/java/reactor.xml)
#   run      runs each suite against UH_SERVER_URL (http://127.0.0.1:PORT of a server started
#            with REQUIRE_VERIFIED_EMAIL=false: the suites register their own accounts). Optional:
#            UH_SHARED_ASSERTION (an assertion every language verifies) and UH_SHARED_CLAIMS_OUT
#            (where each writes the claims it read: <path>.<language>.json).
#            Each language ends with one line: "sdk-tests <language>: N passed, N failed, N skipped".
#
# Needs Go >= 1.26 with a C compiler (the race detector), Python >= 3.10, JDK 17 + Maven. Fails (never skips) when a toolchain is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[sdk-tests] %s\n' "$*" >&2; }
export GOTOOLCHAIN=local # build with this Go; never download another toolchain
MVN=(mvn -B -q)
# die, need, need_jdk, locked, prepare_python, VENV
source "$ROOT/scripts/lib/sdk-toolchains.sh"

mode=all
case "${1:-}" in prepare | run | all) mode=$1; shift ;; esac
langs=("$@")
[[ ${#langs[@]} -gt 0 ]] || langs=(go python java)
for lang in "${langs[@]}"; do
  case "$lang" in go | python | java) ;; *) die "unknown language '$lang' (go, python, java)" ;; esac
done

prepare_go() {
  need go "need Go >= 1.26"
  need "$(go env CC)" "go test -race needs cgo: a C compiler"
  # The race detector: the verifier's caches and the uhhttp middleware serve concurrent requests.
  (cd sdk/go && go mod download && go vet ./... && go test -race -count=1 -run '^$' ./... >/dev/null)
}

# sdk/java/reactor.xml builds the library with this checkout's gen/java, never with whatever
# userharbor-client another checkout installed into the shared ~/.m2. Preparing runs the tests
# that need no server, which also resolves Surefire's JUnit provider for the offline run.
prepare_java() {
  need_jdk
  locked java env -u UH_SERVER_URL "${MVN[@]}" -f sdk/java/reactor.xml test
}

summary() { # language passed failed skipped
  echo "sdk-tests $1: $2 passed, $3 failed, $4 skipped"
  [[ $3 -eq 0 ]]
}

run_go() {
  local out status=0
  out="$(cd sdk/go && UH_SHARED_CLAIMS_OUT="${UH_SHARED_CLAIMS_OUT:+$UH_SHARED_CLAIMS_OUT.go.json}" \
    go test -race -count=1 -v ./... 2>&1)" || status=$?
  echo "$out"
  summary go "$(grep -cE '^\s*--- PASS' <<<"$out" || true)" \
    "$(grep -cE '^\s*--- FAIL' <<<"$out" || true)" "$(grep -cE '^\s*--- SKIP' <<<"$out" || true)" &&
    [[ $status -eq 0 ]]
}

run_python() {
  local out status=0 line
  # The installed package (not the source tree) is what pytest imports.
  out="$(cd sdk/python && UH_SHARED_CLAIMS_OUT="${UH_SHARED_CLAIMS_OUT:+$UH_SHARED_CLAIMS_OUT.python.json}" \
    "$VENV/bin/pytest" -q -rs -p no:cacheprovider 2>&1)" || status=$?
  echo "$out"
  # Type hints are part of the API (py.typed): mypy --strict checks them.
  (cd sdk/python && "$VENV/bin/mypy" --strict --explicit-package-bases --no-incremental --cache-dir=/dev/null userharbor) || status=1
  line="$(grep -E '^[0-9]+ (passed|failed)|^(=+ )?[0-9]+ (passed|failed|skipped)' <<<"$out" | tail -1)"
  [[ -n $line ]] || { log "python: no pytest summary line"; return 1; }
  count() { grep -oE "[0-9]+ $1" <<<"$line" | cut -d' ' -f1 || echo 0; }
  summary python "$(count passed)" "$(($(count failed) + $(count error)))" "$(count skipped)" && [[ $status -eq 0 ]]
}

run_java() {
  local out status=0 line run failures errors skipped
  out="$(UH_SHARED_CLAIMS_OUT="${UH_SHARED_CLAIMS_OUT:+$UH_SHARED_CLAIMS_OUT.java.json}" \
    locked java mvn -B -o -f sdk/java/reactor.xml test 2>&1)" || status=$?
  # Maven's whole log only when something failed; else the tests' lines.
  if [[ $status -ne 0 ]]; then echo "$out"; else grep -E 'Tests run|WARN' <<<"$out" || true; fi
  # One Surefire summary per module (sdk/java, spring-boot-starter): their sum.
  line="$(grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' <<<"$out" |
    grep -oE '[0-9]+' | paste -d' ' - - - - | awk '{ r += $1; f += $2; e += $3; s += $4 } END { if (NR) print r, f, e, s }')"
  [[ -n $line ]] || { log "java: no Surefire summary line"; return 1; }
  read -r run failures errors skipped <<<"$line"
  summary java "$((run - failures - errors - skipped))" "$((failures + errors))" "$skipped" && [[ $status -eq 0 ]]
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
results=()
failed=0

if [[ $mode != run ]]; then
  for lang in "${langs[@]}"; do
    log "$lang: preparing"
    start=$(now)
    "prepare_$lang"
    results+=("$(printf 'prepare %-7s %6ss' "$lang" "$(since "$start")")")
  done
fi

if [[ $mode != prepare ]]; then
  [[ -n ${UH_SERVER_URL:-} ]] || die "set UH_SERVER_URL to the server's http://127.0.0.1:PORT"
  export UH_SERVER_URL
  for lang in "${langs[@]}"; do
    log "$lang: running against $UH_SERVER_URL"
    start=$(now)
    if "run_$lang"; then outcome=ok; else outcome=FAILED; failed=1; fi
    results+=("$(printf 'run     %-7s %6ss  %s' "$lang" "$(since "$start")" "$outcome")")
  done
fi

echo "sdk-tests:"
printf '  %s\n' "${results[@]}"
exit "$failed"
