#!/usr/bin/env bash
# Records golden Docker Engine API responses for networks from a private Debian dockerd
# (docker.io 20.10.x, API 1.41) into tests/golden/dockerd-20.10/networks/.
# Private-daemon rules: own data-root, exec-root, socket and pidfile under a temp dir,
# --bridge=none --iptables=false --ip-masq=false; the one user network it makes has its own
# bridge name (wgold0) and subnet (10.213.250.0/24); everything is removed on exit.
# Usage: scripts/record-golden-networks.sh [output-dir]
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$REPO_ROOT/tests/golden/dockerd-20.10/networks}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
# shellcheck source=scripts/lib/private-dockerd.sh
source "$REPO_ROOT/scripts/lib/private-dockerd.sh"
golden_cleanup_hook() {
    c --max-time 20 -X POST "http://d/networks/prune" >/dev/null 2>&1 || true
    ip link del wgold0 2>/dev/null || true
}
private_dockerd_start net
mkdir -p "$T/work/r/bin" "$T/work/r/etc"

rm -rf "$OUT"
mkdir -p "$OUT/errors"
j() { local p="$1" f="$2"; shift 2; c "$@" "http://d$p" | pp >"$OUT/$f"; }
post() { c -X POST -H 'Content-Type: application/json' --data-binary "$3" "http://d$1" | pp >"$OUT/$2"; }
raw() {
    local name="$1" method="$2" path="$3"; shift 3
    c -D - -X "$method" "$@" "http://d$path" >"$OUT/errors/$name.txt"
    echo >>"$OUT/errors/$name.txt"
}
rawjson() { local name="$1" path="$2" body="$3"; raw "$name" POST "$path" -H 'Content-Type: application/json' --data-binary "$body"; }

cp "$BUSYBOX" "$T/work/r/bin/busybox"; ln -s busybox "$T/work/r/bin/sh"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$T/work/r/etc/passwd"
tar --numeric-owner -C "$T/work/r" -cf "$T/work/rootfs.tar" .
c -X POST -H 'Content-Type: application/x-tar' --data-binary "@$T/work/rootfs.tar" "http://d/images/create?fromSrc=-&repo=busybox&tag=latest" >/dev/null

j /networks networks-list-predefined.json
post /networks/create network-create-response.json '{"Name":"goldnet","Driver":"bridge","Labels":{"a":"b"},"IPAM":{"Config":[{"Subnet":"10.213.250.0/24","Gateway":"10.213.250.1","IPRange":"10.213.250.128/25"}]},"Options":{"com.docker.network.bridge.name":"wgold0"}}'
j /networks/goldnet network-inspect-empty.json
j /networks/none network-inspect-none.json
j /networks/host network-inspect-host.json
j "/networks?filters=%7B%22name%22%3A%7B%22goldnet%22%3Atrue%7D%7D" networks-list-filter-name.json
rawjson name-taken /networks/create '{"Name":"goldnet","CheckDuplicate":true}'
rawjson overlap /networks/create '{"Name":"goldnet2","IPAM":{"Config":[{"Subnet":"10.213.250.0/25"}]}}'
rawjson invalid-cidr /networks/create '{"Name":"goldnet3","IPAM":{"Config":[{"Subnet":"10.213.250.0/33"}]}}'
rawjson invalid-cidr2 /networks/create '{"Name":"goldnet3","IPAM":{"Config":[{"Subnet":"foo"}]}}'
rawjson bad-driver /networks/create '{"Name":"goldnet4","Driver":"nosuch"}'
rawjson gateway-outside /networks/create '{"Name":"goldnet5","IPAM":{"Config":[{"Subnet":"10.213.251.0/24","Gateway":"10.213.252.1"}]}}'
rawjson empty-name /networks/create '{"Name":""}'
raw unknown GET /networks/nosuchnet
raw unknown-delete DELETE /networks/nosuchnet
raw delete-predefined DELETE /networks/none
CID=$(c -X POST -H 'Content-Type: application/json' --data-binary '{"Image":"busybox","Cmd":["sleep","300"],"HostConfig":{"NetworkMode":"goldnet"},"NetworkingConfig":{"EndpointsConfig":{"goldnet":{"Aliases":["al1"],"IPAMConfig":{"IPv4Address":"10.213.250.200"}}}}}' "http://d/containers/create?name=goldc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Id"])')
j /containers/goldc/json container-inspect-created.json
c -X POST "http://d/containers/goldc/start" >/dev/null
j /containers/goldc/json container-inspect-running.json
j /containers/json container-list.json
j /networks/goldnet network-inspect-with-container.json
j /networks networks-list.json
raw in-use DELETE /networks/goldnet
rawjson connect-again /networks/goldnet/connect '{"Container":"goldc"}'
rawjson connect-unknown-container /networks/goldnet/connect '{"Container":"nosuch"}'
rawjson disconnect-none /networks/none/disconnect '{"Container":"goldc"}'
rawjson connect-host /networks/host/connect '{"Container":"goldc"}'
c -X POST "http://d/containers/goldc/stop?t=0" >/dev/null
j /containers/goldc/json container-inspect-exited.json
rawjson disconnect /networks/goldnet/disconnect '{"Container":"goldc"}'
j /containers/goldc/json container-inspect-disconnected.json
c -X DELETE "http://d/containers/goldc?force=1" >/dev/null
post /networks/prune networks-prune.json ''
echo "recorded into $OUT"
