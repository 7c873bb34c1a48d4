# Sourced by scripts/install-codegen.sh and scripts/install-tools.sh (which set LOG_NAME, BIN and
# STAMPS): logging, version stamps, and `go install` of a pinned tool into $BIN.

log() { printf '[%s] %s\n' "$LOG_NAME" "$*" >&2; }
t0=0
tick() { t0=$(date +%s.%N); }
tock() { log "$1 installed in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"; }

# A stamp records "installed at this version"; the binary must also still be there.
have() { [[ -f "$STAMPS/$1" && -x "$2" ]]; }
stamp() { rm -f "$STAMPS/${1%%@*}@"*; touch "$STAMPS/$1"; }

go_plugin() { # name module-path@version
  local name=$1 pkg=$2
  local key="$name@${pkg##*@}"
  if have "$key" "$BIN/$name"; then return; fi
  command -v go >/dev/null || { log "go not found (need Go >= 1.26)"; exit 1; }
  log "go install $pkg"
  tick
  # GOTOOLCHAIN=local: use the Go on this machine, never download another toolchain.
  GOBIN="$BIN" GOTOOLCHAIN=local go install "$pkg"
  stamp "$key"
  tock "$key"
}
