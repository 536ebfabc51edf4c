#!/usr/bin/env bash
# The installed site, end to end: `cmake --install` into a temporary DESTDIR, then the installed
# nginx site (substitutions: lib.sh's render_nginx), the installed responders and the installed
# mini-okta, over TLS on loopback ports. Checks the redirect to https (to the configured name,
# whatever the Host), HTTP/2 and TLS versions, the security headers, static caching, the 429
# page of the sign-in rate limit, a real sign-in and the session cookie's attributes, the
# callback's code and state in no log whatever the path's spelling, half-open connections closed
# by the header timeout, FastCGI keep-conn, the operator's /-/ endpoints behind the allow-list,
# and a reload (SIGHUP) while requests keep flowing
# (over kept connections).
source "$(dirname "$0")/lib.sh"
need nginx spawn-fcgi openssl curl

install_tree
make_cert
free_port http_port
free_port https_port
start_mini_okta "$tmp/userdesk.env"
chmod 0644 "$tmp/userdesk.env" # the responders and the test both read it
start_responders "$tmp/run" "$tmp/userdesk.env"
render_nginx
start_nginx
base=https://127.0.0.1:$https_port

# --- half-open connections: opened now, checked near the end ----------------------------------
# One on each port that never completes its request: a header cut short on port 80, no TLS
# handshake at all on 443. client_header_timeout must close both (nginx/userdesk.conf).
exec {half_open_http}<>"/dev/tcp/127.0.0.1/$http_port"
printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' >&"$half_open_http"
exec {half_open_tls}<>"/dev/tcp/127.0.0.1/$https_port"
half_open_since=$SECONDS
header_timeout=$(sed -n 's/^  client_header_timeout \([0-9]\+\)s;$/\1/p' "$dest$nginx_site")
[[ -n $header_timeout ]] || fail "no client_header_timeout in seconds in the site"

# --- plain HTTP goes to HTTPS, at the configured server name ---------------------------------
server_name=$(sed -n 's/^  server_name \([^ ;]*\).*;$/\1/p' "$dest$nginx_site")
[[ -n $server_name ]] || fail "no server_name in the installed site"
curl -sS -o /dev/null -D "$tmp/h" "http://127.0.0.1:$http_port/profile?x=1"
[[ $(status) == 308 ]] || fail "http:// answered $(status), not 308"
[[ $(header Location) == "https://$server_name/profile?x=1" ]] || fail "http:// redirected to '$(header Location)'"
# a Host of the client's choice is never reflected (that would be an open redirect)
curl -sS -o /dev/null -D "$tmp/h" -H "Host: evil.example" "http://127.0.0.1:$http_port/x?y=1"
[[ $(status) == 308 && $(header Location) == "https://$server_name/x?y=1" ]] ||
  fail "with Host: evil.example, http:// answered $(status) with Location '$(header Location)'"
curl -sS -o /dev/null -D "$tmp/h" --http1.0 -H "Host:" "http://127.0.0.1:$http_port/"
[[ $(header Location) == "https://$server_name/" ]] || fail "without a Host, http:// redirected to '$(header Location)'"
ok "http redirects to https://$server_name (308), path and query kept, whatever the Host header"

# --- TLS: versions, HTTP/2 ---------------------------------------------------------------------
version=$(site -o /dev/null -w '%{http_version}' --http2 "$base/")
[[ $version == 2 ]] || fail "HTTP/2 was not negotiated (got HTTP/$version)"
site -o /dev/null --tlsv1.3 "$base/" || fail "TLS 1.3 refused"
site -o /dev/null --tlsv1.2 --tls-max 1.2 "$base/" || fail "TLS 1.2 refused"
if site -o /dev/null --tlsv1.1 --tls-max 1.1 "$base/" 2>/dev/null; then fail "TLS 1.1 accepted"; fi
# a TLS 1.2 suite outside Mozilla's intermediate list (no forward secrecy) is refused
if echo | openssl s_client -connect "127.0.0.1:$https_port" -tls1_2 -cipher AES128-GCM-SHA256 \
  >/dev/null 2>&1; then fail "the non-ECDHE suite AES128-GCM-SHA256 was accepted"; fi
ok "TLS 1.2 and 1.3 only, ECDHE suites only, HTTP/2"

# --- the home page and the security headers ----------------------------------------------------
body=$(site "$base/")
[[ $(status) == 200 ]] || fail "/ answered $(status)"
grep -q "Welcome to userdesk" <<<"$body" || fail "/ is not the home page"
[[ $(header Strict-Transport-Security) == "max-age=63072000; includeSubDomains" ]] ||
  fail "HSTS is '$(header Strict-Transport-Security)'"
csp=$(header Content-Security-Policy)
[[ $csp == *"default-src 'self'"* && $csp == *"frame-ancestors 'none'"* ]] || fail "CSP is '$csp'"
[[ $csp != *unsafe-inline* ]] || fail "CSP allows inline script: '$csp'"
[[ $(header X-Content-Type-Options) == nosniff ]] || fail "no X-Content-Type-Options: nosniff"
[[ $(header Referrer-Policy) == strict-origin-when-cross-origin ]] || fail "Referrer-Policy is '$(header Referrer-Policy)'"
id=$(header X-Request-Id)
[[ -n $id ]] || fail "no X-Request-Id"
grep -q "id=$id\$" "$tmp/logs/home.log" || fail "the home responder did not log request id $id"
[[ $(header Server) == nginx ]] || fail "Server header shows a version: '$(header Server)'"
ok "home page over https with HSTS, CSP, nosniff, Referrer-Policy; request id reaches the responder"

# --- FastCGI keep-conn: nginx's connection to a responder stays open between requests ----------
if command -v ss >/dev/null; then
  for _ in 1 2 3; do site -o /dev/null "$base/"; done
  # the responder's end of an accepted connection shows the socket's path as its address
  kept=$(ss -xH state established 2>/dev/null | grep -c " $tmp/run/home.sock " || true)
  ((kept > 0)) || fail "no FastCGI connection to home stayed open after the requests (keep-conn)"
  ok "FastCGI keep-conn: $kept connection(s) to home stay open between requests"
fi

# --- static files: long cache, headers kept; a missing one gets the app's 404 --------------------
site -o /dev/null "$base/static/style.css"
[[ $(status) == 200 ]] || fail "/static/style.css answered $(status)"
[[ $(header Cache-Control) == "max-age=2592000" ]] || fail "static Cache-Control is '$(header Cache-Control)'"
[[ -n $(header Content-Security-Policy) && -n $(header Strict-Transport-Security) ]] ||
  fail "static files lost the security headers"
body=$(site "$base/static/nope.css")
[[ $(status) == 404 ]] || fail "a missing static file answered $(status)"
grep -q "Page not found" <<<"$body" || fail "a missing static file did not get the app's 404 page"
ok "static files cached 30 days with the security headers; missing ones get the app's 404"

# --- the operator's endpoints: loopback and the allow-list only ---------------------------------
# The site includes the operator's files of allow lines (render_nginx points it at
# $tmp/nginx/ops-allow.d); 127.0.0.3 is listed there, 127.0.0.2 is not. Linux routes all of
# 127/8 to lo, so a client bound to 127.0.0.2 reaches nginx with that source address.
echo "allow 127.0.0.3;" >"$tmp/nginx/ops-allow.d/test.conf"
# A reload starts new workers and lets the old ones finish: until they have left, a connection
# may still reach one of them, with the list as it was. So the checks wait for them to go.
nginx_master=$(cat "$tmp/run/nginx.pid")
old_workers=$(pgrep -P "$nginx_master" | tr '\n' ' ')
kill -HUP "$nginx_master"
wait_for 10 "nginx's old workers to leave after the reload" \
  bash -c "for p in $old_workers; do kill -0 \$p 2>/dev/null && exit 1; done; exit 0"
ops_status() { # <source address> <path>
  curl -s -o /dev/null -w '%{http_code}' --interface "$1" --cacert "$tmp/tls/fullchain.pem" "$base$2"
}
wait_for 5 "the allow-list reloaded" bash -c "[[ \$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.3 --cacert '$tmp/tls/fullchain.pem' '$base/-/health/home') == 200 ]]"
for name in home auth; do
  for kind in health ready metrics; do
    [[ $(ops_status 127.0.0.1 "/-/$kind/$name") == 200 ]] || fail "/-/$kind/$name from loopback: $(ops_status 127.0.0.1 "/-/$kind/$name")"
    [[ $(ops_status 127.0.0.3 "/-/$kind/$name") == 200 ]] || fail "/-/$kind/$name from the allow-list: $(ops_status 127.0.0.3 "/-/$kind/$name")"
    [[ $(ops_status 127.0.0.2 "/-/$kind/$name") == 403 ]] || fail "/-/$kind/$name from 127.0.0.2 not refused: $(ops_status 127.0.0.2 "/-/$kind/$name")"
  done
done
[[ $(ops_status 127.0.0.1 /-/health/nobody) == 404 ]] || fail "/-/health/nobody is not a 404"
grep -q '"status":"ready"' <<<"$(curl -s --cacert "$tmp/tls/fullchain.pem" "$base/-/ready/auth")" ||
  fail "auth not ready against mini-okta: $(curl -s --cacert "$tmp/tls/fullchain.pem" "$base/-/ready/auth")"
! grep -q '/-/' "$tmp/logs/userdesk.access.log" || fail "/-/ requests reached the access log"
ok "/-/health, /-/ready and /-/metrics: 200 from loopback and the allow-list, 403 from elsewhere, not logged"

# --- the request-body cap ----------------------------------------------------------------------
head -c 70000 /dev/zero | tr '\0' a >"$tmp/big"
body=$(site --http1.1 --data-binary @"$tmp/big" "$base/")
[[ $(status) == 413 ]] || fail "a 70 kB body answered $(status), not 413"
grep -q "too much to send" <<<"$body" || fail "the 413 answer is not the friendly page"
ok "bodies over 64k get 413 and the friendly page"

# --- sign-in, and the session cookie's attributes ------------------------------------------------
sign_in
for attribute in Secure HttpOnly "SameSite=Lax" "Path=/"; do
  grep -qi "; $attribute\(;\|$\)" <<<"$signin_cookie" || fail "the session cookie lacks $attribute: $signin_cookie"
done
if grep -qi "; Domain=" <<<"$signin_cookie"; then fail "a __Host- cookie must not have Domain: $signin_cookie"; fi
body=$(site "$base/")
grep -q "Signed in as" <<<"$body" && grep -q "Demo User" <<<"$body" ||
  fail "the home page after sign-in does not show the signed-in user"
[[ $(header Cache-Control) == *no-store* ]] || fail "a signed-in page is cacheable: '$(header Cache-Control)'"
ok "sign-in through mini-okta; __Host-userdesk_session is Secure, HttpOnly, SameSite=Lax, Path=/"

# --- the callback's code and state reach no log, whatever the path's spelling --------------------
code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$signin_callback")
state=$(sed -n 's/.*[?&]state=\([^&]*\).*/\1/p' <<<"$signin_callback")
[[ -n $code && -n $state ]] || fail "no code and state in the callback URL '$signin_callback'"
spellings=(//authorization-code/callback /%2Fauthorization-code/callback /./authorization-code/callback
  /%61uthorization-code/callback /AUTHORIZATION-code/callback)
lines_before=$(wc -l <"$tmp/logs/userdesk.access.log")
for path in "${spellings[@]}"; do
  curl -sS -o /dev/null --path-as-is --cacert "$tmp/tls/fullchain.pem" \
    "$base$path?code=DeployCode$RANDOM&state=DeployState$RANDOM" || fail "$path: no answer"
done
# nginx writes an access line after its answer: wait for all of them
wait_for 5 "the access lines of the callbacks" \
  bash -c "(( \$(wc -l <'$tmp/logs/userdesk.access.log') >= $lines_before + ${#spellings[@]} ))"
for secret in "code=" "state=" "$code" "$state" DeployCode DeployState; do
  if grep -rqF -- "$secret" "$tmp/logs"; then fail "'$secret' reached a log: $(grep -rlF -- "$secret" "$tmp/logs")"; fi
done
ok "the callback's code and state are in no log (access, error, responders) in $((${#spellings[@]} + 1)) spellings of its path"

# --- rate limit on /login: 429 with the app's page; other paths unaffected -----------------------
limited=0
for _ in $(seq 40); do
  body=$(curl -sS --cacert "$tmp/tls/fullchain.pem" -D "$tmp/h" "$base/login")
  if [[ $(status) == 429 ]]; then limited=1 && break; fi
done
((limited)) || fail "40 quick /login requests were never limited"
grep -q "Too many requests" <<<"$body" || fail "the 429 answer is not the app's page"
[[ -n $(header Strict-Transport-Security) ]] || fail "the 429 page lost the security headers"
site -o /dev/null "$base/"
[[ $(status) == 200 ]] || fail "/ answered $(status) while /login was limited"
ok "/login is rate-limited per client (429 page); / is not"

# --- reload: SIGHUP while requests flow; an edited template shows, a broken one is refused -------
templates=$dest$share_dir/templates
(
  for _ in $(seq 150); do
    curl -s -o /dev/null -w '%{http_code}\n' --cacert "$tmp/tls/fullchain.pem" "$base/" || echo failed
  done >"$tmp/during-reload"
) &
load_pid=$!
sed -i 's|<h1>Welcome to userdesk</h1>|<h1>Welcome to the reloaded userdesk</h1>|' "$templates/home/index.mustache"
for _ in $(seq 5); do
  kill -HUP "${responder_pid[home]}"
  sleep 0.1
done
wait "$load_pid"
kill -0 "${responder_pid[home]}" || fail "the home responder died on SIGHUP"
bad=$(grep -cv '^200$' "$tmp/during-reload" || true)
((bad == 0)) || fail "$bad of 150 requests during reloads did not get 200: $(sort "$tmp/during-reload" | uniq -c)"
wait_for 5 "the reloaded page" bash -c "curl -s --cacert '$tmp/tls/fullchain.pem' '$base/' | grep -q 'the reloaded userdesk'"
ok "SIGHUP reloads templates; 150 requests during 5 reloads all answered 200"

# --- the half-open connections opened at the start: nginx has closed both -----------------------
closed_by_server() { # <fd>: true once the peer closed or reset it (EOF or an error, not a timeout)
  local rc=0
  read -r -t 0.2 -u "$1" _ || rc=$?
  ((rc != 0 && rc <= 128))
}
for fd in "$half_open_http" "$half_open_tls"; do
  until closed_by_server "$fd"; do
    ((SECONDS < half_open_since + header_timeout + 10)) ||
      fail "a half-open connection was still open $((SECONDS - half_open_since)) s after it started (client_header_timeout ${header_timeout}s)"
  done
done
ok "half-open connections (a header cut short, no TLS handshake) closed within client_header_timeout"

printf '{{#broken}}\n' >"$templates/home/index.mustache"
kill -HUP "${responder_pid[home]}"
wait_for 5 "the failed reload in the log" grep -q "reload failed; still serving" "$tmp/logs/home.log"
body=$(site "$base/")
[[ $(status) == 200 ]] && grep -q "the reloaded userdesk" <<<"$body" ||
  fail "after a broken template the previous one does not serve"
ok "a broken template on reload is logged and the previous templates keep serving"
