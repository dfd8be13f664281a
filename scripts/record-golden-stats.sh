#!/usr/bin/env bash
# Records golden responses for container stats, top and update from a private Debian dockerd
# (docker.io 20.10.x, API 1.41) into tests/golden/dockerd-20.10/stats/, plus what the real docker
# CLI prints for `docker stats --no-stream`, `docker top` and `docker update` against it.
# Needs: dockerd (with its containerd, runc), curl, python3, tar and a static busybox; the docker
# CLI is optional.
#
# Same private-daemon rules as record-golden-containers.sh: own data-root, exec-root, socket and
# pidfile under a temp dir, --bridge=none --iptables=false --ip-masq=false, containers use
# NetworkMode "none" (one uses "host" to show that stats omit host interfaces); everything is
# removed on exit. Usage: scripts/record-golden-stats.sh [output-dir]
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$REPO_ROOT/tests/golden/dockerd-20.10/stats}"
BUSYBOX="${BUSYBOX:-/usr/bin/busybox}"

# shellcheck source=scripts/lib/private-dockerd.sh
source "$REPO_ROOT/scripts/lib/private-dockerd.sh"
private_dockerd_start stats tar

rm -rf "$OUT"
mkdir -p "$OUT/errors" "$OUT/cli"

j() { local p="$1" f="$2"; shift 2; c "$@" "http://d$p" | pp >"$OUT/$f"; }
post() { c -X POST -H 'Content-Type: application/json' --data-binary "$3" "http://d$1" | pp >"$OUT/$2"; }
raw() {
    local name="$1" method="$2" path="$3"; shift 3
    c -D - -X "$method" "$@" "http://d$path" >"$OUT/errors/$name.txt"
    echo >>"$OUT/errors/$name.txt"
}
rawjson() { local name="$1" path="$2" body="$3"; raw "$name" POST "$path" -H 'Content-Type: application/json' --data-binary "$body"; }
id() { c "http://d/containers/$1/json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Id"])'; }
# hc NAME FILE: the resource and restart fields of HostConfig after an update.
hc() {
    c "http://d/containers/$1/json" | python3 -c '
import json,sys
h=json.load(sys.stdin)["HostConfig"]
keys=("Memory","MemorySwap","MemoryReservation","NanoCpus","CpuShares","CpuQuota","CpuPeriod","CpusetCpus","CpusetMems","PidsLimit","BlkioWeight","KernelMemory","RestartPolicy","AutoRemove")
print(json.dumps({k:h.get(k) for k in keys}, indent=2))' >"$OUT/$2"
}
# cg ID FILE...: the container's v1 cgroup files (dockerd's cgroupfs driver puts it under /docker/ID).
cg() {
    local id="$1" out="$2"; shift 2
    for f in "$@"; do
        local ctrl="${f%%.*}"
        printf '%s: %s\n' "$f" "$(cat "/sys/fs/cgroup/$ctrl/docker/$id/$f" 2>&1 | tr '\n' ' ')"
    done >"$OUT/$out"
}

# --- the busybox image (as in record-golden-containers.sh)
mkdir -p "$T/work/r/bin" "$T/work/r/tmp"
chmod 1777 "$T/work/r/tmp"
cp "$BUSYBOX" "$T/work/r/bin/busybox"
ln -s busybox "$T/work/r/bin/sh"
tar -C "$T/work/r" -cf "$T/work/rootfs.tar" .
c -o /dev/null -X POST -H 'Content-Type: application/x-tar' --data-binary @"$T/work/rootfs.tar" \
    "http://d/images/create?fromSrc=-&repo=busybox&tag=latest&changes=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("CMD [\"sh\"]"))')"

mk() { c -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary "$2" "http://d/containers/create?name=$1"; }
SLEEP='["sh","-c","sleep 300 & wait"]'
mk st-mem "{\"Image\":\"busybox\",\"Cmd\":$SLEEP,\"HostConfig\":{\"NetworkMode\":\"none\",\"Memory\":67108864,\"PidsLimit\":50}}"
mk st-plain "{\"Image\":\"busybox\",\"Cmd\":$SLEEP,\"HostConfig\":{\"NetworkMode\":\"none\"}}"
mk st-host "{\"Image\":\"busybox\",\"Cmd\":$SLEEP,\"HostConfig\":{\"NetworkMode\":\"host\"}}"
mk st-rm "{\"Image\":\"busybox\",\"Cmd\":$SLEEP,\"HostConfig\":{\"NetworkMode\":\"none\",\"AutoRemove\":true}}"
mk st-nano "{\"Image\":\"busybox\",\"Cmd\":$SLEEP,\"HostConfig\":{\"NetworkMode\":\"none\",\"NanoCpus\":500000000}}"
mk st-stopped '{"Image":"busybox","Cmd":["sh","-c","exit 0"],"HostConfig":{"NetworkMode":"none"}}'
mk st-created "{\"Image\":\"busybox\",\"Cmd\":$SLEEP,\"HostConfig\":{\"NetworkMode\":\"none\",\"Memory\":67108864}}"
for n in st-mem st-plain st-host st-rm st-nano st-stopped; do c -o /dev/null -X POST "http://d/containers/$n/start"; done
sleep 1.5
MEM="$(id st-mem)"; PLAIN="$(id st-plain)"; NANO="$(id st-nano)"; CREATED="$(id st-created)"
grep MemTotal /proc/meminfo >"$OUT/host-meminfo.txt"

# --- stats
j "/containers/st-mem/stats?stream=0" stats-memlimit.json
j "/containers/st-mem/stats?stream=0&one-shot=1" stats-one-shot.json
j "/containers/st-plain/stats?stream=0" stats-nolimit.json
j "/containers/st-host/stats?stream=0" stats-host-network.json
j "/containers/st-stopped/stats?stream=0" stats-exited.json
j "/containers/st-created/stats?stream=0" stats-created.json
c -D "$OUT/stats-response-headers.txt" -o /dev/null "http://d/containers/st-mem/stats?stream=0"
# Streams: the first frames as sent (one JSON per line), then cut off.
c --max-time 2.5 "http://d/containers/st-mem/stats" >"$OUT/stats-stream.jsonl" || true
c --max-time 2.5 "http://d/containers/st-stopped/stats" >"$OUT/stats-stream-exited.jsonl" || true
c -D "$OUT/stats-stream-response-headers.txt" --max-time 1.5 -o /dev/null "http://d/containers/st-mem/stats" || true
raw stats-missing GET /containers/nosuchcontainer/stats?stream=0
raw stats-stream-maybe GET "/containers/st-mem/stats?stream=maybe" --max-time 1.5 || true

# --- top
j "/containers/st-mem/top" top-default.json
j "/containers/st-mem/top?ps_args=-o%20pid,comm" top-pid-comm.json
j "/containers/st-mem/top?ps_args=-eo%20pid,ppid,args" top-pid-ppid-args.json
raw top-no-pid-column GET "/containers/st-mem/top?ps_args=-o%20comm"
raw top-bad-args GET "/containers/st-mem/top?ps_args=--bogus"
raw top-pid-alias GET "/containers/st-mem/top?ps_args=-o%20user=PID"
raw top-missing GET /containers/nosuchcontainer/top
raw top-created GET /containers/st-created/top

# --- update
cg "$MEM" cgroup-before-update.txt memory.limit_in_bytes memory.memsw.limit_in_bytes memory.soft_limit_in_bytes pids.max cpu.shares cpu.cfs_quota_us cpu.cfs_period_us
post /containers/st-mem/update update-memory-response.json '{"Memory":134217728,"MemorySwap":268435456}'
cg "$MEM" cgroup-after-memory-update.txt memory.limit_in_bytes memory.memsw.limit_in_bytes
hc st-mem hostconfig-after-memory-update.json
post /containers/st-mem/update update-many-response.json \
    '{"MemoryReservation":33554432,"CpuShares":512,"CpuQuota":50000,"CpuPeriod":100000,"PidsLimit":20,"CpusetCpus":"0"}'
cg "$MEM" cgroup-after-many-update.txt memory.soft_limit_in_bytes cpu.shares cpu.cfs_quota_us cpu.cfs_period_us pids.max cpuset.cpus
hc st-mem hostconfig-after-many-update.json
post /containers/st-mem/update update-pids-zero-response.json '{"PidsLimit":0}'
cg "$MEM" cgroup-after-pids-zero.txt pids.max
hc st-mem hostconfig-after-pids-zero.json
post /containers/st-mem/update update-pids-negative-response.json '{"PidsLimit":-1}'
hc st-mem hostconfig-after-pids-negative.json
post /containers/st-mem/update update-restart-response.json '{"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3}}'
hc st-mem hostconfig-after-restart-update.json
post /containers/st-mem/update update-empty-response.json '{}'
post /containers/st-mem/update update-kernel-memory-response.json '{"KernelMemory":67108864}'
post /containers/st-mem/update update-blkio-weight-response.json '{"BlkioWeight":300}'
hc st-mem hostconfig-after-blkio.json
post /containers/st-nano/update update-nano-response.json '{"NanoCpus":1500000000}'
cg "$NANO" cgroup-after-nano-update.txt cpu.cfs_quota_us cpu.cfs_period_us
post /containers/st-created/update update-created-response.json '{"Memory":100663296,"MemorySwap":201326592}'
hc st-created hostconfig-created-after-update.json
c -o /dev/null -X POST "http://d/containers/st-created/start"; sleep 0.5
cg "$CREATED" cgroup-created-after-start.txt memory.limit_in_bytes memory.memsw.limit_in_bytes
post /containers/st-rm/update update-autoremove-no-response.json '{"RestartPolicy":{"Name":"no"}}'
c "http://d/containers/st-created/json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["State"]["Status"])' >"$T/dummy"

rawjson update-tiny-memory /containers/st-mem/update '{"Memory":1000}'
rawjson update-negative-memory /containers/st-mem/update '{"Memory":-5}'
rawjson update-swap-below-memory /containers/st-mem/update '{"Memory":67108864,"MemorySwap":33554432}'
rawjson update-memory-above-swap /containers/st-mem/update '{"Memory":536870912}'
rawjson update-memory-nolimit /containers/st-plain/update '{"Memory":104857600}'
rawjson update-swap-only-nolimit /containers/st-plain/update '{"MemorySwap":104857600}'
rawjson update-swap-unlimited-nolimit /containers/st-plain/update '{"Memory":104857600,"MemorySwap":-1}'
hc st-plain hostconfig-plain-after-swap-unlimited.json
rawjson update-reservation-above-memory /containers/st-mem/update '{"MemoryReservation":1073741824}'
rawjson update-tiny-reservation /containers/st-mem/update '{"MemoryReservation":1000}'
rawjson update-restart-autoremove /containers/st-rm/update '{"RestartPolicy":{"Name":"always"}}'
rawjson update-restart-bogus /containers/st-mem/update '{"RestartPolicy":{"Name":"bogus"}}'
rawjson update-restart-always-count /containers/st-mem/update '{"RestartPolicy":{"Name":"always","MaximumRetryCount":2}}'
rawjson update-nano-with-quota /containers/st-mem/update '{"NanoCpus":500000000}'
rawjson update-quota-with-nano /containers/st-nano/update '{"CpuQuota":50000}'
rawjson update-period-with-nano /containers/st-nano/update '{"CpuPeriod":50000}'
rawjson update-nano-and-period /containers/st-plain/update '{"NanoCpus":500000000,"CpuPeriod":50000}'
rawjson update-nano-too-many /containers/st-plain/update '{"NanoCpus":64000000000}'
rawjson update-bad-period /containers/st-mem/update '{"CpuPeriod":500}'
rawjson update-bad-quota /containers/st-mem/update '{"CpuQuota":500}'
rawjson update-bad-blkio /containers/st-mem/update '{"BlkioWeight":5}'
rawjson update-cpuset-unavailable /containers/st-mem/update '{"CpusetCpus":"7"}'
rawjson update-cpuset-invalid /containers/st-mem/update '{"CpusetCpus":"abc"}'
rawjson update-cpuset-mems-unavailable /containers/st-mem/update '{"CpusetMems":"3"}'
rawjson update-swappiness /containers/st-mem/update '{"MemorySwappiness":200}'
rawjson update-missing /containers/nosuchcontainer/update '{"Memory":67108864}'
rawjson update-bad-json /containers/st-mem/update '{"Memory":'
raw update-empty-body POST /containers/st-mem/update -H 'Content-Type: application/json'
rawjson update-memory-below-usage /containers/st-mem/update '{"Memory":6291456,"MemorySwap":12582912}'
hc st-mem hostconfig-final.json

# --- events emitted by top and update
c "http://d/events?since=0&until=$(date +%s)&filters=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("{\"event\":[\"top\",\"update\"]}"))')" >"$T/ev.jsonl"
python3 - "$T/ev.jsonl" >"$OUT/events-top-update.json" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(json.dumps(evs[:3] + evs[-2:], indent=2))
PY

# --- the real docker CLI against this daemon
if command -v docker >/dev/null; then
    export DOCKER_HOST="unix://$SOCK" DOCKER_CONFIG="$T/cli"
    cli() { local f="$1"; shift; { docker "$@"; echo "exit=$?"; } >"$OUT/cli/$f" 2>&1 || true; }
    cli stats-no-stream.txt stats --no-stream st-mem st-plain st-stopped
    cli stats-no-stream-all.txt stats --no-stream --all
    cli stats-no-stream-default.txt stats --no-stream
    cli stats-json.txt stats --no-stream --format '{{json .}}' st-mem
    cli stats-no-trunc.txt stats --no-stream --no-trunc --format 'table {{.ID}}\t{{.Container}}\t{{.Name}}' st-mem
    cli stats-missing.txt stats --no-stream nosuchcontainer
    cli stats-format-fields.txt stats --no-stream --format '{{.Container}}|{{.Name}}|{{.ID}}|{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}|{{.NetIO}}|{{.BlockIO}}|{{.PIDs}}' st-mem st-stopped
    cli top.txt top st-mem
    cli top-pid-comm.txt top st-mem -o pid,comm
    cli top-stopped.txt top st-stopped
    cli top-bad.txt top st-mem --bogus
    cli update.txt update --cpu-shares 700 st-mem
    cli update-two.txt update --cpu-shares 700 st-mem st-plain
    cli update-missing.txt update --cpu-shares 700 st-mem nosuchcontainer
    cli update-no-flags.txt update st-mem
    cli update-tiny-memory.txt update -m 1000 st-mem
    cli update-restart-rm.txt update --restart always st-rm
    cli update-restart-bad.txt update --restart bogus st-mem
    cli update-cpus.txt update --cpus 0.25 st-plain
    cli update-memory-nolimit.txt update -m 100m st-plain
    unset DOCKER_HOST DOCKER_CONFIG
fi

{ grep -rlF "$T" "$OUT" || true; } | while read -r f; do sed -i "s|$T|/tmp/wharf-golden-stats.XXXXXX|g" "$f"; done
echo "recorded into $OUT"
