#!/usr/bin/env bash
# requires: node
# Starts examples/express/app.ts in the foreground (TypeScript run by tsx; @userharbor/sdk from
# its source through tsconfig paths, nothing to build). Environment: PORT, USERHARBOR_URL,
# USERHARBOR_API_KEY (may be empty), TRUSTED_PROXIES (optional, comma-separated CIDRs).
# Needs `npm ci` at the repository root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[[ -d node_modules/tsx ]] || { echo "node_modules/tsx missing: run 'npm ci' first" >&2; exit 1; }
exec node --import tsx examples/express/app.ts
