#!/usr/bin/env bash
# One command on a fresh Debian machine (as root): installs what Wharf needs, builds it,
# installs wharfd and wharf on PATH, starts wharfd in the background, seeds the busybox and
# hello-world images with no internet, lists the images and runs hello-world.
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

# Wharf's main job: show what the engine holds and run a container.
wharf version
wharf images
wharf run --rm hello-world
