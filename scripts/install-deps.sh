#!/usr/bin/env bash
# Installs the Debian packages Wharf uses; with --test also the reference engines and tools the
# test suite compares against (Debian's dockerd, the reference registry, skopeo, ab/htpasswd)
# and moto's S3 server (pip) for the registry's S3 storage tests.
# The .NET SDK is expected on the machine.
#
# No service is started by what this installs: docker.io and docker-registry would otherwise
# start dockerd (docker0, its iptables chains) and a registry on port 5000 on a systemd host.
# The tests start their own private instances.
set -euo pipefail
pkgs=(runc crun iptables iproute2 busybox-static tini curl ca-certificates tar gcc libc6-dev python3 libzstd1 zstd)
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
if [ "${1:-}" = "--test" ]; then
  # The S3 storage tests run `wharf registry serve --storage s3` against moto's S3 server.
  # A no-op when moto is already importable. Debian's own python3 refuses a global pip install
  # (PEP 668), so there it goes into a venv whose moto_server is linked onto PATH.
  if ! python3 -c 'import moto, flask, flask_cors' >/dev/null 2>&1 && ! command -v moto_server >/dev/null; then
    if ! python3 -m pip install -q "moto[server]==5.2.1" >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv python3-pip >/dev/null
      if python3 -m venv /opt/wharf-moto && /opt/wharf-moto/bin/pip install -q "moto[server]==5.2.1"; then
        ln -sf /opt/wharf-moto/bin/moto_server /usr/local/bin/moto_server
      else
        echo "warning: could not install moto[server]==5.2.1; the registry's S3 storage tests will fail" >&2
      fi
    fi
  fi
  if command -v pyenv >/dev/null; then pyenv rehash; fi
fi
command -v dotnet >/dev/null || { echo "the .NET SDK (dotnet) is required" >&2; exit 1; }
