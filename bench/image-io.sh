#!/usr/bin/env bash
# Whole-system image I/O benchmark: wharfd vs Debian's dockerd, same inputs, one run.
#
# Measures, for each engine, through the real docker CLI (DOCKER_HOST per engine):
#   import  docker import ROOTFS.tar          (~206 MB rootfs: 20 x 10 MB random + ~3000 small files)
#   save    docker save -o X.tar IMAGE
#   load    docker rmi IMAGE (untimed); docker load -i X.tar  (the archive saved by the same engine)
#   cross   load the OTHER engine's archive (interop: ok / FAIL, and whether the image ID matches)
# Each timed step runs N times (engines alternate who goes first); the median is reported,
# with the ratio wharf/dockerd (lower is better) and load throughput (archive MB / s, MB = 10^6 B).
# "cpu" columns are the daemon's user+sys CPU time (its own + reaped children's, not containerd's)
# during the step (median), which separates "busy computing" from "waiting" (fsync, locks, client).
#
# Usage: bench/image-io.sh [-n N] [-w PATH_TO_WHARFD]
#   -n N      repetitions per timed step (default 3)
#   -w PATH   wharfd launcher (default: out/wharfd of this checkout; run ./build.sh first)
# Needs root, /usr/local/bin/docker (CLI) and /usr/sbin/dockerd. Starts both daemons on private
# paths under a mktemp -d directory and removes everything on exit, also on failure or Ctrl-C.
set -euo pipefail

N=3
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib/stop-pid.sh"
WHARFD="$here/out/wharfd"
while getopts "n:w:h" opt; do
  case $opt in
    n) N=$OPTARG ;;
    w) WHARFD=$OPTARG ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
  esac
done
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "-n wants a positive integer" >&2; exit 2; }
DOCKER=${DOCKER:-/usr/local/bin/docker}
DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
STEP_TIMEOUT=${STEP_TIMEOUT:-120}   # seconds for any single docker command
[ -x "$WHARFD" ] || { echo "wharfd not found at $WHARFD (run ./build.sh)" >&2; exit 1; }
[ -x "$DOCKER" ] || { echo "docker CLI not found at $DOCKER" >&2; exit 1; }
[ -x "$DOCKERD" ] || { echo "dockerd not found at $DOCKERD" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

T=$(mktemp -d /tmp/wharf-bench.XXXXXX)
export DOCKER_CONFIG="$T/cli-config"   # never touch ~/.docker
IMG=bench/io:latest
ENGINES=(wharf docker)

WPID= DPID=

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e   # a failing command here must not skip the rest of the cleanup
  # By the pid we started (the pidfile may not exist yet when a signal comes early).
  stop_pid "$WPID" wharfd
  stop_pid "$DPID" dockerd
  # dockerd normally stops its containerd; if it was killed, stop that containerd by its pid.
  stop_pid "$T/dexec/containerd/containerd.pid" containerd
  # Unmount anything left under T, deepest first, then remove T.
  grep " $T" /proc/mounts | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$T" || echo "could not remove $T" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "NA"} else if (NR%2) {print a[(NR+1)/2]} else {print int((a[NR/2]+a[NR/2+1])/2)}}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a=="NA"||b=="NA"||b==0) print "NA"; else printf "%.2f", a/b }'; }
mbps() { awk -v s="$1" -v ms="$2" 'BEGIN { if (ms=="NA"||ms==0||s=="NA") print "NA"; else printf "%.1f", s/1e6/(ms/1000) }'; }
tick=$(getconf CLK_TCK)
cpu_ms() { # pid -> utime+stime of that process plus its reaped children (dockerd re-execs
  # itself to unpack layers), in ms
  awk -v t="$tick" '{ sub(/^.*\) /, ""); print int(($12 + $13 + $14 + $15) * 1000 / t) }' "/proc/$1/stat" 2>/dev/null || echo 0
}
dk() { local e=$1; shift; DOCKER_HOST="unix://$T/$e.sock" timeout "$STEP_TIMEOUT" "$DOCKER" "$@"; }
daemon_pid() { cat "$T/${1:0:1}.pid"; }
log_of() { [ "$1" = wharf ] && echo "$T/wharfd.log" || echo "$T/dockerd.log"; }

# run ENGINE STEP CMD...: times one docker command, appends wall ms and daemon CPU ms to
# $T/res/ENGINE.STEP.{ms,cpu}; on failure prints the output and the daemon's log tail and exits.
run() {
  local e=$1 step=$2; shift 2
  local pid c0 c1 t0 t1
  pid=$(daemon_pid "$e"); c0=$(cpu_ms "$pid"); t0=$(now_ms)
  local rc=0
  dk "$e" "$@" >"$T/last.out" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    echo "FAILED on $e: docker $* (exit $rc$([ "$rc" = 124 ] && echo ", timed out after ${STEP_TIMEOUT}s"))" >&2; cat "$T/last.out" >&2
    echo "--- last lines of $e daemon log:" >&2; tail -n 20 "$(log_of "$e")" >&2
    exit 1
  fi
  t1=$(now_ms); c1=$(cpu_ms "$pid")
  echo $((t1 - t0)) >>"$T/res/$e.$step.ms"
  echo $((c1 - c0)) >>"$T/res/$e.$step.cpu"
  printf '  %-7s %-7s %6d ms  (daemon cpu %5d ms)\n' "$e" "$step" $((t1 - t0)) $((c1 - c0))
}
rmi_if_present() { if dk "$1" image inspect "$IMG" >/dev/null 2>&1; then dk "$1" rmi -f "$IMG" >/dev/null; fi; }
order() { if (( $1 % 2 )); then echo "docker wharf"; else echo "wharf docker"; fi; }

mkdir -p "$T/res" "$DOCKER_CONFIG"
echo "bench dir: $T   repetitions: $N"

# ---- 1. input rootfs, no internet ------------------------------------------------------------
t0=$(now_ms)
R="$T/rootfs"
mkdir -p "$R"/{big,small/a,small/b,small/c,etc,bin}
for i in $(seq -w 1 20); do head -c 10M /dev/urandom >"$R/big/blob$i"; done
for d in a b c; do (cd "$R/small/$d" && head -c 2M /dev/urandom | split -b 2k -a 3 - f); done
echo "root:x:0:0:root:/root:/bin/sh" >"$R/etc/passwd"
ln -s ../big/blob01 "$R/bin/link-to-blob"
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$R" -cf "$T/rootfs.tar" .
rm -rf "$R"
ROOTFS_BYTES=$(stat -c %s "$T/rootfs.tar")
echo "rootfs.tar: $((ROOTFS_BYTES / 1000000)) MB, $(tar -tf "$T/rootfs.tar" | wc -l) entries, made in $(( $(now_ms) - t0 )) ms"

# ---- start both daemons ------------------------------------------------------------------------
echo '{}' >"$T/daemon.json"
"$WHARFD" --bridge none -H "unix://$T/wharf.sock" --data-root "$T/wroot" --exec-root "$T/wexec" \
  --pidfile "$T/w.pid" --config-file "$T/daemon.json" >"$T/wharfd.log" 2>&1 &
WPID=$!   # the launcher execs wharfd, so this is the daemon itself
"$DOCKERD" --data-root "$T/droot" --exec-root "$T/dexec" -H "unix://$T/docker.sock" \
  --pidfile "$T/d.pid" --bridge=none --iptables=false --ip-masq=false >"$T/dockerd.log" 2>&1 &
DPID=$!
for e in "${ENGINES[@]}"; do
  ok=
  for _ in $(seq 1 300); do
    if [ -f "$T/${e:0:1}.pid" ] && dk "$e" version >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.1
  done
  [ -n "$ok" ] || { echo "$e did not come up in 30 s; log:" >&2; tail -n 30 "$(log_of "$e")" >&2; exit 1; }
  echo "$e up: server $(dk "$e" version --format '{{.Server.Version}} API {{.Server.APIVersion}}')"
done

# ---- 2. import -----------------------------------------------------------------------------------
echo "import (x$N):"
for i in $(seq 1 "$N"); do
  for e in $(order "$i"); do
    rmi_if_present "$e"
    run "$e" import import "$T/rootfs.tar" "$IMG"
  done
done

# ---- 3. save -------------------------------------------------------------------------------------
echo "save (x$N):"
for i in $(seq 1 "$N"); do
  for e in $(order "$i"); do
    rm -f "$T/$e.tar"
    run "$e" save save -o "$T/$e.tar" "$IMG"
  done
done
declare -A ARCH_BYTES SRC_ID
for e in "${ENGINES[@]}"; do
  ARCH_BYTES[$e]=$(stat -c %s "$T/$e.tar")
  SRC_ID[$e]=$(dk "$e" image inspect --format '{{.Id}}' "$IMG")
  echo "  $e archive: $((ARCH_BYTES[$e] / 1000000)) MB, members: $(tar -tf "$T/$e.tar" | grep -c '' ) ($(tar -tf "$T/$e.tar" | grep -q '^index.json$' && echo OCI+docker || echo docker-legacy) layout)"
done

# ---- 4. load (own archive) -----------------------------------------------------------------------
echo "load own archive (x$N):"
for i in $(seq 1 "$N"); do
  for e in $(order "$i"); do
    rmi_if_present "$e"
    run "$e" load load -i "$T/$e.tar"
    id=$(dk "$e" image inspect --format '{{.Id}}' "$IMG" 2>/dev/null) || { echo "  $e: $IMG missing after load" >&2; exit 1; }
    [ "$id" = "${SRC_ID[$e]}" ] || echo "  WARNING $e: image ID changed across save/load: ${SRC_ID[$e]} -> $id" >&2
  done
done

# ---- 5. cross-load (interop) ---------------------------------------------------------------------
echo "cross-load (other engine's archive, once):"
declare -A CROSS
for e in "${ENGINES[@]}"; do
  other=$([ "$e" = wharf ] && echo docker || echo wharf)
  rmi_if_present "$e"
  t0=$(now_ms)
  if dk "$e" load -i "$T/$other.tar" >"$T/cross.out" 2>&1; then
    ms=$(( $(now_ms) - t0 ))
    if id=$(dk "$e" image inspect --format '{{.Id}}' "$IMG" 2>/dev/null); then
      if [ "$id" = "${SRC_ID[$other]}" ]; then CROSS[$e]="ok, ${ms} ms, same image ID"
      else CROSS[$e]="ok, ${ms} ms, image ID differs ($id vs ${SRC_ID[$other]})"; fi
    else
      CROSS[$e]="FAIL: load said ok but $IMG is missing: $(tr '\n' ' ' <"$T/cross.out")"
    fi
  else
    CROSS[$e]="FAIL: $(tr '\n' ' ' <"$T/cross.out" | cut -c1-200)"
  fi
  echo "  $e loads $other's archive: ${CROSS[$e]}"
done

# ---- 6. table ------------------------------------------------------------------------------------
med() { median <"$T/res/$1.$2.$3"; }
echo
echo "=== image I/O: wharf vs dockerd, median of $N, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ) ==="
echo "input: rootfs.tar $((ROOTFS_BYTES / 1000000)) MB; archives: wharf $((ARCH_BYTES[wharf] / 1000000)) MB, dockerd $((ARCH_BYTES[docker] / 1000000)) MB"
printf '%-12s %11s %11s %7s   %13s %13s\n' step "wharf ms" "dockerd ms" ratio "wharf cpu ms" "dockerd cpu ms"
for s in import save load; do
  w=$(med wharf "$s" ms); d=$(med docker "$s" ms)
  printf '%-12s %11s %11s %7s   %13s %13s\n' "$s" "$w" "$d" "$(ratio "$w" "$d")" "$(med wharf "$s" cpu)" "$(med docker "$s" cpu)"
done
wl=$(med wharf load ms); dl=$(med docker load ms)
wt=$(mbps "${ARCH_BYTES[wharf]}" "$wl"); dt=$(mbps "${ARCH_BYTES[docker]}" "$dl")
printf '%-12s %11s %11s %7s   (MB/s, higher is better; ratio wharf/dockerd)\n' "load MB/s" "$wt" "$dt" "$(ratio "$wt" "$dt")"
echo "cross-load:  wharf <- dockerd archive: ${CROSS[wharf]}"
echo "             dockerd <- wharf archive: ${CROSS[docker]}"
