#!/usr/bin/env bash
# userdesk's benchmarks, side by side in one run on this machine (docs/benchmarks.md):
#   - the ceiling: a hello-world FastCGI responder behind the same nginx, with and without kept
#     FastCGI connections;
#   - the Node baseline: the tutorial's Express app (bench/node/) against the same mini-okta,
#     when node and npm are present;
#   - userdesk's warm pages (home, dashboard, profile), a profile save (POST + 303), full
#     sign-ins (bench/signin-flow.sh, SIGNINS of them, SIGNIN_PARALLEL at once), the cold
#     path (many users, PROFILE_CACHE_SECONDS=0, Okta 80 ms slow) and the slow-Okta test (a
#     cached user's latency while COLD_USERS users wait on a 2 s Okta);
#   - the session registry's cost: the warm dashboard with no registry and with the Redis store
#     (a redis-server on a loopback port, with a password), beside the default SQLite one;
#   - Okta calls per 1,000 views (from mini-okta's log) and memory (the responders' PSS sum
#     against the Node process's RSS).
# Prints the table, writes build/bench/results.tsv and, with gnuplot, build/bench/chart.svg.
#   bench/run.sh                 (after `make`; `make bench` does both)
#   DURATION=10 CONNECTIONS=32 THREADS=2 PORT=3100 COLD_USERS=200 SIGNINS=200 SIGNIN_PARALLEL=8 bench/run.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${USERDESK_BUILD_DIR:-$root/build}
dir=$build/bench
duration=${DURATION:-10}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
port=${PORT:-3100}
cold_users=${COLD_USERS:-200}
okta_port=$((port + 1))
hello_port=$((port + 2))
cold_port=$((port + 3))
cold_okta_port=$((port + 4))
node_port=$((port + 5))
nostore_port=$((port + 6))
nostore_okta_port=$((port + 7))
redis_stack_port=$((port + 8))
redis_okta_port=$((port + 9))
redis_port=$((port + 10))
myaccount_port=$((port + 11))
myaccount_okta_port=$((port + 12))

for tool in wrk nginx spawn-fcgi curl; do
  command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null ||
    { echo "bench: $tool is missing; run make deps" >&2; exit 1; }
done
export PATH=$PATH:/usr/sbin
rm -rf "$dir" && mkdir -p "$dir/tmp"
results=$dir/results.tsv
printf 'scenario\treq/s\tp50 ms\tp99 ms\tnon-2xx\n' >"$results"

started=()
cleanup() {
  for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -f $dir/hello-nginx.pid ]] && kill -QUIT "$(cat "$dir/hello-nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

# start_stack NAME PORT OKTA_PORT [VAR=value...]: a dev stack (scripts/run.sh) in $dir/NAME with
# quiet responder logs, so the benchmark measures serving rather than logging
start_stack() {
  local name=$1 p=$2 op=$3
  shift 3
  env LOG_LEVEL=warn USERDESK_MINI_OKTA=1 USERDESK_BUILD_DIR="$build" USERDESK_RUN_DIR="$dir/$name" \
    PORT="$p" MINI_OKTA_PORT="$op" "$@" "$root/scripts/run.sh" >"$dir/$name.out" 2>&1 &
  started+=($!)
  for _ in $(seq 150); do grep -q "userdesk is running" "$dir/$name.out" && return 0; sleep 0.2; done
  cat "$dir/$name.out"
  exit 1
}

# okta STACK METHOD PATH [JSON]: mini-okta's management API with the stack's profile token
okta() {
  local env=$dir/$1/.env op
  op=$(grep '^ORG_URL=' "$env" | cut -d= -f2-)
  curl -sf -X "$2" -H "Authorization: SSWS $(grep '^USER_PROFILE_TOKEN=' "$env" | cut -d= -f2-)" \
    -H 'Content-Type: application/json' -H 'Accept: application/json' ${4:+-d "$4"} "$op$3"
}
faults() { curl -sf -X POST -H 'Content-Type: application/json' -d "$2" "$(grep '^ORG_URL=' "$dir/$1/.env" | cut -d= -f2-)/admin/faults" >/dev/null; }
user_id() { grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4; }
# cookie STACK SUB [VAR=value...]: a signed-in session of SUB for that stack's APP_SECRET, in its
# registry (the stack's own SESSION_STORE, when it was started with one, is given again here)
cookie() { env "${@:3}" USERDESK_ENV_FILE="$dir/$1/.env" STATE_DIRECTORY="$dir/$1" BENCH_SUB=$2 "$build/bench-mint-session"; }
# new_users STACK PREFIX N: N new users (no password: nothing to hash), one cookie per line
new_users() {
  local i id
  for ((i = 0; i < $3; i++)); do
    id=$(okta "$1" POST '/api/v1/users?activate=false' \
      "{\"profile\":{\"login\":\"$2$i@example.com\",\"email\":\"$2$i@example.com\",\"firstName\":\"Bench\",\"lastName\":\"User$i\"}}" | user_id)
    cookie "$1" "$id"
  done
}
okta_reads() { grep -c 'GET /api/v1/users/' "$dir/$1/logs/mini-okta.log" || true; }

ms() {  # wrk's "3.21ms" / "812.00us" / "1.02s" -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'
}
# load NAME URL [wrk args...]: one wrk run; prints a line, appends to results.tsv, sets rps/p99
load() {
  local name=$1 url=$2 out
  shift 2
  out=$(wrk --latency -t"$threads" -c"$connections" -d"${duration}s" "$@" "$url")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  printf '%-34s %9.0f req/s  p50 %7s ms  p99 %7s ms  non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
  printf '%s\t%.0f\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}" >>"$results"
}

echo "bench: wrk -t$threads -c$connections -d${duration}s on $(nproc) cores, $(date -u +%FT%TZ)"

# --- the ceiling ---------------------------------------------------------------------------------
# a thread for each connection wrk holds and each idle one nginx keeps (bench/hello_fcgi.cc)
HELLO_THREADS=$((2 * connections + 8)) spawn-fcgi -n -s "$dir/hello.sock" -M 0666 -- "$build/bench-hello-fcgi" >/dev/null 2>&1 &
started+=($!)
sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$hello_port|g" "$root/bench/nginx-hello.conf.in" >"$dir/hello-nginx.conf"
nginx -p "$dir" -c "$dir/hello-nginx.conf" -g 'daemon on;' >/dev/null
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$hello_port/" >/dev/null && break; sleep 0.1; done
load "hello-world FastCGI" "http://127.0.0.1:$hello_port/"
hello=$rps
load "hello-world FastCGI, kept conns" "http://127.0.0.1:$hello_port/kept"
hello=$(awk -v a="$hello" -v b="$rps" 'BEGIN { print (a > b ? a : b) }')  # the better of the two
hello_before=$hello

# --- userdesk, warm ------------------------------------------------------------------------------
# sign-in's rate limit (10 a minute per client) lifted: the sign-in scenario makes hundreds
start_stack stack "$port" "$okta_port" USERDESK_SIGNIN_RATE=100000r/s USERDESK_SIGNIN_BURST=100000
base=http://127.0.0.1:$port
demo=$(okta stack GET /api/v1/users/demo%40example.com | user_id)
session=$(cookie stack "$demo")
curl -sf -H "Cookie: $session" "$base/dashboard" >/dev/null
curl -sf -H "Cookie: $session" "$base/profile" >/dev/null
load "userdesk home, signed out" "$base/"
load "userdesk home" "$base/" -H "Cookie: $session"
home_rps=$rps
reads_before=$(okta_reads stack)
load "userdesk dashboard" "$base/dashboard" -H "Cookie: $session"
dashboard=$rps
dashboard_requests=$requests
dashboard_reads=$(($(okta_reads stack) - reads_before))
load "userdesk profile" "$base/profile" -H "Cookie: $session"
profile_rps=$rps
# The ceiling again, right after the warm pages. This virtual machine's speed drifts by 10-25 %
# within a run, so the pages are compared with the mean of the ceiling measured before them and
# after them (both are printed), not with one reading taken a minute earlier.
load "hello-world FastCGI, kept conns, again" "http://127.0.0.1:$hello_port/kept"
hello_after=$rps
hello=$(awk -v a="$hello_before" -v b="$hello_after" 'BEGIN { printf "%.0f", (a + b) / 2 }')

# --- memory, warm (before the saves, sign-ins and the slow-Okta test park threads, which then wait as
# spares for 30 s) -----------------------------------------------------------------------------------
# RSS counts every shared library page in each process that maps it; PSS splits each shared page
# among the processes that map it, so the PSS sum is what the responders occupy together.
pss_sum() {
  local total=0 name pid
  while read -r name pid; do
    [[ $name == nginx || $name == mini-okta ]] && continue
    total=$((total + $(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")))
  done <"$dir/stack/pids"
  echo "$total"
}
total_pss=$(pss_sum)

# the form as the page has it (every field, the CSRF token, the shown.* twins), city changed
form=$(curl -sf -H "Cookie: $session" "$base/profile" |
  grep -o '<input[^>]*name="[^"]*"[^>]*value="[^"]*"[^>]*>' | grep -v ' disabled' |
  sed -E 's/.*name="([^"]*)".*value="([^"]*)".*/\1=\2/; s/ /+/g; s/@/%40/g' | grep -v '^city=' |
  paste -sd '&')  # the demo user's values need no other escaping
FORM="$form&city=Elsewhere" COOKIE=$session ORIGIN=$base \
  load "userdesk profile save (POST+303)" "$base/profile" -s "$root/bench/lua/profile-save.lua"

# --- full sign-ins: /login, the provider's form and POST, the callback, the dashboard --------------
# SIGNINS of them, SIGNIN_PARALLEL at a time, each a browser of its own (bench/signin-flow.sh,
# curl processes: their start-up is in the times too). Sign-ins per second, p50/p99 of the flow.
signins=${SIGNINS:-200} signin_parallel=${SIGNIN_PARALLEL:-8}
demo_password=$(tr -d '\n' <"$dir/stack/demo-password")
signin_start=${EPOCHREALTIME/[.,]/}
seq "$signins" | xargs -P "$signin_parallel" -I{} "$root/bench/signin-flow.sh" "$base" \
  "$(grep '^ORG_URL=' "$dir/stack/.env" | cut -d= -f2-)" demo@example.com "$demo_password" >"$dir/signins"
signin_end=${EPOCHREALTIME/[.,]/}
awk -v us="$((signin_end - signin_start))" -v name="full sign-in (5 requests, $signin_parallel at once)" \
  -v results="$results" '
  { ms[NR] = $2; if ($1 != 200) bad++ }
  END {
    n = NR; rate = NR / (us / 1e6)
    printf "%-34s %9.0f /s     p50 %7.2f ms  p99 %7.2f ms  not 200 %d\n", name, rate, ms[int(n * 0.5)], ms[int(n * 0.99)], bad
    printf "%s\t%.0f\t%.2f\t%.2f\t%d\n", name, rate, ms[int(n * 0.5)], ms[int(n * 0.99)], bad >>results
  }' <(sort -n -k2 "$dir/signins")


# --- the slow-Okta test: a cached user while COLD_USERS wait on a 2 s Okta -------------------------
new_users stack cold "$cold_users" >"$dir/cold-cookies"
# the cached user's copy read again now: the runs above took longer than PROFILE_CACHE_SECONDS
curl -sf -H "Cookie: $session" "$base/dashboard" >/dev/null
faults stack '{"latencyMs":2000}'
# each from an address of its own, as 200 people are (nginx allows 100 connections per address)
i=0
while read -r c; do
  i=$((i + 1))
  curl -s -o /dev/null -w '%{http_code}\n' --interface "127.0.$((1 + i / 250)).$((1 + i % 250))" \
    -H "Cookie: $c" "$base/dashboard" &
done <"$dir/cold-cookies" >"$dir/cold-statuses"
sleep 0.7  # 200 curls started, their requests parked (Okta answers them after 2 s)
duration_saved=$duration connections_saved=$connections
duration=1 connections=8
load "cached user, $cold_users waiting on Okta" "$base/dashboard" -H "Cookie: $session"
duration=$duration_saved connections=$connections_saved
wait_cold_started=$SECONDS
while (($(wc -l <"$dir/cold-statuses") < cold_users && SECONDS - wait_cold_started < 15)); do sleep 0.2; done
faults stack '{"latencyMs":0}'
echo "  the $cold_users cold requests: $(sort "$dir/cold-statuses" | uniq -c | tr -s ' ' | tr '\n' ';')"
echo "  responders' PSS sum just after: $(($(pss_sum) / 1024)) MiB (spare threads leave after 30 s idle)"

# --- the cold path: many users, no profile cache, Okta 80 ms slow ----------------------------------
start_stack cold "$cold_port" "$cold_okta_port" PROFILE_CACHE_SECONDS=0
new_users cold many 64 >"$dir/many-cookies"
faults cold '{"latencyMs":80}'
COOKIES=$dir/many-cookies load "cold path (no cache, Okta 80 ms)" \
  "http://127.0.0.1:$cold_port/dashboard" -s "$root/bench/lua/cookies.lua"
cold_rps=$rps
faults cold '{"latencyMs":0}'
awk -v r="$cold_rps" -v c="$connections" \
  'BEGIN { printf "  cold path: %.0f %% of connections / Okta latency (%d / 0.08 s = %.0f req/s)\n", 100 * r / (c / 0.08), c, c / 0.08 }'

# --- the session registry's cost: the warm dashboard without it, and with the Redis store ---------
# (the stack above used the default, SQLite; every session is checked against the registry at most
# once per SESSION_CHECK_SECONDS in each process, so the cost should stay small)
# warm_dashboard NAME PORT OKTA_PORT LABEL [VAR=value...]: a stack with those settings, its demo
# user's warm dashboard measured
warm_dashboard() {
  local name=$1 p=$2 op=$3 label=$4
  shift 4
  start_stack "$name" "$p" "$op" "$@"
  local user c
  user=$(okta "$name" GET /api/v1/users/demo%40example.com | user_id)
  c=$(cookie "$name" "$user" "$@")
  curl -sf -H "Cookie: $c" "http://127.0.0.1:$p/dashboard" >/dev/null
  load "$label" "http://127.0.0.1:$p/dashboard" -H "Cookie: $c"
}
# These stacks are measured minutes after the warm pages above, so they get a ceiling of their
# own, measured the same way around them.
load "hello-world FastCGI, kept conns, before the other stacks" "http://127.0.0.1:$hello_port/kept"
others_before=$rps
warm_dashboard nostore "$nostore_port" "$nostore_okta_port" "dashboard, no registry (SESSION_STORE=none)" \
  SESSION_STORE=none
nostore_rps=$rps
redis_rps=""
if command -v redis-server >/dev/null; then
  redis_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  redis-server --port "$redis_port" --bind 127.0.0.1 --requirepass "$redis_password" --save '' \
    --appendonly no >"$dir/redis.log" 2>&1 &
  started+=($!)
  warm_dashboard redis "$redis_stack_port" "$redis_okta_port" "dashboard, Redis registry" \
    SESSION_STORE="redis://127.0.0.1:$redis_port/0" REDIS_PASSWORD="$redis_password"
  redis_rps=$rps
fi

# --- MyAccount mode: the pages with the user's own token (PROFILE_API=myaccount) --------------------
# one real sign-in (the tokens are kept in the registry with the session), then the warm pages
start_stack myaccount "$myaccount_port" "$myaccount_okta_port" PROFILE_API=myaccount
myaccount_base=http://127.0.0.1:$myaccount_port
COOKIE_OUT=$dir/myaccount-cookie "$root/bench/signin-flow.sh" "$myaccount_base" \
  "$(grep '^ORG_URL=' "$dir/myaccount/.env" | cut -d= -f2-)" demo@example.com \
  "$(tr -d '\n' <"$dir/myaccount/demo-password")" >/dev/null
myaccount_cookie=$(cat "$dir/myaccount-cookie")
curl -sf -H "$myaccount_cookie" "$myaccount_base/profile" >/dev/null
load "dashboard, MyAccount mode" "$myaccount_base/dashboard" -H "$myaccount_cookie"
myaccount_dashboard_rps=$rps
load "profile, MyAccount mode" "$myaccount_base/profile" -H "$myaccount_cookie"
myaccount_profile_rps=$rps
load "hello-world FastCGI, kept conns, after the other stacks" "http://127.0.0.1:$hello_port/kept"
others_after=$rps
others=$(awk -v a="$others_before" -v b="$others_after" 'BEGIN { printf "%.0f", (a + b) / 2 }')

# --- the Node baseline -----------------------------------------------------------------------------
node_rps=""
node_rss=""
if [[ -x $root/bench/node/run.sh ]] && command -v node >/dev/null; then
  if "$root/bench/node/run.sh" "$dir/stack/.env" "$node_port" "$dir/node" >"$dir/node.out" 2>&1; then
    node_cookie=$(cat "$dir/node/cookie")
    load "Node tutorial app dashboard" "http://127.0.0.1:$node_port/dashboard" -H "$node_cookie"
    node_rps=$rps
    node_rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$(cat "$dir/node/pid")/status")
    kill "$(cat "$dir/node/pid")" 2>/dev/null || true
  else
    echo "bench: the Node baseline did not start (see $dir/node.out)"
  fi
fi

echo
echo "summary"
awk -v a="$hello_before" -v b="$hello_after" -v h="$hello" 'BEGIN {
  printf "  the hello-world ceiling: %.0f req/s before the warm pages, %.0f after; their mean %.0f is the ceiling below\n", a, b, h }'
awk -v h="$hello" -v o="$home_rps" -v d="$dashboard" -v p="$profile_rps" 'BEGIN {
  printf "  signed-in pages, warm: home %.0f %%, dashboard %.0f %%, profile %.0f %% of the ceiling\n", 100 * o / h, 100 * d / h, 100 * p / h }'
awk -v a="$others_before" -v b="$others_after" -v h="$others" 'BEGIN {
  printf "  the ceiling around the other stacks: %.0f req/s before, %.0f after, their mean %.0f\n", a, b, h }'
awk -v s="$dashboard" -v n="$nostore_rps" -v r="${redis_rps:-0}" -v h="$hello" -v o="$others" 'BEGIN {
  printf "  the registry: dashboard %.0f req/s with SQLite, %.0f with Redis, %.0f with none (%.0f %% of the first ceiling; %.0f %% and %.0f %% of theirs)\n", s, r, n, 100 * s / h, 100 * r / o, 100 * n / o }'
awk -v d="$myaccount_dashboard_rps" -v p="$myaccount_profile_rps" -v h="$others" 'BEGIN {
  printf "  MyAccount mode: dashboard %.0f req/s, profile %.0f (%.0f %% and %.0f %% of their ceiling)\n", d, p, 100 * d / h, 100 * p / h }'
awk -v n="$dashboard_reads" -v r="$dashboard_requests" \
  'BEGIN { printf "  Okta calls per 1,000 warm dashboard views: %.2f (%d in %d)\n", r ? 1000 * n / r : 0, n, r }'
echo "  responders' memory together, warm (PSS sum): $((total_pss / 1024)) MiB"
if [[ -n $node_rps ]]; then
  awk -v d="$dashboard" -v n="$node_rps" 'BEGIN { printf "  warm dashboard vs the Node app: %.1fx\n", d / n }'
  echo "  Node app memory (RSS): $((node_rss / 1024)) MiB; responders / Node: $(awk -v p="$total_pss" -v n="$node_rss" 'BEGIN { printf "%.2f", p / n }')"
fi
if command -v gnuplot >/dev/null; then
  gnuplot -e "in='$results'; out='$dir/chart.svg'" "$root/bench/chart.gp" && echo "  chart: $dir/chart.svg"
fi
