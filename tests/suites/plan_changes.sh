# plan --format=json never fails where the text plan succeeds, against a
# template (a stack CloudFormation deployed: no physical ID is known, the
# steps look them up at apply time). For every resource of every example,
# the example is planned against its own template changed one way (an
# update, a replacement, a rename, a deletion, a creation:
# tests/tools/change_each.py); every JSON plan must pass plan_validate.py.
# KNOWN lists the cases that fail today, with why: each must still fail (a
# case that starts to pass is removed from the list, so it cannot go stale).
. tests/lib.sh
need_python botocore cfnlint || exit 0
# No API call updates these in place yet, though the text plan says
# "update": a hosted zone's HostedZoneTags (ChangeTagsForResource wants the
# zone's ID without its /hostedzone/ prefix, which a capture cannot drop),
# an instance's IamInstanceProfile (an association to replace) and UserData
# (the instance must be stopped: a replacement, if anything).
KNOWN="update:fargate:ExampleHostedZone update:static-site:SiteZoneHostedZone
update:webapp:ExampleHostedZone update:webapp-loops:ExampleHostedZone
update:webapp:ApiHostInstance update:webapp-loops:ApiHostInstance
rename:webapp:EcsInstanceInstanceProfile rename:webapp-loops:EcsInstanceInstanceProfile
rename:webapp:ApiClusterCluster rename:webapp-loops:ApiClusterCluster"
known() { printf '%s\n' $KNOWN | grep -qx "$1"; }
mkdir "$T/plans"
python3 tests/tools/change_each.py "$INFRAC" "$T/plans" examples/*.infra >"$T/cases" 2>&1
n=0
while read -r word kind example logical; do
  logical=${logical%%:*}
  case "$word" in
    ok) n=$((n + 1)) ;;
    FAIL)
      if known "$kind:$example:$logical"; then ok "known gap: $kind $example $logical"
      else grep "^FAIL $kind $example $logical:" "$T/cases" >"$T/why"; bad "$kind $example $logical" "$T/why"; fi ;;
    skip) grep "^skip $kind $example $logical:" "$T/cases" >"$T/why"; bad "$kind $example $logical: the text plan fails" "$T/why" ;;
    *) echo "FAIL change_each.py: $word $kind $example $logical" ;;
  esac
done <"$T/cases"
for gap in $KNOWN; do
  set -- $(echo "$gap" | tr : ' ')
  if ! grep -q "^FAIL $1 $2 $3:" "$T/cases"; then echo "FAIL known gap $gap now passes: remove it from KNOWN"; fi
done
if [ "$n" -ge 900 ]; then ok "$n changed stacks planned as JSON"; else bad "only $n changed stacks planned as JSON" "$T/cases"; fi
if python3 tests/tools/plan_validate.py "$T"/plans/*.plan.json >"$T/v" 2>&1; then
  ok "plan_validate: every changed stack's plan"; else grep -v ': 0 errors' "$T/v" >"$T/d"; bad "plan_validate: every changed stack's plan" "$T/d"; fi
