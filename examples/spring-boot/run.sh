#!/usr/bin/env bash
# requires: java mvn
# Starts examples/spring-boot in the foreground: PORT, USERHARBOR_URL, USERHARBOR_API_KEY (may be
# empty), TRUSTED_PROXIES (optional, comma-separated CIDRs). Builds first when a source changed
# (reactor.xml: this checkout's gen/java, sdk/java and starter); `run.sh build` only builds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
sources=(pom.xml reactor.xml src ../../gen/java/pom.xml ../../gen/java/src ../../sdk/java/pom.xml
  ../../sdk/java/src/main ../../sdk/java/spring-boot-starter/pom.xml ../../sdk/java/spring-boot-starter/src/main)
key="$(find "${sources[@]}" -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)"
mkdir -p ../../.tools/locks
(
  flock 9 # one Maven build at a time over these targets and ~/.m2 (as scripts/sdk-tests.sh)
  if [[ "$(cat target/built 2>/dev/null)" != "$key" ]]; then
    rm -rf target/lib
    mvn -B -q -f reactor.xml -Dmaven.test.skip=true package
    echo "$key" >target/built
  fi
) 9>../../.tools/locks/java.lock
[[ "${1:-}" != build ]] || exit 0
exec java -XX:TieredStopAtLevel=1 -Xshare:auto -cp 'target/classes:target/lib/*' dev.userharbor.examples.spring.ExampleApp
