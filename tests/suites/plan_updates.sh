# Every in-place update the native rows of backends/apiplan_types.c can make:
# for each property an update group holds and each resource of the examples
# that sets it, the example is planned against its own template with that one
# property changed (tests/tools/update_each.py); the text and JSON plans must
# both succeed, update the resource in place, and pass plan_validate.py.
# KNOWN lists the cases that fail today, with why: each must still fail (a
# case that starts to pass is removed from the list, so it cannot go stale).
. tests/lib.sh
need_python botocore cfnlint || exit 0
KNOWN=""
known() { printf '%s\n' $KNOWN | grep -qx "$1:$2"; }
mkdir "$T/plans"
python3 tests/tools/update_each.py "$INFRAC" "$T/plans" backends/apiplan_types.c examples/*.infra \
  >"$T/cases" 2>&1
n=0
while read -r word example rest; do
  case "$word" in
    ok) ok "$example $rest"; n=$((n + 1)) ;;
    FAIL)
      logical=${rest%%.*}
      if known "$example" "$logical"; then ok "known gap: $example ${rest%%:*}"
      else echo "FAIL $example $rest"; fi ;;
    *) ;;
  esac
done <"$T/cases"
for gap in $KNOWN; do
  if ! grep -q "^FAIL ${gap%%:*} ${gap#*:}\." "$T/cases"; then
    echo "FAIL known gap $gap now passes: remove it from KNOWN"; fi
done
if [ "$n" -ge 60 ]; then ok "$n in-place updates planned"; else bad "only $n in-place updates planned" "$T/cases"; fi
if python3 tests/tools/plan_validate.py "$T"/plans/*.plan.json >"$T/v" 2>&1; then
  ok "plan_validate: every update plan"; else grep -v ': 0 errors' "$T/v" >"$T/d"; bad "plan_validate: every update plan" "$T/d"; fi

# What no call updates in place, though the schemas call it updatable
# (apiplan_types.c's replaced_by): an address's Domain, a service's
# LaunchType. Both plans replace the resource; the JSON plan validates.
"$INFRAC" build examples/webapp.infra -o "$T/webapp.json" 2>"$T/err" || bad "build webapp" "$T/err"
python3 - "$T/webapp.json" "$T/replaced.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t['Resources']['NatEip']['Properties']['Domain'] = 'standard'
t['Resources']['ApiService']['Properties']['LaunchType'] = 'FARGATE'
json.dump(t, open(sys.argv[2], 'w'))
PY
"$INFRAC" plan examples/webapp.infra --against "$T/replaced.json" >"$T/replaced.txt" 2>/dev/null
for prop in Domain LaunchType; do
  if grep -q "~ $prop: .*# forces replacement" "$T/replaced.txt"; then ok "text plan: $prop forces replacement"
  else bad "text plan: $prop forces replacement" "$T/replaced.txt"; fi
done
if "$INFRAC" plan --format=json examples/webapp.infra --against "$T/replaced.json" >"$T/replaced.plan.json" 2>"$T/err" &&
  python3 -c '
import json, sys
acts = {(c["logical_id"], c["action"]) for c in json.load(open(sys.argv[1]))["changes"]}
sys.exit(not {("NatEip", "replace"), ("ApiService", "replace")} <= acts)' "$T/replaced.plan.json" &&
  python3 tests/tools/plan_validate.py "$T/replaced.plan.json" >"$T/v" 2>&1; then
  ok "JSON plan: Domain and LaunchType replace, and validate"
else cat "$T/err" "$T/v" >"$T/d" 2>/dev/null; bad "JSON plan: Domain and LaunchType replace, and validate" "$T/d"; fi
