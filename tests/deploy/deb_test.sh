#!/usr/bin/env bash
# The .deb: cpack from this build into a temporary dir, then its control data and file list.
# This build's install prefix is what gets packaged (`make deb` configures /usr); the checks are
# relative to it. lintian runs too when it is installed (errors fail, warnings are printed).
source "$(dirname "$0")/lib.sh"
need cpack dpkg-deb dpkg-shlibdeps
[[ -f $build_dir/CPackConfig.cmake ]] || fail "no CPackConfig.cmake in $build_dir"
read -r -a responder_list <<<"$responders"

cpack --config "$build_dir/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 ||
  fail "cpack failed: $(tail -n 20 "$tmp/cpack.log")"
deb=$(find "$tmp/pkg" -maxdepth 1 -name 'userdesk_*.deb' | head -n 1)
[[ -n $deb ]] || fail "cpack made no userdesk_*.deb: $(ls "$tmp/pkg")"
ok "built $(basename "$deb")"

info=$(dpkg-deb -I "$deb")
depends=$(dpkg-deb -f "$deb" Depends)
for dep in adduser nginx systemd libfcgi libcurl libssl3 libsqlite3 libhiredis libprometheus-cpp-core; do
  [[ $depends == *"$dep"* ]] || fail "Depends lacks $dep: $depends"
done
# the Redis client library only: one host runs on its SQLite file, with no Redis server anywhere
[[ $depends != *redis-server* ]] || fail "Depends names redis-server: $depends"
for script in postinst prerm postrm conffiles; do
  grep -Eq " $script( |$)" <<<"$info" || fail "the control archive has no $script"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -x -C "$tmp" ./conffiles ./postinst
grep -qx "$nginx_site" "$tmp/conffiles" || fail "the nginx site is not a conffile"
grep -qx "$conf_dir/userdesk.env.example" "$tmp/conffiles" || fail "the env example is not a conffile"
grep -q "adduser --system" "$tmp/postinst" || fail "postinst does not create the system user"
if grep -Eq "systemctl (start|enable|restart) " "$tmp/postinst"; then
  fail "postinst starts or enables something before the env file is written"
fi
ok "Depends: $depends; conffiles; postinst creates the user and starts nothing"

dpkg-deb -c "$deb" >"$tmp/listing"
awk '{ print $1, $6 }' "$tmp/listing" | sed 's|^\(\S*\) \./|\1 /|' >"$tmp/files"
has() { # <mode regex> <path>
  grep -Eq "^$1 $2\$" "$tmp/files" || fail "the package lacks $2 (mode $1): $(grep -F "$2" "$tmp/files" || true)"
}
has '-rwxr-xr-x' "$libexec_dir/userdesk-responder"
for name in "${responder_list[@]}"; do  # links to it, by which it runs as that responder
  has 'lrwxrwxrwx' "$libexec_dir/userdesk-$name"
  grep -q " \./${libexec_dir#/}/userdesk-$name -> userdesk-responder\$" "$tmp/listing" ||
    fail "$libexec_dir/userdesk-$name is not a link to userdesk-responder"
done
has '-rwxr-xr-x' "$bin_dir/mini-okta"
has '-rwxr-xr-x' "$bin_dir/userdesk-admin"
has '-rw-r--r--' "$share_dir/templates/layout.mustache"
has '-rw-r--r--' "$share_dir/static/style.css"
has '-rw-r--r--' "$share_dir/static/errors/429.html"
has '-rw-r--r--' "$nginx_site"
has '-rw-r-----' "$conf_dir/userdesk.env.example"
for unit in userdesk@.service userdesk@.socket userdesk.target; do has '-rw-r--r--' "$unit_dir/$unit"; done
has '-rw-r--r--' "$prefix/share/doc/userdesk/deploy.md"
if grep -q "$conf_dir/userdesk.env\$" "$tmp/files"; then fail "the package ships a real env file"; fi
strays=$(awk '{print $2}' "$tmp/files" | grep -v -e '/$' |
  grep -v -e "^$libexec_dir/" -e "^$bin_dir/mini-okta\$" -e "^$bin_dir/userdesk-admin\$" \
    -e "^$share_dir/" -e "^$prefix/share/doc/userdesk/" \
    -e "^$conf_dir/" -e "^$nginx_site\$" -e "^$unit_dir/userdesk" || true)
[[ -z $strays ]] || fail "unexpected files in the package: $strays"
ok "file list: responders ($responders), mini-okta, userdesk-admin, templates, static, site, units, env example 0640"
[[ $prefix == /usr ]] || echo "note: this build packages for $prefix; make deb configures /usr"

if [[ $prefix != /usr ]]; then
  # lintian rightly refuses any package with files in /usr/local; `make deb` is the real one
  echo "note: lintian skipped: this build's prefix is $prefix, not /usr"
elif command -v lintian >/dev/null; then
  lintian --tag-display-limit 0 "$deb" >"$tmp/lintian.out" 2>&1 || true
  cat "$tmp/lintian.out"
  if grep -q '^E: ' "$tmp/lintian.out"; then fail "lintian reported errors"; fi
  ok "lintian: no errors"
else
  echo "note: lintian is not installed; skipped that part"
fi
