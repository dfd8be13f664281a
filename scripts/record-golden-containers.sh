#!/usr/bin/env bash
# Records golden Docker Engine API responses for containers and exec from a private Debian
# dockerd (docker.io 20.10.x, API 1.41) into tests/golden/dockerd-20.10/containers/.
# Needs: dockerd (with its containerd, runc, docker-init), curl, python3, tar, od, base64 and a
# static busybox; the docker CLI is optional (used only to capture the request body it sends).
#
# The daemon uses only private paths under a temp dir (data-root, exec-root, socket, pidfile),
# runs with --bridge=none --iptables=false --ip-masq=false, and every container uses
# NetworkMode "none": no /var/lib/docker, no docker0, no default socket, no traffic anywhere.
# Usage: scripts/record-golden-containers.sh [output-dir]
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$REPO_ROOT/tests/golden/dockerd-20.10/containers}"
BUSYBOX="${BUSYBOX:-/usr/bin/busybox}"

# shellcheck source=scripts/lib/private-dockerd.sh
source "$REPO_ROOT/scripts/lib/private-dockerd.sh"
PPID_PROXY=""
golden_cleanup_hook() {
    if [[ -n "$PPID_PROXY" ]] && kill -0 "$PPID_PROXY" 2>/dev/null; then kill "$PPID_PROXY" 2>/dev/null || true; fi
    # A container left running is killed before the daemon goes, so none outlives it.
    c --max-time 20 -X POST "http://d/containers/golden-full/kill" >/dev/null 2>&1 || true
}
private_dockerd_start ctr tar od base64
mkdir -p "$T/bind"
echo "bound" >"$T/bind/file.txt"

rm -rf "$OUT"
mkdir -p "$OUT/errors"

# j PATH FILE [curl args]: request PATH, pretty-print the JSON body into FILE.
j() { local p="$1" f="$2"; shift 2; c "$@" "http://d$p" | pp >"$OUT/$f"; }
# post PATH FILE BODY: POST a JSON body, pretty-print the JSON answer.
post() { c -X POST -H 'Content-Type: application/json' --data-binary "$3" "http://d$1" | pp >"$OUT/$2"; }
# raw NAME METHOD PATH [curl args...]: full response (status line, headers, body) into errors/NAME.txt.
raw() {
    local name="$1" method="$2" path="$3"; shift 3
    c -D - -X "$method" "$@" "http://d$path" >"$OUT/errors/$name.txt"
    echo >>"$OUT/errors/$name.txt"
}
rawjson() { local name="$1" path="$2" body="$3"; raw "$name" POST "$path" -H 'Content-Type: application/json' --data-binary "$body"; }
# state NAME: the container's State.Status.
state() { c "http://d/containers/$1/json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["State"]["Status"])'; }
health() { c "http://d/containers/$1/json" | python3 -c 'import json,sys; s=json.load(sys.stdin)["State"]; print((s.get("Health") or {}).get("Status",""))'; }

# --- a busybox image with no internet: /bin/busybox, /bin/sh -> busybox, a world-writable /tmp
mkdir -p "$T/work/r/bin" "$T/work/r/tmp"
chmod 1777 "$T/work/r/tmp"
cp "$BUSYBOX" "$T/work/r/bin/busybox"
ln -s busybox "$T/work/r/bin/sh"
tar -C "$T/work/r" -cf "$T/work/rootfs.tar" .
# What `docker import -c 'CMD ["sh"]' rootfs.tar busybox:latest` sends.
c -o /dev/null -X POST -H 'Content-Type: application/x-tar' --data-binary @"$T/work/rootfs.tar" \
    "http://d/images/create?fromSrc=-&repo=busybox&tag=latest&changes=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("CMD [\"sh\"]"))')"

# --- the full container: many Config and HostConfig fields set.
# The command writes one line to each stream, a file under /tmp (for /changes), then waits;
# SIGUSR1 (its StopSignal) makes it exit 3, so `stop` yields exit code 3 and no restart.
FULL_BODY="$(python3 - "$T/bind" <<'PY'
import json, sys
print(json.dumps({
    "Hostname": "golden-host",
    "User": "1000:1000",
    "AttachStdin": False, "AttachStdout": True, "AttachStderr": True,
    "Tty": False, "OpenStdin": True, "StdinOnce": False,
    "Env": ["A=1", "EMPTY=", "PATH=/bin"],
    "Cmd": ["sh", "-c", "echo out-line; echo err-line >&2; echo x >/tmp/hello; trap 'exit 3' USR1 TERM; sleep 300 & wait"],
    "Image": "busybox",
    "WorkingDir": "/work",
    "Labels": {"com.example.role": "golden", "empty": ""},
    "StopSignal": "SIGUSR1",
    "StopTimeout": 10,
    "Healthcheck": {"Test": ["CMD-SHELL", "test -f /tmp/hello"], "Interval": 1000000000,
                    "Timeout": 2000000000, "Retries": 3, "StartPeriod": 0},
    "HostConfig": {
        "NetworkMode": "none",
        "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 2},
        "Memory": 67108864,
        "NanoCpus": 500000000,
        "PidsLimit": 100,
        "CapAdd": ["NET_ADMIN"],
        "CapDrop": ["MKNOD"],
        "Tmpfs": {"/run": "rw,size=1m"},
        "Binds": [sys.argv[1] + ":/data:ro"],
        "SecurityOpt": ["no-new-privileges"],
        "Init": True,
        "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}],
        "LogConfig": {"Type": "json-file", "Config": {"max-size": "1m", "max-file": "2"}},
    },
}, indent=2))
PY
)"
echo "$FULL_BODY" >"$OUT/container-create-full-request.json"
c -D "$OUT/container-create-full-response-headers.txt" -X POST -H 'Content-Type: application/json' \
    --data-binary "$FULL_BODY" "http://d/containers/create?name=golden-full" | pp >"$OUT/container-create-full-response.json"
FULL="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Id"])' "$OUT/container-create-full-response.json")"

# A minimal container (only Image, and NetworkMode none as this daemon has no bridge): defaults.
post "/containers/create?name=golden-minimal" container-create-minimal-response.json \
    '{"Image":"busybox","Cmd":["sh","-c","exit 0"],"HostConfig":{"NetworkMode":"none"}}'
j /containers/golden-minimal/json container-inspect-minimal-created.json

j "/containers/$FULL/json" container-inspect-created.json
j "/containers/$FULL/json?size=1" container-inspect-created-size.json
j "/containers/json?all=1" containers-json-all-created.json

# --- start; wait until healthy (interval 1s) so State.Health has a log
c -D "$OUT/container-start-response.txt" -o /dev/null -X POST "http://d/containers/$FULL/start"
for _ in $(seq 1 100); do [[ "$(health "$FULL")" == healthy ]] && break; sleep 0.2; done
j "/containers/$FULL/json" container-inspect-running.json
j /containers/json containers-json.json
raw start-already-running POST "/containers/$FULL/start"

# Another container that exits at once (exit 0), and a tty one: both stay as "exited".
c -o /dev/null -X POST "http://d/containers/golden-minimal/start"
post "/containers/create?name=golden-tty" container-create-tty-response.json \
    '{"Image":"busybox","Tty":true,"Cmd":["sh","-c","echo tty-line"],"HostConfig":{"NetworkMode":"none"}}'
c -o /dev/null -X POST "http://d/containers/golden-tty/start"
for n in golden-minimal golden-tty; do
    for _ in $(seq 1 100); do [[ "$(state "$n")" == exited ]] && break; sleep 0.1; done
done
j /containers/golden-minimal/json container-inspect-minimal-exited.json
j /containers/json containers-json-running.json
j "/containers/json?all=1&size=1" containers-json-all-size.json
j "/containers/json?all=1&filters=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("{\"status\":[\"exited\"]}"))')" containers-json-filter-exited.json
j "/containers/$FULL/top" container-top.json
j "/containers/$FULL/top?ps_args=aux" container-top-aux.json
j "/containers/$FULL/stats?stream=0" container-stats.json
j "/containers/golden-minimal/stats?stream=0" container-stats-exited.json
j "/containers/$FULL/changes" container-changes.json
j /containers/golden-minimal/changes container-changes-minimal.json
j /system/df system-df.json
c http://d/info | python3 -c '
import json,sys
i=json.load(sys.stdin)
print(json.dumps({k:i[k] for k in ("Containers","ContainersRunning","ContainersPaused","ContainersStopped","Images")}, indent=2))' >"$OUT/info-counts.json"

# --- update (ContainerUpdateResponse) on the exited container
post /containers/golden-minimal/update container-update-response.json \
    '{"CpuShares":512,"RestartPolicy":{"Name":"unless-stopped"}}'

# --- exec: create, inspect before start, start detached, inspect after
EXEC_BODY='{"AttachStdin":false,"AttachStdout":true,"AttachStderr":true,"Tty":false,"Env":["E=1"],"WorkingDir":"/","Cmd":["sh","-c","echo exec-out; exit 7"]}'
echo "$EXEC_BODY" | pp >"$OUT/exec-create-request.json"
c -D "$OUT/exec-create-response-headers.txt" -X POST -H 'Content-Type: application/json' \
    --data-binary "$EXEC_BODY" "http://d/containers/$FULL/exec" | pp >"$OUT/exec-create-response.json"
EXEC="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Id"])' "$OUT/exec-create-response.json")"
j "/exec/$EXEC/json" exec-inspect-created.json
c -D "$OUT/exec-start-detached-response.txt" -X POST -H 'Content-Type: application/json' \
    --data-binary '{"Detach":true,"Tty":false}' "http://d/exec/$EXEC/start" >>"$OUT/exec-start-detached-response.txt"
for _ in $(seq 1 50); do
    c "http://d/exec/$EXEC/json" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["Running"] is False else 1)' && break
    sleep 0.1
done
j "/exec/$EXEC/json" exec-inspect-exited.json
j "/containers/$FULL/json" container-inspect-running-after-exec.json
raw exec-inspect-missing GET /exec/nosuchexec/json
raw exec-create-no-cmd POST "/containers/$FULL/exec" -H 'Content-Type: application/json' --data-binary '{"AttachStdout":true}'
raw exec-create-stopped POST /containers/golden-minimal/exec -H 'Content-Type: application/json' --data-binary '{"Cmd":["true"]}'

# --- errors while golden-full runs
rawjson create-unknown-image "/containers/create" '{"Image":"nosuchimage:latest","HostConfig":{"NetworkMode":"none"}}'
rawjson create-name-in-use "/containers/create?name=golden-full" '{"Image":"busybox","HostConfig":{"NetworkMode":"none"}}'
rawjson create-invalid-name "/containers/create?name=bad%20name" '{"Image":"busybox","HostConfig":{"NetworkMode":"none"}}'
rawjson create-invalid-restart-policy "/containers/create" '{"Image":"busybox","HostConfig":{"NetworkMode":"none","RestartPolicy":{"Name":"bogus"}}}'
rawjson create-restart-always-with-count "/containers/create" '{"Image":"busybox","HostConfig":{"NetworkMode":"none","RestartPolicy":{"Name":"always","MaximumRetryCount":3}}}'
rawjson create-restart-negative-count "/containers/create" '{"Image":"busybox","HostConfig":{"NetworkMode":"none","RestartPolicy":{"Name":"on-failure","MaximumRetryCount":-1}}}'
rawjson create-negative-memory "/containers/create" '{"Image":"busybox","HostConfig":{"NetworkMode":"none","Memory":-1}}'
rawjson create-tiny-memory "/containers/create" '{"Image":"busybox","HostConfig":{"NetworkMode":"none","Memory":1000}}'
rawjson create-no-image "/containers/create" '{"HostConfig":{"NetworkMode":"none"}}'
rawjson create-bad-json "/containers/create" '{"Image":'
raw create-empty-body POST "/containers/create" -H 'Content-Type: application/json'
raw start-missing POST /containers/nosuchcontainer/start
raw inspect-missing GET /containers/nosuchcontainer/json
raw remove-running DELETE "/containers/$FULL"
raw kill-bad-signal POST "/containers/$FULL/kill?signal=BOGUS"
raw logs-no-stream GET "/containers/$FULL/logs"
raw kill-not-running POST /containers/golden-minimal/kill
raw stop-not-running POST /containers/golden-minimal/stop
raw wait-missing POST /containers/nosuchcontainer/wait
raw top-not-running GET /containers/golden-minimal/top

# --- the request body the real docker CLI sends, captured by a logging unix-socket relay
if command -v docker >/dev/null; then
    python3 - "$T/proxy.sock" "$SOCK" "$T/cli-requests.bin" <<'PY' &
import os, socket, sys, threading
listen, target, log = sys.argv[1:4]
lock = threading.Lock()
def pump(src, dst, record):
    try:
        while (b := src.recv(65536)):
            if record:
                with lock, open(log, "ab") as f: f.write(b)
            dst.sendall(b)
    except OSError: pass
    finally:
        for s in (src, dst):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
srv = socket.socket(socket.AF_UNIX); srv.bind(listen); srv.listen(8)
while True:
    cl, _ = srv.accept(); up = socket.socket(socket.AF_UNIX); up.connect(target)
    threading.Thread(target=pump, args=(cl, up, True), daemon=True).start()
    threading.Thread(target=pump, args=(up, cl, False), daemon=True).start()
PY
    PPID_PROXY=$!
    for _ in $(seq 1 50); do [[ -S "$T/proxy.sock" ]] && break; sleep 0.1; done
    CLI_VER="$(DOCKER_HOST=unix://$T/proxy.sock docker version --format '{{.Client.Version}}' 2>/dev/null || true)"
    : >"$T/cli-requests.bin"
    DOCKER_HOST="unix://$T/proxy.sock" DOCKER_CONFIG="$T/cli" docker create --name golden-cli \
        -e A=1 -m 64m --cpus 0.5 --restart on-failure:3 --network none busybox sleep 1 >/dev/null
    kill "$PPID_PROXY" 2>/dev/null || true; wait "$PPID_PROXY" 2>/dev/null || true; PPID_PROXY=""
    python3 - "$T/cli-requests.bin" "$OUT" "$CLI_VER" <<'PY'
import json, sys
data = open(sys.argv[1], "rb").read()
i = data.find(b"POST /v")
i = data.find(b"/containers/create", i - 20)
start = data.rfind(b"POST ", 0, i)
head_end = data.find(b"\r\n\r\n", start)
head = data[start:head_end].decode()
headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in head.split("\r\n")[1:]}
rest = data[head_end + 4:]
if "content-length" in headers:
    body = rest[:int(headers["content-length"])]
else:  # chunked
    body, p = b"", 0
    while True:
        e = rest.find(b"\r\n", p); n = int(rest[p:e].split(b";")[0], 16)
        if n == 0: break
        body += rest[e + 2:e + 2 + n]; p = e + 2 + n + 2
with open(f"{sys.argv[2]}/cli-create-request.txt", "w") as f:
    f.write(f"# docker create --name golden-cli -e A=1 -m 64m --cpus 0.5 --restart on-failure:3 --network none busybox sleep 1\n# client {sys.argv[3]}; request line and headers as sent (User-Agent kept)\n")
    f.write(head.split("\r\n")[0] + "\n")
    for l in head.split("\r\n")[1:]: f.write(l + "\n")
with open(f"{sys.argv[2]}/cli-create-request.json", "w") as f:
    f.write(json.dumps(json.loads(body), indent=2) + "\n")
PY
    j /containers/golden-cli/json container-inspect-cli-created.json
fi

# --- stop golden-full: SIGUSR1 -> exit 3. A wait started before the stop sees the exit.
c -X POST "http://d/containers/$FULL/wait" -o "$T/wait-during.json" &
WAITPID=$!
sleep 0.3
c -D "$OUT/container-stop-response.txt" -o /dev/null -X POST "http://d/containers/$FULL/stop"
wait "$WAITPID"
pp <"$T/wait-during.json" >"$OUT/container-wait-response.json"
j "/containers/$FULL/wait" container-wait-exited-response.json -X POST
j "/containers/$FULL/json" container-inspect-exited.json
j "/containers/json?all=1&size=1" containers-json-all-size-exited.json

# --- logs: multiplexed frames (Tty false) with timestamps, raw bytes as base64
c -D "$OUT/container-logs-response-headers.txt" -o "$T/logs.bin" "http://d/containers/$FULL/logs?stdout=1&stderr=1&timestamps=1"
base64 <"$T/logs.bin" >"$OUT/container-logs-timestamps.b64"
head -c 8 "$T/logs.bin" | od -A d -t x1 >"$OUT/container-logs-first-frame-header.hex.txt"
python3 - "$T/logs.bin" >"$OUT/container-logs-timestamps.frames.txt" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read(); p = 0
print("# stream(1=stdout,2=stderr) length payload(repr), one frame per line")
while p + 8 <= len(d):
    s, n = d[p], struct.unpack(">I", d[p+4:p+8])[0]
    print(s, n, repr(d[p+8:p+8+n].decode())); p += 8 + n
PY
c -o "$T/logs-stdout.bin" "http://d/containers/$FULL/logs?stdout=1"
base64 <"$T/logs-stdout.bin" >"$OUT/container-logs-stdout.b64"
c -o "$T/logs-tty.bin" "http://d/containers/golden-tty/logs?stdout=1&stderr=1"
base64 <"$T/logs-tty.bin" >"$OUT/container-logs-tty.b64"

# --- remove errors after exit, then prune (twice: the second finds nothing)
j /system/df system-df-exited.json
c -o /dev/null -X DELETE "http://d/containers/golden-cli" || true
j /containers/prune containers-prune-response.json -X POST
j /containers/prune containers-prune-empty-response.json -X POST
j "/containers/json?all=1" containers-json-all-empty.json
c http://d/info | python3 -c '
import json,sys
i=json.load(sys.stdin)
print(json.dumps({k:i[k] for k in ("Containers","ContainersRunning","ContainersPaused","ContainersStopped","Images")}, indent=2))' >"$OUT/info-counts-after-prune.json"

# Temp paths and the daemon's container IDs stay; the temp dir name is made stable.
{ grep -rlF "$T" "$OUT" || true; } | while read -r f; do sed -i "s|$T|/tmp/wharf-golden-ctr.XXXXXX|g" "$f"; done

echo "recorded into $OUT"
