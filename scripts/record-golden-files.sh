#!/usr/bin/env bash
# Records golden responses of the container filesystem endpoints (archive HEAD/GET/PUT,
# changes, export, commit) from a private Debian dockerd (docker.io 20.10.x, API 1.41) into
# tests/golden/dockerd-20.10/files/. Same private-daemon rules as record-golden-containers.sh:
# own data-root, exec-root, socket and pidfile under a temp dir, --bridge=none
# --iptables=false, every container NetworkMode "none"; everything is removed on exit.
# Needs: dockerd (with containerd, runc), curl, python3, a static busybox.
# Usage: scripts/record-golden-files.sh [output-dir]
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$REPO_ROOT/tests/golden/dockerd-20.10/files}"
BUSYBOX="${BUSYBOX:-/usr/bin/busybox}"

# shellcheck source=scripts/lib/private-dockerd.sh
source "$REPO_ROOT/scripts/lib/private-dockerd.sh"
private_dockerd_start files

rm -rf "$OUT"
mkdir -p "$OUT"
j() { local p="$1" f="$2"; shift 2; c "$@" "http://d$p" | pp >"$OUT/$f"; }
# raw NAME METHOD PATH [curl args]: status line, headers and body into NAME.txt.
raw() { local name="$1" method="$2" path="$3"; shift 3; c -D - -X "$method" "$@" "http://d$path" >"$OUT/$name.txt"; echo >>"$OUT/$name.txt"; }
# head NAME PATH: HEAD response headers plus the decoded X-Docker-Container-Path-Stat.
head_stat() {
    local name="$1" path="$2"
    c -I "http://d$path" >"$OUT/$name.txt"
    python3 - "$OUT/$name.txt" <<'PY' >>"$OUT/$name.txt"
import base64, sys
for line in open(sys.argv[1], encoding="latin-1"):
    if line.lower().startswith("x-docker-container-path-stat:"):
        print("# decoded: " + base64.b64decode(line.split(":", 1)[1].strip()).decode())
PY
}
# tarlist NAME PATH: GET the archive, keep headers, list the tar entries.
tarlist() {
    local name="$1" path="$2"
    c -D "$OUT/$name-headers.txt" -o "$T/$name.tar" "http://d$path"
    python3 - "$T/$name.tar" >"$OUT/$name.txt" <<'PY'
import sys, tarfile
try:
    with tarfile.open(sys.argv[1]) as t:
        print("# format:", {0: "v7", 1: "gnu", 2: "pax", 3: "ustar"}.get(t.format, t.format))
        for m in t:
            kind = {b"0": "file", b"5": "dir", b"2": "symlink", b"1": "hardlink", b"6": "fifo", b"3": "char", b"4": "block"}.get(m.type, repr(m.type))
            extra = " pax=" + repr(dict(m.pax_headers)) if m.pax_headers else ""
            print(f"{m.name!r} {kind} mode={oct(m.mode)} uid={m.uid} gid={m.gid} uname={m.uname!r} gname={m.gname!r} size={m.size} link={m.linkname!r}{extra}")
except Exception as e:
    print("# not a tar:", e); print(open(sys.argv[1], "rb").read()[:400])
PY
}
mktar() { python3 - "$@" <<'PY'
import io, sys, tarfile
out, kind = sys.argv[1], sys.argv[2]
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
    def add(name, data=None, type=tarfile.REGTYPE, link=""):
        i = tarfile.TarInfo(name); i.type = type; i.linkname = link; i.mode = 0o755 if type == tarfile.DIRTYPE else 0o644
        i.uid = 1234; i.gid = 5678
        if data is not None: i.size = len(data)
        t.addfile(i, io.BytesIO(data) if data is not None else None)
    if kind == "plain": add("in.txt", b"copied in\n"); add("indir", type=tarfile.DIRTYPE); add("indir/x", b"x\n")
    elif kind == "dotdot": add("../escape.txt", b"no\n")
    elif kind == "abs": add("/abs.txt", b"abs\n")
    elif kind == "symlink-out": add("out", type=tarfile.SYMTYPE, link="../../../../../etc")
    elif kind == "symlink-abs": add("absl", type=tarfile.SYMTYPE, link="/etc")
    elif kind == "hardlink-out": add("hl", type=tarfile.LNKTYPE, link="../../etc/passwd")
    elif kind == "hardlink-in": add("a.txt", b"a\n"); add("b.txt", type=tarfile.LNKTYPE, link="a.txt")
    elif kind == "file-over-dir": add("d", b"file\n")
    elif kind == "dev": add("null2", type=tarfile.CHRTYPE)
    elif kind == "evil": add("evil", type=tarfile.SYMTYPE, link="/"); add("evil/etc/evil.txt", b"through\n")
PY
}

# --- image: busybox, /bin/sh, /tmp 1777, /etc/passwd and /etc/group
mkdir -p "$T/work/r/bin" "$T/work/r/tmp" "$T/work/r/etc"
chmod 1777 "$T/work/r/tmp"
cp "$BUSYBOX" "$T/work/r/bin/busybox"
ln -s busybox "$T/work/r/bin/sh"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$T/work/r/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$T/work/r/etc/group"
tar -C "$T/work/r" -cf "$T/work/rootfs.tar" .
c -o /dev/null -X POST -H 'Content-Type: application/x-tar' --data-binary @"$T/work/rootfs.tar" \
    "http://d/images/create?fromSrc=-&repo=busybox&tag=latest&changes=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("CMD [\"sh\"]"))')"

SCRIPT='mkdir -p /d/sub /d/empty; echo hello >/d/f.txt; echo s >/d/sub/s.txt; ln -s /d /dlink; ln -s ../../../../ /up; ln -s / /rootlink; ln -s f.txt /d/rel; ln /d/f.txt /d/hard; mkfifo /d/fifo; chmod 4755 /d/f.txt; rm /etc/group; touch /marker; sleep 300'
c -o "$T/create.json" -X POST -H 'Content-Type: application/json' \
    --data-binary "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"$SCRIPT\"],\"HostConfig\":{\"NetworkMode\":\"none\",\"Tmpfs\":{\"/run\":\"\"}}}" \
    "http://d/containers/create?name=files-run"
c -o /dev/null -X POST http://d/containers/files-run/start
for _ in $(seq 1 100); do
    [[ "$(c -o /dev/null -w '%{http_code}' -I 'http://d/containers/files-run/archive?path=/marker')" == 200 ]] && break
    sleep 0.1
done
c -o /dev/null -X POST -H 'Content-Type: application/json' \
    --data-binary '{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"none","ReadonlyRootfs":true}}' \
    "http://d/containers/create?name=files-ro"

# --- HEAD (stat)
SINCE="$(date +%s)"
head_stat head-file "/containers/files-run/archive?path=/d/f.txt"
head_stat head-dir "/containers/files-run/archive?path=/d"
head_stat head-dir-dot "/containers/files-run/archive?path=/d/."
head_stat head-root "/containers/files-run/archive?path=/"
head_stat head-symlink-abs "/containers/files-run/archive?path=/dlink"
head_stat head-symlink-up "/containers/files-run/archive?path=/up"
head_stat head-symlink-rel "/containers/files-run/archive?path=/d/rel"
head_stat head-fifo "/containers/files-run/archive?path=/d/fifo"
head_stat head-missing "/containers/files-run/archive?path=/nope"
head_stat head-file-trailing-slash "/containers/files-run/archive?path=/d/f.txt/"
head_stat head-relative "/containers/files-run/archive?path=d/f.txt"
head_stat head-through-link "/containers/files-run/archive?path=/dlink/f.txt"
head_stat head-no-path "/containers/files-run/archive"
head_stat head-missing-container "/containers/nosuch/archive?path=/"
head_stat head-tmpfs "/containers/files-run/archive?path=/run"

# --- GET (archive)
tarlist get-file "/containers/files-run/archive?path=/d/f.txt"
tarlist get-dir "/containers/files-run/archive?path=/d"
tarlist get-dir-slash "/containers/files-run/archive?path=/d/"
tarlist get-dir-dot "/containers/files-run/archive?path=/d/."
tarlist get-symlink "/containers/files-run/archive?path=/dlink"
tarlist get-symlink-slash "/containers/files-run/archive?path=/dlink/"
tarlist get-through-up "/containers/files-run/archive?path=/up/d/sub"
raw get-missing GET "/containers/files-run/archive?path=/nope"
raw get-file-trailing-slash GET "/containers/files-run/archive?path=/d/f.txt/"
raw get-no-path GET "/containers/files-run/archive"

# --- PUT (extract)
for k in plain dotdot abs symlink-out symlink-abs hardlink-out hardlink-in file-over-dir dev evil; do mktar "$T/$k.tar" "$k"; done
raw put-plain PUT "/containers/files-run/archive?path=/d" --data-binary @"$T/plain.tar" -H "Content-Type: application/x-tar"
tarlist get-after-put "/containers/files-run/archive?path=/d/indir"
raw put-missing-dir PUT "/containers/files-run/archive?path=/nope" --data-binary @"$T/plain.tar" -H "Content-Type: application/x-tar"
raw put-not-dir PUT "/containers/files-run/archive?path=/d/f.txt" --data-binary @"$T/plain.tar" -H "Content-Type: application/x-tar"
raw put-dotdot PUT "/containers/files-run/archive?path=/d/sub" --data-binary @"$T/dotdot.tar" -H "Content-Type: application/x-tar"
raw put-abs PUT "/containers/files-run/archive?path=/d/sub" --data-binary @"$T/abs.tar" -H "Content-Type: application/x-tar"
head_stat head-after-put-abs "/containers/files-run/archive?path=/d/sub/abs.txt"
raw put-symlink-out PUT "/containers/files-run/archive?path=/d/sub" --data-binary @"$T/symlink-out.tar" -H "Content-Type: application/x-tar"
raw put-symlink-abs PUT "/containers/files-run/archive?path=/d/sub" --data-binary @"$T/symlink-abs.tar" -H "Content-Type: application/x-tar"
raw put-hardlink-out PUT "/containers/files-run/archive?path=/d/sub" --data-binary @"$T/hardlink-out.tar" -H "Content-Type: application/x-tar"
raw put-hardlink-in PUT "/containers/files-run/archive?path=/d/sub" --data-binary @"$T/hardlink-in.tar" -H "Content-Type: application/x-tar"
raw put-file-over-dir-noover PUT "/containers/files-run/archive?path=/&noOverwriteDirNonDir=1" --data-binary @"$T/file-over-dir.tar" -H "Content-Type: application/x-tar"
raw put-dev PUT "/containers/files-run/archive?path=/d/sub" --data-binary @"$T/dev.tar" -H "Content-Type: application/x-tar"
raw put-not-a-tar PUT "/containers/files-run/archive?path=/d/sub" --data-binary 'this is not a tar archive at all, just some text that is long enough' -H "Content-Type: application/x-tar"
raw put-evil PUT "/containers/files-run/archive?path=/d/sub" --data-binary @"$T/evil.tar" -H "Content-Type: application/x-tar"
head -c 3000 /dev/urandom | base64 -w0 >"$T/garbage.bin"
raw put-garbage PUT "/containers/files-run/archive?path=/d/sub" --data-binary @"$T/garbage.bin" -H "Content-Type: application/x-tar"
raw put-through-symlink PUT "/containers/files-run/archive?path=/dlink" --data-binary @"$T/abs.tar" -H "Content-Type: application/x-tar"
raw put-readonly PUT "/containers/files-ro/archive?path=/tmp" --data-binary @"$T/plain.tar" -H "Content-Type: application/x-tar"
raw put-tmpfs PUT "/containers/files-run/archive?path=/run" --data-binary @"$T/abs.tar" -H "Content-Type: application/x-tar"
head_stat head-after-put-tmpfs "/containers/files-run/archive?path=/run/abs.txt"

# --- changes, export, commit
j /containers/files-run/changes changes-running.json
c -D "$OUT/export-headers.txt" -o "$T/export.tar" http://d/containers/files-run/export
python3 - "$T/export.tar" >"$OUT/export-list.txt" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    for m in t:
        if m.name.startswith(("bin/", "./bin/")) and m.name not in ("bin/", "bin/sh", "bin/busybox"): continue
        print(f"{m.name!r} {m.type!r} mode={oct(m.mode)} uid={m.uid} size={m.size} link={m.linkname!r}")
PY
raw commit "POST" "/commit?container=files-run&repo=committed&tag=v1&comment=the%20comment&author=golden%20author" -H 'Content-Type: application/json'
IMG="$(python3 -c 'import json,sys; t=open(sys.argv[1]).read(); print(json.loads(t[t.index("{"):])["Id"])' "$OUT/commit.txt")"
j "/images/$IMG/json" commit-image-inspect.json
j "/images/$IMG/history" commit-image-history.json
c -o "$T/cfg.tar" "http://d/images/get?names=committed:v1"
python3 - "$T/cfg.tar" "$IMG" >"$OUT/commit-image-config.json" <<'PY'
import json, sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    m = json.load(t.extractfile("manifest.json"))
    cfg = json.load(t.extractfile(m[0]["Config"]))
    layer = t.extractfile(m[0]["Layers"][-1])
    with tarfile.open(fileobj=layer) as l:
        cfg["_last_layer_entries"] = [f"{x.name} {x.type!r} size={x.size} link={x.linkname}" for x in l]
print(json.dumps(cfg, indent=2))
PY
raw commit-changes "POST" "/commit?container=files-run&repo=committed&tag=v2&pause=0&changes=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("CMD [\"cat\", \"/d/f.txt\"]"))')&changes=ENV%20X%3D1" -H 'Content-Type: application/json'
IMG2="$(python3 -c 'import json,sys; t=open(sys.argv[1]).read(); print(json.loads(t[t.index("{"):])["Id"])' "$OUT/commit-changes.txt")"
j "/images/$IMG2/json" commit-changes-image-inspect.json
raw commit-body "POST" "/commit?container=files-run&repo=committed&tag=v3" -H 'Content-Type: application/json' --data-binary '{"Cmd":["echo","body"],"Env":["B=2"],"Labels":{"l":"v"}}'
IMG3="$(python3 -c 'import json,sys; t=open(sys.argv[1]).read(); print(json.loads(t[t.index("{"):])["Id"])' "$OUT/commit-body.txt")"
j "/images/$IMG3/json" commit-body-image-inspect.json
raw commit-missing "POST" "/commit?container=nosuch"
raw commit-bad-repo "POST" "/commit?container=files-run&repo=Bad%20Repo"
raw commit-bad-change "POST" "/commit?container=files-run&changes=BOGUS%20x"
raw commit-ro-stopped "POST" "/commit?container=files-ro"
c -o "$T/events.json" "http://d/events?since=$SINCE&until=$(( $(date +%s) + 1 ))"
python3 - "$T/events.json" >"$OUT/events.txt" <<'PY'
import json, sys
dec = json.JSONDecoder(); s = open(sys.argv[1]).read(); p = 0
while p < len(s):
    while p < len(s) and s[p].isspace(): p += 1
    if p >= len(s): break
    o, p = dec.raw_decode(s, p)
    print(json.dumps({k: o[k] for k in ("Type", "Action") if k in o} | {"Attributes": o.get("Actor", {}).get("Attributes")}))
PY
j /containers/files-ro/changes changes-created.json
head_stat head-stopped "/containers/files-ro/archive?path=/etc/passwd"
tarlist get-stopped "/containers/files-ro/archive?path=/etc"

{ grep -rlF "$T" "$OUT" || true; } | while read -r f; do sed -i "s|$T|/tmp/wharf-golden-files.XXXXXX|g" "$f"; done
echo "recorded into $OUT"
