#!/usr/bin/env bash
# Records golden Docker Engine API responses for volumes and container mounts from a private
# Debian dockerd (docker.io 20.10.x, API 1.41) into tests/golden/dockerd-20.10/volumes/.
# Needs: dockerd (with its containerd, runc), curl, python3, tar and a static busybox.
#
# Same private-daemon rules as the other recorders: own data-root, exec-root, socket and pidfile
# under a temp dir, --bridge=none --iptables=false --ip-masq=false, every container NetworkMode
# "none"; containers, volumes and mounts are removed on exit.
# Usage: scripts/record-golden-volumes.sh [output-dir]
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$REPO_ROOT/tests/golden/dockerd-20.10/volumes}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"

# shellcheck source=scripts/lib/private-dockerd.sh
source "$REPO_ROOT/scripts/lib/private-dockerd.sh"
private_dockerd_start vol tar
mkdir -p "$T/bind"
echo "bound" >"$T/bind/file.txt"
START="$(date +%s)"

rm -rf "$OUT"
mkdir -p "$OUT/errors"

j() { local p="$1" f="$2"; shift 2; c "$@" "http://d$p" | pp >"$OUT/$f"; }
post() { c -X POST -H 'Content-Type: application/json' --data-binary "$3" "http://d$1" | pp >"$OUT/$2"; }
raw() {
    local name="$1" method="$2" path="$3"; shift 3
    c -D - -X "$method" "$@" "http://d$path" >"$OUT/errors/$name.txt"
    echo >>"$OUT/errors/$name.txt"
}
rawjson() { local name="$1" path="$2" body="$3"; raw "$name" POST "$path" -H 'Content-Type: application/json' --data-binary "$body"; }
q() { python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
state() { c "http://d/containers/$1/json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["State"]["Status"])'; }

# --- images: busybox (bin, /etc with passwd, 1777 /tmp) and busybox-vol: the same plus
# /data (owned 1000:1000, mode 0750, holding seed.txt 0640) declared as VOLUME /data.
mkdir -p "$T/work/r/bin" "$T/work/r/tmp" "$T/work/r/etc" "$T/work/r/data"
chmod 1777 "$T/work/r/tmp"
cp "$BUSYBOX" "$T/work/r/bin/busybox"
ln -s busybox "$T/work/r/bin/sh"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$T/work/r/etc/passwd"
echo seeded >"$T/work/r/data/seed.txt"
chown -R 1000:1000 "$T/work/r/data"; chmod 0750 "$T/work/r/data"; chmod 0640 "$T/work/r/data/seed.txt"
tar --numeric-owner -C "$T/work/r" -cf "$T/work/rootfs.tar" .
c -o /dev/null -X POST -H 'Content-Type: application/x-tar' --data-binary @"$T/work/rootfs.tar" \
    "http://d/images/create?fromSrc=-&repo=busybox&tag=latest&changes=$(q 'CMD ["sh"]')"
c -o /dev/null -X POST -H 'Content-Type: application/x-tar' --data-binary @"$T/work/rootfs.tar" \
    "http://d/images/create?fromSrc=-&repo=busybox-vol&tag=latest&changes=$(q 'CMD ["sh"]')&changes=$(q 'VOLUME /data')"

# --- volume create / list / inspect
c -D "$OUT/volume-create-response-headers.txt" -X POST -H 'Content-Type: application/json' \
    --data-binary '{"Name":"golden-vol","Labels":{"com.example.role":"golden"}}' "http://d/volumes/create" | pp >"$OUT/volume-create-response.json"
# The same name again with other labels: the existing volume comes back unchanged.
c -D "$OUT/volume-create-existing-response-headers.txt" -X POST -H 'Content-Type: application/json' \
    --data-binary '{"Name":"golden-vol","Labels":{"other":"x"}}' "http://d/volumes/create" | pp >"$OUT/volume-create-existing-response.json"
post /volumes/create volume-create-anonymous-response.json '{}'
post /volumes/create volume-create-tmpfs-response.json \
    '{"Name":"golden-tmpfs","Driver":"local","DriverOpts":{"type":"tmpfs","device":"tmpfs","o":"size=1m"}}'
mkdir -p "$T/bindsrc"; echo "from bind device" >"$T/bindsrc/b.txt"
post /volumes/create volume-create-bind-response.json \
    "{\"Name\":\"golden-bindvol\",\"DriverOpts\":{\"type\":\"none\",\"device\":\"$T/bindsrc\",\"o\":\"bind\"}}"
rawjson volume-create-invalid-name /volumes/create '{"Name":"bad/name"}'
rawjson volume-create-short-name /volumes/create '{"Name":"a"}'
rawjson volume-create-bad-option /volumes/create '{"Name":"golden-badopt","DriverOpts":{"foo":"bar"}}'
rawjson volume-create-type-without-device /volumes/create '{"Name":"golden-nodevice","DriverOpts":{"type":"tmpfs"}}'
rawjson volume-create-bad-json /volumes/create '{"Name":'
j /volumes volumes-list.json
j "/volumes?filters=$(q '{"label":["com.example.role=golden"]}')" volumes-list-filter-label.json
j "/volumes?filters=$(q '{"name":["golden-t"]}')" volumes-list-filter-name.json
j "/volumes?filters=$(q '{"driver":["local"],"dangling":["true"]}')" volumes-list-filter-dangling.json
raw volumes-list-bad-filter GET "/volumes?filters=$(q '{"bogus":["x"]}')"
raw volumes-list-bad-dangling GET "/volumes?filters=$(q '{"dangling":["maybe"]}')"
j /volumes/golden-vol volume-inspect.json
j /volumes/golden-tmpfs volume-inspect-tmpfs.json
raw volume-inspect-missing GET /volumes/nosuchvolume

# --- a container with every kind of mount, from the image with VOLUME /data
BODY="$(python3 - "$T/bind" <<'PY'
import json, sys
b = sys.argv[1]
print(json.dumps({
    "Image": "busybox-vol",
    "Cmd": ["sh", "-c", "ls -ln / /data; cat /data/seed.txt; echo hi >/named/hello; sleep 300"],
    "Volumes": {"/cfgvol": {}},
    "HostConfig": {
        "NetworkMode": "none",
        "Binds": ["golden-vol:/named", b + ":/bind:ro", "/anonbind", "golden-tmpfs:/tmpfsvol", "golden-ro:/named-ro:ro,nocopy"],
        "Mounts": [
            {"Type": "volume", "Source": "golden-mvol", "Target": "/mvol",
             "VolumeOptions": {"NoCopy": True, "Labels": {"via": "mounts"}, "DriverConfig": {"Name": "local", "Options": {}}}},
            {"Type": "volume", "Target": "/manon"},
            {"Type": "tmpfs", "Target": "/mtmpfs", "TmpfsOptions": {"SizeBytes": 1048576, "Mode": 1023}},
            {"Type": "bind", "Source": b, "Target": "/mbind", "ReadOnly": True, "BindOptions": {"Propagation": "private"}},
        ],
        "Tmpfs": {"/run": "size=1m"},
    },
}, indent=2))
PY
)"
echo "$BODY" >"$OUT/container-create-mounts-request.json"
post "/containers/create?name=golden-vols" container-create-mounts-response.json "$BODY"
j /containers/golden-vols/json container-inspect-mounts-created.json
c -o /dev/null -X POST http://d/containers/golden-vols/start
sleep 1
j /containers/golden-vols/json container-inspect-mounts-running.json
j "/containers/json?filters=$(q '{"volume":["golden-vol"]}')" containers-json-filter-volume.json
j "/containers/json?filters=$(q '{"volume":["/named"]}')" containers-json-filter-volume-destination.json
c "http://d/containers/golden-vols/logs?stdout=1&stderr=1" | python3 -c '
import sys
d = sys.stdin.buffer.read(); p = 0; out = b""
while p + 8 <= len(d):
    n = int.from_bytes(d[p+4:p+8], "big"); out += d[p+8:p+8+n]; p += 8 + n
sys.stdout.write(out.decode())' >"$OUT/container-mounts-logs.txt"
grep -F "$T/root/volumes" /proc/mounts | awk '{print $1, $2, $3}' >"$OUT/host-volume-mounts-running.txt" || true
j /volumes volumes-list-in-use.json
j "/volumes?filters=$(q '{"dangling":["false"]}')" volumes-list-filter-not-dangling.json
j /system/df system-df.json
raw volume-remove-in-use DELETE /volumes/golden-vol
raw volume-remove-in-use-force DELETE "/volumes/golden-vol?force=1"
raw volume-remove-missing DELETE /volumes/nosuchvolume
raw volume-remove-missing-force DELETE "/volumes/nosuchvolume?force=1"

# --- --volumes-from (read-only) shares every mount point of golden-src (20.10 fails on a source
# container with a tmpfs mount: "get: no such volume", so golden-src has none)
post "/containers/create?name=golden-src" container-create-src-response.json \
    "{\"Image\":\"busybox-vol\",\"Cmd\":[\"true\"],\"HostConfig\":{\"NetworkMode\":\"none\",\"Binds\":[\"golden-vol:/named\",\"$T/bind:/bind\"]}}"
post "/containers/create?name=golden-from" container-create-from-response.json \
    '{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"none","VolumesFrom":["golden-src:ro"]}}'
j /containers/golden-from/json container-inspect-volumes-from.json

# --- validation errors of container create
err() { rawjson "$1" /containers/create "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"none\",$2}}"; }
err create-duplicate-bind "\"Binds\":[\"golden-vol:/x\",\"$T/bind:/x\"]"
err create-duplicate-bind-mount "\"Binds\":[\"golden-vol:/x\"],\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/x\"}]"
err create-duplicate-bind-tmpfs "\"Binds\":[\"golden-vol:/run\"],\"Tmpfs\":{\"/run\":\"\"}"
err create-bind-relative-target "\"Binds\":[\"golden-vol:rel\"]"
err create-bind-root-target "\"Binds\":[\"golden-vol:/\"]"
err create-bind-invalid-spec "\"Binds\":[\"a:/b:ro:x\"]"
err create-bind-empty-source "\"Binds\":[\":/b\"]"
err create-bind-invalid-mode "\"Binds\":[\"golden-vol:/x:bogus\"]"
err create-bind-mode-only "\"Binds\":[\"/x:ro\"]"
err create-bind-invalid-volume-name "\"Binds\":[\"bad\$name:/x\"]"
err create-mount-no-target "\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"golden-vol\"}]"
err create-mount-relative-target "\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"$T/bind\",\"Target\":\"rel\"}]"
err create-mount-bind-missing-source "\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"$T/nope\",\"Target\":\"/x\"}]"
err create-mount-bind-no-source "\"Mounts\":[{\"Type\":\"bind\",\"Target\":\"/x\"}]"
err create-mount-bind-relative-source "\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"rel\",\"Target\":\"/x\"}]"
err create-mount-bind-bad-propagation "\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"$T/bind\",\"Target\":\"/x\",\"BindOptions\":{\"Propagation\":\"bogus\"}}]"
err create-mount-bind-volume-options "\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"$T/bind\",\"Target\":\"/x\",\"VolumeOptions\":{\"NoCopy\":true}}]"
err create-mount-volume-bind-options "\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/x\",\"BindOptions\":{\"Propagation\":\"rshared\"}}]"
err create-mount-volume-anonymous-readonly "\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/x\",\"ReadOnly\":true}]"
err create-mount-volume-invalid-name "\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"bad\$name\",\"Target\":\"/x\"}]"
err create-mount-tmpfs-source "\"Mounts\":[{\"Type\":\"tmpfs\",\"Source\":\"/x\",\"Target\":\"/y\"}]"
err create-mount-tmpfs-bad-option "\"Mounts\":[{\"Type\":\"tmpfs\",\"Target\":\"/y\",\"TmpfsOptions\":{\"Options\":[[\"nosuid\"]]}}]"
err create-mount-unknown-type "\"Mounts\":[{\"Type\":\"bogus\",\"Target\":\"/x\"}]"
err create-mount-duplicate "\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/x\"},{\"Type\":\"tmpfs\",\"Target\":\"/x\"}]"
err create-volumes-from-missing "\"VolumesFrom\":[\"nosuchcontainer\"]"
err create-volumes-from-bad-mode "\"VolumesFrom\":[\"golden-vols:bogus\"]"
err create-volumes-from-empty "\"VolumesFrom\":[\"\"]"
rawjson create-anonymous-over-file /containers/create '{"Image":"busybox","Volumes":{"/etc/passwd":{}},"HostConfig":{"NetworkMode":"none"}}'
rawjson create-relative-config-volume /containers/create '{"Image":"busybox","Volumes":{"rel":{}},"HostConfig":{"NetworkMode":"none"}}'

# --- stop: tmpfs volume unmounted; events; removal with and without v
c -o /dev/null -X POST "http://d/containers/golden-vols/stop?t=1"
for _ in $(seq 1 100); do [[ "$(state golden-vols)" == exited ]] && break; sleep 0.1; done
grep -F "$T/root/volumes" /proc/mounts | awk '{print $1, $2, $3}' >"$OUT/host-volume-mounts-stopped.txt" || true
j /containers/golden-vols/json container-inspect-mounts-exited.json
c -o /dev/null -X DELETE "http://d/containers/golden-from?v=1"
c -o /dev/null -X DELETE "http://d/containers/golden-src?v=1"
c -D "$OUT/container-remove-v-response.txt" -o /dev/null -X DELETE "http://d/containers/golden-vols?v=1"
j /volumes volumes-list-after-rm-v.json

# --- prune: an unused named volume and an anonymous one (API 1.41 prunes every unused local
# volume without options)
post /volumes/create volume-create-unused-response.json '{"Name":"golden-unused","Labels":{"keep":"no"}}'
post /volumes/create volume-create-anonymous2-response.json '{}'
raw volumes-prune-bad-filter POST "/volumes/prune?filters=$(q '{"bogus":["x"]}')"
j "/volumes/prune?filters=$(q '{"label":["keep=no"]}')" volumes-prune-label-response.json -X POST
j /volumes/prune volumes-prune-response.json -X POST
j /volumes/prune volumes-prune-empty-response.json -X POST
j /volumes volumes-list-after-prune.json
c -D "$OUT/volume-remove-response.txt" -o /dev/null -X DELETE "http://d/volumes/golden-tmpfs"

NOW="$(date +%s)"
c "http://d/events?since=$START&until=$NOW&filters=$(q '{"type":["volume"]}')" >"$OUT/events-volume.jsonl"
python3 -c '
import json,sys
print(json.dumps([json.loads(l) for l in open(sys.argv[1]) if l.strip()], indent=2))' "$OUT/events-volume.jsonl" >"$OUT/events-volume.json"

{ grep -rlF "$T" "$OUT" || true; } | while read -r f; do sed -i "s|$T|/tmp/wharf-golden-vol.XXXXXX|g" "$f"; done
echo "recorded into $OUT"
