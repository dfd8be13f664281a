#!/usr/bin/env bash
# Builds the seed images with no internet and imports them through wharfd's API:
#   busybox:latest      Debian's static busybox, every applet linked, /etc/passwd, /etc/group, CMD ["sh"]
#   hello-world:latest  a tiny static program printing a greeting that says what just happened
# Usage: seed-images.sh [SOCKET]   (default /run/wharf/wharf.sock)
# The tars are built with fixed owners, order and times, so the image IDs are the same on
# every machine with the same busybox package.
set -euo pipefail
SOCK="${1:-/run/wharf/wharf.sock}"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/wharf-seed.XXXXXX)
trap 'rm -rf "$work"' EXIT
BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || { echo "static busybox not found at $BUSYBOX (apt-get install busybox-static)" >&2; exit 1; }

api() { curl -fsS --unix-socket "$SOCK" "$@"; }

import() { # tarfile repo tag changes-json-encoded message
  local out
  out=$(api -X POST -H 'Content-Type: application/x-tar' --data-binary @"$1" \
    "http://localhost/images/create?fromSrc=-&repo=$2&tag=$3&$4&message=$5")
  case "$out" in *error*) echo "import of $2:$3 failed: $out" >&2; return 1;; esac
  echo "seeded $2:$3 ${out}"
}

tarit() { tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf "$2" .; }

# busybox
r="$work/busybox"
mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc,root,home,tmp,var/spool/mail,var/www,proc,sys,dev}
chmod 1777 "$r/tmp"; chmod 700 "$r/root"
cp "$BUSYBOX" "$r/bin/busybox"
for applet in $("$BUSYBOX" --list-full); do
  [ "$applet" = bin/busybox ] && continue
  mkdir -p "$r/$(dirname "$applet")"
  ln -sf /bin/busybox "$r/$applet"
done
cat > "$r/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
P
cat > "$r/etc/group" <<'G'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:
operator:x:37:
utmp:x:43:
plugdev:x:46:
staff:x:50:
lock:x:54:
netdev:x:82:
users:x:100:
nogroup:x:65534:
G
tarit "$r" "$work/busybox.tar"
import "$work/busybox.tar" busybox latest 'changes=CMD%20%5B%22sh%22%5D' 'busybox%20from%20Debian%20busybox-static'

# hello-world
h="$work/hello"
mkdir -p "$h"
if command -v gcc >/dev/null && [ "$(uname -m)" = x86_64 ]; then
  gcc -static -nostdlib -Os -s -fno-asynchronous-unwind-tables -fno-ident -o "$h/hello" "$here/seed/hello.c"
else
  # No compiler (or another architecture): a static busybox running a script says the same.
  mkdir -p "$h/bin"; cp "$BUSYBOX" "$h/bin/busybox"; ln -s busybox "$h/bin/sh"
  { echo '#!/bin/sh'; echo 'cat <<EOF'; sed -n '/^static const char msg/,/;$/p' "$here/seed/hello.c" | sed -e '1d' -e 's/^ *"//' -e 's/\\n"[;]*$//' -e 's/\\"/"/g'; echo 'EOF'; } > "$h/hello"
  chmod 755 "$h/hello"
fi
tarit "$h" "$work/hello.tar"
import "$work/hello.tar" hello-world latest 'changes=CMD%20%5B%22%2Fhello%22%5D' 'hello-world%20built%20locally'
