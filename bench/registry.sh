#!/usr/bin/env bash
# Registry benchmark: `wharf registry serve` vs Debian's docker-registry (distribution 2.8),
# same machine, same content, same load tool, one run.
#
# Measures, for each registry, with ApacheBench (`ab`, package apache2-utils) at C concurrent
# keep-alive clients (default 16):
#   blob GET      throughput of GET /v2/bench/blobs/<digest> for one BLOB_MB blob (MB/s, MB = 10^6 B)
#   manifest GET  requests/s of GET /v2/bench/manifests/latest (a small OCI manifest, by tag)
# and prints wharf/docker-registry ratios (higher is better; the target is >= 2).
# Each measurement runs SECONDS seconds (default 10), the registries alternating who goes first.
#
# Usage: bench/registry.sh [-s SECONDS] [-c CLIENTS] [-m BLOB_MB] [-w PATH_TO_WHARF]
# Needs /usr/bin/docker-registry (package docker-registry), ab (apache2-utils), curl, python3,
# and this checkout's out/wharf (run ./build.sh). Both registries listen on 127.0.0.1 only, on
# free ports, with roots under one mktemp -d directory that an EXIT trap removes (after stopping
# both servers by the pids it started), also on failure or Ctrl-C.
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
    *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done
DREG=${DREG:-/usr/bin/docker-registry}
[ -x "$WHARF" ] || { echo "wharf not found at $WHARF (run ./build.sh)" >&2; exit 1; }
[ -x "$DREG" ] || { echo "docker-registry not found at $DREG (apt-get install docker-registry)" >&2; exit 1; }
command -v ab >/dev/null || { echo "ab not found (apt-get install apache2-utils)" >&2; exit 1; }

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

declare -A RES
for round in 1 2; do
  if [ $round = 1 ]; then order="wharf dreg"; else order="dreg wharf"; fi
  for who in $order; do
    base=$W; [ $who = dreg ] && base=$D
    read -r _ kb < <(ab_run "$base/v2/bench/blobs/$BLOB")
    RES[$who.blob.$round]=$kb
    read -r rps _ < <(ab_run "$base/v2/bench/manifests/latest" -H "Accept: $MT")
    RES[$who.manifest.$round]=$rps
  done
done

python3 - "$CLIENTS" "$SECS" "$BLOB_MB" \
  "${RES[wharf.blob.1]}" "${RES[wharf.blob.2]}" "${RES[dreg.blob.1]}" "${RES[dreg.blob.2]}" \
  "${RES[wharf.manifest.1]}" "${RES[wharf.manifest.2]}" "${RES[dreg.manifest.1]}" "${RES[dreg.manifest.2]}" <<'PY'
import sys
c, s, mb = sys.argv[1:4]
v = [float(x) for x in sys.argv[4:]]
wb, db = max(v[0], v[1]) * 1024 / 1e6, max(v[2], v[3]) * 1024 / 1e6
wm, dm = max(v[4], v[5]), max(v[6], v[7])
print(f"registry benchmark: {c} concurrent clients, {s} s per measurement, best of 2 rounds, {mb} MB blob")
print(f"{'':14}{'wharf':>14}{'docker-registry':>18}{'ratio':>9}")
print(f"{'blob GET MB/s':14}{wb:14.1f}{db:18.1f}{wb/db:9.2f}")
print(f"{'manifest GET/s':14}{wm:14.0f}{dm:18.0f}{wm/dm:9.2f}")
PY
