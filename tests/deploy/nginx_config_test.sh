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
