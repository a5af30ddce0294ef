#!/usr/bin/env bash
# Benchmark (not a test): the lab's first converge and its idempotent rerun.
# Targets (issue 13): first converge <= 75 F, rerun <= 20 F and <= 0.25x first, changed=0
# (F: bench/run.py measures the floor in the same run).
# Uses its own container/network names; images are built before timing starts.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/env.sh
. "$here/scripts/env.sh"
cd "$CLUSTERNET_ROOT"
extra=(-e lab_container_prefix=clusternet-labbench- -e lab_network=clusternet-labbench -e lab_mgmt_prefix=10.89.128)
run() { ansible-playbook -i inventories/lab "$@" "${extra[@]}" > "$log" 2>&1 || { cat "$log"; exit 1; }; }
log=$(mktemp)
trap 'ansible-playbook -i inventories/lab tests/lab/lab.yml -e lab_state=absent "${extra[@]}" >/dev/null 2>&1; rm -f "$log"' EXIT

run tests/lab/lab.yml -e lab_state=absent
run tests/lab/lab.yml                # builds the images once, outside the timing
run tests/lab/lab.yml -e lab_state=absent

t0=$(date +%s.%N)
run tests/lab/lab.yml
run site.yml
t1=$(date +%s.%N)
run site.yml
t2=$(date +%s.%N)
changed=$(grep -Eo 'changed=[0-9]+' "$log" | cut -d= -f2 | awk '{s += $1} END {print s + 0}')

python3 - "$t0" "$t1" "$t2" "$changed" <<'PY'
import sys
t0, t1, t2 = map(float, sys.argv[1:4])
first, rerun = t1 - t0, t2 - t1
print("lab first converge (lab up + site.yml): %6.1f s" % first)
print("lab idempotent rerun (site.yml):        %6.1f s   changed=%s" % (rerun, sys.argv[4]))
print("rerun / first:                          %6.2f" % (rerun / first))
PY
