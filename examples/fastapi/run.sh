#!/usr/bin/env bash
# requires: python3
# Starts examples/fastapi/app.py with Uvicorn in the foreground, in .tools/examples-venv (made or
# checked first: gen/python, sdk/python[fastapi], requirements.txt). Environment: PORT,
# USERHARBOR_URL, USERHARBOR_API_KEY (may be empty), TRUSTED_PROXIES (optional, comma-separated
# CIDRs: Uvicorn believes X-Forwarded-For and -Proto only from these; unset or empty: none).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
log() { printf '[examples/fastapi] %s\n' "$*" >&2; }
source scripts/lib/sdk-toolchains.sh # prepare_python, VENV
prepare_python
exec "$VENV/bin/uvicorn" app:app --app-dir examples/fastapi --host 127.0.0.1 --port "${PORT:-8000}" \
  --proxy-headers --forwarded-allow-ips "${TRUSTED_PROXIES:-}" --no-server-header
