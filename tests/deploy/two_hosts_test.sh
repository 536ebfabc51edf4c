#!/usr/bin/env bash
# Scaling out: two sets of responders ("hosts" a and b: own sockets, own env file, the same
# APP_SECRET) behind one nginx whose upstreams name both (round-robin, nginx's default). A real
# sign-in through mini-okta crosses hosts (the sign-in attempt's cookie made by one, taken by the
# other), the signed-in page is then served by both, and sign-out with the CSRF token of a page
# from one host is accepted by the other. Substitutions as in the smoke test, plus the second
# server line in each upstream.
source "$(dirname "$0")/lib.sh"
need nginx spawn-fcgi openssl curl

install_tree
make_cert
free_port http_port
free_port https_port
start_mini_okta "$tmp/a.env"
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

sign_in
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
site -o /dev/null -H "Origin: $base" --data-urlencode "csrf=$csrf" "$base/logout"
logout_host=$(answered_by auth "$(header X-Request-Id)" .a .b)
[[ $logout_host != "$page_host" ]] || fail "sign-out went to the page's host $page_host"
[[ $(status) == 302 || $(status) == 303 ]] || fail "sign-out on host $logout_host answered $(status)"
grep -qi '^set-cookie: __Host-userdesk_session=' "$tmp/h" ||
  fail "sign-out on host $logout_host did not clear the session cookie"
body=$(site "$base/")
if grep -q "Demo User" <<<"$body"; then fail "still signed in after sign-out"; fi
ok "sign-out on host $logout_host with the CSRF token of a page from host $page_host"
