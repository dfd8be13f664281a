#!/usr/bin/env bash
# Whole-system container start benchmark: wharfd vs Debian's dockerd vs bare runc, one run.
#
# Measures (medians over N runs, engines alternating who goes first each round):
#   ref      bare `runc --root R run --bundle B ID` of a busybox bundle running `true`
#            (rootfs = the busybox image's layer, config = `runc spec`, no tty, new netns),
#            and `runc create` + `runc start` + `runc delete -f` of the same bundle (the least an
#            engine whose monitor outlives the start must run), both interleaved with step "run",
#            and the docker CLI's own cost: `docker --version` (no daemon) and
#            `docker version --format x` (one round trip to wharfd)
#   run      docker run --rm --network none busybox true            (wharfd, dockerd)
#   crun     the same against wharfd with --runtime crun, and a bare `crun run` of the bundle
#            (both only when /usr/bin/crun exists; crun runs in wharf-shim's cgroup v1 view)
#   wharf    out/wharf run --rm ...  only if the wharf CLI has a `run` command
#   run -d   docker run -d --network none busybox sleep 60          (wharfd, dockerd)
#   rm -f    docker rm -f ID of that container                       (wharfd, dockerd)
#   conc     C concurrent clients each looping K x `docker run --rm ... true`: containers/s
#   memory   M idle `sleep 300` containers: daemon(s) + every shim, sum of VmRSS
# and prints ratios wharf/dockerd (lower is better; containers/s: higher is better) and
# wharf `docker run` / bare runc (target <= 1.5).
#
# Usage: bench/container-start.sh [-n N] [-c CLIENTS] [-k PER_CLIENT] [-m IDLE] [-w WHARFD]
#   -n N   runs per timed step (default 20)      -c C  concurrent clients (default 8)
#   -k K   containers per client (default 5)     -m M  idle containers for memory (default 50)
#   -w P   wharfd launcher (default out/wharfd of this checkout; run ./build.sh first)
# Needs root, /usr/local/bin/docker, /usr/sbin/dockerd, /usr/sbin/runc, jq, /bin/busybox.
# Everything lives under one mktemp -d directory and is removed on exit (also on failure/Ctrl-C).
set -euo pipefail

N=20 C=8 K=5 M=50
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib/stop-pid.sh"
WHARFD="$here/out/wharfd"
WHARF="$here/out/wharf"
while getopts "n:c:k:m:w:h" opt; do
  case $opt in
    n) N=$OPTARG ;; c) C=$OPTARG ;; k) K=$OPTARG ;; m) M=$OPTARG ;;
    w) WHARFD=$OPTARG ;;
    *) sed -n '2,25p' "$0"; exit 2 ;;
  esac
done
for v in "$N" "$C" "$K" "$M"; do [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "counts must be positive integers" >&2; exit 2; }; done
DOCKER=${DOCKER:-/usr/local/bin/docker}
DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
RUNC=${RUNC:-/usr/sbin/runc}
CRUN=${CRUN:-/usr/bin/crun}
STEP_TIMEOUT=${STEP_TIMEOUT:-60}   # seconds for any single command
for b in "$WHARFD" "$DOCKER" "$DOCKERD" "$RUNC"; do [ -x "$b" ] || { echo "not found: $b" >&2; exit 1; }; done
command -v jq >/dev/null || { echo "needs jq" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

T=$(mktemp -d /tmp/wharf-cstart.XXXXXX)
export DOCKER_CONFIG="$T/cli-config"   # never touch ~/.docker
REFROOT="$T/runc-ref"                    # runc state of the bare-runc reference
WPID= DPID=
START_TS=$(date +%s)

# pids whose argv[0] ends in $1 and whose command line mentions this run's directory
pids_of() {
  local p cmd
  for p in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
    case "$cmd" in *"$1 "*"$T/"*) echo "${p#/proc/}";; esac
  done
}
runc_roots() { echo "$REFROOT" "$T/wexec/runc"; ls -d "$T"/dexec/runtime-runc/* 2>/dev/null || true; }
crun_roots() { echo "$T/crun-ref" "$T/wexec/runtime-crun"; }

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  echo "cleanup: $T"
  # Containers first, while the daemons still answer (best effort, bounded).
  for e in wharf docker; do
    [ -S "$T/$e.sock" ] || continue
    ids=$(DOCKER_HOST="unix://$T/$e.sock" timeout 20 "$DOCKER" ps -aq 2>/dev/null)
    [ -n "$ids" ] && DOCKER_HOST="unix://$T/$e.sock" timeout 60 "$DOCKER" rm -f $ids >/dev/null 2>&1
  done
  stop_pid "$WPID" wharfd
  stop_pid "$DPID" dockerd
  stop_pid "$T/dexec/containerd/containerd.pid" containerd
  # Whatever runc still knows about (wharf's shims outlive wharfd by design).
  for r in $(runc_roots); do
    [ -d "$r" ] || continue
    for id in $("$RUNC" --root "$r" list -q 2>/dev/null); do
      echo "  leftover runc container $id in $r: delete -f" >&2
      "$RUNC" --root "$r" delete -f "$id" >/dev/null 2>&1
    done
  done
  for r in $(crun_roots); do
    [ -d "$r" ] || continue
    for id in $(ls "$r" 2>/dev/null); do
      echo "  leftover crun container $id in $r: delete -f" >&2
      "$here/out/wharf-shim" --cgroup-v1-view-exec "${CRUN:-/usr/bin/crun}" --root "$r" delete -f "$id" >/dev/null 2>&1
    done
  done
  sleep 0.5
  for p in $(pids_of wharf-shim) $(pids_of containerd-shim-runc-v2) $(pids_of containerd-shim); do
    echo "  leftover shim pid $p: kill" >&2; kill -KILL "$p" 2>/dev/null
  done
  grep " $T" /proc/mounts | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  # wharfd's own cgroup parent (its containers' groups went with them).
  for cg in /sys/fs/cgroup/*/wharf-cstart-$$ /sys/fs/cgroup/wharf-cstart-$$; do [ -d "$cg" ] && rmdir "$cg" 2>/dev/null; done
  rm -rf "$T" || echo "could not remove $T" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_us() { echo "${EPOCHREALTIME/./}"; }       # no fork: timing noise stays in the µs
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "NA"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ms() { awk -v u="$1" 'BEGIN { if (u=="NA") print "NA"; else printf "%.1f", u/1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a=="NA"||b=="NA"||b==0) print "NA"; else printf "%.2f", a/b }'; }
med_ms() { [ -s "$T/res/$1" ] && ms "$(median <"$T/res/$1")" || echo NA; }
med_us() { [ -s "$T/res/$1" ] && median <"$T/res/$1" || echo NA; }
tick=$(getconf CLK_TCK)
cpu_ms() { awk -v t="$tick" '{ sub(/^.*\) /, ""); print int(($12+$13+$14+$15)*1000/t) }' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
dk() { local e=$1; shift; DOCKER_HOST="unix://$T/$e.sock" timeout "$STEP_TIMEOUT" "$DOCKER" "$@"; }
log_of() { [ "$1" = wharf ] && echo "$T/wharfd.log" || echo "$T/dockerd.log"; }
order() { if (( $1 % 2 )); then echo "docker wharf"; else echo "wharf docker"; fi; }
FAILS=0
fail() { # engine what outputfile rc
  FAILS=$((FAILS + 1))
  { echo "FAILED on $1: $2 (exit $4$([ "$4" = 124 ] && echo ", timed out after ${STEP_TIMEOUT}s"))"
    sed 's/^/    /' "$3" | head -n 10
    if [ "$1" = wharf ] || [ "$1" = docker ]; then echo "  --- last lines of $1 daemon log:"; tail -n 8 "$(log_of "$1")" | sed 's/^/    /'; fi
  } | tee -a "$T/failures.txt" >&2
}
# timed KEY ENGINE CMD...: run CMD, append elapsed µs to res/KEY on success; output in $T/last.out
timed() {
  local key=$1 e=$2; shift 2
  local t0 t1 rc=0
  t0=$(now_us)
  "$@" >"$T/last.out" 2>&1 || rc=$?
  t1=$(now_us)
  if [ "$rc" != 0 ]; then fail "$e" "$*" "$T/last.out" "$rc"; return 1; fi
  echo $((t1 - t0)) >>"$T/res/$key"
}

mkdir -p "$T/res" "$DOCKER_CONFIG"
echo "bench dir: $T   N=$N  clients=${C}x$K  idle=$M   $(nproc) cores   uptime:$(uptime | sed 's/.*up/ up/')"

# ---- daemons, images ---------------------------------------------------------------------------
# A cgroup parent of its own, removed on exit, so the run leaves no /wharf group behind.
echo "{\"cgroup-parent\":\"wharf-cstart-$$\"}" >"$T/daemon.json"
"$WHARFD" --bridge none -H "unix://$T/wharf.sock" --data-root "$T/wroot" --exec-root "$T/wexec" \
  --pidfile "$T/w.pid" --config-file "$T/daemon.json" >"$T/wharfd.log" 2>&1 &
WPID=$!   # the launcher execs wharfd: this is the daemon
"$DOCKERD" --data-root "$T/droot" --exec-root "$T/dexec" -H "unix://$T/docker.sock" \
  --pidfile "$T/d.pid" --bridge=none --iptables=false --ip-masq=false >"$T/dockerd.log" 2>&1 &
DPID=$!
for e in wharf docker; do
  ok=
  for _ in $(seq 1 300); do
    if dk "$e" version >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.1
  done
  [ -n "$ok" ] || { echo "$e did not come up in 30 s; log:" >&2; tail -n 30 "$(log_of "$e")" >&2; exit 1; }
  echo "$e up: server $(dk "$e" version --format '{{.Server.Version}} API {{.Server.APIVersion}}')"
done
CPID=$(cat "$T/dexec/containerd/containerd.pid" 2>/dev/null || true)
[[ $CPID =~ ^[0-9]+$ ]] || { echo "dockerd's containerd pid not found under $T/dexec/containerd" >&2; exit 1; }
"$here/scripts/seed-images.sh" "$T/wharf.sock" >/dev/null
dk wharf save -o "$T/busybox.tar" busybox:latest
dk docker load -i "$T/busybox.tar" >/dev/null
WID=$(dk wharf image inspect -f '{{.Id}}' busybox:latest); DID=$(dk docker image inspect -f '{{.Id}}' busybox:latest)
echo "busybox: wharf $WID, dockerd $([ "$WID" = "$DID" ] && echo same || echo "DIFFERENT: $DID")"

# ---- bare runc bundle from the image's layer ----------------------------------------------------
B="$T/bundle"
mkdir -p "$B/rootfs" "$T/img" "$REFROOT"
tar -xf "$T/busybox.tar" -C "$T/img"
for l in $(jq -r '.[0].Layers[]' "$T/img/manifest.json"); do tar -xf "$T/img/$l" -C "$B/rootfs"; done
rm -rf "$T/img"
(cd "$B" && "$RUNC" spec)
jq '.process.args = ["true"] | .process.terminal = false
    | .linux.namespaces |= (if any(.[]; .type == "network") then . else . + [{"type":"network"}] end)' \
  "$B/config.json" >"$B/config.json.new" && mv "$B/config.json.new" "$B/config.json"
RI=0
runc_ref() { RI=$((RI + 1)); "$RUNC" --root "$REFROOT" run --bundle "$B" "ref-$$-$RI" </dev/null; }
# The classic split an engine with a monitor runs: three runc processes (create, start, delete)
# instead of one `runc run`. `delete -f` right after start: `true` is done or is killed.
# (wharfd itself runs only `runc create`: it starts through runc's exec fifo and cleans up
# an ended container's state and cgroups without runc.)
runc_split() {
  RI=$((RI + 1)); local id="split-$$-$RI"
  "$RUNC" --root "$REFROOT" create --bundle "$B" "$id" </dev/null >/dev/null &&
  "$RUNC" --root "$REFROOT" start "$id" && "$RUNC" --root "$REFROOT" delete -f "$id"
}

# crun refuses this hybrid cgroup host unless the cgroup2 mount is out of its sight: the bare
# reference runs through the same view wharf-shim gives it (a private mount namespace).
crun_ref() { RI=$((RI + 1)); "$WHARF_SHIM" --cgroup-v1-view-exec "$CRUN" --root "$T/crun-ref" run --bundle "$B" "cref-$$-$RI" </dev/null; }
WHARF_SHIM="$here/out/wharf-shim"
HAVE_CRUN=; [ -x "$CRUN" ] && [ -x "$WHARF_SHIM" ] && HAVE_CRUN=1

# ---- warm-up (untimed): first start of each path ------------------------------------------------
for _ in 1 2; do
  runc_ref >/dev/null 2>&1 || true
  runc_split >/dev/null 2>&1 || true
  for e in wharf docker; do dk "$e" run --rm --network none busybox true >/dev/null 2>&1 || true; done
  if [ -n "$HAVE_CRUN" ]; then crun_ref >/dev/null 2>&1 || true; dk wharf run --rm --runtime crun --network none busybox true >/dev/null 2>&1 || true; fi
done

# ---- 1+2. references and docker run --rm, interleaved ----------------------------------------------
# Bare runc, wharfd and dockerd take turns inside each round (the order rotates), so a load spike
# from elsewhere on the machine hits all three alike and the ratios stay comparable.
echo "1. reference: docker CLI cost (x$N)"
for i in $(seq 1 "$N"); do
  timed cli_local cli "$DOCKER" --version || true
  timed cli_rt wharf dk wharf version --format x || true
done
echo "   docker --version $(med_ms cli_local) ms   docker version (wharfd round trip) $(med_ms cli_rt) ms"
echo "2. bare runc run vs docker run --rm --network none busybox true (x$N, interleaved)"
wcpu0=$(cpu_ms "$WPID"); dcpu0=$(( $(cpu_ms "$DPID") + $(cpu_ms "$CPID") ))
for i in $(seq 1 "$N"); do
  case $((i % 4)) in 0) ord="runc split wharf docker";; 1) ord="split wharf docker runc";; 2) ord="wharf docker runc split";; 3) ord="docker runc split wharf";; esac
  [ -n "$HAVE_CRUN" ] && if (( i % 2 )); then ord="crunref wcrun $ord"; else ord="$ord wcrun crunref"; fi
  for e in $ord; do
    if [ "$e" = runc ]; then timed runc ref runc_ref || true
    elif [ "$e" = split ]; then timed split ref runc_split || true
    elif [ "$e" = crunref ]; then timed crunref ref crun_ref || true
    elif [ "$e" = wcrun ]; then timed run.wcrun wharf dk wharf run --rm --runtime crun --network none busybox true || true
    else timed "run.$e" "$e" dk "$e" run --rm --network none busybox true || true; fi
  done
done
wcpu=$(( $(cpu_ms "$WPID") - wcpu0 )); dcpu=$(( $(cpu_ms "$DPID") + $(cpu_ms "$CPID") - dcpu0 ))
echo "   runc run $(med_ms runc) ms   runc create+start+delete $(med_ms split) ms   wharf $(med_ms run.wharf) ms   dockerd $(med_ms run.docker) ms   (daemon cpu per run: wharfd $((wcpu / N)) ms, dockerd+containerd $((dcpu / N)) ms)"
[ -n "$HAVE_CRUN" ] && echo "   crun run (bare, in the cgroup v1 view) $(med_ms crunref) ms   wharf --runtime crun $(med_ms run.wcrun) ms"

# ---- 3. wharf run ------------------------------------------------------------------------------------
WHARF_RUN="skipped: out/wharf has no 'run' command"
if [ -x "$WHARF" ] && "$WHARF" run --help >/dev/null 2>&1; then
  echo "3. out/wharf run --rm --network none busybox true (x$N)"
  for i in $(seq 1 "$N"); do
    timed wharfcli wharf timeout "$STEP_TIMEOUT" "$WHARF" -H "unix://$T/wharf.sock" run --rm --network none busybox true || true
  done
  WHARF_RUN="$(med_ms wharfcli) ms"
fi
echo "3. wharf CLI run: $WHARF_RUN"

# ---- 4. run -d / rm -f pairs ---------------------------------------------------------------------
echo "4. docker run -d ... sleep 60, then docker rm -f (x$N)"
for i in $(seq 1 "$N"); do
  for e in $(order "$i"); do
    if timed "rund.$e" "$e" dk "$e" run -d --network none busybox sleep 60; then
      id=$(tail -n 1 "$T/last.out")
      timed "rmf.$e" "$e" dk "$e" rm -f "$id" || true
    fi
  done
done
echo "   run -d: wharf $(med_ms rund.wharf) ms, dockerd $(med_ms rund.docker) ms   rm -f: wharf $(med_ms rmf.wharf) ms, dockerd $(med_ms rmf.docker) ms"

# ---- 5. concurrency ------------------------------------------------------------------------------
echo "5. $C concurrent clients x $K docker run --rm"
declare -A RATE
for e in wharf docker; do
  t0=$(now_us); cpids=()
  for c in $(seq 1 "$C"); do
    ( for k in $(seq 1 "$K"); do
        s=$(now_us)
        if dk "$e" run --rm --network none busybox true >"$T/conc.$e.$c.$k.out" 2>&1; then
          echo $(( $(now_us) - s )) >>"$T/res/conclat.$e"; rm -f "$T/conc.$e.$c.$k.out"
        else echo "client $c run $k exit $?" >>"$T/conc.$e.$c.$k.out"; fi
      done ) &
    cpids+=($!)
  done
  wait "${cpids[@]}" || true   # not a bare wait: the daemons are children of this shell too
  wall=$(( $(now_us) - t0 ))
  okn=$(wc -l <"$T/res/conclat.$e" 2>/dev/null || echo 0)
  for f in "$T"/conc."$e".*.out; do [ -e "$f" ] && fail "$e" "concurrent docker run --rm (${f##*/})" "$f" "$(tail -n1 "$f" | awk '{print $NF}')"; done
  RATE[$e]=$(awk -v n="$okn" -v w="$wall" 'BEGIN { printf "%.2f", n / (w / 1e6) }')
  echo "   $e: $okn/$((C * K)) ok in $(ms "$wall") ms = ${RATE[$e]} containers/s, median latency $(med_ms "conclat.$e") ms"
done

# ---- 6. memory with M idle containers ----------------------------------------------------------
echo "6. memory: $M idle containers (sleep 300)"
declare -A MEM DAEMON_KB SHIM_KB SHIMS
for e in wharf docker; do
  for i in $(seq 1 "$M"); do
    dk "$e" run -d --network none busybox sleep 300 >"$T/last.out" 2>&1 || fail "$e" "run -d sleep 300 (#$i)" "$T/last.out" $?
  done
  running=$(dk "$e" ps -q --filter status=running | wc -l)
  sleep 1   # let the shims settle after start
  if [ "$e" = wharf ]; then
    daemon=$(rss_kb "$WPID"); shims=$(pids_of wharf-shim)
  else
    daemon=$(( $(rss_kb "$DPID") + $(rss_kb "$CPID") )); shims="$(pids_of containerd-shim-runc-v2) $(pids_of containerd-shim)"
  fi
  s=0 n=0
  for p in $shims; do s=$((s + $(rss_kb "$p"))); n=$((n + 1)); done
  DAEMON_KB[$e]=$daemon SHIM_KB[$e]=$s SHIMS[$e]=$n MEM[$e]=$((daemon + s))
  echo "   $e: $running running; daemon(s) $((daemon / 1024)) MiB + $n shims $((s / 1024)) MiB = $(( (daemon + s) / 1024 )) MiB"
  [ "$running" = "$M" ] || echo "   WARNING $e: $running of $M containers running" >&2
  ids=$(dk "$e" ps -aq)
  t0=$(now_us)
  if [ -n "$ids" ]; then dk "$e" rm -f $ids >"$T/last.out" 2>&1 || fail "$e" "rm -f of $M idle containers" "$T/last.out" $?; fi
  echo "   $e: rm -f of all $M took $(ms $(( $(now_us) - t0 ))) ms; left: $(dk "$e" ps -aq | wc -l) containers"
done

# ---- leftovers -------------------------------------------------------------------------------------
sleep 1
LEFT="wharf: $(dk wharf ps -aq | wc -l) containers, $("$RUNC" --root "$T/wexec/runc" list -q 2>/dev/null | wc -l) runc states, $(pids_of wharf-shim | wc -w) shims, $(grep -c " $T/wroot" /proc/mounts || true) mounts"
LEFT+="; dockerd: $(dk docker ps -aq | wc -l) containers, $(pids_of containerd-shim-runc-v2 | wc -w) shims; bare runc: $("$RUNC" --root "$REFROOT" list -q | wc -l) states"

# ---- table ---------------------------------------------------------------------------------------
r=$(med_us runc)
wr=$(med_us run.wharf); drun=$(med_us run.docker); cli=$(med_us cli_rt)
net=$(awk -v a="$wr" -v c="$cli" 'BEGIN { if (a=="NA"||c=="NA") print "NA"; else print a - c }')
echo
echo "=== container start: wharf vs dockerd vs bare runc, median of $N, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ) ==="
echo "load:$(uptime | sed 's/.*load/ load/')   runtime $(( $(date +%s) - START_TS )) s"
printf '%-34s %10s %10s %7s\n' step "wharf" "dockerd" "w/d"
row() { printf '%-34s %10s %10s %7s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
row "docker run --rm true (ms)" "$(med_ms run.wharf)" "$(med_ms run.docker)"
row "docker run -d sleep (ms)" "$(med_ms rund.wharf)" "$(med_ms rund.docker)"
row "docker rm -f running (ms)" "$(med_ms rmf.wharf)" "$(med_ms rmf.docker)"
row "conc ${C}x$K run --rm: latency (ms)" "$(med_ms conclat.wharf)" "$(med_ms conclat.docker)"
printf '%-34s %10s %10s %7s  (higher is better)\n' "conc ${C}x$K: containers/s" "${RATE[wharf]}" "${RATE[docker]}" "$(ratio "${RATE[wharf]}" "${RATE[docker]}")"
row "RSS, $M idle (MiB)" "$(awk -v k="${MEM[wharf]}" 'BEGIN{printf "%.1f", k/1024}')" "$(awk -v k="${MEM[docker]}" 'BEGIN{printf "%.1f", k/1024}')"
printf '%-34s %10s %10s\n' "  of which daemon(s) (MiB)" "$((DAEMON_KB[wharf] / 1024))" "$((DAEMON_KB[docker] / 1024))"
printf '%-34s %10s %10s\n' "  per shim (KiB)" "$(( SHIMS[wharf] ? SHIM_KB[wharf] / SHIMS[wharf] : 0 ))" "$(( SHIMS[docker] ? SHIM_KB[docker] / SHIMS[docker] : 0 ))"
echo "reference: bare runc run $(ms "$r") ms; runc create+start+delete $(med_ms split) ms; docker --version $(med_ms cli_local) ms; docker version vs wharfd $(ms "$cli") ms"
echo "wharf docker run / bare runc: $(ratio "$wr" "$r")  (target <= 1.5); without the CLI round trip: $(ratio "$net" "$r")"
echo "wharf docker run / runc create+start+delete: $(ratio "$wr" "$(med_us split)"); without the CLI round trip: $(ratio "$net" "$(med_us split)")"
echo "dockerd docker run / bare runc: $(ratio "$drun" "$r")"
if [ -n "$HAVE_CRUN" ]; then
  wc=$(med_us run.wcrun)
  echo "wharf docker run --runtime crun / bare runc: $(ratio "$wc" "$r")  (target <= 1.5); without the CLI round trip: $(ratio "$(awk -v a="$wc" -v c="$cli" 'BEGIN { if (a=="NA"||c=="NA") print "NA"; else print a - c }')" "$r")"
  echo "reference: bare crun run (cgroup v1 view) $(med_ms crunref) ms = $(ratio "$(med_us crunref)" "$r") x bare runc run"
fi
echo "wharf CLI run: $WHARF_RUN"
echo "leftovers before cleanup: $LEFT"
if [ "$FAILS" != 0 ]; then echo "FAILURES: $FAILS (see above)"; exit 1; fi
