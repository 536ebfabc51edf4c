#!/usr/bin/env bash
# The load-and-fault run at full length: the tests of tests/load/load_fault_test.cc (ctest label
# `load`, short durations in `make test`) with a 60 s steady load by default. Each test starts
# its own dev stack (scripts/run.sh) on free loopback ports and prints what it saw: requests per
# page and status, req/s, latency, each responder's RSS after the warm-up and at the end, the
# errors and recovery time around a killed responder and around a mini-okta outage.
#   bench/load-fault.sh                        (after `make`)
#   DURATION=120 CONNECTIONS=64 bench/load-fault.sh
#   FILTER='LoadFault.Every*' bench/load-fault.sh   (one test; gtest filter syntax)
# Exits non-zero when a check fails (zero errors, flat RSS, recovery within 10 s).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${USERDESK_BUILD_DIR:-$root/build}
[[ -f $build/CMakeCache.txt ]] || { echo "load-fault: $build is not configured; run make first" >&2; exit 1; }
cmake --build "$build" -j "$(nproc)" --target load_tests >/dev/null
echo "load-fault: $(nproc) cores, ${CONNECTIONS:-64} connections, steady load ${DURATION:-60} s"
USERDESK_LOAD_SECONDS=${DURATION:-60} USERDESK_LOAD_WARMUP_SECONDS=${WARMUP:-10} \
  USERDESK_LOAD_OUTAGE_SECONDS=${OUTAGE:-10} USERDESK_LOAD_AFTER_SECONDS=${AFTER:-10} \
  USERDESK_LOAD_CONNECTIONS=${CONNECTIONS:-64} \
  "$build/tests/load/load_tests" --gtest_filter="${FILTER:-*}" --gtest_color=no
