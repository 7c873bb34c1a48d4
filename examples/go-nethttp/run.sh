#!/usr/bin/env bash
# requires: go
# Builds examples/go-nethttp (incrementally: the Go build cache) into .tools/bin and starts it in
# the foreground. Environment: PORT, USERHARBOR_URL, USERHARBOR_API_KEY (may be empty),
# TRUSTED_PROXIES (optional, comma-separated CIDRs). Needs Go >= 1.26.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export GOTOOLCHAIN=local # build with this Go; never download another toolchain
bin=../../.tools/bin/go-nethttp-example
go build -o "$bin" .
exec "$bin"
