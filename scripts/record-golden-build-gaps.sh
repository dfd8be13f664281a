#!/usr/bin/env bash
# Records what dockerd 20.10's legacy builder does for the build gaps Wharf closed, into
# tests/golden/dockerd-20.10/build-gaps/: the JSON stream of ADD <http URL> (download
# progress), and a metadata-only FROM scratch image (inspect, history, save). Same private
# daemon rules as record-golden-build.sh; the download comes from a loopback HTTP server the
# script starts (python3 http.server on 127.0.0.1) and stops.
# Usage: scripts/record-golden-build-gaps.sh [output-dir]
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$REPO_ROOT/tests/golden/dockerd-20.10/build-gaps}"
BUSYBOX="${BUSYBOX:-/usr/bin/busybox}"

# shellcheck source=scripts/lib/private-dockerd.sh
source "$REPO_ROOT/scripts/lib/private-dockerd.sh"
HPID=""
golden_cleanup_hook() { [[ -n "$HPID" ]] && kill "$HPID" 2>/dev/null; }
private_dockerd_start build-gaps
mkdir -p "$T/work/r/bin" "$T/work/r/etc" "$T/work/r/tmp" "$T/ctx" "$T/www"
rm -rf "$OUT"
mkdir -p "$OUT"

cp "$BUSYBOX" "$T/work/r/bin/busybox"
ln -s busybox "$T/work/r/bin/sh"
chmod 1777 "$T/work/r/tmp"
tar -C "$T/work/r" -cf "$T/busybox.tar" .
c -X POST --data-binary @"$T/busybox.tar" -H 'Content-Type: application/x-tar' \
    "http://d/images/create?fromSrc=-&repo=busybox&tag=latest" >/dev/null

# 3 MiB, so the progress reader reports more than once (it updates every 512 KiB).
head -c 3145728 /dev/zero >"$T/www/big.bin"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$T/www" >/dev/null 2>&1 &
HPID=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/big.bin" -o /dev/null && break; sleep 0.1; done

build() { local name="$1"; shift; tar -C "$T/ctx" -cf "$T/ctx.tar" .; c -X POST -H 'Content-Type: application/x-tar' --data-binary @"$T/ctx.tar" "http://d/build?networkmode=none&$1" >"$OUT/$name.txt"; }
printf 'FROM busybox\nADD http://127.0.0.1:%s/big.bin /big.bin\n' "$PORT" >"$T/ctx/Dockerfile"
build add-url "t=golden:add"
# The port differs per run: name it PORT in the golden.
sed -i "s/127.0.0.1:$PORT/127.0.0.1:PORT/g" "$OUT/add-url.txt"

printf 'FROM scratch\nLABEL a=b\nCMD ["x"]\n' >"$T/ctx/Dockerfile"
build scratch-meta "t=golden:meta"
c "http://d/images/golden:meta/json" | pp >"$OUT/scratch-meta-inspect.json"
c "http://d/images/golden:meta/history" | pp >"$OUT/scratch-meta-history.json"
c -D "$OUT/scratch-meta-save-headers.txt" "http://d/images/get?names=golden:meta" >"$OUT/scratch-meta-save.txt"
c -D "$OUT/scratch-meta-create-headers.txt" -X POST -H 'Content-Type: application/json' -d '{"Image":"golden:meta","HostConfig":{"NetworkMode":"none"}}' "http://d/containers/create" >"$OUT/scratch-meta-create.txt"
echo "recorded into $OUT"
