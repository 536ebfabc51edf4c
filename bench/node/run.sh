#!/usr/bin/env bash
# Starts the Node baseline for bench/run.sh against a running dev stack's mini-okta, signed in:
#   bench/node/run.sh STACK_ENV PORT OUT_DIR
# STACK_ENV is the dev stack's .env (its HOST_URL is replaced by http://127.0.0.1:PORT). The
# stack's mini-okta learns the app's redirect URI (stopped with SIGUSR1 to its launcher, data file
# edited, started with SIGUSR2). Writes OUT_DIR/pid, OUT_DIR/cookie ("Cookie: ..." for wrk).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
stack_env=$1 port=$2 out=$3
stack_dir=$(dirname "$stack_env")
mkdir -p "$out"
[[ $here/node_modules/.package-lock.json -nt $here/package-lock.json ]] ||
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
host_url=http://127.0.0.1:$port
sed "s|^HOST_URL=.*|HOST_URL=$host_url|" "$stack_env" >"$out/.env"
org_url=$(grep '^ORG_URL=' "$stack_env" | cut -d= -f2-)

# the app's callback added to the stack's client in mini-okta's data file, and PKCE made optional
# for it, as Okta's default for a web app (oidc-middleware does not send a challenge)
launcher=$(pgrep -f "scripts/run.sh" | while read -r p; do
  tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "USERDESK_RUN_DIR=$stack_dir" && echo "$p" || true; done | head -n 1)
[[ -n $launcher ]] || { echo "no launcher runs $stack_dir" >&2; exit 1; }
kill -USR1 "$launcher"
for _ in $(seq 50); do curl -s -o /dev/null "$org_url/.well-known/openid-configuration" || break; sleep 0.1; done
node -e '
  const fs = require("fs"), file = process.argv[1], uri = process.argv[2]
  const data = JSON.parse(fs.readFileSync(file, "utf8"))
  for (const c of data.clients) {
    if (!c.redirect_uris.includes(uri)) c.redirect_uris.push(uri)
    c.pkce_required = false  // @okta/oidc-middleware sends no PKCE challenge
  }
  fs.writeFileSync(file, JSON.stringify(data))' "$stack_dir/mini-okta.json" "$host_url/authorization-code/callback"
kill -USR2 "$launcher"
for _ in $(seq 100); do curl -sf -o /dev/null "$org_url/.well-known/openid-configuration" && break; sleep 0.1; done

NODE_ENV=production USERDESK_ENV_FILE=$out/.env PORT=$port node "$here/app.js" >"$out/node.log" 2>&1 &
echo $! >"$out/pid"
for _ in $(seq 100); do curl -s -o /dev/null "$host_url/" && break; sleep 0.1; done

# the demo user's sign-in, as a browser does it: /login, mini-okta's form, the callback
jar=$out/jar
authorize=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' "$host_url/login")
request_id=$(curl -s -c "$jar" -b "$jar" "$authorize" | grep -o 'name="request_id" value="[^"]*"' | cut -d'"' -f4)
callback=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' -H "Origin: $org_url" \
  --data-urlencode "request_id=$request_id" --data-urlencode "username=demo@example.com" \
  --data-urlencode "password=$(tr -d '\n' <"$stack_dir/demo-password")" "$org_url/login/signin")
curl -s -c "$jar" -b "$jar" -o /dev/null "$callback"
status=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$host_url/dashboard")
[[ $status == 200 ]] || { echo "the Node app's dashboard answered $status after sign-in" >&2; cat "$out/node.log" >&2; exit 1; }
echo "Cookie: $(awk '$6 == "connect.sid" {print "connect.sid=" $7}' "$jar")" >"$out/cookie"
