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
KNOWN=""
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

# A name is a create-only property: a cluster and an instance profile whose
# names change are replaced, the new made first (the names do not collide),
# what uses them (the instance's profile association and UserData, the
# service) moved to the new, and the old deleted last, each after those.
"$INFRAC" build examples/webapp.infra -o "$T/webapp.json" 2>"$T/err" || bad "build webapp" "$T/err"
python3 - "$T/webapp.json" "$T/renamed.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t['Resources']['ApiClusterCluster']['Properties']['ClusterName'] = 'old-cluster'
t['Resources']['EcsInstanceInstanceProfile']['Properties']['InstanceProfileName'] = 'old-profile'
json.dump(t, open(sys.argv[2], 'w'))
PY
"$INFRAC" plan examples/webapp.infra --against "$T/renamed.json" >"$T/renamed.txt" 2>/dev/null
for want in '-/+ EcsInstanceInstanceProfile' '- InstanceProfileName: "old-profile" => (none)  # forces replacement' \
  '-/+ ApiClusterCluster' '- ClusterName: "old-cluster" => (none)  # forces replacement' \
  '~ UserData: (known after apply)  # stops and starts it'; do
  if grep -qF -- "$want" "$T/renamed.txt"; then ok "text plan of the renames: $want"
  else bad "text plan of the renames: $want" "$T/renamed.txt"; fi
done
if "$INFRAC" plan --format=json examples/webapp.infra --against "$T/renamed.json" >"$T/renamed.plan.json" 2>"$T/err" &&
  python3 tests/tools/plan_validate.py "$T/renamed.plan.json" >"$T/v" 2>&1 &&
  python3 - "$T/renamed.plan.json" >"$T/order" 2>&1 <<'PY'
import json, sys
steps = json.load(open(sys.argv[1]))['steps']
by_op = {}
for s in steps:
    by_op.setdefault(s['operation'], []).append(s)
deps = {s['id']: set(s['depends_on']) for s in steps}
def after(a, b):  # step a waits (transitively) for step b
    seen, todo = set(), [a]
    while todo:
        for d in deps[todo.pop()] - seen:
            seen.add(d)
            todo.append(d)
    return b in seen
one = lambda op: by_op[op][0]['id']
want = [('DeleteCluster', 'CreateCluster'), ('DeleteCluster', 'StartInstances'),
        ('DeleteCluster', 'CreateService'), ('DeleteInstanceProfile', 'ReplaceIamInstanceProfileAssociation'),
        ('ReplaceIamInstanceProfileAssociation', 'AddRoleToInstanceProfile'),
        ('ModifyInstanceAttribute', 'StopInstances'), ('StartInstances', 'ModifyInstanceAttribute'),
        ('ModifyInstanceAttribute', 'CreateCluster')]
bad = ['%s does not wait for %s' % w for w in want if not after(one(w[0]), one(w[1]))]
print('\n'.join(bad))
sys.exit(1 if bad else 0)
PY
then ok "JSON plan of the renames: new first, old last, in a valid order"
else cat "$T/err" "$T/v" "$T/order" >"$T/d" 2>/dev/null; bad "JSON plan of the renames: new first, old last, in a valid order" "$T/d"; fi
