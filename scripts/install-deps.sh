#!/usr/bin/env bash
# Installs the Debian packages Wharf uses; with --test also the reference engines and tools the
# test suite compares against (Debian's dockerd, the reference registry, skopeo, ab/htpasswd).
# The .NET SDK is expected on the machine.
#
# No service is started by what this installs: docker.io and docker-registry would otherwise
# start dockerd (docker0, its iptables chains) and a registry on port 5000 on a systemd host.
# The tests start their own private instances.
set -euo pipefail
pkgs=(runc iptables iproute2 busybox-static tini curl ca-certificates tar gcc libc6-dev python3 libzstd1 zstd)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(skopeo docker.io docker-registry apache2-utils)
fi
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # invoke-rc.d and deb-systemd-invoke ask this script; 101 means "do not start anything".
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$guard"
    chmod 755 "$guard"
    trap 'rm -f "$guard"' EXIT
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET SDK (dotnet) is required" >&2; exit 1; }
