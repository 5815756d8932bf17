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
