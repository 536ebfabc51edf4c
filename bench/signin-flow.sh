#!/usr/bin/env bash
# One full sign-in as a browser makes it, for bench/run.sh's sign-in scenario: userdesk's /login,
# the provider's sign-in form, its POST, the callback (code exchange, ID token checked, session
# cookie) and the dashboard it lands on. Prints "<dashboard status> <milliseconds>"; with
# COOKIE_OUT=file, also writes the session's "Cookie: userdesk_session=..." header there.
#   bench/signin-flow.sh HOST_URL ORG_URL USERNAME PASSWORD
set -uo pipefail
host_url=$1 org_url=$2 username=$3 password=$4
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
start=${EPOCHREALTIME/[.,]/}
c() { curl -s -c "$jar" -b "$jar" "$@"; }
authorize=$(c -o /dev/null -w '%{redirect_url}' "$host_url/login")
request_id=$(c "$authorize" | grep -o 'name="request_id" value="[^"]*"' | cut -d'"' -f4)
callback=$(c -o /dev/null -w '%{redirect_url}' -H "Origin: $org_url" \
  --data-urlencode "request_id=$request_id" --data-urlencode "username=$username" \
  --data-urlencode "password=$password" "$org_url/login/signin")
landing=$(c -o /dev/null -w '%{redirect_url}' "$callback")
status=$(c -o /dev/null -w '%{http_code}' "${landing:-$host_url/dashboard}")
end=${EPOCHREALTIME/[.,]/}
if [[ -n ${COOKIE_OUT:-} ]]; then
  awk '$6 == "userdesk_session" { print "Cookie: userdesk_session=" $7 }' "$jar" >"$COOKIE_OUT"
fi
echo "$status $(((end - start) / 1000))"
