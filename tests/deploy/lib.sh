# Shared by the tests/deploy/*_test.sh scripts (sourced, not run). ctest passes each script:
#   <source dir> <build dir>
# The scripts install the build into a temporary DESTDIR and run the installed files. Every
# process they start is recorded and killed on exit, and the temporary dir is removed (unless
# USERDESK_KEEP_RUN_DIR=1). Exit 77 is a skip (ctest SKIP_RETURN_CODE), always with a reason.
set -euo pipefail

src_dir=$1
build_dir=$2
export PATH="$PATH:/usr/sbin:/sbin"
# shellcheck source=/dev/null
source "$build_dir/deploy/layout.sh" # prefix, libexec_dir, share_dir, conf_dir, nginx_site, ...

tmp=$(mktemp -d /tmp/userdesk-deploy-XXXXXX)
# As root, nginx's workers (www-data) must reach the sockets and static files inside.
chmod 0755 "$tmp"
mkdir -p "$tmp/logs"
started_pids=()

cleanup() {
  local rc=$? pid
  for pid in "${started_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${started_pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if ((rc != 0 && rc != 77)); then
    echo "--- logs in $tmp/logs (kept with USERDESK_KEEP_RUN_DIR=1):" >&2
    for f in "$tmp"/logs/*; do [[ -f $f ]] && { echo "== $f" >&2; tail -n 15 "$f" >&2; }; done
  fi
  if [[ ${USERDESK_KEEP_RUN_DIR:-0} != 1 ]]; then rm -rf "$tmp"; else echo "kept $tmp" >&2; fi
  exit "$rc"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
skip() {
  echo "SKIP: $*"
  exit 77
}
ok() { echo "ok: $*"; }

need() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || skip "$tool is not installed (make deps)"; done
}

# A loopback TCP port nobody listens on right now, below the kernel's ephemeral range (an
# outgoing connection's local port there would make nginx's bind fail), never one handed out
# before in this run.
read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || ephemeral_low=32768
picked_ports=" "
free_port() { # <variable>: sets it (no subshell, so picked_ports keeps count)
  local port span=$((ephemeral_low - 10000))
  ((span > 1000)) || span=20000
  for _ in $(seq 100); do
    port=$((10000 + RANDOM % span))
    [[ $picked_ports == *" $port "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    picked_ports+="$port "
    printf -v "$1" '%s' "$port"
    return 0
  done
  fail "no free loopback port"
}

wait_for() { # <seconds> <description> <command...>
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    ((SECONDS < deadline)) || fail "timed out waiting for $what"
    sleep 0.05
  done
}

# cmake --install into $tmp/dest: the files a package or `make install` would lay down.
install_tree() {
  dest=$tmp/dest
  DESTDIR=$dest cmake --install "$build_dir" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log" >&2; fail "cmake --install failed"; }
  read -r -a responder_list <<<"$responders"
}

# A throwaway self-signed certificate for 127.0.0.1 (ECDSA P-256, as Mozilla recommends).
make_cert() {
  mkdir -p "$tmp/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=127.0.0.1 -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$tmp/tls/privkey.pem" -out "$tmp/tls/fullchain.pem" 2>"$tmp/tls/openssl.log" ||
    fail "openssl could not make a certificate: $(cat "$tmp/tls/openssl.log")"
}

# Renders the installed nginx site for an unprivileged run in $tmp. Only what must change for a
# temporary run on this machine is substituted, nothing else:
#   listen 80 / 443           -> 127.0.0.1:$http_port / 127.0.0.1:$https_port (IPv6 lines dropped)
#   ssl_certificate(_key)     -> the throwaway certificate
#   /run/userdesk/            -> $tmp/run/ (the sockets the socket units would make)
#   /var/log/nginx/           -> $tmp/logs/
#   the install prefix        -> the same path under the DESTDIR
# and wraps it in a main nginx.conf standing in for Debian's /etc/nginx/nginx.conf (pid, logs,
# temp paths, `user` and `include mime.types`), which includes the site inside http { }, with
# the two lines docs/deploy.md asks for there ("Slow and greedy clients"): worker_connections
# and worker_rlimit_nofile, the values $main_conf_lines holds (nginx_config_test.sh checks that
# the site, the docs and nginx/dev.conf.in name the same).
main_conf_lines=("worker_rlimit_nofile 8192;" "worker_connections 4096;")
render_nginx() {
  mkdir -p "$tmp/nginx" "$tmp/logs" "$tmp/run" "$tmp/nginx/tmp" "$tmp/nginx/ops-allow.d"
  local site=$dest$nginx_site
  [[ -f $site ]] || fail "the nginx site was not installed at $nginx_site"
  sed -e "s|^\(\s*\)listen 80;|\1listen 127.0.0.1:$http_port;|" \
    -e "s|^\(\s*\)listen 443 ssl http2;|\1listen 127.0.0.1:$https_port ssl http2;|" \
    -e '/listen \[::\]/d' \
    -e "s|^\(\s*ssl_certificate\s\+\).*|\1$tmp/tls/fullchain.pem;|" \
    -e "s|^\(\s*ssl_certificate_key\s\+\).*|\1$tmp/tls/privkey.pem;|" \
    -e "s|/run/userdesk/|$tmp/run/|g" \
    -e "s|/var/log/nginx/|$tmp/logs/|g" \
    -e "s|include [^ ]*/nginx-ops-allow.d/|include $tmp/nginx/ops-allow.d/|" \
    -e "s|$share_dir/|$dest$share_dir/|g" \
    "$site" >"$tmp/nginx/site.conf"
  local user_line="# not root: workers run as $(id -un)"
  if [[ $(id -u) == 0 ]]; then user_line="user $worker_user;"; fi
  cat >"$tmp/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
${main_conf_lines[0]}
pid $tmp/run/nginx.pid;
error_log $tmp/logs/error.log warn;
events { ${main_conf_lines[1]} }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  client_body_temp_path $tmp/nginx/tmp/client_body;
  proxy_temp_path $tmp/nginx/tmp/proxy;
  fastcgi_temp_path $tmp/nginx/tmp/fastcgi;
  uwsgi_temp_path $tmp/nginx/tmp/uwsgi;
  scgi_temp_path $tmp/nginx/tmp/scgi;
  include $tmp/nginx/site.conf;
}
EOF
}

nginx_args() { echo -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" -e "$tmp/logs/error.log"; }

# nginx's workers: www-data as on Debian when we are root (nobody elsewhere).
worker_user=www-data
id www-data >/dev/null 2>&1 || worker_user=nobody

start_bg() { # <log name> <command...>: in the background, recorded for cleanup
  local name=$1
  shift
  "$@" >"$tmp/logs/$name.log" 2>&1 </dev/null &
  started_pids+=("$!")
  last_pid=$!
}

start_nginx() {
  # shellcheck disable=SC2046
  nginx $(nginx_args) -t -q 2>"$tmp/logs/nginx-t.log" || fail "nginx -t: $(cat "$tmp/logs/nginx-t.log")"
  # shellcheck disable=SC2046
  start_bg nginx nginx $(nginx_args) -g 'daemon off;'
  nginx_pid=$last_pid
  wait_for 10 "nginx on port $https_port" bash -c "(exec 3<>/dev/tcp/127.0.0.1/$https_port) 2>/dev/null"
}

# One responder set: <set dir> <env file>. spawn-fcgi stands in for the socket unit: it makes
# <set dir>/<name>.sock (mode 0660, nginx's group as the unit's SocketGroup=www-data) and execs
# the installed responder with the socket on fd 0, as systemd does with StandardInput=socket.
# USERDESK_ENV_FILE is the unit's setting with the temp path; USERDESK_TEMPLATES names the
# installed templates under the DESTDIR (the compiled-in default is the installed path only in
# a build configured for that prefix, as `make install` / `make deb` do).
declare -A responder_pid
start_responders() {
  local dir=$1 env_file=$2 set_name=${3:-} name owner=()
  mkdir -p "$dir"
  if [[ $(id -u) == 0 ]]; then owner=(-G "$(id -gn "$worker_user")"); fi
  for name in "${responder_list[@]}"; do
    rm -f "$dir/$name.sock"
    start_bg "$name$set_name" env USERDESK_ENV_FILE="$env_file" \
      USERDESK_TEMPLATES="$dest$share_dir/templates" \
      spawn-fcgi -n -s "$dir/$name.sock" -M 0660 "${owner[@]}" -- "$dest$libexec_dir/userdesk-$name"
    responder_pid[$name$set_name]=$last_pid
  done
  for name in "${responder_list[@]}"; do
    wait_for 10 "the $name$set_name responder's socket" test -S "$dir/$name.sock"
  done
}

# mini-okta (the installed one) on $okta_port with a seed for this run: the demo user, one web
# client redirecting to https://127.0.0.1:$https_port, the two API tokens.
start_mini_okta() {
  local env_file=$1
  free_port okta_port
  demo_password="Deploy-$(openssl rand -hex 4)-7"
  local client_id="0oa$(openssl rand -hex 8)" client_secret api1 api2
  client_secret=$(openssl rand -hex 20)
  api1="00$(openssl rand -hex 20)"
  api2="00$(openssl rand -hex 20)"
  host_url=https://127.0.0.1:$https_port
  cat >"$tmp/seed.json" <<EOF
{
  "users": [{"status": "ACTIVE", "password": "$demo_password",
    "profile": {"login": "demo@example.com", "email": "demo@example.com", "firstName": "Demo",
                "lastName": "User"}}],
  "clients": [{"client_id": "$client_id", "client_secret": "$client_secret",
    "client_name": "userdesk (deploy test)",
    "redirect_uris": ["$host_url/authorization-code/callback"],
    "post_logout_redirect_uris": ["$host_url", "$host_url/"]}],
  "apiTokens": ["$api1", "$api2"]
}
EOF
  (
    umask 077
    cat >"$env_file" <<EOF
ORG_URL=http://127.0.0.1:$okta_port
HOST_URL=$host_url
APP_SECRET=$(openssl rand -base64 32)
CLIENT_ID=$client_id
CLIENT_SECRET=$client_secret
REGISTRATION_TOKEN=$api1
USER_PROFILE_TOKEN=$api2
EOF
  )
  # the responders run as root here (spawn-fcgi without -u), like their socket's owner
  start_bg mini-okta "$dest$bin_dir/mini-okta" --host 127.0.0.1 --port "$okta_port" \
    --base-url "http://127.0.0.1:$okta_port" --data "$tmp/mini-okta.json" --seed "$tmp/seed.json"
  wait_for 15 "mini-okta on port $okta_port" bash -c "(exec 3<>/dev/tcp/127.0.0.1/$okta_port) 2>/dev/null"
}

# A real redis-server (Debian's) on a free loopback port, with a password and no persistence: the
# one Redis a several-host deployment shares (docs/deploy.md). Sets redis_port, redis_password,
# redis_pid; redis_cli <args...> runs redis-cli against it.
start_redis() {
  free_port redis_port
  redis_password=$(openssl rand -hex 16)
  start_bg redis redis-server --port "$redis_port" --bind 127.0.0.1 --requirepass "$redis_password" \
    --save '' --appendonly no --daemonize no
  redis_pid=$last_pid
  wait_for 10 "redis-server on port $redis_port" redis_answers
}
redis_cli() { redis-cli -p "$redis_port" -a "$redis_password" --no-auth-warning "$@" 2>/dev/null; }
redis_answers() { [[ $(redis_cli PING) == PONG ]]; }

# curl against the site: verifies the throwaway certificate, keeps cookies in $tmp/jar (per
# host, as a browser does), never follows redirects. Prints the body; headers go to $tmp/h.
site() {
  curl -sS --max-time 10 --cacert "$tmp/tls/fullchain.pem" -b "$tmp/jar" -c "$tmp/jar" \
    -D "$tmp/h" "$@"
}
header() { # <name>: the first value of that header in $tmp/h
  grep -i "^$1:" "$tmp/h" | head -n 1 | sed -e 's/^[^:]*:[[:space:]]*//' -e 's/\r$//'
}
status() { head -n 1 "$tmp/h" | awk '{print $2}'; }

# The sign-in dance: /login -> mini-okta's form -> the callback. Sets signin_cookie to the
# session's Set-Cookie line, login_id / callback_id to the request ids of the two app hops and
# signin_callback to the callback's URL (with its code and state).
sign_in() {
  site -o /dev/null "https://127.0.0.1:$https_port/login"
  [[ $(status) == 302 ]] || fail "/login answered $(status), not 302"
  login_id=$(header X-Request-Id)
  local authorize form request_id callback
  authorize=$(header Location)
  [[ $authorize == "http://127.0.0.1:$okta_port/"* ]] || fail "/login sent the browser to '$authorize'"
  form=$(site "$authorize")
  request_id=$(sed -n 's/.*name="request_id" value="\([^"]*\)".*/\1/p' <<<"$form" | head -n 1)
  [[ -n $request_id ]] || fail "no sign-in form at mini-okta's authorize endpoint"
  site -o /dev/null -H "Origin: http://127.0.0.1:$okta_port" \
    --data-urlencode "request_id=$request_id" --data-urlencode "username=demo@example.com" \
    --data-urlencode "password=$demo_password" "http://127.0.0.1:$okta_port/login/signin"
  callback=$(header Location)
  [[ $callback == "https://127.0.0.1:$https_port/authorization-code/callback?"* ]] ||
    fail "mini-okta sent the browser to '$callback' after the sign-in form"
  signin_callback=$callback
  site -o /dev/null "$callback"
  [[ $(status) == 302 ]] || fail "the callback answered $(status), not 302"
  callback_id=$(header X-Request-Id)
  signin_cookie=$(grep -i '^set-cookie: __Host-userdesk_session=' "$tmp/h" | tr -d '\r' || true)
  [[ -n $signin_cookie ]] || fail "the callback set no __Host-userdesk_session cookie: $(grep -i set-cookie "$tmp/h")"
}

# Which responder set answered request id <id>: the set whose <name> log has the id.
answered_by() { # <name> <id> <set names...>
  local name=$1 id=$2 s
  shift 2
  for s in "$@"; do
    grep -q "id=$id\$" "$tmp/logs/$name$s.log" && { echo "$s"; return 0; }
  done
  echo none
}
