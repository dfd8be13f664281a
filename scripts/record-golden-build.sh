#!/usr/bin/env bash
# Records golden responses of POST /build (the legacy builder, as `DOCKER_BUILDKIT=0 docker
# build` drives it) from a private Debian dockerd (docker.io 20.10.x, API 1.41) into
# tests/golden/dockerd-20.10/build/. Same private-daemon rules as record-golden-files.sh:
# own data-root, exec-root, socket and pidfile under a temp dir, --bridge=none
# --iptables=false, every build container in network mode "none"; everything removed on exit.
# Usage: scripts/record-golden-build.sh [output-dir]
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$REPO_ROOT/tests/golden/dockerd-20.10/build}"
BUSYBOX="${BUSYBOX:-/usr/bin/busybox}"

# shellcheck source=scripts/lib/private-dockerd.sh
source "$REPO_ROOT/scripts/lib/private-dockerd.sh"
private_dockerd_start build
mkdir -p "$T/work/r/bin" "$T/work/r/etc" "$T/work/r/tmp" "$T/ctx"

rm -rf "$OUT"
mkdir -p "$OUT"

cp "$BUSYBOX" "$T/work/r/bin/busybox"
ln -s busybox "$T/work/r/bin/sh"
chmod 1777 "$T/work/r/tmp"
echo 'root:x:0:0:root:/root:/bin/sh' >"$T/work/r/etc/passwd"
echo 'root:x:0:' >"$T/work/r/etc/group"
tar -C "$T/work/r" -cf "$T/busybox.tar" .
c -X POST --data-binary @"$T/busybox.tar" -H 'Content-Type: application/x-tar' \
    "http://d/images/create?fromSrc=-&repo=busybox&tag=latest&changes=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("CMD [\"sh\"]"))')" >/dev/null

# A small build exercising RUN, COPY, metadata instructions and build args.
cat >"$T/ctx/Dockerfile" <<'DF'
FROM busybox
ARG GREETING=hello
ENV APP=/app
WORKDIR $APP
COPY hello.txt ./
RUN echo "$GREETING from RUN" > out.txt && cat out.txt
LABEL org.example.k="v"
EXPOSE 8080
CMD ["cat", "/app/out.txt"]
DF
echo hi >"$T/ctx/hello.txt"
tar -C "$T/ctx" -cf "$T/ctx.tar" .
build() { local name="$1"; shift; c -D "$OUT/$name-headers.txt" -X POST -H 'Content-Type: application/x-tar' --data-binary @"$T/ctx.tar" "http://d/build?networkmode=none&$1" >"$OUT/$name.txt"; }
build build-first "t=golden:one&buildargs=%7B%22GREETING%22%3A%22hey%22%7D"
build build-cached "t=golden:one&buildargs=%7B%22GREETING%22%3A%22hey%22%7D"
build build-quiet "q=1"
c "http://d/images/golden:one/json" | pp >"$OUT/image-inspect.json"
c "http://d/images/golden:one/history" | pp >"$OUT/image-history.json"
c "http://d/system/df" | pp >"$OUT/system-df.json"

printf 'FROM busybox\nRUN false\n' >"$T/ctx/Dockerfile"
tar -C "$T/ctx" -cf "$T/ctx.tar" .
build build-run-fails ""
printf 'FROM busybox\nBOGUS x\n' >"$T/ctx/Dockerfile"
tar -C "$T/ctx" -cf "$T/ctx.tar" .
build build-parse-error ""
printf 'FROM busybox\nCOPY ../x /\n' >"$T/ctx/Dockerfile"
tar -C "$T/ctx" -cf "$T/ctx.tar" .
build build-copy-escape ""
printf 'FROM busybox\nCOPY nope /\n' >"$T/ctx/Dockerfile"
tar -C "$T/ctx" -cf "$T/ctx.tar" .
build build-copy-missing ""
c -X POST "http://d/build/prune" >"$OUT/build-prune.txt"
c "http://d/containers/json?all=1" | pp >"$OUT/containers-after.json"
echo "recorded into $OUT"
