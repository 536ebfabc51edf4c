#!/usr/bin/env bash
# Scaling out: two sets of responders ("hosts" a and b: own sockets, own env file, the same
# APP_SECRET) behind one nginx whose upstreams name both (round-robin, nginx's default), sharing
# one session registry in a real redis-server (SESSION_STORE=redis://..., with a password). A real
# sign-in through mini-okta crosses hosts (the sign-in attempt's cookie made by one, taken by the
# other), the signed-in page is then served by both, and sign-out with the CSRF token of a page
# from one host is accepted by the other. A session ended on one host (sign-out, or "Sign out
# everywhere else" on /security) is refused by both within the trust window
# (SESSION_CHECK_SECONDS=1), and with Redis gone every session is refused (fail closed), no
# responder down. Substitutions as in the smoke test, plus the second server line in each
# upstream.
source "$(dirname "$0")/lib.sh"
need nginx spawn-fcgi openssl curl redis-server redis-cli

install_tree
make_cert
free_port http_port
free_port https_port
start_redis
start_mini_okta "$tmp/a.env"
trust_seconds=1
cat >>"$tmp/a.env" <<EOF
SESSION_STORE=redis://127.0.0.1:$redis_port/3
REDIS_PASSWORD=$redis_password
SESSION_CHECK_SECONDS=$trust_seconds
EOF
cp "$tmp/a.env" "$tmp/b.env" # each host has its own copy of the one configuration
chmod 0644 "$tmp/a.env" "$tmp/b.env"
start_responders "$tmp/a" "$tmp/a.env" .a
start_responders "$tmp/b" "$tmp/b.env" .b
render_nginx
for name in "${responder_list[@]}"; do
  grep -q "server unix:$tmp/run/$name.sock;" "$tmp/nginx/site.conf" || fail "no upstream for $name"
done
sed -i "s|^\(\s*\)server unix:$tmp/run/\([a-z0-9_-]*\)\.sock;|\1server unix:$tmp/a/\2.sock;\n\1server unix:$tmp/b/\2.sock;|" \
  "$tmp/nginx/site.conf"
start_nginx
base=https://127.0.0.1:$https_port

# The home page with the session in cookie jar <jar>, until both hosts have answered it <want>
# (signed-in or refused); fails if that takes more than <seconds> and one more for the requests
# themselves. Sets took to the seconds it took (0.001 s steps). Never writes to the jar.
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
home_on_both_hosts() { # <jar> <want> <seconds>
  local jar=$1 want=$2 start body host got
  start=$(now_ms)
  local deadline=$((start + ($3 + 1) * 1000))
  local -A answered=()
  while [[ ${answered[.a]:-} != "$want" || ${answered[.b]:-} != "$want" ]]; do
    (($(now_ms) < deadline)) ||
      fail "the session was not $want by both hosts within $3 s: a=${answered[.a]:-} b=${answered[.b]:-}"
    body=$(curl -sS --max-time 10 --cacert "$tmp/tls/fullchain.pem" -b "$jar" -D "$tmp/h" "$base/")
    [[ $(status) == 200 ]] || fail "/ answered $(status)"
    host=$(answered_by home "$(header X-Request-Id)" .a .b)
    got=refused
    if grep -q "Demo User" <<<"$body"; then got=signed-in; fi
    answered[$host]=$got
    [[ $got == "$want" ]] || sleep 0.05
  done
  local ms=$(($(now_ms) - start))
  printf -v took '%d.%03d' $((ms / 1000)) $((ms % 1000))
}
ended_records() { # how many records in Redis are of ended sessions
  local key n=0
  for key in $(redis_cli -n 3 --scan --pattern 'userdesk:s:*'); do
    [[ $(redis_cli -n 3 HGET "$key" ended_at) != 0 ]] && n=$((n + 1))
  done
  echo "$n"
}

sign_in
[[ $(redis_cli -n 3 --scan --pattern 'userdesk:s:*' | wc -l) == 1 ]] ||
  fail "the sign-in left no session record in Redis (db 3)"
login_host=$(answered_by auth "$login_id" .a .b)
callback_host=$(answered_by auth "$callback_id" .a .b)
[[ $login_host != none && $callback_host != none ]] || fail "the sign-in's requests are in neither host's log"
[[ $login_host != "$callback_host" ]] ||
  fail "/login and the callback both went to host $login_host: round-robin did not alternate"
ok "sign-in: /login on host $login_host, the callback on host $callback_host"

declare -A signed_in_on=()
for _ in $(seq 6); do
  body=$(site "$base/")
  [[ $(status) == 200 ]] || fail "/ answered $(status)"
  grep -q "Demo User" <<<"$body" || fail "a signed-in page did not show the user"
  host=$(answered_by home "$(header X-Request-Id)" .a .b)
  signed_in_on[$host]=1
  csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$body" | head -n 1)
done
[[ ${signed_in_on[.a]:-} == 1 && ${signed_in_on[.b]:-} == 1 ]] ||
  fail "the signed-in page was not served by both hosts: ${!signed_in_on[*]}"
ok "the signed-in home page came from both hosts"

[[ -n $csrf ]] || fail "no sign-out form token on the signed-in page"
page_host=$host
# Sign out on the other host than the one that rendered the page with the token. Round-robin
# alternates per upstream: the auth upstream's next pick is the host after the callback's.
if [[ $login_host == "$page_host" ]]; then site -o /dev/null "$base/logout"; fi
cp "$tmp/jar" "$tmp/jar.before-sign-out" # a copy of the cookie, as a thief would keep
site -o /dev/null -H "Origin: $base" --data-urlencode "csrf=$csrf" "$base/logout"
logout_host=$(answered_by auth "$(header X-Request-Id)" .a .b)
[[ $logout_host != "$page_host" ]] || fail "sign-out went to the page's host $page_host"
[[ $(status) == 302 || $(status) == 303 ]] || fail "sign-out on host $logout_host answered $(status)"
grep -qi '^set-cookie: __Host-userdesk_session=' "$tmp/h" ||
  fail "sign-out on host $logout_host did not clear the session cookie"
body=$(site "$base/")
if grep -q "Demo User" <<<"$body"; then fail "still signed in after sign-out"; fi
ok "sign-out on host $logout_host with the CSRF token of a page from host $page_host"

# Both hosts had just served the session; the copy of its cookie is refused by both within the
# trust window, the record kept as ended (with a TTL) in Redis.
home_on_both_hosts "$tmp/jar.before-sign-out" refused "$trust_seconds"
[[ $(ended_records) == 1 ]] || fail "Redis holds no ended record after sign-out"
key=$(redis_cli -n 3 --scan --pattern 'userdesk:s:*')
(($(redis_cli -n 3 TTL "$key") > 0)) || fail "the ended record has no TTL"
ok "a copy of the signed-out cookie is refused by both hosts ${took} s after the sign-out (trust window $trust_seconds s)"

# Two browsers (fresh cookie jars, so mini-okta asks for the password each time); the second
# ends the first from /security, and the first is refused by both hosts within the trust window.
rm -f "$tmp/jar"
sign_in
cp "$tmp/jar" "$tmp/jar.first"
rm -f "$tmp/jar"
sign_in
home_on_both_hosts "$tmp/jar.first" signed-in 0
page=$(site "$base/security")
[[ $(status) == 200 ]] || fail "/security answered $(status)"
[[ $(grep -c 'name="action" value="end"' <<<"$page") == 1 ]] ||
  fail "/security does not list the first browser's session as another one to end"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$page" | head -n 1)
site -o /dev/null -H "Origin: $base" --data-urlencode "csrf=$csrf" \
  --data-urlencode "action=end_others" "$base/security"
[[ $(status) == 303 && $(header Location) == "/security?ended=1" ]] ||
  fail "Sign out everywhere else answered $(status) $(header Location)"
security_host=$(answered_by account "$(header X-Request-Id)" .a .b)
home_on_both_hosts "$tmp/jar.first" refused "$trust_seconds"
ended_after=$took
home_on_both_hosts "$tmp/jar" signed-in 0
ok "a session ended from /security on host $security_host is refused by both hosts ${ended_after} s after (trust window $trust_seconds s)"

# Redis gone: fail closed. Every session is refused once the trust window has passed, and every
# responder is still up, having logged why.
kill -TERM "$redis_pid"
wait "$redis_pid" || true
home_on_both_hosts "$tmp/jar" refused "$trust_seconds"
for name in "${!responder_pid[@]}"; do # exited, a responder would linger as a zombie: ask /proc
  state=$(awk '{print $3}' "/proc/${responder_pid[$name]}/stat" 2>/dev/null || echo gone)
  [[ $state != Z && $state != gone ]] || fail "the $name responder exited with Redis down"
done
grep -q "the session registry cannot be read" "$tmp/logs/home.a.log" "$tmp/logs/home.b.log" ||
  fail "no responder logged that the session registry cannot be read"
grep -q "session registry redis://127.0.0.1:$redis_port/3: .*Connection refused" \
  "$tmp/logs/home.a.log" "$tmp/logs/home.b.log" || fail "no responder logged why Redis cannot be read"
! grep -rqF "$redis_password" "$tmp/logs" || fail "the Redis password is in a log"
ok "with Redis down every session is refused (by both hosts ${took} s after it stopped) and every responder stays up"
