# Sourced by scripts/run-examples.sh and scripts/sdk-tests.sh (which set ROOT, MVN and log):
# what both install for Python and Java, and how they check for a toolchain. test/sdk/examples.test.ts and
# test/sdk/verifiers.test.ts run in parallel vitest workers and share .tools/examples-venv and
# the local Maven repository, so every step that writes or reads them holds a lock.

LOCKS="$ROOT/.tools/locks"

die() { log "$*"; exit 1; }
need() { command -v "$1" >/dev/null || die "$1 not found: $2"; }
need_jdk() { need java "need JDK 17+" && need mvn "need Maven 3.8+"; }

# locked NAME COMMAND...: runs COMMAND (a function or program) holding .tools/locks/NAME.lock.
locked() {
  local name=$1
  shift
  mkdir -p "$LOCKS"
  (
    flock 9
    "$@"
  ) 9>"$LOCKS/$name.lock"
}

# ---------------------------------------------------------------- Python
# One venv for the examples and the SDK's tests: examples/python/requirements.txt,
# examples/fastapi/requirements.txt, sdk/python/requirements-test.txt, gen/python
# (userharbor-client) and sdk/python (userharbor, with its fastapi extra), both installed from
# copies so setuptools' build/ and *.egg-info never land in the tree.
# Rebuilt when any of them changes; otherwise this only checks.
VENV="$ROOT/.tools/examples-venv"

prepare_python() {
  need python3 "need Python >= 3.10"
  locked python python_venv
}

python_venv() {
  local key tmp
  key="$(cat examples/python/requirements.txt examples/fastapi/requirements.txt sdk/python/requirements-test.txt \
    <(find gen/python sdk/python -type f -not -path '*/build/*' -not -path '*.egg-info*' \
      -not -path 'sdk/python/tests/*' -not -name '*.pyc' | LC_ALL=C sort | xargs sha256sum) |
    sha256sum | cut -c1-16)"
  if [[ -f "$VENV/stamp" && "$(cat "$VENV/stamp")" == "$key" ]] &&
    "$VENV/bin/python" -c 'import grpc_status, userharbor.v1.accounts_pb2_grpc, userharbor.sessions, userharbor.fastapi' 2>/dev/null; then
    return
  fi
  tmp="$(mktemp -d)"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  cp -r gen/python "$tmp/userharbor-client"
  cp -r sdk/python "$tmp/userharbor"
  rm -rf "$tmp/userharbor/tests" "$tmp"/*/build "$tmp"/*/*.egg-info
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input \
    -r examples/python/requirements.txt -r examples/fastapi/requirements.txt -r sdk/python/requirements-test.txt \
    "$tmp/userharbor-client" "$tmp/userharbor[fastapi]"
  rm -rf "$tmp"
  echo "$key" >"$VENV/stamp"
}

# ---------------------------------------------------------------- Java
# gen/java (dev.userharbor:userharbor-client) and sdk/java (dev.userharbor:userharbor-sdk) into
# the local Maven repository (~/.m2, or -Dmaven.repo.local in MAVEN_OPTS). Always reinstalled
# (seconds): ~/.m2 is shared, and another checkout may have installed other 0.1.0 jars there.
# sdk/java's install runs its tests; those that need a server skip without UH_SERVER_URL.
java_libraries() {
  "${MVN[@]}" -f gen/java/pom.xml install
  env -u UH_SERVER_URL "${MVN[@]}" -f sdk/java/pom.xml install
}
