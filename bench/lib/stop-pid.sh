# Sourced by the bench scripts.
# stop_pid PID-OR-PIDFILE NAME: TERM, up to 15 s to go, then KILL (and says so). Nothing when the
# pid is empty, not a number or not running.
stop_pid() {
  local pid=$1
  if [ -f "$1" ]; then pid=$(cat "$1" 2>/dev/null); fi
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "  $2 (pid $pid) did not stop in 15 s; killing" >&2
  kill -KILL "$pid" 2>/dev/null || true
}
