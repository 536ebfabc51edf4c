#!/usr/bin/env bash
# systemd-analyze verify on the installed units, inside a root made from the DESTDIR install
# plus this machine's own unit tree (verify needs sysinit.target and friends, and checks that
# ExecStart's program exists, so the installed responders must be there). Any message fails:
# verify exits 0 on unknown keys and bad values, printing only a warning. Then the services'
# exposure score from `systemd-analyze security --offline`.
source "$(dirname "$0")/lib.sh"
command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed (package systemd)"
[[ -d /usr/lib/systemd/system ]] || skip "no /usr/lib/systemd/system unit tree to verify against"
probe=$(systemd-analyze verify --root=/ /dev/null 2>&1 || true)
install_tree
root=$dest
mkdir -p "$root/usr/lib/systemd" "$root/bin"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
cp /bin/kill "$root/bin/kill" # ExecReload's program
units=()
for name in "${responder_list[@]}"; do units+=("userdesk@$name.socket" "userdesk@$name.service"); done
units+=(userdesk.target)
out=$(systemd-analyze verify --root="$root" "${units[@]}" 2>&1) && rc=0 || rc=$?
if [[ $out == *"System has not been booted with systemd"* || $out == *"Failed to initialize manager"* ]]; then
  skip "systemd-analyze verify cannot run here: $out (probe: $probe)"
fi
((rc == 0)) && [[ -z $out ]] || fail "systemd-analyze verify (rc $rc): $out"
ok "systemd-analyze verify: ${units[*]}"

for name in "${responder_list[@]}"; do
  # threshold is exposure x 10: fail above 2.0 ("OK" on systemd's scale)
  systemd-analyze security --offline=yes --root="$root" --threshold=20 "userdesk@$name.service" \
    >"$tmp/security.out" 2>&1 || fail "userdesk@$name.service exposure: $(tail -n 1 "$tmp/security.out")"
  ok "$(tail -n 1 "$tmp/security.out")"
done
