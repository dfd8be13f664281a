#!/usr/bin/env bash
# Registry benchmark: `wharf registry serve` vs Debian's docker-registry (distribution 2.8),
# same machine, same content, same load tools, one run.
#
# Measures, for each registry, at C concurrent keep-alive clients (default 16), with two load
# clients side by side:
#   blobload  bench/lib/blobload.c, compiled here with gcc: one epoll thread, C HTTP/1.1
#             keep-alive connections, bodies discarded in the kernel (recv MSG_TRUNC), every
#             response's status line and Content-Length checked
#   ab        ApacheBench (`ab -k`, package apache2-utils), which copies every byte to user
#             space on one thread and is itself the ceiling for large blobs on a small machine
# the measurements
#   blob GET      throughput of GET /v2/bench/blobs/<digest> for one BLOB_MB blob (MB/s, MB = 10^6 B)
#   manifest GET  requests/s of GET /v2/bench/manifests/latest (a small OCI manifest, by tag)
# and prints wharf/docker-registry ratios (higher is better; the target is >= 2), plus the
# server's CPU seconds per GB served and blobload's own CPU use in the blob runs.
# Before the timed runs, blobload fetches the blob from each registry with -V (bodies copied and
# compared with the pushed file), so the bytes and the framing it counts are shown to be right,
# then loads each with blob GETs for min(SECONDS, 3) s, untimed (warm-up).
# Each measurement runs SECONDS seconds (default 10), the registries alternating who goes first.
#
# Usage: bench/registry.sh [-s SECONDS] [-c CLIENTS] [-m BLOB_MB] [-w PATH_TO_WHARF]
# Needs /usr/bin/docker-registry (package docker-registry), ab (apache2-utils), gcc, curl,
# python3, and this checkout's out/wharf (run ./build.sh). Both registries listen on 127.0.0.1
# only, on free ports, with roots under one mktemp -d directory that an EXIT trap removes (after
# stopping both servers by the pids it started), also on failure or Ctrl-C.
set -euo pipefail

SECS=10
CLIENTS=16
BLOB_MB=64
here=$(cd "$(dirname "$0")/.." && pwd)
WHARF="$here/out/wharf"
while getopts "s:c:m:w:h" opt; do
  case $opt in
    s) SECS=$OPTARG ;;
    c) CLIENTS=$OPTARG ;;
    m) BLOB_MB=$OPTARG ;;
    w) WHARF=$OPTARG ;;
    *) sed -n '2,26p' "$0"; exit 2 ;;
  esac
done
DREG=${DREG:-/usr/bin/docker-registry}
[ -x "$WHARF" ] || { echo "wharf not found at $WHARF (run ./build.sh)" >&2; exit 1; }
[ -x "$DREG" ] || { echo "docker-registry not found at $DREG (apt-get install docker-registry)" >&2; exit 1; }
command -v ab >/dev/null || { echo "ab not found (apt-get install apache2-utils)" >&2; exit 1; }
command -v gcc >/dev/null || { echo "gcc not found (scripts/install-deps.sh installs it)" >&2; exit 1; }

T=$(mktemp -d /tmp/wharf-bench-registry.XXXXXX)
WPID=""
DPID=""
cleanup() {
  for pid in $WPID $DPID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $WPID $DPID; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

gcc -O2 -Wall -Wextra -Werror -o "$T/blobload" "$here/bench/lib/blobload.c"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# --- start both registries ---------------------------------------------------------------
WPORT=$(free_port)
"$WHARF" registry serve --addr "127.0.0.1:$WPORT" --root "$T/wharf" >"$T/wharf.log" 2>&1 &
WPID=$!

DPORT=$(free_port)
cat >"$T/dreg.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $T/dreg
  cache:
    blobdescriptor: inmemory
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$DPORT
YAML
"$DREG" serve "$T/dreg.yml" >"$T/dreg.log" 2>&1 &
DPID=$!

wait_up() { # URL PID LOG
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "$1/v2/" && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.1
  done
  echo "no answer from $1" >&2; cat "$3" >&2; exit 1
}
W="http://127.0.0.1:$WPORT"
D="http://127.0.0.1:$DPORT"
wait_up "$W" "$WPID" "$T/wharf.log"
wait_up "$D" "$DPID" "$T/dreg.log"

# --- the same content in both ------------------------------------------------------------
head -c $((BLOB_MB * 1000000)) /dev/urandom >"$T/blob"
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' >"$T/config"
BLOB=sha256:$(sha256sum "$T/blob" | cut -d' ' -f1)
CONFIG=sha256:$(sha256sum "$T/config" | cut -d' ' -f1)
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":%d,"digest":"%s"},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","size":%d,"digest":"%s"}]}' \
  "$(stat -c %s "$T/config")" "$CONFIG" "$(stat -c %s "$T/blob")" "$BLOB" >"$T/manifest"
MT=application/vnd.oci.image.manifest.v1+json

push() { # BASE
  local base=$1 f d loc sep
  for f in blob config; do
    d=sha256:$(sha256sum "$T/$f" | cut -d' ' -f1)
    # POST opens a session, PUT sends the whole blob (docker-registry 2.8 ignores a POST body).
    loc=$(curl -sf -X POST -D - -o /dev/null "$base/v2/bench/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:"{print $2}')
    case $loc in http*) ;; *) loc="$base$loc" ;; esac
    sep='?'; case $loc in *\?*) sep='&' ;; esac
    curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$T/$f" "$loc${sep}digest=$d" -o /dev/null
  done
  curl -sf -X PUT -H "Content-Type: $MT" --data-binary "@$T/manifest" "$base/v2/bench/manifests/latest" -o /dev/null
  # sanity: both serve the same bytes
  [ "$(curl -sf "$base/v2/bench/blobs/$BLOB" | sha256sum | cut -d' ' -f1)" = "${BLOB#sha256:}" ] || { echo "blob mismatch at $base" >&2; exit 1; }
}
push "$W"
push "$D"

# --- load --------------------------------------------------------------------------------
# ab_run URL [extra ab args]: prints "requests/s bytes/s"
ab_run() {
  local url=$1; shift
  local out
  out=$(ab -q -k -t "$SECS" -n 100000000 -c "$CLIENTS" "$@" "$url" 2>&1) || { echo "$out" >&2; exit 1; }
  local failed rps kbps
  failed=$(awk '/^Failed requests:/{print $3}' <<<"$out")
  [ "${failed:-0}" = 0 ] || { echo "ab reported $failed failed requests for $url" >&2; echo "$out" >&2; exit 1; }
  rps=$(awk '/^Requests per second:/{print $4}' <<<"$out")
  kbps=$(awk '/^Transfer rate:/{print $3}' <<<"$out")
  echo "$rps $kbps"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of PID, in clock ticks
HZ=$(getconf CLK_TCK)

# bl_run PORT PID PATH [blobload args]: prints "requests/s MB/s server-CPU-s client-CPU-s bytes"
bl_run() {
  local port=$1 pid=$2 path=$3; shift 3
  local out a b
  a=$(cpu_ticks "$pid")
  out=$("$T/blobload" -p "$port" -u "$path" -c "$CLIENTS" -t "$SECS" "$@" 2>&1) || { echo "blobload failed on port $port: $out" >&2; exit 1; }
  b=$(cpu_ticks "$pid")
  awk -v a="$a" -v b="$b" -v hz="$HZ" '{for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%s %s %.3f %s %s\n", v["req_per_s"], v["mb_per_s"], (b - a) / hz, v["client_cpu_s"], v["bytes"]}' <<<"$out"
}

BLOB_BYTES=$(stat -c %s "$T/blob")
BPATH=/v2/bench/blobs/$BLOB
MPATH=/v2/bench/manifests/latest
# The bytes blobload counts are the bytes the registry sent: fetch with copy-and-compare first.
"$T/blobload" -p "$WPORT" -u "$BPATH" -c 2 -n 4 -t 60 -V "$T/blob" >/dev/null || { echo "blobload -V failed against wharf" >&2; exit 1; }
"$T/blobload" -p "$DPORT" -u "$BPATH" -c 2 -n 4 -t 60 -V "$T/blob" >/dev/null || { echo "blobload -V failed against docker-registry" >&2; exit 1; }
"$T/blobload" -p "$WPORT" -u "$MPATH" -H "Accept: $MT" -c 2 -n 4 -t 60 -V "$T/manifest" >/dev/null || { echo "blobload -V (manifest) failed against wharf" >&2; exit 1; }
"$T/blobload" -p "$DPORT" -u "$MPATH" -H "Accept: $MT" -c 2 -n 4 -t 60 -V "$T/manifest" >/dev/null || { echo "blobload -V (manifest) failed against docker-registry" >&2; exit 1; }

# Warm-up, untimed: a few seconds of blob GETs on each (JIT tiering, pools, socket buffers; a
# fresh wharf gains 10-20% over its first ~10 s of load), so that both rounds measure servers in
# their steady state.
WARM=$(( SECS < 3 ? SECS : 3 ))
"$T/blobload" -p "$WPORT" -u "$BPATH" -c "$CLIENTS" -t "$WARM" >/dev/null || { echo "blobload warm-up failed against wharf" >&2; exit 1; }
"$T/blobload" -p "$DPORT" -u "$BPATH" -c "$CLIENTS" -t "$WARM" >/dev/null || { echo "blobload warm-up failed against docker-registry" >&2; exit 1; }

declare -A RES
for round in 1 2; do
  if [ $round = 1 ]; then order="wharf dreg"; else order="dreg wharf"; fi
  for who in $order; do
    base=$W port=$WPORT pid=$WPID
    [ $who = dreg ] && { base=$D; port=$DPORT; pid=$DPID; }
    # (assignments, not `read < <(...)`, so that a failed run stops the script)
    out=$(bl_run "$port" "$pid" "$BPATH" -l "$BLOB_BYTES")
    RES[$who.blblob.$round]=$(cut -d' ' -f2- <<<"$out")
    out=$(bl_run "$port" "$pid" "$MPATH" -H "Accept: $MT")
    RES[$who.blman.$round]=$(cut -d' ' -f1 <<<"$out")
    out=$(ab_run "$base$BPATH")
    RES[$who.abblob.$round]=$(cut -d' ' -f2 <<<"$out")
    out=$(ab_run "$base$MPATH" -H "Accept: $MT")
    RES[$who.abman.$round]=$(cut -d' ' -f1 <<<"$out")
  done
done

args=()
for k in blblob blman abblob abman; do
  for who in wharf dreg; do
    args+=("${RES[$who.$k.1]}" "${RES[$who.$k.2]}")
  done
done
python3 - "$CLIENTS" "$SECS" "$BLOB_MB" "${args[@]}" <<'PY'
import sys
c, s, mb = sys.argv[1:4]
a = iter(sys.argv[4:])
def best(kind):
    out = {}
    for who in ("wharf", "dreg"):
        r1, r2 = next(a), next(a)
        if kind == "blblob":
            rows = [list(map(float, r.split())) for r in (r1, r2)]
            out[who] = max(rows, key=lambda r: r[0])  # MB/s, server CPU s, client CPU s, bytes
        else:
            out[who] = max(float(r1), float(r2))
    return out
bl, blm, ab, abm = best("blblob"), best("blman"), best("abblob"), best("abman")
for who in ab:
    ab[who] = ab[who] * 1024 / 1e6  # ab's "Kbytes/sec" are KiB/s
print(f"registry benchmark: {c} concurrent clients, {s} s per measurement, best of 2 rounds, {mb} MB blob")
print(f"{'':38}{'wharf':>12}{'docker-registry':>18}{'ratio':>9}")
print(f"{'blob GET MB/s (blobload)':38}{bl['wharf'][0]:12.1f}{bl['dreg'][0]:18.1f}{bl['wharf'][0] / bl['dreg'][0]:9.2f}")
print(f"{'blob GET MB/s (ab)':38}{ab['wharf']:12.1f}{ab['dreg']:18.1f}{ab['wharf'] / ab['dreg']:9.2f}")
print(f"{'manifest GET/s (blobload)':38}{blm['wharf']:12.0f}{blm['dreg']:18.0f}{blm['wharf'] / blm['dreg']:9.2f}")
print(f"{'manifest GET/s (ab)':38}{abm['wharf']:12.0f}{abm['dreg']:18.0f}{abm['wharf'] / abm['dreg']:9.2f}")
spg = {w: bl[w][1] / (bl[w][3] / 1e9) for w in bl}
print(f"{'server CPU s/GB, blob (lower=better)':38}{spg['wharf']:12.2f}{spg['dreg']:18.2f}{spg['wharf'] / spg['dreg']:9.2f}")
print(f"blobload's own CPU in those blob runs: {bl['wharf'][2] / float(s):.2f} and {bl['dreg'][2] / float(s):.2f} CPUs "
      f"({bl['wharf'][2] / (bl['wharf'][3] / 1e9):.2f} and {bl['dreg'][2] / (bl['dreg'][3] / 1e9):.2f} s/GB)")
PY
