#!/usr/bin/env bash
# Installs the Debian packages Wharf and its tests use. The .NET SDK is expected on the machine.
set -euo pipefail
pkgs=(runc iptables busybox-static tini curl ca-certificates tar gcc libc6-dev skopeo python3 docker-registry apache2-utils)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET SDK (dotnet) is required" >&2; exit 1; }
