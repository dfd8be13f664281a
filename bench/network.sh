#!/usr/bin/env bash
# Network benchmark: wharfd vs Debian's dockerd in the same run (ratios wharf/dockerd).
#
#   tput     container-to-container TCP throughput over a user bridge network:
#            `dd if=/dev/zero bs=64k count=BLOCKS | nc SERVER_IP 5001` into `nc -l` (MB/s, higher is better)
#   connrate connections per second to a published port from the host (127.0.0.1:PORT, busybox
#            httpd in the container, CONNS sequential HTTP/1.0 requests from one python3 process,
#            so that the client's own start-up is not what is measured; higher is better)
#   start    `docker run --rm busybox true` on the default bridge vs `--network none`
#            (median of N), next to the cost of one veth pair (ip link add + move + del) and a bare
#            `runc run` of the same bundle: target wharf(bridge) <= 1.3 x (runc + veth)
#   api start  the start request alone (`curl -X POST /containers/ID/start` of a container made
#            before, waited for and removed after, untimed) on the bridge and with none: the
#            engine's container start time without the docker CLI's start-up and the create/remove
#   api create+start  the create and the start requests together (curl), removed after (untimed)
#
# Usage: bench/network.sh [-n N] [-b BLOCKS] [-c CONNS]   (defaults 10, 4096, 2000)
# Each engine gets its own bridge names and 10.213.2xx.0/24 subnets; dockerd runs with
# --iptables=false (its docker-proxy serves published ports), wharfd with its own chains.
# Everything lives under one mktemp -d directory and is removed on exit (also on failure).
# Needs root, /usr/local/bin/docker, /usr/sbin/dockerd, runc, curl, jq, python3, /bin/busybox.
set -euo pipefail
N=10 BLOCKS=4096 CONNS=2000
while getopts "n:b:c:h" opt; do
  case $opt in n) N=$OPTARG ;; b) BLOCKS=$OPTARG ;; c) CONNS=$OPTARG ;; *) sed -n '2,21p' "$0"; exit 2 ;; esac
done
here=$(cd "$(dirname "$0")/.." && pwd)
WHARFD=${WHARFD:-$here/out/wharfd}
DOCKER=${DOCKER:-/usr/local/bin/docker}
DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
for b in "$WHARFD" "$DOCKER" "$DOCKERD"; do [ -x "$b" ] || { echo "not found: $b" >&2; exit 1; }; done
command -v jq >/dev/null && command -v curl >/dev/null && command -v python3 >/dev/null || { echo "needs jq, curl and python3" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

T=$(mktemp -d /tmp/wharf-netbench.XXXXXX)
export DOCKER_CONFIG="$T/cli-config"
TAG=$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
WBR=wbw$TAG DBR=wbd$TAG WNET=wbnw$TAG DNET=wbnd$TAG
WPID= DPID=
cleanup() {
  set +e
  for s in w d; do
    sock="$T/$s.sock"; [ -S "$sock" ] || continue
    ids=$(DOCKER_HOST=unix://$sock timeout 20 "$DOCKER" ps -aq 2>/dev/null)
    [ -n "$ids" ] && DOCKER_HOST=unix://$sock timeout 60 "$DOCKER" rm -f $ids >/dev/null 2>&1
    DOCKER_HOST=unix://$sock timeout 20 "$DOCKER" network prune -f >/dev/null 2>&1
  done
  for p in $WPID $DPID; do kill -TERM "$p" 2>/dev/null; done
  for p in $WPID $DPID; do for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; kill -9 "$p" 2>/dev/null; done
  for l in $WBR $DBR bnw$TAG bnd$TAG; do ip link del "$l" 2>/dev/null; done
  # wharfd's own chains (named after its data root) go with the tag of that root.
  wtag=$(printf '%s' "$T/w-root" | sha256sum | cut -c1-6)
  for t in filter nat; do
    iptables -w -t $t -S | grep -- "-j WHARF-$wtag" | grep -v "^-A WHARF-$wtag" | sed 's/^-A //' | while read -r r; do eval iptables -w -t $t -D $r; done
    for c in $(iptables -w -t $t -S | awk -v p="-N WHARF-$wtag" 'index($0,p)==1{print $2}'); do iptables -w -t $t -F "$c"; iptables -w -t $t -X "$c"; done
  done
  grep -o " $T[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
  # wharfd's cgroup parent, in every hierarchy (containers' groups first).
  for c in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
    [ -d "${c}wharf-netbench-$TAG" ] || continue
    for g in "${c}wharf-netbench-$TAG"/*/; do [ -d "$g" ] && rmdir "$g"; done
    rmdir "${c}wharf-netbench-$TAG"
  done
  rm -rf "$T"
}
trap cleanup EXIT

mkdir -p "$T/cli-config"
echo "{\"bridge\":\"$WBR\",\"bip\":\"10.213.210.1/24\",\"cgroup-parent\":\"wharf-netbench-$TAG\"}" >"$T/w.json"
"$WHARFD" -H "unix://$T/w.sock" --data-root "$T/w-root" --exec-root "$T/w-exec" --config-file "$T/w.json" >"$T/w.log" 2>&1 &
WPID=$!
ip link add "$DBR" type bridge && ip addr add 10.213.211.1/24 dev "$DBR" && ip link set "$DBR" up
"$DOCKERD" -H "unix://$T/d.sock" --data-root "$T/d-root" --exec-root "$T/d-exec" --pidfile "$T/d.pid" \
  --bridge "$DBR" --iptables=false --ip-masq=false >"$T/d.log" 2>&1 &
DPID=$!
for s in w d; do
  for _ in $(seq 1 300); do curl -sf --unix-socket "$T/$s.sock" http://x/_ping >/dev/null 2>&1 && break; sleep 0.1; done
  "$here/scripts/seed-images.sh" "$T/$s.sock" >/dev/null
done

d() { local s=$1; shift; DOCKER_HOST=unix://$T/$s.sock timeout 120 "$DOCKER" "$@"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc -l; }

d w network create --subnet 10.213.212.0/24 -o com.docker.network.bridge.name=bnw$TAG "$WNET" >/dev/null
d d network create --subnet 10.213.213.0/24 -o com.docker.network.bridge.name=bnd$TAG "$DNET" >/dev/null

tput() { # engine network -> MB/s
  local s=$1 net=$2 srv ip t0 secs
  srv=$(d "$s" run -d --network "$net" busybox sh -c 'nc -l -p 5001 > /dev/null')
  ip=$(d "$s" inspect -f "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" "$srv")
  sleep 0.3
  t0=$(now)
  d "$s" run --rm --network "$net" busybox sh -c "dd if=/dev/zero bs=65536 count=$BLOCKS 2>/dev/null | nc $ip 5001" >/dev/null
  secs=$(since "$t0")
  d "$s" rm -f "$srv" >/dev/null
  echo "$BLOCKS * 65536 / 1000000 / $secs" | bc -l
}

connrate() { # engine -> connections/s
  local s=$1 c port t0 secs
  c=$(d "$s" run -d -p 127.0.0.1::80 busybox httpd -f -p 80 -h /etc)
  port=$(d "$s" port "$c" 80 | head -1 | sed 's/.*://')
  sleep 0.3
  t0=$(now)
  python3 - "$port" "$CONNS" <<'PY'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /hostname HTTP/1.0\r\n\r\n")
    got = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        got += chunk
    s.close()
    if b" 200 " not in got.split(b"\r\n", 1)[0]:
        sys.exit("bad reply: %r" % got[:80])
PY
  secs=$(since "$t0")
  d "$s" rm -f "$c" >/dev/null
  echo "$CONNS / $secs" | bc -l
}

start() { # engine network -> median seconds of docker run --rm busybox true
  local s=$1 net=$2
  for _ in $(seq 1 "$N"); do t0=$(now); d "$s" run --rm --network "$net" busybox true; since "$t0"; done | median
}

api_start() { # engine network -> median seconds of the start request alone (curl POST /containers/ID/start)
  local s=$1 net=$2 id
  for _ in $(seq 1 "$N"); do
    id=$(d "$s" create --network "$net" busybox true)
    t0=$(now); curl -sf -X POST --unix-socket "$T/$s.sock" "http://x/containers/$id/start" >/dev/null; since "$t0"
    d "$s" wait "$id" >/dev/null; d "$s" rm "$id" >/dev/null
  done | median
}

api_create_start() { # engine network -> median seconds of create + start requests (curl), removed after, untimed
  local s=$1 net=$2 id
  for _ in $(seq 1 "$N"); do
    t0=$(now)
    id=$(curl -sf -X POST -H 'Content-Type: application/json' --unix-socket "$T/$s.sock" \
      -d "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"NetworkMode\":\"$net\"}}" http://x/containers/create | jq -r .Id)
    curl -sf -X POST --unix-socket "$T/$s.sock" "http://x/containers/$id/start" >/dev/null
    since "$t0"
    d "$s" wait "$id" >/dev/null; d "$s" rm "$id" >/dev/null
  done | median
}

veth_cost() { # one veth pair into a fresh namespace and away again
  for i in $(seq 1 "$N"); do
    t0=$(now)
    ip netns add "wnb$TAG"; ip link add "vb$TAG" type veth peer name eth0 netns "wnb$TAG"; ip link del "vb$TAG"; ip netns delete "wnb$TAG"
    since "$t0"
  done | median
}

runc_cost() { # bare runc run of the busybox layer
  local b="$T/bundle" r="$T/runc-root"
  mkdir -p "$b/rootfs" "$r"
  DOCKER_HOST=unix://$T/w.sock "$DOCKER" export "$(d w create busybox true)" | tar -C "$b/rootfs" -xf -
  (cd "$b" && runc spec && jq '.process.terminal=false | .process.args=["true"]' config.json >c && mv c config.json)
  for i in $(seq 1 "$N"); do t0=$(now); runc --root "$r" run --bundle "$b" "nb$TAG$i" >/dev/null; since "$t0"; done | median
}

printf '%-20s %12s %12s %8s\n' step wharfd dockerd ratio
row() { printf '%-20s %12.3f %12.3f %8.2f\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)"; }
row "tput MB/s" "$(tput w "$WNET")" "$(tput d "$DNET")"
row "conn/s" "$(connrate w)" "$(connrate d)"
wb=$(start w bridge) db=$(start d bridge)
row "start br" "$wb" "$db"
row "start none" "$(start w none)" "$(start d none)"
wa=$(api_start w bridge) da=$(api_start d bridge)
row "api start br" "$wa" "$da"
row "api start none" "$(api_start w none)" "$(api_start d none)"
wcs=$(api_create_start w bridge) dcs=$(api_create_start d bridge)
row "api create+start br" "$wcs" "$dcs"
ping=$(for _ in $(seq 1 "$N"); do t0=$(now); curl -sf --unix-socket "$T/w.sock" http://x/_ping >/dev/null; since "$t0"; done | median)
veth=$(veth_cost) runc=$(runc_cost)
printf 'veth pair %.3f s, bare runc run %.3f s, curl _ping to wharfd %.3f s\n' "$veth" "$runc" "$ping"
printf 'wharf bridge start / (runc + veth) = %.2f as docker run --rm (CLI, create, start, wait, remove); %.2f as create + start requests; %.2f as the start request alone (target <= 1.3)\n' \
  "$(echo "$wb / ($runc + $veth)" | bc -l)" "$(echo "$wcs / ($runc + $veth)" | bc -l)" "$(echo "$wa / ($runc + $veth)" | bc -l)"
