#!/usr/bin/env bash
# One command on a fresh Debian machine (as root): installs what Wharf needs, builds it,
# installs wharfd and wharf on PATH, starts a local `wharf registry` on 127.0.0.1:5000 and lists
# it as a registry mirror in /etc/wharf/daemon.json, starts wharfd in the background, seeds the
# busybox and hello-world images with no internet and pushes them into that registry, then pulls
# hello-world back through the mirror, lists the images and runs hello-world.
set -euo pipefail
cd "$(dirname "$0")"
[ "$(id -u)" = 0 ] || { echo "setup.sh must run as root" >&2; exit 1; }

scripts/install-deps.sh
./build.sh

PREFIX=${PREFIX:-/usr/local}
rm -rf "$PREFIX/lib/wharf.new"
cp -r out "$PREFIX/lib/wharf.new"
rm -rf "$PREFIX/lib/wharf"
mv "$PREFIX/lib/wharf.new" "$PREFIX/lib/wharf"
ln -sf "$PREFIX/lib/wharf/wharfd" "$PREFIX/bin/wharfd"
ln -sf "$PREFIX/lib/wharf/wharf" "$PREFIX/bin/wharf"
mkdir -p /etc/wharf /run/wharf /var/lib/wharf

# The local registry: the mirror that makes `wharf pull busybox` / `docker pull busybox` work
# with no internet. WHARF_REGISTRY_ADDR picks another loopback address/port.
REG_ADDR=${WHARF_REGISTRY_ADDR:-127.0.0.1:5000}
REG_PIDFILE=/run/wharf/registry.pid
if [ -f "$REG_PIDFILE" ] && kill -0 "$(cat "$REG_PIDFILE")" 2>/dev/null; then
  kill "$(cat "$REG_PIDFILE")"
  for _ in $(seq 50); do kill -0 "$(cat "$REG_PIDFILE" 2>/dev/null)" 2>/dev/null || break; sleep 0.1; done
fi
setsid nohup "$PREFIX/bin/wharf" registry serve --addr "$REG_ADDR" --root /var/lib/wharf-registry \
  >>/var/log/wharf-registry.log 2>&1 </dev/null &
echo $! >"$REG_PIDFILE"
for _ in $(seq 100); do
  curl -fsS "http://$REG_ADDR/v2/" >/dev/null 2>&1 && break
  sleep 0.1
done
kill -0 "$(cat "$REG_PIDFILE")" 2>/dev/null && curl -fsS "http://$REG_ADDR/v2/" >/dev/null || {
  echo "wharf registry did not start on $REG_ADDR; see /var/log/wharf-registry.log" >&2; tail -20 /var/log/wharf-registry.log >&2; exit 1; }
echo "wharf registry is running (http://$REG_ADDR, root /var/lib/wharf-registry, log /var/log/wharf-registry.log)"

# List it as a mirror in daemon.json, keeping whatever else the file says.
python3 - "$REG_ADDR" <<'PY'
import json, os, sys
path, mirror = "/etc/wharf/daemon.json", "http://" + sys.argv[1]
cfg = {}
if os.path.exists(path) and open(path).read().strip():
    cfg = json.load(open(path))
mirrors = [m for m in cfg.get("registry-mirrors", []) if m != mirror]
cfg["registry-mirrors"] = [mirror] + mirrors
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(cfg, f, indent=2)
    f.write("\n")
os.replace(tmp, path)
PY

SOCK=/run/wharf/wharf.sock
PIDFILE=/run/wharf/wharfd.pid
# Replace a wharfd started by an earlier setup, so the freshly built one serves.
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  kill "$(cat "$PIDFILE")"
  for _ in $(seq 50); do kill -0 "$(cat "$PIDFILE" 2>/dev/null)" 2>/dev/null || break; sleep 0.1; done
fi
setsid nohup "$PREFIX/bin/wharfd" --pidfile "$PIDFILE" >>/var/log/wharfd.log 2>&1 </dev/null &
for _ in $(seq 100); do
  curl -fsS --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS --unix-socket "$SOCK" http://localhost/_ping >/dev/null || { echo "wharfd did not start; see /var/log/wharfd.log" >&2; tail -20 /var/log/wharfd.log >&2; exit 1; }
echo "wharfd is running (socket $SOCK, log /var/log/wharfd.log)"

scripts/seed-images.sh "$SOCK"

# Fill the mirror: a mirror of Docker Hub keeps official images under library/.
for img in busybox hello-world; do
  wharf tag "$img:latest" "$REG_ADDR/library/$img:latest"
  wharf push "$REG_ADDR/library/$img:latest"
  wharf rmi "$REG_ADDR/library/$img:latest" >/dev/null
done
# And prove it: hello-world goes away and comes back through the mirror, with no internet.
wharf rmi -f hello-world >/dev/null
wharf pull hello-world

# Wharf's main job: show what the engine holds and run a container.
wharf version
wharf images
wharf run --rm hello-world
