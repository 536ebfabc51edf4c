#!/usr/bin/env bash
# `nginx -t` on the installed production site, rendered for a temporary run with a throwaway
# self-signed certificate (lib.sh's render_nginx lists the substitutions), and the site's routes
# against nginx/routes.txt: one location per route of every installed responder, one upstream
# per responder (with keepalive), nothing else; and FastCGI keep-conn for the whole server.
source "$(dirname "$0")/lib.sh"
need nginx openssl

install_tree
make_cert
free_port http_port
free_port https_port
render_nginx
# shellcheck disable=SC2046
nginx $(nginx_args) -t >"$tmp/nginx-t.out" 2>&1 || fail "nginx -t rejected the site: $(cat "$tmp/nginx-t.out")"
grep -q "test is successful" "$tmp/nginx-t.out" || fail "nginx -t said: $(cat "$tmp/nginx-t.out")"
ok "nginx -t accepts the installed site"

site=$dest$nginx_site
expected=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$src_dir/nginx/routes.txt" | sed 's/#.*//' |
  while read -r name match; do
    if [[ " $responders " == *" $name "* ]]; then echo "location $match -> userdesk_$name"; fi
  done | sort)
actual=$(awk '/^  location / { m = $0; sub(/^  location /, "", m); sub(/ \{$/, "", m); at = NR }
              /^    fastcgi_pass userdesk_/ && NR == at + 1 && m !~ /^@/ { p = $2; sub(/;$/, "", p); print "location " m " -> " p }' \
  "$site" | sort)
[[ $expected == "$actual" ]] || fail "the site's routes differ from nginx/routes.txt:
expected:
$expected
installed:
$actual"
for name in "${responder_list[@]}"; do
  grep -q "^  server unix:/run/userdesk/$name.sock;" "$site" || fail "no upstream for $name"
  # keep-conn: each upstream caches idle FastCGI connections (the server line, then keepalive)
  upstream=$(sed -n "/^upstream userdesk_$name {/,/^}/p" "$site")
  grep -q "^  keepalive [1-9][0-9]*;$" <<<"$upstream" || fail "the upstream for $name has no keepalive: $upstream"
  grep -q "^Wants=userdesk@$name.socket userdesk@$name.service$" "$dest$unit_dir/userdesk.target" ||
    fail "userdesk.target does not want $name"
done
ok "routes, upstreams and userdesk.target cover every installed responder: $responders"

# FastCGI keep-conn: on for the whole server (every location inherits it), and none turns it off;
# without it nginx closes each connection after one request and the upstream keepalive is unused.
grep -q "^  fastcgi_keep_conn on;" "$site" || fail "the site does not set fastcgi_keep_conn on at server level"
if grep -q "fastcgi_keep_conn off" "$site"; then fail "a location turns fastcgi_keep_conn off"; fi
ok "fastcgi_keep_conn on, and every upstream keeps idle connections (keepalive)"

# ---- slow and greedy clients: the site's settings, mirrored by the dev stack -----------------
# Each directive once in the installed site and once in nginx/dev.conf.in, with the same value.
dev_conf=$src_dir/nginx/dev.conf.in
value_of() { # <file> <directive>: its value(s), one line per occurrence
  sed -n "s/^[[:space:]]*$2[[:space:]]\+\([^;]*\);.*/\1/p" "$1"
}
for directive in client_header_timeout client_body_timeout send_timeout keepalive_timeout \
  reset_timedout_connection limit_conn_zone limit_conn limit_conn_status limit_conn_log_level \
  fastcgi_buffer_size fastcgi_buffers; do
  prod=$(value_of "$site" "$directive")
  dev=$(value_of "$dev_conf" "$directive")
  [[ -n $prod && $prod != *$'\n'* ]] || fail "the site sets $directive not exactly once: '$prod'"
  [[ $dev == "$prod" ]] || fail "nginx/dev.conf.in sets $directive to '$dev', the site to '$prod'"
done
[[ $(value_of "$site" reset_timedout_connection) == on ]] || fail "reset_timedout_connection is not on"
[[ $(value_of "$site" limit_conn) == "userdesk_per_client "[1-9]* ]] ||
  fail "limit_conn is '$(value_of "$site" limit_conn)', not per client address"
ok "slow clients: timeouts, reset_timedout_connection, limit_conn and FastCGI buffers set, and the same in dev"

# What the site needs in nginx.conf (its header comment, docs/deploy.md's step, the stand-in
# nginx.conf the smoke test runs, dev.conf.in): the same worker_connections and
# worker_rlimit_nofile everywhere.
for line in "${main_conf_lines[@]}"; do
  grep -qF "\`$line\`" "$site" || fail "the site's header comment does not ask for '$line' in nginx.conf"
  grep -qF "$line" "$src_dir/docs/deploy.md" || fail "docs/deploy.md does not ask for '$line' in nginx.conf"
  grep -qF "$line" "$dev_conf" || fail "nginx/dev.conf.in does not set '$line'"
  grep -qF "$line" "$tmp/nginx/nginx.conf" || fail "the test's nginx.conf does not set '$line'"
done
ok "nginx.conf needs ${main_conf_lines[*]}: named by the site, docs/deploy.md and dev"

# ---- the redirect to https names the configured server, never the request's Host --------------
grep -q '^    return 308 https://\$server_name\$request_uri;$' "$site" ||
  fail "the http->https redirect does not go to \$server_name"
if grep -n 'return 30[0-9] [^;]*\$\(host\|http_host\)' "$site"; then fail "a redirect reflects the Host header"; fi
ok "http->https redirects to \$server_name"
