#!/usr/bin/env bash
# Builds and smoke-checks the generated SDKs and the hand-written libraries beside them (sdk/) from
# source and prints how long each took.
#   go      gen/go and sdk/go: go build ./... and go vet ./...
#   python  gen/python and sdk/python: pip install into a fresh venv, import, build a stub,
#           round-trip a message, refuse a malformed assertion
#   java    gen/java and sdk/java with its Spring Boot starter (sdk/java/reactor.xml): mvn package
#           (the tests that need no server run), then load the client's classes against the
#           resolved runtime; build examples/spring-boot (its run.sh build)
#   typescript  sdk/typescript (@userharbor/sdk, hand-written): tsc to dist/, then import the build
# The libraries' tests against a real server run in npm test (test/sdk/verifiers.test.ts).
# Usage: scripts/build-sdks.sh [go] [python] [java] [typescript]   (default: all four)
# Needs Go >= 1.26, Python >= 3.10, JDK 11+ with Maven; downloads dependencies from the Go
# module proxy, PyPI and Maven Central on first use.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

langs=("$@")
[[ ${#langs[@]} -gt 0 ]] || langs=(go python java typescript)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

log() { printf '[build-sdks] %s\n' "$*" >&2; }

build_go() {
  export GOTOOLCHAIN=local # build with this Go; never download another toolchain
  (cd gen/go && go build ./... && go vet ./...)
  (cd sdk/go && go build ./... && go vet ./...)
}

build_python() {
  local venv="$tmp/venv"
  python3 -m venv "$venv"
  # Install from a copy so setuptools' build/ and *.egg-info never land in gen/python.
  cp -r gen/python "$tmp/python-src"
  cp -r sdk/python "$tmp/python-sdk"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input "$tmp/python-src" "$tmp/python-sdk"
  (
    cd "$tmp" # import the installed package, not the source tree
    "$venv/bin/python" - <<'EOF'
import grpc
from google.rpc import error_details_pb2
from userharbor.v1 import accounts_pb2, accounts_pb2_grpc

channel = grpc.insecure_channel("127.0.0.1:9")  # lazy: nothing is dialled
stub = accounts_pb2_grpc.AccountServiceStub(channel)
assert callable(stub.Login) and callable(stub.RevokeSession)
req = accounts_pb2.LoginRequest(username="ada", password="pw", client=accounts_pb2.ClientContext(ip="192.0.2.1"))
assert accounts_pb2.LoginRequest.FromString(req.SerializeToString()) == req
assert error_details_pb2.ErrorInfo(domain="userharbor.v1", reason="RATE_LIMITED").reason == "RATE_LIMITED"
channel.close()

from userharbor.sessions import MalformedAssertionError, SessionVerifier
verifier = SessionVerifier(jwks_url="http://127.0.0.1:9/.well-known/jwks.json", issuer="userharbor")
try:
    verifier.verify("not-a-jws")  # refused before any key fetch
    raise AssertionError("verified junk")
except MalformedAssertionError as error:
    assert error.code == "malformed"

from userharbor.web import is_cross_site_refused  # the integrations' core, without the fastapi extra
assert is_cross_site_refused(method="POST", sec_fetch_site="cross-site", origin="https://evil.example",
                             own_origin="https://app.example", allowed_origins=())
print("python: userharbor.v1 imports, AccountServiceStub built, messages round-trip; userharbor.sessions refuses junk; userharbor.web imports")
EOF
  )
}

build_java() {
  (
    # Maven writes errors to stdout; keep its log and show it only on failure. The reactor builds
    # sdk/java against this gen/java (not a userharbor-client another checkout put in ~/.m2).
    if ! env -u UH_SERVER_URL mvn -B -q -f sdk/java/reactor.xml package >"$tmp/mvn.log" 2>&1 ||
      ! (cd gen/java && mvn -B -q dependency:build-classpath -Dmdep.outputFile="$tmp/cp.txt") >>"$tmp/mvn.log" 2>&1; then
      cat "$tmp/mvn.log" >&2
      return 1
    fi
    # Loading the classes runs protobuf's gencode/runtime version check, which compiling does not.
    cat >"$tmp/Smoke.java" <<'EOF'
import dev.userharbor.v1.AccountServiceGrpc;
import dev.userharbor.v1.ClientContext;
import dev.userharbor.v1.LoginRequest;

public class Smoke {
  public static void main(String[] args) throws Exception {
    LoginRequest req = LoginRequest.newBuilder().setUsername("ada").setPassword("pw")
        .setClient(ClientContext.newBuilder().setIp("192.0.2.1")).build();
    if (!LoginRequest.parseFrom(req.toByteArray()).equals(req)) throw new AssertionError("round-trip");
    int methods = AccountServiceGrpc.getServiceDescriptor().getMethods().size();
    int declared = Integer.parseInt(args[0]); // rpc lines in accounts.proto
    if (methods != declared) throw new AssertionError("methods: " + methods + ", proto declares " + declared);
    com.google.rpc.ErrorInfo.newBuilder().setReason("RATE_LIMITED").build();
    System.out.println("java: dev.userharbor.v1 loads, AccountService has " + methods + " methods, messages round-trip");
  }
}
EOF
    java -cp "gen/java/target/classes:$(cat "$tmp/cp.txt")" "$tmp/Smoke.java" \
      "$(grep -cE '^\s*rpc ' "$ROOT/proto/userharbor/v1/accounts.proto")"
    # The Spring Boot example, built once here (its run.sh then starts it without Maven).
    examples/spring-boot/run.sh build >"$tmp/mvn.log" 2>&1 || { cat "$tmp/mvn.log" >&2; return 1; }
    echo "java: examples/spring-boot built (userharbor-spring-boot-starter)"
  )
}

# gen/ts is plain ESM + .d.ts already; the hand-written @userharbor/sdk is compiled (tests and the
# bench use its source). Needs `npm ci` first.
build_typescript() {
  npm run --silent build -w @userharbor/sdk
  node --input-type=module -e '
    const sdk = await import("@userharbor/sdk");
    for (const name of ["createSessionVerifier", "SessionAssertionError", "httpKeyFetcher", "rpcKeyFetcher"])
      if (!sdk[name]) throw new Error(`@userharbor/sdk build lacks ${name}`);
    // The integrations are subpath exports (express and fastify: optional peers, installed here).
    const wanted = { http: "createIntegration", express: "userHarbor", fastify: "userHarbor" };
    for (const [subpath, name] of Object.entries(wanted))
      if (!(await import(`@userharbor/sdk/${subpath}`))[name])
        throw new Error(`@userharbor/sdk/${subpath} build lacks ${name}`);
    console.log("typescript: @userharbor/sdk (+ /http, /express, /fastify) builds to ESM + .d.ts and imports");'
  for types in index http/index express fastify; do test -f "sdk/typescript/dist/$types.d.ts"; done
}

declare -A took
for lang in "${langs[@]}"; do
  case "$lang" in go | python | java | typescript) ;; *) log "unknown SDK '$lang' (go, python, java, typescript)"; exit 2 ;; esac
  log "$lang: building"
  start=$(date +%s.%N)
  "build_$lang"
  took[$lang]=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  log "$lang: ok in ${took[$lang]}s"
done

echo "SDK build times:"
for lang in "${langs[@]}"; do
  printf '  %-7s %6ss\n' "$lang" "${took[$lang]}"
done
