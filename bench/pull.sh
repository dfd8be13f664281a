#!/usr/bin/env bash
# Whole-system pull benchmark: wharfd vs Debian's dockerd pulling the same image from the same
# loopback registry (Debian's docker-registry), in one run.
#
# The image (made on the spot, no internet): L layers of random (incompressible) data, SIZE MB in
# all (default 5 layers, 300 MB), gzip-compressed by skopeo when it is copied into the registry.
# For each engine: `docker rmi` + prune (untimed), then `docker pull HOST:PORT/bench/pull:latest`
# (timed, through the real docker CLI). N rounds, engines alternate who goes first; medians and the
# ratio wharf/dockerd (lower is better; the target is <= 0.5) are printed.
#
# Usage: bench/pull.sh [-n N] [-s SIZE_MB] [-l LAYERS] [-w PATH_TO_WHARFD]
# Needs root, /usr/local/bin/docker, /usr/sbin/dockerd, /usr/bin/docker-registry, skopeo, python3.
# Everything lives under one mktemp -d directory and is removed on exit, also on failure or Ctrl-C.
set -euo pipefail

N=3 SIZE_MB=300 LAYERS=5
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib/stop-pid.sh"
WHARFD="$here/out/wharfd"
while getopts "n:s:l:w:h" opt; do
  case $opt in
    n) N=$OPTARG ;;
    s) SIZE_MB=$OPTARG ;;
    l) LAYERS=$OPTARG ;;
    w) WHARFD=$OPTARG ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
  esac
done
for v in "$N" "$SIZE_MB" "$LAYERS"; do [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "-n, -s and -l want positive integers" >&2; exit 2; }; done
DOCKER=${DOCKER:-/usr/local/bin/docker}
DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
REGISTRY=${REGISTRY:-/usr/bin/docker-registry}
STEP_TIMEOUT=${STEP_TIMEOUT:-600}
for x in "$WHARFD" "$DOCKER" "$DOCKERD" "$REGISTRY"; do [ -x "$x" ] || { echo "missing $x (run ./build.sh / scripts/install-deps.sh)" >&2; exit 1; }; done
command -v skopeo >/dev/null || { echo "missing skopeo" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

T=$(mktemp -d /tmp/wharf-bench-pull.XXXXXX)
export DOCKER_CONFIG="$T/cli-config"   # never touch ~/.docker
ENGINES=(wharf docker)
WPID= DPID= RPID=


cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  stop_pid "$WPID" wharfd
  stop_pid "$DPID" dockerd
  stop_pid "$T/dexec/containerd/containerd.pid" containerd
  stop_pid "$RPID" docker-registry
  grep " $T" /proc/mounts | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$T" || echo "could not remove $T" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "NA"} else if (NR%2) {print a[(NR+1)/2]} else {print int((a[NR/2]+a[NR/2+1])/2)}}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a=="NA"||b=="NA"||b==0) print "NA"; else printf "%.2f", a/b }'; }
sock_of() { [ "$1" = wharf ] && echo "$T/wharf.sock" || echo "$T/docker.sock"; }
log_of() { [ "$1" = wharf ] && echo "$T/wharfd.log" || echo "$T/dockerd.log"; }
dk() { local e=$1; shift; DOCKER_HOST="unix://$(sock_of "$e")" timeout "$STEP_TIMEOUT" "$DOCKER" "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# ---- the registry ------------------------------------------------------------------------------
PORT=$(free_port)
cat >"$T/registry.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $T/registry
http:
  addr: 127.0.0.1:$PORT
YML
"$REGISTRY" serve "$T/registry.yml" >"$T/registry.log" 2>&1 &
RPID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/v2/" >/dev/null || { echo "docker-registry did not start" >&2; cat "$T/registry.log" >&2; exit 1; }
IMG="127.0.0.1:$PORT/bench/pull:latest"

# ---- the image: a docker-archive with LAYERS random layers, copied in with skopeo ---------------
t0=$(now_ms)
mkdir -p "$T/archive"
python3 - "$T/archive" "$SIZE_MB" "$LAYERS" <<'PY'
import hashlib, io, json, os, sys, tarfile
out, size_mb, layers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
per_layer = size_mb * 1000 * 1000 // layers
diff_ids, names = [], []
for i in range(layers):
    name = f"layer{i}.tar"
    path = os.path.join(out, name)
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as t:
        left, n = per_layer, 0
        while left > 0:
            chunk = min(left, 16 * 1024 * 1024)
            info = tarfile.TarInfo(f"data/l{i}/f{n}.bin")
            info.size = chunk
            t.addfile(info, io.BytesIO(os.urandom(chunk)))
            left -= chunk
            n += 1
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    diff_ids.append("sha256:" + h.hexdigest())
    names.append(name)
config = {
    "architecture": "amd64", "os": "linux", "created": "2026-01-01T00:00:00Z",
    "config": {"Cmd": ["sh"]},
    "rootfs": {"type": "layers", "diff_ids": diff_ids},
    "history": [{"created": "2026-01-01T00:00:00Z", "created_by": f"layer {i}"} for i in range(layers)],
}
cb = json.dumps(config).encode()
cname = hashlib.sha256(cb).hexdigest() + ".json"
open(os.path.join(out, cname), "wb").write(cb)
json.dump([{"Config": cname, "RepoTags": ["bench/pull:latest"], "Layers": names}], open(os.path.join(out, "manifest.json"), "w"))
PY
tar -C "$T/archive" -cf "$T/image.tar" .
rm -rf "$T/archive"
skopeo copy --quiet "docker-archive:$T/image.tar" "docker://$IMG" --dest-tls-verify=false
rm -f "$T/image.tar"
echo "image: $LAYERS layers, $SIZE_MB MB random data, in the registry after $(( $(now_ms) - t0 )) ms ($(du -sm "$T/registry" | cut -f1) MB stored)"

# ---- both daemons ------------------------------------------------------------------------------
echo "{\"insecure-registries\":[\"127.0.0.1:$PORT\"]}" >"$T/daemon.json"
"$WHARFD" --bridge none -H "unix://$T/wharf.sock" --data-root "$T/wroot" --exec-root "$T/wexec" \
  --pidfile "$T/w.pid" --config-file "$T/daemon.json" >"$T/wharfd.log" 2>&1 &
WPID=$!
"$DOCKERD" --data-root "$T/droot" --exec-root "$T/dexec" -H "unix://$T/docker.sock" \
  --pidfile "$T/d.pid" --bridge=none --iptables=false --ip-masq=false \
  --insecure-registry "127.0.0.1:$PORT" >"$T/dockerd.log" 2>&1 &
DPID=$!
for e in "${ENGINES[@]}"; do
  ok=
  for _ in $(seq 1 300); do
    if [ -f "$T/${e:0:1}.pid" ] && dk "$e" version >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.1
  done
  [ -n "$ok" ] || { echo "$e did not come up in 30 s; log:" >&2; tail -n 30 "$(log_of "$e")" >&2; exit 1; }
done

# ---- rounds ------------------------------------------------------------------------------------
declare -A times
for r in $(seq 1 "$N"); do
  order=("${ENGINES[@]}")
  (( r % 2 == 0 )) && order=(docker wharf)
  for e in "${order[@]}"; do
    dk "$e" rmi -f "$IMG" >/dev/null 2>&1 || true
    dk "$e" image prune -af >/dev/null 2>&1 || true
    sync
    t=$(now_ms)
    if ! dk "$e" pull -q "$IMG" >"$T/pull-$e.out" 2>&1; then
      echo "$e: pull failed:" >&2; cat "$T/pull-$e.out" >&2; tail -n 20 "$(log_of "$e")" >&2; exit 1
    fi
    times[$e]+="$(( $(now_ms) - t )) "
  done
done

wid=$(dk wharf image inspect -f '{{.Id}}' "$IMG")
did=$(dk docker image inspect -f '{{.Id}}' "$IMG")
wm=$(tr ' ' '\n' <<<"${times[wharf]}" | grep . | median)
dm=$(tr ' ' '\n' <<<"${times[docker]}" | grep . | median)
echo "=== pull of $LAYERS layers / $SIZE_MB MB from a loopback registry, median of $N, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ) ==="
printf "%-8s %10s   %s\n" engine "median ms" "all (ms)"
printf "%-8s %10s   %s\n" wharf "$wm" "${times[wharf]}"
printf "%-8s %10s   %s\n" dockerd "$dm" "${times[docker]}"
echo "ratio wharf/dockerd: $(ratio "$wm" "$dm") (target <= 0.5); same image ID: $([ "$wid" = "$did" ] && echo yes || echo "NO ($wid vs $did)")"
