#!/usr/bin/env bash
# Runs read-only commands with the real docker CLI and with wharf against the same daemon and diffs them.
# Usage: DOCKER_HOST=unix:///path/to.sock tests/Wharf.Cli.Tests/compare-with-docker.sh [path/to/wharf] [IMAGE]
# Lines with relative times ("3 seconds ago") can differ when a second ticks between the two runs.
# Prints MATCH/DIFF per command; exits 1 if any differ. "docker" in docker's output is replaced by "wharf".
set -u
: "${DOCKER_HOST:?set DOCKER_HOST to the daemon socket}"
DOCKER=${DOCKER:-docker}
WHARF=${1:-$(dirname "$0")/../../src/Wharf.Cli/bin/Debug/net10.0/wharf}
IMAGE=${2:-busybox:latest}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
run() {
  "$DOCKER" "$@" >"$tmp/d" 2>&1; echo "rc=$?" >>"$tmp/d"
  "$WHARF" "$@" >"$tmp/w" 2>&1; echo "rc=$?" >>"$tmp/w"
  sed -i -e 's/\bdocker\b/wharf/g' -e 's#docs\.wharf\.com#docs.docker.com#g' -e 's/Show wharf disk/Show docker disk/' "$tmp/d"
  if diff -u "$tmp/d" "$tmp/w" >"$tmp/diff"; then echo "MATCH: $*"; else echo "DIFF:  $*"; sed -n '3,40p' "$tmp/diff"; fail=1; fi
}
run images
run images -a
run images -q
run images --no-trunc --digests
run images --format json
run images --format 'table {{.Repository}}:{{.Tag}}\t{{.Size}}\t{{.VirtualSize}}'
run images --format '{{.ID}} {{.Repository}}'
run images -f dangling=false
run images "$IMAGE"
run image ls
run image list -q
run history "$IMAGE"
run history -H=false --no-trunc "$IMAGE"
run image history -q "$IMAGE"
run history --format '{{.ID}}|{{.CreatedBy}}|{{.Size}}' "$IMAGE"
run image inspect "$IMAGE"
run inspect "$IMAGE"
run inspect -f '{{.Id}} {{json .RepoTags}} {{.Config.Env}} {{index .RepoTags 0}} {{len .RepoTags}}' "$IMAGE"
run image inspect --format json "$IMAGE"
run image inspect nosuch-image
run inspect nosuch-object
run system df
run system df --format json
run system df -v
run version --format '{{.Server.Version}} {{.Server.ApiVersion}}'
run info --format '{{.Images}} {{.Driver}} {{json .Plugins}}'
run events --since 0 --until 1
run images --format '{{.Nope}}'
run images --format '{{.ID'
run images --bogus
run tag onlyone
run rmi
run image nosuch
run nosuch
for c in images history tag rmi save load import inspect events info version; do run "$c" --help; done
for c in "image ls" "image rm" "image inspect" "image prune" "system df" "system events"; do run $c --help; done
exit $fail
