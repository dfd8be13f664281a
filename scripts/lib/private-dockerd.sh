# Sourced by scripts/record-golden-*.sh: a private Debian dockerd for recording goldens.
#
# private_dockerd_start TAG [TOOL...]
#   checks that dockerd, curl, python3 and the TOOLs exist, makes the temp dir $T
#   (/tmp/wharf-golden-TAG.XXXXXX) with root/, exec/ and work/, and starts dockerd with only
#   private paths (data-root, exec-root, socket $SOCK, pidfile) and --bridge=none
#   --iptables=false --ip-masq=false: no /var/lib/docker, no docker0, no default socket.
#   Its pid is $DPID. On exit every container and volume is removed, the daemon stopped, its
#   mounts under $T unmounted and $T deleted. A script may define golden_cleanup_hook, which runs
#   first (while the daemon still answers).
# c ARGS...   curl on the private socket.
# pp          pretty-prints JSON from stdin (Python, not jq: jq 1.6 turns integers into doubles,
#             see tests/golden/README.md); an empty body prints an empty line.

T="" SOCK="" DPID=""

private_dockerd_cleanup() {
    if declare -F golden_cleanup_hook >/dev/null; then golden_cleanup_hook || true; fi
    if [[ -n "$DPID" ]] && kill -0 "$DPID" 2>/dev/null; then
        local id v
        for id in $(curl -s --max-time 5 --unix-socket "$SOCK" "http://d/containers/json?all=1" 2>/dev/null |
            python3 -c 'import json,sys; [print(c["Id"]) for c in json.load(sys.stdin)]' 2>/dev/null); do
            curl -s --max-time 20 --unix-socket "$SOCK" -X DELETE "http://d/containers/$id?force=1&v=1" >/dev/null 2>&1 || true
        done
        for v in $(curl -s --max-time 5 --unix-socket "$SOCK" "http://d/volumes" 2>/dev/null |
            python3 -c 'import json,sys; [print(v["Name"]) for v in (json.load(sys.stdin)["Volumes"] or [])]' 2>/dev/null); do
            curl -s --max-time 20 --unix-socket "$SOCK" -X DELETE "http://d/volumes/$v?force=1" >/dev/null 2>&1 || true
        done
        kill "$DPID" 2>/dev/null || true
        for _ in $(seq 1 150); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$DPID" 2>/dev/null || true
    fi
    if [[ -n "$T" ]]; then
        # dockerd (and its containerd) leave mounts under the data-root and exec-root.
        { grep -o " $T[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
        rm -rf "$T"
    fi
}

private_dockerd_start() {
    local tag="$1" tool
    shift
    for tool in dockerd curl python3 "$@"; do
        command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
    done
    T="$(mktemp -d "/tmp/wharf-golden-$tag.XXXXXX")"
    SOCK="$T/docker.sock"
    trap private_dockerd_cleanup EXIT
    mkdir -p "$T/root" "$T/exec" "$T/work"
    dockerd --data-root "$T/root" --exec-root "$T/exec" -H "unix://$SOCK" --pidfile "$T/pid" \
        --bridge=none --iptables=false --ip-masq=false >"$T/dockerd.log" 2>&1 &
    DPID=$!
    for _ in $(seq 1 200); do
        curl -sf --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1 && return 0
        kill -0 "$DPID" 2>/dev/null || { cat "$T/dockerd.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "private dockerd did not answer in 20 s" >&2
    exit 1
}

c() { curl -s --unix-socket "$SOCK" "$@"; }
pp() { python3 -c 'import json,sys; d=sys.stdin.read(); print(json.dumps(json.loads(d), indent=2, ensure_ascii=False) if d.strip() else "")'; }
