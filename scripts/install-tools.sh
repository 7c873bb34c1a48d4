#!/usr/bin/env bash
# Installs the everyday gRPC tools docs/tools.md shows, at pinned versions, into .tools/bin
# (gitignored), for test/integration/docs-tools.test.ts, which runs those recipes as written:
#
#   .tools/bin/grpcurl             go install github.com/fullstorydev/grpcurl/cmd/grpcurl
#   .tools/bin/grpc-health-probe   go install github.com/grpc-ecosystem/grpc-health-probe
#
# evans is shown in docs/tools.md too but not installed here: the Go module proxy refuses it
# (403), so the doc points at its release binaries. Idempotent, like scripts/install-codegen.sh: a tool
# whose stamp matches its pinned version is skipped.
set -euo pipefail

# ---- pinned versions ----
GRPCURL_VERSION=v1.9.4
GRPC_HEALTH_PROBE_VERSION=v0.4.63

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.tools/bin"
STAMPS="$ROOT/.tools/stamps"
mkdir -p "$BIN" "$STAMPS"
LOG_NAME=install-tools
# log, tick/tock, have/stamp, go_plugin
source "$ROOT/scripts/lib/pinned-tools.sh"

go_plugin grpcurl "github.com/fullstorydev/grpcurl/cmd/grpcurl@$GRPCURL_VERSION"
go_plugin grpc-health-probe "github.com/grpc-ecosystem/grpc-health-probe@$GRPC_HEALTH_PROBE_VERSION"

log "ok: grpcurl $GRPCURL_VERSION, grpc-health-probe $GRPC_HEALTH_PROBE_VERSION in .tools/bin"
