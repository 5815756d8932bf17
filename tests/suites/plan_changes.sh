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

# Destroy against a template: the plan of an empty stack against the
# template of a stack that CloudFormation deployed (tests/apply/balancer.infra,
# create-stack into moto), run step by step with boto3 (tests/tools/run_plan.py,
# as an executor other than infrac would). CloudFormation named the target
# group and the balancer itself ("lbstack-AppTargetGr-1X2Y3Z"): they are found
# through the stack (DescribeStackResource), not by a guessed name, and deleted.
# The alias record of webapp is deleted with the balancer's address read by
# its ARN.
printf 'stack webapp {\n  region = "ap-northeast-1"\n}\n' >"$T/empty.infra"
"$INFRAC" plan --format=json "$T/empty.infra" --against "$T/webapp.json" >"$T/destroy.json" 2>"$T/err"
check "destroy of webapp against its template: the balancer and the target group through the stack, the address by the ARN" \
  "DescribeLoadBalancers:LoadBalancerArns DescribeStackResource:LogicalResourceId,StackName" \
  "$(python3 -c '
import json, sys
steps = json.load(open(sys.argv[1]))["steps"]
print(" ".join(sorted({s["operation"] + ":" + ",".join(sorted(s["params"])) for s in steps
                       if s["logical_id"] in ("ApiTgTargetGroup", "ApiAlbLoadBalancer", "ApiDnsRecordSet")
                       and s["operation"].startswith("Describe")})))' "$T/destroy.json" 2>&1)"
need_python moto.server boto3 && need_aws_cli || exit 0
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=ap-northeast-1 AWS_PAGER=""
start_moto
"$INFRAC" build tests/apply/balancer.infra -o "$T/lb.json" 2>"$T/err" || bad "build balancer.infra" "$T/err"
create_stack "destroy against a template" lbstack "$T/lb.json" CAPABILITY_IAM || exit 0
printf 'stack lbstack {\n  region = "ap-northeast-1"\n}\n' >"$T/lbempty.infra"
"$INFRAC" plan --format=json "$T/lbempty.infra" --against "$T/lb.json" >"$T/lbdestroy.json" 2>"$T/err"
if python3 tests/tools/run_plan.py "$T/lbdestroy.json" "$URL" >"$T/run" 2>&1; then
  ok "destroy against a template: every step runs"; else bad "destroy against a template: every step runs" "$T/run"; fi
check "destroy against a template: the target group, found through the stack" \
  "$(awsq cloudformation describe-stack-resource --stack-name lbstack --logical-resource-id AppTargetGroup \
     --query StackResourceDetail.PhysicalResourceId)" "$(sed -n 's/^was\.AppTargetGroup\.arn=//p' "$T/run")"
check "destroy against a template: nothing is left" "lb= tg= vpc=" \
  "lb=$(awsq elbv2 describe-load-balancers --query 'LoadBalancers[].LoadBalancerName') tg=$(awsq elbv2 describe-target-groups --query 'TargetGroups[].TargetGroupName') vpc=$(awsq ec2 describe-vpcs --filters Name=cidr,Values=10.50.0.0/16 --query 'Vpcs[].VpcId')"
