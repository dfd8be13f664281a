#!/usr/bin/env bash
# Records golden Docker Engine API responses from a private Debian dockerd (docker.io 20.10.x)
# into tests/golden/dockerd-20.10/. Needs: dockerd, curl, jq, tar, python3, a static busybox.
#
# The daemon uses only private paths under a temp dir: it never touches /var/lib/docker,
# docker0, iptables or the default socket, so it can run beside anything else on the host.
# Usage: scripts/record-golden.sh [output-dir]
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$REPO_ROOT/tests/golden/dockerd-20.10}"
BUSYBOX="${BUSYBOX:-/usr/bin/busybox}"

T="$(mktemp -d /tmp/wharf-golden.XXXXXX)"
SOCK="$T/docker.sock"
DPID=""

cleanup() {
    if [[ -n "$DPID" ]] && kill -0 "$DPID" 2>/dev/null; then
        kill "$DPID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$DPID" 2>/dev/null || true
    fi
    # dockerd leaves a mount of its own exec-root/data-root behind in some versions.
    { grep -o " $T[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$T"
}
trap cleanup EXIT

for tool in dockerd curl jq tar python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

mkdir -p "$T/root" "$T/exec" "$T/work"
dockerd --data-root "$T/root" --exec-root "$T/exec" -H "unix://$SOCK" --pidfile "$T/pid" \
    --bridge=none --iptables=false --ip-masq=false >"$T/dockerd.log" 2>&1 &
DPID=$!

for _ in $(seq 1 200); do
    curl -sf --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1 && break
    kill -0 "$DPID" 2>/dev/null || { cat "$T/dockerd.log" >&2; exit 1; }
    sleep 0.1
done

rm -rf "$OUT"
mkdir -p "$OUT/errors" "$OUT/save" "$OUT/v1.41" "$OUT/v1.24"

# c ARGS...: curl against the private daemon.
c() { curl -s --unix-socket "$SOCK" "$@"; }
# j PATH FILE: GET PATH, pretty-print the JSON body into FILE.
# Pretty-printing goes through Python, not jq: jq 1.6 turns integers into doubles and silently
# rounds 19-digit values such as events' timeNano.
pp() { python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), indent=2, ensure_ascii=False))'; }
# ppl: pretty-print a stream of newline-delimited JSON messages as one array.
ppl() { python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin if l.strip()], indent=2, ensure_ascii=False))'; }
j() { c "http://d$1" | pp >"$2"; }
# raw NAME METHOD PATH [curl args...]: full response (status line, headers, body) into errors/NAME.txt.
raw() {
    local name="$1" method="$2" path="$3"; shift 3
    c -D - -X "$method" "$@" "http://d$path" >"$OUT/errors/$name.txt"
    echo >>"$OUT/errors/$name.txt"
}
uri() { jq -rn --arg v "$1" '$v|@uri'; }

START="$(date +%s)"

# --- /_ping (headers matter: API-Version, Docker-Experimental, Ostype, Builder-Version, Cache-Control, Pragma)
c -D - http://d/_ping >"$OUT/ping-get.txt"; echo >>"$OUT/ping-get.txt"
c -I http://d/_ping >"$OUT/ping-head.txt"
c -D - http://d/v1.41/_ping >"$OUT/v1.41/ping-get.txt"; echo >>"$OUT/v1.41/ping-get.txt"

# --- build a busybox rootfs tar with no internet and import it through the API
mkdir -p "$T/work/r/bin"
cp "$BUSYBOX" "$T/work/r/bin/busybox"
tar -C "$T/work/r" -cf "$T/work/rootfs.tar" .
c -D "$OUT/import-response-headers.txt" -X POST -H 'Content-Type: application/x-tar' \
    --data-binary @"$T/work/rootfs.tar" \
    "http://d/images/create?fromSrc=-&repo=busybox&tag=latest&message=msg&changes=$(uri 'CMD ["sh"]')&changes=$(uri 'LABEL a=b')" \
    >"$OUT/import-response.txt"
ID="$(c http://d/images/busybox:latest/json | jq -r .Id)"

# --- tag into a second repo (the CLI does the same POST /images/{name}/tag)
c -o /dev/null -X POST "http://d/images/busybox:latest/tag?repo=localhost:5000/app&tag=v1"

j /version "$OUT/version.json"
j /info "$OUT/info.json"
j /images/json "$OUT/images-json.json"
j "/images/json?digests=1" "$OUT/images-json-digests.json"
j "/images/json?all=1" "$OUT/images-json-all.json"
j "/images/json?$(printf 'filters=%s' "$(uri '{"reference":{"busybox":true}}')")" "$OUT/images-json-filter-reference.json"
j /images/busybox:latest/json "$OUT/image-inspect.json"
j /images/busybox:latest/history "$OUT/image-history.json"
j /system/df "$OUT/system-df.json"

# Same endpoints through version prefixes: 1.41 (this daemon's own) and 1.24 (older shape).
for v in v1.41 v1.24; do
    j "/$v/version" "$OUT/$v/version.json"
    j "/$v/info" "$OUT/$v/info.json"
    j "/$v/images/json" "$OUT/$v/images-json.json"
    j "/$v/images/json?digests=1" "$OUT/$v/images-json-digests.json"
    j "/$v/images/busybox:latest/json" "$OUT/$v/image-inspect.json"
    j "/$v/images/busybox:latest/history" "$OUT/$v/image-history.json"
    j "/$v/system/df" "$OUT/$v/system-df.json"
done

# --- error bodies and status lines
raw inspect-missing GET /images/nosuchimage:latest/json
raw inspect-missing-id GET /images/sha256:0000000000000000000000000000000000000000000000000000000000000000/json
raw inspect-invalid-name GET /images/Busybox/json
raw version-too-new GET /v1.99/version
raw version-too-old GET /v1.12/version
raw version-too-old-1.11 GET /v1.11/version
raw delete-conflict-two-repos DELETE "/images/$ID"
raw delete-missing DELETE /images/nosuchimage:latest
raw tag-invalid-repo POST "/images/busybox:latest/tag?repo=Bad_Repo&tag=x"
raw tag-invalid-tag POST "/images/busybox:latest/tag?repo=good&tag=$(uri '-bad')"
raw tag-missing-source POST "/images/nosuchimage/tag?repo=good&tag=x"
raw import-not-tar POST "/images/create?fromSrc=-&repo=broken&tag=x" \
    -H 'Content-Type: application/x-tar' --data-binary 'this is not a tar archive'
raw load-not-tar POST /images/load -H 'Content-Type: application/x-tar' --data-binary 'this is not a tar archive'
raw load-empty-tar POST /images/load -H 'Content-Type: application/x-tar' --data-binary @<(tar -cf - -T /dev/null)

# A tar whose entries escape the root with ../ (tar(1) refuses to write these, so use Python).
python3 - "$T/work/evil.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for name, data in (("../evil.txt", b"x"), ("manifest.json", b"[]")):
        info = tarfile.TarInfo(name); info.size = len(data)
        t.addfile(info, io.BytesIO(data))
PY
raw load-dotdot-tar POST /images/load -H 'Content-Type: application/x-tar' --data-binary @"$T/work/evil.tar"

# --- untag the second repo (the CLI's "docker rmi localhost:5000/app:v1")
c -X DELETE http://d/images/localhost:5000/app:v1 | pp >"$OUT/delete-untag.json"

# --- save: GET /images/get, record layout and the metadata files
c -o "$T/work/save.tar" "http://d/images/get?names=busybox:latest"
tar --numeric-owner -tvf "$T/work/save.tar" >"$OUT/save/tar-listing.txt"
mkdir -p "$T/work/save"
tar -C "$T/work/save" -xf "$T/work/save.tar"
for f in manifest.json index.json oci-layout repositories; do
    if [[ -f "$T/work/save/$f" ]]; then
        cp "$T/work/save/$f" "$OUT/save/$f"
        pp <"$T/work/save/$f" >"$OUT/save/$f.pretty.json" 2>/dev/null || rm -f "$OUT/save/$f.pretty.json"
    fi
done
cp "$T/work/save/${ID#sha256:}.json" "$OUT/save/config.json"
pp <"$OUT/save/config.json" >"$OUT/save/config.pretty.json"
for f in "$T/work/save"/*/VERSION "$T/work/save"/*/json; do
    [[ -f "$f" ]] && cp "$f" "$OUT/save/layer-$(basename "$f")"
done
layer_json="$(ls "$T/work/save"/*/json | head -n1)"
pp <"$layer_json" >"$OUT/save/layer-json.pretty.json"

# The saved image plus one extra "../evil.txt" entry: does load refuse it, ignore it, or write it?
python3 - "$T/work/save.tar" "$T/work/save-evil.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1]) as src, tarfile.open(sys.argv[2], "w") as dst:
    for m in src.getmembers():
        dst.addfile(m, src.extractfile(m) if m.isfile() else None)
    info = tarfile.TarInfo("../evil.txt"); info.size = 1
    dst.addfile(info, io.BytesIO(b"x"))
PY
raw load-dotdot-valid-image POST /images/load -H 'Content-Type: application/x-tar' --data-binary @"$T/work/save-evil.tar"
find "$T" -name evil.txt -printf '%P\n' >"$OUT/errors/load-dotdot-written-files.txt" 2>/dev/null || true

# --- delete (prints Untagged + Deleted entries), then load twice: non-quiet and quiet
c -X DELETE http://d/images/busybox:latest | pp >"$OUT/delete-response.json"
c -D "$OUT/load-response-headers.txt" -X POST -H 'Content-Type: application/x-tar' \
    --data-binary @"$T/work/save.tar" "http://d/images/load?quiet=0" >"$OUT/load-response.txt"
c -o /dev/null -X DELETE http://d/images/busybox:latest
c -X POST -H 'Content-Type: application/x-tar' \
    --data-binary @"$T/work/save.tar" "http://d/images/load?quiet=1" >"$OUT/load-response-quiet.txt"
# Loading an image that is already present.
c -X POST -H 'Content-Type: application/x-tar' \
    --data-binary @"$T/work/save.tar" "http://d/images/load?quiet=0" >"$OUT/load-response-existing.txt"

j /images/json "$OUT/images-json-after-load.json"
j /images/busybox:latest/json "$OUT/image-inspect-after-load.json"

# --- events since the start (import, tag, untag, delete, load ...)
UNTIL="$(( $(date +%s) + 1 ))"
sleep 1
c "http://d/events?since=0&until=$UNTIL" >"$OUT/events.jsonl"
ppl <"$OUT/events.jsonl" >"$OUT/events.json"
c "http://d/v1.24/events?since=$START&until=$UNTIL" | ppl >"$OUT/v1.24/events.json"

# --- reference parsing as the real docker CLI does it (distribution/reference v0.6 in CLI 28).
# `docker pull` parses with ParseNormalizedNamed before it connects, so against a socket that
# does not exist it prints either the parse error or "Cannot connect" (= the reference parsed).
if command -v docker >/dev/null; then
    # "docker version" exits 1 without a daemon at the default socket but still prints the client.
    CLI_VER="$(DOCKER_HOST=unix://$T/absent.sock docker version --format '{{.Client.Version}}' 2>/dev/null || true)"
    REF_OUT="$(dirname "$OUT")/docker-cli-${CLI_VER%%.*}"
    mkdir -p "$REF_OUT"
    H64=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    A247="$(printf 'a%.0s' $(seq 1 247))"; A248="${A247}a"; T128="$(printf 't%.0s' $(seq 1 128))"
    {
        echo "# input<TAB>result of: docker pull -q -- <input> (client $CLI_VER); OK = parsed"
        for r in busybox busybox:latest library/busybox docker.io/busybox index.docker.io/busybox \
            index.docker.io/user/app user/app a/b/c library/a/b localhost/app localhost:5000/app \
            localhost:5000/app:v1 example.com/app example.com:443/team/app:tag 127.0.0.1:5000/app \
            '[::1]:5000/app' '[fe80::1]/app' Example.com/app Foo/bar localhost localhost:5000 example.com \
            foo_bar.com/x a__b a-b a---b a.b a_b a___b a..b a- a._b 'a:_x' 'a:.x' 'a:-x' a:BAR \
            "a:$T128" "a:${T128}t" '' Busybox a/B localhost:5000/Foo UPPER:tag Foo/Bar \
            "busybox@sha256:$H64" "busybox:1@sha256:$H64" busybox@sha256:abc \
            "busybox@sha256:${H64^^}" busybox@md5:0123456789abcdef0123456789abcdef \
            busybox@sha384:0123456789abcdef0123456789abcdef "sha256:$H64" "$H64" a:b:c busybox: \
            'a b' https://example.com/app "$A247" "$A248" "localhost/$A247$A247" ünicode 'a@b' \
            '/a' 'a/' 'a//b' ':tag' '@sha256:'"$H64"; do
            res="$(DOCKER_HOST=unix://$T/absent.sock DOCKER_CONFIG=$T/cli timeout 10 docker pull -q -- "$r" 2>&1 | head -n1 || true)"
            case "$res" in "Cannot connect"*) res=OK ;; esac
            printf '%s\t%s\n' "$r" "$res"
        done
    } >"$REF_OUT/pull-parse.tsv"
fi

# Temp paths leak into some bodies (GraphDriver.Data, load errors); make them stable.
{ grep -rlF "$T" "$OUT" || true; } | while read -r f; do sed -i "s|$T|/tmp/wharf-golden.XXXXXX|g" "$f"; done

echo "recorded into $OUT"
