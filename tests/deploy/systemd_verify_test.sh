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

# A responder that dies (kill -9 is an "unclean signal") is started again by Restart=on-failure
# after RestartSec (systemd.service(5), the table under Restart=:
# https://www.freedesktop.org/software/systemd/man/systemd.service.html#Restart=), while its
# socket unit keeps the listening socket, so requests wait in the backlog meanwhile; exit 78
# (a configuration problem) is not restarted. scripts/run.sh does the same for the dev stack
# (tests/load kills responders under load there). systemd is not PID 1 where these tests run
# (a container), so this reads the installed unit as systemd does (the last assignment of a key
# wins) instead of killing a live service.
unit=$root$unit_dir/userdesk@.service
last() { sed -n "s/^$1=//p" "$unit" | tail -n 1; }
restart=$(last Restart)
[[ $restart == on-failure || $restart == always ]] ||
  fail "userdesk@.service: Restart=$restart does not restart a responder killed by a signal"
restart_sec=$(last RestartSec)
[[ $restart_sec =~ ^([0-9]+)s?$ ]] && ((BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= 5)) ||
  fail "userdesk@.service: RestartSec=$restart_sec (want 1-5 s: pages fail or wait meanwhile)"
[[ $(last RestartPreventExitStatus) == 78 ]] ||
  fail "userdesk@.service: exit 78 (bad configuration) must not be restarted in a loop"
grep -q '^Requires=userdesk@%i.socket$' "$unit" ||
  fail "userdesk@.service: no Requires= on its socket unit (the socket must outlive a restart)"
ok "userdesk@.service restarts a killed responder: Restart=$restart RestartSec=$restart_sec, not after exit 78"

for name in "${responder_list[@]}"; do
  # threshold is exposure x 10: fail above 2.0 ("OK" on systemd's scale)
  systemd-analyze security --offline=yes --root="$root" --threshold=20 "userdesk@$name.service" \
    >"$tmp/security.out" 2>&1 || fail "userdesk@$name.service exposure: $(tail -n 1 "$tmp/security.out")"
  ok "$(tail -n 1 "$tmp/security.out")"
done
