#!/usr/bin/env bash
# Installs every code generator that buf.gen.yaml uses, at pinned versions, into .tools/
# (gitignored). Nothing goes on the global PATH; buf.gen.yaml names the tools by path.
#
#   .tools/bin/protoc-gen-go            go install google.golang.org/protobuf/cmd/protoc-gen-go
#   .tools/bin/protoc-gen-go-grpc       go install google.golang.org/grpc/cmd/protoc-gen-go-grpc
#   .tools/bin/protoc-gen-connect-go    go install connectrpc.com/connect/cmd/protoc-gen-connect-go
#   .tools/bin/protoc-gen-grpc-java     io.grpc:protoc-gen-grpc-java:<v>:exe:<platform> from Maven Central
#   .tools/venv/                        Python venv with grpcio-tools (gRPC Python generator)
#
# protoc itself (for the builtin python/pyi/java generators) and protoc-gen-es come from
# node_modules (`npm ci`). Idempotent: a tool whose stamp matches its pinned version is skipped,
# so a re-run takes well under a second.
set -euo pipefail

# ---- pinned versions (bump here; scripts/check-generated.sh will then show the diff) ----
PROTOC_GEN_GO_VERSION=v1.36.12        # google.golang.org/protobuf
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2     # google.golang.org/grpc/cmd/protoc-gen-go-grpc
PROTOC_GEN_CONNECT_GO_VERSION=v1.21.1 # connectrpc.com/connect
# io.grpc:protoc-gen-grpc-java. 1.83.1 is the newest release whose native executables Maven
# Central serves here (1.84.0+ publish only the .pom there); stubs it generates run on any
# newer grpc-java runtime, and gen/java/pom.xml uses the current one.
GRPC_JAVA_VERSION=1.83.1
MAVEN_DEPENDENCY_PLUGIN_VERSION=3.8.1 # used only to fetch protoc-gen-grpc-java
# Python generator venv: exact pins live in scripts/codegen-requirements.txt.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
STAMPS="$TOOLS/stamps"
mkdir -p "$BIN" "$STAMPS"

LOG_NAME=install-codegen
# log, tick/tock, have/stamp, go_plugin
source "$ROOT/scripts/lib/pinned-tools.sh"

# ---------------------------------------------------------------- Go plugins
go_plugin protoc-gen-go "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION"
go_plugin protoc-gen-go-grpc "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION"
go_plugin protoc-gen-connect-go "connectrpc.com/connect/cmd/protoc-gen-connect-go@$PROTOC_GEN_CONNECT_GO_VERSION"

# ---------------------------------------------------------------- Python (grpcio-tools)
REQS="$ROOT/scripts/codegen-requirements.txt"
PY_KEY="python-venv@$(sha256sum "$REQS" | cut -c1-16)"
if ! have "$PY_KEY" "$TOOLS/venv/bin/python"; then
  log "creating .tools/venv from scripts/codegen-requirements.txt"
  tick
  rm -rf "$TOOLS/venv"
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$REQS"
  "$TOOLS/venv/bin/python" -c 'import grpc_tools.protoc'
  stamp "$PY_KEY"
  tock "$PY_KEY (grpcio-tools)"
fi

# ---------------------------------------------------------------- Java (protoc-gen-grpc-java)
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) JPLAT=linux-x86_64 ;;
  Linux-aarch64 | Linux-arm64) JPLAT=linux-aarch_64 ;;
  Darwin-x86_64) JPLAT=osx-x86_64 ;;
  Darwin-arm64) JPLAT=osx-aarch_64 ;;
  *) log "no protoc-gen-grpc-java build for $(uname -s)-$(uname -m)"; exit 1 ;;
esac
JKEY="protoc-gen-grpc-java@$GRPC_JAVA_VERSION-$JPLAT"
if ! have "$JKEY" "$BIN/protoc-gen-grpc-java"; then
  command -v mvn >/dev/null || { log "mvn not found (need Maven 3.8+)"; exit 1; }
  log "fetching io.grpc:protoc-gen-grpc-java:$GRPC_JAVA_VERSION:exe:$JPLAT from Maven Central"
  tick
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # No pom needed: dependency:copy resolves the artifact into the local repository (~/.m2) and copies it.
  # Maven prints its errors on stdout: keep the log and show it only on failure.
  if ! (cd "$tmp" && mvn -B "org.apache.maven.plugins:maven-dependency-plugin:$MAVEN_DEPENDENCY_PLUGIN_VERSION:copy" \
    -Dartifact="io.grpc:protoc-gen-grpc-java:$GRPC_JAVA_VERSION:exe:$JPLAT" \
    -DoutputDirectory="$tmp" -Dmdep.stripVersion=true >"$tmp/mvn.log" 2>&1); then
    grep -E 'ERROR|BUILD' "$tmp/mvn.log" >&2 || cat "$tmp/mvn.log" >&2
    exit 1
  fi
  install -m 0755 "$tmp/protoc-gen-grpc-java-$JPLAT.exe" "$BIN/protoc-gen-grpc-java"
  stamp "$JKEY"
  tock "$JKEY"
fi

# ---------------------------------------------------------------- node_modules (protoc, protoc-gen-es)
for f in protoc protoc-gen-es buf; do
  [[ -x "$ROOT/node_modules/.bin/$f" ]] || { log "node_modules/.bin/$f missing: run 'npm ci' first"; exit 1; }
done

log "ok: $(ls "$STAMPS" | tr '\n' ' ')"
