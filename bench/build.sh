#!/usr/bin/env bash
# Whole-system build benchmark: wharfd vs Debian's dockerd legacy builder, same inputs, one run.
#
# Measures through the real docker CLI (DOCKER_BUILDKIT=0, DOCKER_HOST per engine):
#   cached   a fully cached rebuild of a 10-step Dockerfile (after one untimed first build)
#   stages   the first build (--no-cache) of a 3-stage Dockerfile whose two first stages are
#            independent (each sleeps S seconds, then writes a file; the last stage copies both)
#   context  sending a big context: F files totalling ~MB megabytes (FROM busybox + one COPY of a
#            small file, so the time is mostly the context transfer)
#   cached-api, context-api  the same two builds sent straight to the engine's POST /build by
#            curl with the context tar made beforehand: the engine's own time, without the docker
#            CLI's start-up and its packing of the context (the same client for both engines)
# Each timed step runs N times (engines alternate who goes first); the median is reported with
# the ratio wharf/dockerd (lower is better). Targets (issue 6): cached <= 0.3, stages faster by at
# least S seconds, context <= 1.0.
#
# Usage: bench/build.sh [-n N] [-s SLEEP] [-f FILES] [-m MB] [-w WHARFD]
#   -n N      runs per timed step (default 5)        -s S   sleep of each first stage (default 2)
#   -f F      files in the big context (default 20000) -m MB size of the big context (default 200)
#   -w PATH   wharfd launcher (default out/wharfd of this checkout; run ./build.sh first)
# Needs root, /usr/local/bin/docker, /usr/sbin/dockerd, /usr/bin/busybox, python3. Everything
# lives under one mktemp -d directory and is removed on exit (also on failure or Ctrl-C).
set -euo pipefail

N=5 S=2 F=20000 MB=200
here=$(cd "$(dirname "$0")/.." && pwd)
WHARFD="$here/out/wharfd"
while getopts "n:s:f:m:w:h" opt; do
  case $opt in
    n) N=$OPTARG ;; s) S=$OPTARG ;; f) F=$OPTARG ;; m) MB=$OPTARG ;; w) WHARFD=$OPTARG ;;
    *) sed -n '2,22p' "$0"; exit 2 ;;
  esac
done
for v in "$N" "$S" "$F" "$MB"; do [[ $v =~ ^[0-9]+$ ]] || { echo "numbers only" >&2; exit 2; }; done
DOCKER=${DOCKER:-/usr/local/bin/docker}
DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
for b in "$WHARFD" "$DOCKER" "$DOCKERD" /usr/bin/busybox; do [ -x "$b" ] || { echo "not found: $b" >&2; exit 1; }; done
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

T=$(mktemp -d /tmp/wharf-bench-build.XXXXXX)
export DOCKER_CONFIG="$T/cli-config" DOCKER_BUILDKIT=0
WPID="" DPID=""
cleanup() {
  for p in "$WPID" "$DPID"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  for p in "$WPID" "$DPID"; do
    [ -n "$p" ] && for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true
  done
  { grep -o " $T[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  for cg in /sys/fs/cgroup/*/wharf-bench-build-$$ /sys/fs/cgroup/wharf-bench-build-$$; do [ -d "$cg" ] && rmdir "$cg" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT INT TERM

wait_ping() { for _ in $(seq 1 300); do curl -sf --unix-socket "$1" http://d/_ping >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "daemon on $1 did not start" >&2; exit 1; }

mkdir -p "$T/w" "$T/d"
echo "{\"cgroup-parent\":\"wharf-bench-build-$$\",\"bridge\":\"none\"}" >"$T/w/daemon.json"
"$WHARFD" -H "unix://$T/w/s.sock" --data-root "$T/w/root" --exec-root "$T/w/exec" --pidfile "$T/w/pid" --config-file "$T/w/daemon.json" >"$T/w/log" 2>&1 &
WPID=$!
"$DOCKERD" --data-root "$T/d/root" --exec-root "$T/d/exec" -H "unix://$T/d/s.sock" --pidfile "$T/d/pid" \
  --bridge=none --iptables=false --ip-masq=false >"$T/d/log" 2>&1 &
DPID=$!
wait_ping "$T/w/s.sock"; wait_ping "$T/d/s.sock"
ENGINES=(wharf dockerd)
sock() { [ "$1" = wharf ] && echo "$T/w/s.sock" || echo "$T/d/s.sock"; }
dk() { local e=$1; shift; DOCKER_HOST="unix://$(sock "$e")" "$DOCKER" "$@"; }

# busybox with every applet, imported into both engines.
mkdir -p "$T/bb/bin" "$T/bb/etc" "$T/bb/tmp"
cp /usr/bin/busybox "$T/bb/bin/busybox"
for a in $(/usr/bin/busybox --list); do [ -e "$T/bb/bin/$a" ] || ln -s busybox "$T/bb/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$T/bb/etc/passwd"; echo 'root:x:0:' >"$T/bb/etc/group"; chmod 1777 "$T/bb/tmp"
tar -C "$T/bb" -cf "$T/bb.tar" .
for e in "${ENGINES[@]}"; do dk "$e" import -c 'CMD ["sh"]' "$T/bb.tar" busybox:latest >/dev/null; done

# The inputs.
mkdir -p "$T/ten" "$T/three" "$T/big/data"
cat >"$T/ten/Dockerfile" <<'EOF'
FROM busybox
ARG V=1
ENV APP=/app
WORKDIR /app
COPY a.txt .
RUN echo "$V" > v.txt
RUN mkdir -p /app/sub && cp a.txt sub/
LABEL bench=ten
EXPOSE 8080
CMD ["cat", "/app/v.txt"]
EOF
echo a >"$T/ten/a.txt"
cat >"$T/three/Dockerfile" <<EOF
FROM busybox AS one
RUN sleep $S && echo one > /one
FROM busybox AS two
RUN sleep $S && echo two > /two
FROM busybox
COPY --from=one /one /out/
COPY --from=two /two /out/
CMD ["cat", "/out/one", "/out/two"]
EOF
printf 'FROM busybox\nCOPY small.txt /\n' >"$T/big/Dockerfile"
echo small >"$T/big/small.txt"
python3 - "$T/big/data" "$F" "$MB" <<'PY'
import os, sys
root, files, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = max(1, mb * 1000 * 1000 // max(1, files))
for i in range(files):
    d = os.path.join(root, "d%03d" % (i % 200))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%06d" % i), "wb") as f:
        f.write(os.urandom(size))
PY

tar -C "$T/ten" -cf "$T/ten.tar" .
tar -C "$T/big" -cf "$T/big.tar" .

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "nan"} else if (NR%2) {print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'; }
declare -A R
time_build() {  # engine label args...
  local e=$1 label=$2; shift 2
  local t0 t1; t0=$(now)
  dk "$e" build -q "$@" >"$T/out-$e" 2>&1 || { echo "build failed on $e:" >&2; cat "$T/out-$e" >&2; exit 1; }
  t1=$(now)
  R[$label-$e]+="$(echo "$t1 - $t0" | bc) "
}

time_api() {  # engine label tar query
  local e=$1 label=$2 tar=$3 query=$4 t0 t1; t0=$(now)
  curl -sf --unix-socket "$(sock "$e")" -X POST -H 'Content-Type: application/x-tar' \
    --data-binary @"$tar" "http://d/v1.41/build?$query" >"$T/out-$e" || { echo "POST /build failed on $e" >&2; exit 1; }
  t1=$(now)
  if ! grep -q '"stream":"sha256:' "$T/out-$e" || grep -q errorDetail "$T/out-$e"; then echo "build failed on $e:" >&2; cat "$T/out-$e" >&2; exit 1; fi
  R[$label-$e]+="$(echo "$t1 - $t0" | bc) "
}

# Untimed first builds prime the cache of the 10-step Dockerfile.
for e in "${ENGINES[@]}"; do dk "$e" build -q -t ten "$T/ten" >/dev/null 2>&1; done
for i in $(seq 1 "$N"); do
  order=("${ENGINES[@]}"); [ $((i % 2)) = 0 ] && order=(dockerd wharf)
  for e in "${order[@]}"; do
    time_build "$e" cached -t ten "$T/ten"
    time_build "$e" stages --no-cache "$T/three"
    time_build "$e" context --no-cache "$T/big"
    time_api "$e" cached-api "$T/ten.tar" "t=ten&q=1"
    time_api "$e" context-api "$T/big.tar" "q=1&nocache=1"
  done
done

printf '%-10s %12s %12s %8s\n' step "wharfd s" "dockerd s" ratio
for step in cached stages context cached-api context-api; do
  w=$(echo "${R[$step-wharf]}" | tr ' ' '\n' | grep . | median)
  d=$(echo "${R[$step-dockerd]}" | tr ' ' '\n' | grep . | median)
  printf '%-10s %12.3f %12.3f %8.2f\n' "$step" "$w" "$d" "$(echo "$w / $d" | bc -l)"
done
echo "targets: cached <= 0.30; stages: dockerd - wharfd >= $S s; context <= 1.00 (through the CLI or the API)"
