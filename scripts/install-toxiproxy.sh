#!/usr/bin/env bash
# Installs toxiproxy (server and CLI) at a pinned version into .tools/bin (gitignored), for the
# network drill (test/drills/network.test.ts), which puts it between the service and MongoDB and
# between the service and SMTP:
#
#   .tools/bin/toxiproxy-server   go install github.com/Shopify/toxiproxy/v2/cmd/server
#   .tools/bin/toxiproxy-cli      go install github.com/Shopify/toxiproxy/v2/cmd/cli
#
# `go install` names both binaries after their folders (server, cli), so they are built into a
# scratch GOBIN and renamed. Idempotent like scripts/install-tools.sh: a matching stamp skips.
set -euo pipefail

# ---- pinned version ----
TOXIPROXY_VERSION=v2.12.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.tools/bin"
STAMPS="$ROOT/.tools/stamps"
mkdir -p "$BIN" "$STAMPS"
LOG_NAME=install-toxiproxy
# log, tick/tock, have/stamp
source "$ROOT/scripts/lib/pinned-tools.sh"

key="toxiproxy@$TOXIPROXY_VERSION"
if have "$key" "$BIN/toxiproxy-server" && [[ -x "$BIN/toxiproxy-cli" ]]; then
  log "ok: toxiproxy $TOXIPROXY_VERSION in .tools/bin (already installed)"
  exit 0
fi
command -v go >/dev/null || { log "go not found (need Go >= 1.26)"; exit 1; }
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
tick
for part in server cli; do
  GOBIN="$scratch" GOTOOLCHAIN=local go install "github.com/Shopify/toxiproxy/v2/cmd/$part@$TOXIPROXY_VERSION"
  mv "$scratch/$part" "$BIN/toxiproxy-$part"
done
stamp "$key"
tock "$key"
log "ok: toxiproxy-server, toxiproxy-cli $TOXIPROXY_VERSION in .tools/bin"
