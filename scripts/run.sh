#!/usr/bin/env bash
# The development stack behind `make run`, in the foreground: mini-okta (when no real Okta .env),
# one spawn-fcgi per built responder, and nginx on 127.0.0.1:$PORT. A responder or mini-okta that
# dies is started again (the supervision section at the end); SIGUSR1 and SIGUSR2 stop and start
# mini-okta. Ctrl-C or SIGTERM stops every process it started (by PID), removes the sockets and
# exits 0.
#
# Environment:
#   PORT (3000), MINI_OKTA_PORT (3001)  the two loopback ports
#   USERDESK_BUILD_DIR                  where the binaries are (default <repo>/build)
#   USERDESK_RUN_DIR                    generated config, sockets, logs (default <build>/dev)
#   USERDESK_MINI_OKTA=1                use the generated .env and mini-okta even when <repo>/.env
#                                       exists (the integration tests set it)
#   USERDESK_SIGNIN_RATE (10r/m)        nginx's limit on /login, /register and /reset-password per
#   USERDESK_SIGNIN_BURST (20)          client address (one bucket for the three; production's
#                                       values): limit_req rate (<n>r/s or <n>r/m) and burst;
#                                       over it, 429 and static/errors/429.html
#   USERDESK_OPS_ALLOW ("")             addresses or CIDR ranges, space-separated, that may reach
#                                       /-/health, /-/ready and /-/metrics besides loopback
#                                       (127.0.0.1 and ::1); everyone else gets 403
# Files under the run dir: .env (generated once, kept so sessions survive restarts),
# mini-okta-seed.json (written from .env on each start; read only while mini-okta.json, its
# data, does not exist), nginx/nginx.conf, run/<name>.sock, logs/<name>.log, pids ("<name> <pid>"
# for every process running now), lock (the launcher's PID). docs/dev-stack.md has the details.
# Secrets (APP_SECRET, the client secret, API tokens) are written to 0600 files, never printed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${USERDESK_BUILD_DIR:-$root/build}
port=${PORT:-3000}
okta_port=${MINI_OKTA_PORT:-3001}
routes_file=$root/nginx/routes.txt

die() {
  echo "run.sh: $*" >&2
  exit 1
}
note() { echo "run.sh: $*" >&2; }

valid_port() { [[ $1 =~ ^[0-9]+$ ]] && ((10#$1 >= 1 && 10#$1 <= 65535)); }
valid_port "$port" || die "PORT must be a TCP port number (1-65535), got '$port'"
valid_port "$okta_port" || die "MINI_OKTA_PORT must be a TCP port number (1-65535), got '$okta_port'"

# nginx's limit on sign-in, registration and password reset (nginx/dev.conf.in).
signin_rate=${USERDESK_SIGNIN_RATE:-10r/m}
signin_burst=${USERDESK_SIGNIN_BURST:-20}
[[ $signin_rate =~ ^[0-9]+r/[sm]$ && ! $signin_rate =~ ^0+r/ ]] ||
  die "USERDESK_SIGNIN_RATE must be a request rate like 10r/m or 5r/s (more than 0), got '$signin_rate'"
[[ $signin_burst =~ ^[0-9]+$ ]] ||
  die "USERDESK_SIGNIN_BURST must be a whole number of requests (0 or more), got '$signin_burst'"
# Who may reach the operator's endpoints (/-/): loopback's two addresses, then the operator's.
# An address is IPv4 or IPv6 with an optional /prefix: nothing else reaches nginx's allow.
ops_allow=${USERDESK_OPS_ALLOW:-}
for address in $ops_allow; do
  [[ $address =~ ^[0-9a-fA-F:.]+(/[0-9]{1,3})?$ ]] ||
    die "USERDESK_OPS_ALLOW must list addresses or CIDR ranges (e.g. 10.0.0.5 192.168.1.0/24), got '$address'"
done
# nginx refuses burst=0; no burst parameter is the same limit.
signin_burst_sed="s|@SIGNIN_BURST@|$signin_burst|g"
[[ $signin_burst =~ ^0+$ ]] && signin_burst_sed="s| burst=@SIGNIN_BURST@||g"

[[ -d $build ]] || die "build dir $build does not exist; run 'make' first"
build=$(cd "$build" && pwd)
[[ -x $build/userdesk-home ]] || die "$build/userdesk-home is not built; run 'make' first"

export PATH="$PATH:/usr/sbin:/sbin"
for tool in nginx spawn-fcgi openssl curl setsid flock; do
  command -v "$tool" >/dev/null || die "$tool is not installed; run 'make deps'"
done

run_dir=${USERDESK_RUN_DIR:-$build/dev}
mkdir -p "$run_dir"
run_dir=$(cd "$run_dir" && pwd)
mkdir -p "$run_dir"/{run,logs,tmp,nginx}

# One launcher per run dir: a second one would replace the first one's sockets.
# The lock file holds the launcher's PID (for the signals at the end of this script); it is
# opened without truncating, so a refused second launcher leaves the first one's PID in place.
exec 9>>"$run_dir/lock"
flock -n 9 || die "another scripts/run.sh is using $run_dir (see $run_dir/pids); stop it first"
: >"$run_dir/lock"
echo "$$" >&9

# fd 8: a FIFO nobody writes to, for the supervision loop's pauses (pause_ms); unlinked at
# once, so nothing is left behind however this script ends.
rm -f "$run_dir/run/launcher.tick"
mkfifo -m 0600 "$run_dir/run/launcher.tick"
exec 8<>"$run_dir/run/launcher.tick"
rm -f "$run_dir/run/launcher.tick"

# The responders, in route-table order (the first one, home, also answers unknown paths).
routes=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$routes_file")
mapfile -t responders < <(awk '!seen[$1]++ { print $1 }' <<<"$routes")
[[ ${responders[0]:-} == home ]] || die "$routes_file must list home first"

# --- which identity provider ---------------------------------------------------------------
if [[ -f $root/.env && ${USERDESK_MINI_OKTA:-0} != 1 ]]; then
  env_file=$root/.env
  use_mini_okta=0
else
  env_file=$run_dir/.env
  use_mini_okta=1
  if [[ ! -x $build/mini-okta ]]; then
    note "$build/mini-okta is not built yet: starting without it (sign-in will not work)"
    use_mini_okta=0
  fi
fi

# --- ports: fail fast, naming the port ---------------------------------------------------------
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A hint when the previous launcher on this run dir died without stopping its processes.
leftover_hint() {
  local name pid
  [[ -f $run_dir/pids ]] || return 0
  while read -r name pid; do
    if kill -0 "$pid" 2>/dev/null; then
      printf ' (%s pid %s from an earlier run may still be running; see %s/pids)' "$name" "$pid" "$run_dir"
      return 0
    fi
  done <"$run_dir/pids"
}
port_busy "$port" &&
  die "port $port (PORT) is already in use on 127.0.0.1; stop that process or choose another PORT$(leftover_hint)"
if ((use_mini_okta)); then
  [[ $okta_port != "$port" ]] || die "PORT and MINI_OKTA_PORT are both $port; choose two different ports"
  port_busy "$okta_port" &&
    die "port $okta_port (MINI_OKTA_PORT) is already in use on 127.0.0.1; stop that process or choose another MINI_OKTA_PORT$(leftover_hint)"
fi

# --- the generated .env and mini-okta seed ---------------------------------------------------
host_url=http://127.0.0.1:$port
org_url=http://127.0.0.1:$okta_port
demo_login=demo@example.com

# n random characters from [A-Za-z0-9]
random_alnum() {
  local s
  s=$(openssl rand -base64 96 | tr -dc 'A-Za-z0-9')
  printf '%s' "${s:0:$1}"
}
env_value() { sed -n "s/^$1=//p" "$env_file" | tail -n 1; }

if [[ $env_file == "$run_dir/.env" ]]; then
  (
    umask 077
    if [[ ! -f $env_file ]]; then
      cat >"$env_file.tmp" <<EOF
# Generated by scripts/run.sh for the local mini-okta on the first run; kept afterwards so
# sessions and the mini-okta data survive restarts. Delete it (and mini-okta.json) to start over.
ORG_URL=$org_url
HOST_URL=$host_url
APP_SECRET=$(openssl rand -base64 32)
CLIENT_ID=0oa$(random_alnum 17)
CLIENT_SECRET=$(random_alnum 40)
REGISTRATION_TOKEN=00$(random_alnum 40)
USER_PROFILE_TOKEN=00$(random_alnum 40)
EOF
      mv "$env_file.tmp" "$env_file"
      printf 'Userdesk-%s-7\n' "$(openssl rand -hex 4)" >"$run_dir/demo-password"
      rm -f "$run_dir/mini-okta.json"
    elif [[ $(env_value ORG_URL) != "$org_url" || $(env_value HOST_URL) != "$host_url" ]]; then
      # The ports changed: the client's redirect URIs in mini-okta's data no longer match.
      sed -i -e "s|^ORG_URL=.*|ORG_URL=$org_url|" -e "s|^HOST_URL=.*|HOST_URL=$host_url|" \
        -e "s|^ISSUER=.*|ISSUER=$org_url|" "$env_file"
      if [[ -f $run_dir/mini-okta.json ]]; then
        echo "run.sh: the ports changed; mini-okta starts again from its seed" >&2
        rm -f "$run_dir/mini-okta.json"
      fi
    fi
    # PROFILE_API=myaccount (make run PROFILE_API=myaccount): the pages act with each user's own
    # token from the org authorization server (ISSUER=ORG_URL), and the .env holds no
    # USER_PROFILE_TOKEN. A kept run dir switches mode when asked (PROFILE_API=users goes back).
    if [[ ${PROFILE_API:-} == myaccount && $(env_value PROFILE_API) != myaccount ]]; then
      sed -i -e '/^USER_PROFILE_TOKEN=/d' -e '/^ISSUER=/d' -e '/^PROFILE_API=/d' "$env_file"
      printf 'PROFILE_API=myaccount\nISSUER=%s\n' "$org_url" >>"$env_file"
      rm -f "$run_dir/mini-okta.json" # mini-okta starts again from its seed, with the new tokens
    elif [[ ${PROFILE_API:-} == users && $(env_value PROFILE_API) == myaccount ]]; then
      sed -i -e '/^ISSUER=/d' -e '/^PROFILE_API=/d' "$env_file"
      printf 'USER_PROFILE_TOKEN=00%s\n' "$(random_alnum 40)" >>"$env_file"
      rm -f "$run_dir/mini-okta.json" # mini-okta starts again from its seed, which has the token
    fi
    # In MyAccount mode no token in the .env reads other users: REGISTRATION_TOKEN may only create
    # them (an Okta custom admin role with okta.users.create alone), and the developer's own
    # super-admin token for mini-okta's API is admin-token, beside the .env, not in it.
    if [[ $(env_value PROFILE_API) == myaccount ]]; then
      [[ -s $run_dir/admin-token ]] || printf '00%s\n' "$(random_alnum 40)" >"$run_dir/admin-token"
      api_tokens="{\"value\": \"$(env_value REGISTRATION_TOKEN)\", \"permissions\": [\"okta.users.create\"]}, \"$(tr -d '\n' <"$run_dir/admin-token")\""
    else
      api_tokens="\"$(env_value REGISTRATION_TOKEN)\", \"$(env_value USER_PROFILE_TOKEN)\""
    fi
    [[ -s $run_dir/demo-password ]] || printf 'Userdesk-%s-7\n' "$(openssl rand -hex 4)" >"$run_dir/demo-password"
    cat >"$run_dir/mini-okta-seed.json.tmp" <<EOF
{
  "users": [
    {"status": "ACTIVE", "password": "$(cat "$run_dir/demo-password")",
     "profile": {"login": "$demo_login", "email": "$demo_login", "firstName": "Demo",
                 "lastName": "User", "streetAddress": "1 Main Street", "city": "Springfield",
                 "state": "OR", "zipCode": "97477", "birthdate": "1990-04-01",
                 "favoriteColor": "teal"}}
  ],
  "clients": [
    {"client_id": "$(env_value CLIENT_ID)", "client_secret": "$(env_value CLIENT_SECRET)",
     "client_name": "userdesk (dev)",
     "redirect_uris": ["$host_url/authorization-code/callback"],
     "post_logout_redirect_uris": ["$host_url", "$host_url/"],
     "backchannel_logout_uri": "$host_url/backchannel-logout"}
  ],
  "apiTokens": [$api_tokens],
  "customProperties": {
    "birthdate": {"title": "Birthdate", "type": "string",
                  "permissions": [{"principal": "SELF", "action": "READ_WRITE"}]},
    "favoriteColor": {"title": "Favorite Color", "type": "string",
                      "permissions": [{"principal": "SELF", "action": "READ_WRITE"}]}
  }
}
EOF
    mv "$run_dir/mini-okta-seed.json.tmp" "$run_dir/mini-okta-seed.json"
  )
  # The generated file must be what the responders see: drop stray tutorial keys from the shell.
  unset ORG_URL HOST_URL APP_SECRET APP_SECRET_PREVIOUS CLIENT_ID CLIENT_SECRET \
    REGISTRATION_TOKEN USER_PROFILE_TOKEN ISSUER
fi

# --- users and permissions -------------------------------------------------------------------
# As root, nginx's workers run as nobody: they must reach the sockets and read static/.
nginx_user_directive="# not started as root: nginx runs as $(id -un)"
socket_owner=()
if [[ $(id -u) -eq 0 ]]; then
  worker_user=nobody
  worker_group=$(id -gn nobody 2>/dev/null || echo nogroup)
  chmod 0711 "$run_dir" "$run_dir/run"
  as_worker=(setpriv --reuid="$worker_user" --regid="$worker_group" --clear-groups)
  if "${as_worker[@]}" test -r "$root/static/style.css" 2>/dev/null &&
    "${as_worker[@]}" test -x "$run_dir/run" 2>/dev/null; then
    nginx_user_directive="user $worker_user $worker_group;"
    socket_owner=(-U "$worker_user" -G "$worker_group")
  else
    note "$worker_user cannot read $root/static or reach $run_dir/run: nginx workers run as root"
    nginx_user_directive="user root root;"
  fi
fi

# --- processes ---------------------------------------------------------------------------------
# names[i] and pids[i]: every process running now (a dead one is removed, its respawn appended);
# the pids file is rewritten from them after every change, so it always names the live processes.
names=()
pids=()
: >"$run_dir/pids"

write_pids() {
  local i
  for i in "${!names[@]}"; do echo "${names[i]} ${pids[i]}"; done >"$run_dir/pids.tmp"
  mv "$run_dir/pids.tmp" "$run_dir/pids"
}

# start <name> <command...>: in the background, output to logs/<name>.log, PID recorded. Each
# process gets its own session (setsid execs in place, so the PID is the program's): a Ctrl-C
# in the terminal reaches only this script, which then stops everything in order. The first
# start of a name empties its log; a respawn appends, so the end of the dead one's log stays.
declare -A started_at=() # name -> the time of its latest start (ms)
# now_ms: sets now to the time in milliseconds (no subshell: the supervision loop calls it often)
now_ms() {
  local t=${EPOCHREALTIME/[.,]/}
  now=$((t / 1000))
}
start() {
  local name=$1
  shift
  if [[ -v started_at[$name] ]]; then
    setsid "$@" >>"$run_dir/logs/$name.log" 2>&1 </dev/null 8>&- 9>&- &
  else
    setsid "$@" >"$run_dir/logs/$name.log" 2>&1 </dev/null 8>&- 9>&- &
  fi
  now_ms
  started_at[$name]=$now
  names+=("$name")
  pids+=("$!")
  write_pids
}

# True while pid is alive and not a zombie waiting to be reaped. No fork: the supervision loop
# at the end asks several times a second.
running() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# stop_one <name> <pid> <signal> <seconds>: signal, wait up to the deadline, then SIGKILL;
# reaps it and reports an exit status other than 0.
stop_one() {
  local name=$1 pid=$2 sig=$3 deadline=$((SECONDS + $4)) rc=0
  kill "-$sig" "$pid" 2>/dev/null || true
  while running "$pid" && ((SECONDS < deadline)); do sleep 0.05; done
  if running "$pid"; then
    note "$name (pid $pid) did not stop within $4 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || rc=$?
  ((rc == 0)) || note "$name (pid $pid) exited with status $rc"
}

stopped=0
stop_all() {
  ((stopped)) && return 0
  stopped=1
  trap '' INT TERM USR1 USR2
  local i
  # nginx first so no request reaches a stopping responder, then everything else.
  for i in "${!names[@]}"; do
    [[ ${names[i]} == nginx ]] && stop_one nginx "${pids[i]}" QUIT 5
  done
  for i in "${!names[@]}"; do
    [[ ${names[i]} != nginx ]] && kill -TERM "${pids[i]}" 2>/dev/null
  done
  for i in "${!names[@]}"; do
    [[ ${names[i]} != nginx ]] && stop_one "${names[i]}" "${pids[i]}" TERM 10
  done
  for name in "${responders[@]}"; do rm -f "$run_dir/run/$name.sock"; done
  return 0
}

on_exit() {
  local rc=$?
  stop_all
  exit "$rc"
}
on_signal() {
  echo
  echo "userdesk: stopping"
  stop_all
  exit 0
}
trap on_exit EXIT
trap on_signal INT TERM

# Fails (printing the end of its log) when a started process has died.
check_alive() {
  local i
  for i in "${!names[@]}"; do
    if ! running "${pids[i]}"; then
      local rc=0
      wait "${pids[i]}" || rc=$?
      note "${names[i]} exited during start-up (status $rc); the end of $run_dir/logs/${names[i]}.log:"
      tail -n 20 "$run_dir/logs/${names[i]}.log" >&2 || true
      unset 'pids[i]' 'names[i]'
      exit 1
    fi
  done
}

# The same arguments on every start: its data file keeps users and sessions across restarts.
start_mini_okta() {
  start mini-okta "$build/mini-okta" --host 127.0.0.1 --port "$okta_port" --base-url "$org_url" \
    --data "$run_dir/mini-okta.json" --seed "$run_dir/mini-okta-seed.json"
}
# A fresh socket for each start: spawn-fcgi refuses a path another process still answers on.
# glibc's per-thread malloc cache, larger (as the systemd unit sets it): a page builds and frees
# hundreds of small view nodes, which overflow the default 7 per size and go back to the shared
# arena, 10-20 % of a warm page's time (docs/benchmarks.md).
start_responder() {
  local sock=$run_dir/run/$1.sock
  rm -f "$sock"
  start "$1" env GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.tcache_count=256:glibc.malloc.tcache_max=16384}" \
    spawn-fcgi -n -s "$sock" -M 0660 "${socket_owner[@]}" -- "$build/userdesk-$1"
}

if ((use_mini_okta)); then
  start_mini_okta
  deadline=$((SECONDS + 15))
  until port_busy "$okta_port"; do
    check_alive
    ((SECONDS < deadline)) || die "mini-okta did not listen on port $okta_port within 15 s (see $run_dir/logs/mini-okta.log)"
    sleep 0.1
  done
fi

export USERDESK_ENV_FILE=$env_file
export USERDESK_TEMPLATES=${USERDESK_TEMPLATES:-$root/templates}
# The session registry's file, sessions.db, lives here as under systemd's StateDirectory=
# (SESSION_STORE in the env file still wins).
export STATE_DIRECTORY=$run_dir
# nginx side of the FastCGI connections: one upstream per built responder (http level,
# upstreams.conf) and its locations (server level, locations.conf). nginx keeps up to
# $fcgi_keepalive idle connections per upstream and nginx worker (fastcgi_keep_conn on, in
# dev.conf.in): enough for every request of a busy moment to find one, so none pays for a
# connect, accept and close. An idle kept connection holds no responder thread (fcgi_server.h).
fcgi_keepalive=32
locations=$run_dir/nginx/locations.conf
upstreams=$run_dir/nginx/upstreams.conf
echo "# Generated by scripts/run.sh: one upstream per built responder." >"$upstreams"
{
  echo "# Generated by scripts/run.sh from nginx/routes.txt for the responders that are built."
  echo "location @not_found { fastcgi_pass userdesk_home; }"
} >"$locations"
# The operator's endpoints: loopback and USERDESK_OPS_ALLOW only (production: nginx/userdesk.conf).
ops_allow_file=$run_dir/nginx/ops-allow.conf
{
  echo "# Generated by scripts/run.sh: who may reach /-/ (loopback, then USERDESK_OPS_ALLOW)."
  echo "allow 127.0.0.1;"
  echo "allow ::1;"
  for address in $ops_allow; do echo "allow $address;"; done
  echo "deny all;"
} >"$ops_allow_file"
ops_locations=()
started=()
for name in "${responders[@]}"; do
  [[ -x $build/userdesk-$name ]] || continue
  sock=$run_dir/run/$name.sock
  start_responder "$name"
  started+=("$name")
  echo "upstream userdesk_$name { server unix:$sock; keepalive $fcgi_keepalive; }" >>"$upstreams"
  while read -r route match; do
    [[ $route == "$name" ]] || continue
    echo "location $match { fastcgi_pass userdesk_$name; }" >>"$locations"
  done <<<"$routes"
  for kind in health ready metrics; do
    ops_locations+=("  location = /-/$kind/$name { fastcgi_pass userdesk_$name; }")
  done
done
# Every responder's /-/health, /-/ready and /-/metrics, nested so the allow-list is written once
# (allow and deny are inherited by nested locations; return is not, so only the paths no
# responder answers get the 404).
{
  echo "location ^~ /-/ {"
  echo "  include $ops_allow_file;"
  printf '%s\n' "${ops_locations[@]}"
  echo "  return 404;"
  echo "}"
} >>"$locations"

# --- nginx -----------------------------------------------------------------------------------
sed_escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }
sed -e "s|@RUN_DIR@|$(sed_escape "$run_dir")|g" \
  -e "s|@STATIC_DIR@|$(sed_escape "$root/static")|g" \
  -e "s|@PORT@|$port|g" \
  -e "s|@STATIC_MAX_AGE@|3600|g" \
  -e "s|@SIGNIN_RATE@|$signin_rate|g" \
  -e "$signin_burst_sed" \
  -e "s|@USER_DIRECTIVE@|$(sed_escape "$nginx_user_directive")|g" \
  "$root/nginx/dev.conf.in" >"$run_dir/nginx/nginx.conf"
nginx_args=(-p "$run_dir/" -c "$run_dir/nginx/nginx.conf" -e "$run_dir/logs/error.log")
if ! nginx "${nginx_args[@]}" -t -q; then
  die "nginx rejected $run_dir/nginx/nginx.conf (rendered from nginx/dev.conf.in)"
fi
start nginx nginx "${nginx_args[@]}" -g 'daemon off;'

deadline=$((SECONDS + 20))
while :; do
  check_alive
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/" || true)
  [[ $code == 200 ]] && break
  ((SECONDS < deadline)) || die "http://127.0.0.1:$port/ did not answer 200 within 20 s (last status $code); logs in $run_dir/logs/"
  sleep 0.1
done
check_alive

# One write, so whoever waits for the first line also has the rest.
banner="userdesk is running at http://127.0.0.1:$port
  responders: ${started[*]}; logs in $run_dir/logs/"
if ((use_mini_okta)); then
  banner+="
  mini-okta at $org_url; demo sign-in: $demo_login / $(cat "$run_dir/demo-password")
  emails mini-okta sends (password reset links): $org_url/dev/outbox"
elif [[ $env_file == "$root/.env" ]]; then
  banner+="
  using $root/.env (your Okta org)"
fi
printf '%s\n  press Ctrl-C to stop\n' "$banner"

# --- supervision -------------------------------------------------------------------------------
# From here on a responder or mini-okta that exits is started again, as systemd's Restart= does
# in production (systemd/userdesk@.service): after a short pause that doubles while it keeps
# dying soon after its start (0.25 s, 0.5 s, ... 4 s), with a line on stderr. Two exceptions
# stop the stack (exit 1, naming it): exit status 78 (EX_CONFIG, a configuration problem a
# restart cannot fix; the unit's RestartPreventExitStatus=78), and 5 deaths in a row each within
# 10 s of its start (systemd's default start limit is 5 in 10 s too). nginx is not respawned:
# if it dies, the stack stops.
# Two signals to this script (its PID is in <run dir>/lock) take mini-okta down and bring it
# back, to try an identity-provider outage on the running stack (tests/load does):
#   SIGUSR1  stop mini-okta (SIGTERM) and keep it stopped
#   SIGUSR2  start it again with the same arguments (its data file keeps its state)
respawn_first_delay_ms=250
respawn_max_delay_ms=4000
quick_death_ms=10000
quick_death_limit=5
declare -A quick_deaths=() # name -> deaths in a row, each within quick_death_ms of its start
okta_held=0

# The loop below polls the processes rather than waiting for them: bash forgets a background
# job killed by a signal once it has printed "Killed" for it, and `wait -n` then never reports
# it. Its pauses are reads with a timeout on fd 8, a FIFO nobody writes to (opened at the top):
# no process per pause, and a signal (Ctrl-C, SIGTERM, SIGUSR1/2) runs its trap at once.
# seconds <ms>: sets secs to ms as seconds with three decimals ("0.250")
seconds() { printf -v secs '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
pause_ms() {
  local end left secs
  now_ms
  end=$((now + $1))
  while now_ms; left=$((end - now)); ((left > 0)); do
    seconds "$left"
    # (no 2>/dev/null here: a trap that runs during the read would write there too)
    read -r -t "$secs" -u 8 _ || true
  done
}

stop_mini_okta() {
  ((use_mini_okta)) || { note "SIGUSR1: mini-okta is not part of this stack"; return 0; }
  okta_held=1
  local i
  for i in "${!names[@]}"; do
    if [[ ${names[i]} == mini-okta ]]; then
      note "SIGUSR1: stopping mini-okta (pid ${pids[i]}) until SIGUSR2"
      stop_one mini-okta "${pids[i]}" TERM 10
      unset 'pids[i]' 'names[i]'
      write_pids
    fi
  done
}

start_mini_okta_again() {
  ((use_mini_okta && okta_held)) || return 0
  okta_held=0
  # still running (or in its respawn pause): nothing to do
  local name
  for name in "${names[@]}"; do
    if [[ $name == mini-okta ]]; then return 0; fi
  done
  start_mini_okta
  note "SIGUSR2: mini-okta started again (pid $!)"
}
trap stop_mini_okta USR1
trap start_mini_okta_again USR2

# respawn <name> <status>: the process named name exited with status (already reaped).
respawn() {
  local name=$1 rc=$2 how uptime_ms delay_ms=$respawn_first_delay_ms n secs
  how="exit status $rc"
  ((rc > 128)) && how="signal $((rc - 128))"
  if ((rc == 78)); then
    note "$name exited with status 78 (its configuration is wrong); stopping the stack. The end of $run_dir/logs/$name.log:"
    tail -n 20 "$run_dir/logs/$name.log" >&2 || true
    exit 1
  fi
  now_ms
  uptime_ms=$((now - started_at[$name]))
  if ((uptime_ms < quick_death_ms)); then
    quick_deaths[$name]=$((${quick_deaths[$name]:-0} + 1))
  else
    quick_deaths[$name]=1
  fi
  if ((quick_deaths[$name] >= quick_death_limit)); then
    note "$name died $quick_death_limit times in a row, each within $((quick_death_ms / 1000)) s of its start ($how); stopping the stack. The end of $run_dir/logs/$name.log:"
    tail -n 20 "$run_dir/logs/$name.log" >&2 || true
    exit 1
  fi
  for ((n = 1; n < quick_deaths[$name]; n++)); do delay_ms=$((delay_ms * 2)); done
  ((delay_ms <= respawn_max_delay_ms)) || delay_ms=$respawn_max_delay_ms
  seconds "$delay_ms"
  note "$name died ($how, after $((uptime_ms / 1000)) s); starting it again in $secs s (see $run_dir/logs/$name.log)"
  pause_ms "$delay_ms"
  [[ $name == mini-okta ]] && ((okta_held)) && return 0 # SIGUSR1 came during the pause
  if [[ $name == mini-okta ]]; then start_mini_okta; else start_responder "$name"; fi
  note "$name is running again (pid $!)"
}

# Runs until a signal arrives (the trap exits 0), or nginx dies, or a process cannot be kept
# running (exit 1).
while :; do
  pause_ms 200
  for i in "${!pids[@]}"; do
    running "${pids[i]}" && continue
    dead=${pids[i]} name=${names[i]} rc=0
    # its status, even when bash has reaped it already
    wait "$dead" 2>/dev/null || rc=$?
    unset 'pids[i]' 'names[i]'
    write_pids
    if [[ $name == nginx ]]; then
      note "nginx (pid $dead) exited unexpectedly with status $rc; stopping the stack (see $run_dir/logs/error.log)"
      exit 1
    fi
    respawn "$name" "$rc"
  done
done
