#!/usr/bin/env bash
# Runs the whole test suite: unit tests, API tests and end-to-end tests that start real wharfd
# daemons (own temp socket and data root each) and drive them with wharf and the real docker CLI.
set -uo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh --test
./build.sh || exit 1
log=$(mktemp /tmp/wharf-test.XXXXXX)
trap 'rm -f "$log"' EXIT
dotnet test Wharf.slnx -c Release --nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# One closing line for the whole run, summed over the test projects.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$rc" -eq 0 ] && [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit "$rc"
