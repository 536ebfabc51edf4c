#!/usr/bin/env bash
# Throughput and memory of userdesk's pages against a hello-world FastCGI responder behind the
# same nginx, on this machine. Starts the dev stack (scripts/run.sh) in build/bench, loads it with
# wrk on loopback, prints one line per page (req/s and wrk's 99th-percentile latency; the
# dashboard once build/userdesk-dashboard exists), and stops everything it started.
#   bench/run.sh                 (after `make`; `make bench` does both)
#   DURATION=10 CONNECTIONS=32 THREADS=2 PORT=3100 bench/run.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${USERDESK_BUILD_DIR:-$root/build}
dir=$build/bench
duration=${DURATION:-10}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
port=${PORT:-3100}
okta_port=$((port + 1))
hello_port=$((port + 2))

for tool in wrk nginx spawn-fcgi; do
  command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null ||
    { echo "bench: $tool is missing; run make deps" >&2; exit 1; }
done
export PATH=$PATH:/usr/sbin
rm -rf "$dir" && mkdir -p "$dir/tmp"

started=()
cleanup() {
  for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -f $dir/hello-nginx.pid ]] && kill -QUIT "$(cat "$dir/hello-nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

# the userdesk stack, quiet logs so the benchmark measures serving rather than logging
LOG_LEVEL=warn USERDESK_MINI_OKTA=1 USERDESK_BUILD_DIR=$build USERDESK_RUN_DIR=$dir/stack \
  PORT=$port MINI_OKTA_PORT=$okta_port "$root/scripts/run.sh" >"$dir/stack.out" 2>&1 &
started+=($!)
for _ in $(seq 100); do grep -q "userdesk is running" "$dir/stack.out" && break; sleep 0.2; done
grep -q "userdesk is running" "$dir/stack.out" || { cat "$dir/stack.out"; exit 1; }

# the baseline
spawn-fcgi -n -s "$dir/hello.sock" -M 0666 -- "$build/bench-hello-fcgi" >/dev/null 2>&1 &
started+=($!)
sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$hello_port|g" "$root/bench/nginx-hello.conf.in" >"$dir/hello-nginx.conf"
nginx -p "$dir" -c "$dir/hello-nginx.conf" -g 'daemon on;' >/dev/null
sleep 0.3

# The session of the stack's demo user (mini-okta's id for demo@example.com), so pages that read
# the user's profile from Okta (the dashboard) serve it rather than a "no such user" error.
sub=$(set -a && . "$dir/stack/.env" && curl -sf -H "Authorization: SSWS $USER_PROFILE_TOKEN" \
  "http://127.0.0.1:$okta_port/api/v1/users/demo%40example.com" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
[[ -n $sub ]] || echo "bench: could not look up the demo user's id; signed-in pages use a made-up user" >&2
cookie=$(set -a && . "$dir/stack/.env" && BENCH_SUB=$sub "$build/bench-mint-session")

load() {  # name url [header]; prints one line and sets rps
  local out
  out=$(wrk --latency -t"$threads" -c"$connections" -d"${duration}s" ${3:+-H "$3"} "$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  # wrk's --latency table: "     99%    3.21ms"
  local p99
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%-28s %10.0f req/s  p99 %8s%s\n' "$1" "$rps" "${p99:-?}" "${non2xx:+  (non-2xx: $non2xx)}"
}

echo "bench: wrk -t$threads -c$connections -d${duration}s on $(nproc) cores"
load "hello-world FastCGI" "http://127.0.0.1:$hello_port/"
hello=$rps
load "home, signed out" "http://127.0.0.1:$port/"
anon=$rps
load "home, signed in" "http://127.0.0.1:$port/" "Cookie: $cookie"
signed=$rps
awk -v h="$hello" -v a="$anon" -v s="$signed" \
  'BEGIN { printf "ratio to hello-world: signed out %.0f %%, signed in %.0f %%\n", 100*a/h, 100*s/h }'
# the dashboard responder, once it is built (the stack starts only built responders)
if [[ -x $build/userdesk-dashboard ]]; then
  load "dashboard, signed in" "http://127.0.0.1:$port/dashboard" "Cookie: $cookie"
  awk -v h="$hello" -v d="$rps" 'BEGIN { printf "ratio to hello-world: dashboard signed in %.0f %%\n", 100*d/h }'
fi

# memory of every responder after the load (mini-okta and nginx are not responders). RSS counts
# every shared library page in each process that maps it (libcurl, OpenSSL, libstdc++: most of a
# responder's RSS); PSS splits each shared page among the processes that map it, so the PSS sum
# is what the responders occupy together. Private is each one's own memory.
total_rss=0
total_pss=0
total_private=0
while read -r name pid; do
  [[ $name == nginx || $name == mini-okta ]] && continue
  rss=$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup")
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
  private=$(awk '/^Private_(Clean|Dirty):/ {n += $2} END {print n}' "/proc/$pid/smaps_rollup")
  printf 'memory %-20s RSS %6d KiB  PSS %6d KiB  private %6d KiB\n' "$name" "$rss" "$pss" "$private"
  total_rss=$((total_rss + rss))
  total_pss=$((total_pss + pss))
  total_private=$((total_private + private))
done <"$dir/stack/pids"
printf 'memory all responders      RSS %6d KiB  PSS %6d KiB  private %6d KiB\n' \
  "$total_rss" "$total_pss" "$total_private"
echo "memory the responders occupy together (PSS sum): $((total_pss / 1024)) MiB"
