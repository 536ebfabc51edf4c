#!/usr/bin/env bash
# The alert rules (ops/prometheus/userdesk-rules.yml): promtool accepts them (`check rules`),
# its unit tests of each alert pass (`test rules`), and every userdesk_ metric they and the
# Grafana dashboard (ops/grafana/) name is one the responders serve (src/lib/metrics/), so a renamed metric cannot leave an alert silently
# watching nothing. The checker itself must refuse a broken rule, or a pass would prove nothing.
# Usage: promtool_test.sh <source dir>
set -euo pipefail
src=${1:?usage: promtool_test.sh <source dir>}
rules=$src/ops/prometheus/userdesk-rules.yml
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
command -v promtool >/dev/null || fail "promtool is not installed (Debian package prometheus; make deps)"

promtool check rules "$rules" || fail "promtool check rules refused $rules"
(cd "$(dirname "$rules")" && promtool test rules userdesk-rules.test.yml) ||
  fail "the alert rules' unit tests failed"

# every userdesk_ series the rules and the Grafana dashboard use is registered by src/lib/metrics/
dashboard=$src/ops/grafana/userdesk-dashboard.json
python3 -m json.tool "$dashboard" >/dev/null || fail "$dashboard is not JSON"
for file in "$rules" "$dashboard"; do
  names=$(grep -o 'userdesk_[a-z_]*' "$file" | sed -E 's/_(bucket|count|sum)$//' | sort -u)
  [[ -n $names ]] || fail "no userdesk_ metric in $file"
  for name in $names; do
    grep -rqF "\"$name\"" "$src/src/lib/metrics/" || fail "$file uses $name, which no responder serves"
  done
done
names=$(grep -o 'userdesk_[a-z_]*' "$rules" | sort -u)

# the check can fail: the same file with one broken expression is refused
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/expr: up{job="userdesk"} == 0/expr: up{job="userdesk"} === 0/' "$rules" >"$tmp/broken.yml"
! cmp -s "$rules" "$tmp/broken.yml" || fail "could not break a copy of the rules (the up rule moved?)"
if promtool check rules "$tmp/broken.yml" >/dev/null 2>&1; then
  fail "promtool check rules accepted a broken expression: this test could not fail"
fi
echo "ok: $(wc -w <<<"$names") userdesk metrics in $(grep -c '^ *- alert:' "$rules") alerts, checked and tested"
