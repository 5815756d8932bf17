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
# no API call updates these properties in place yet (text plan: update)
KNOWN="rename:fargate:IgwInternetGateway rename:network:IgwInternetGateway 
rename:webapp-ha:EcsInstanceRole rename:webapp-ha:IgwInternetGateway 
rename:webapp-loops:ApiClusterCluster rename:webapp-loops:EcsInstanceInstanceProfile 
rename:webapp-loops:EcsInstanceRole rename:webapp-loops:IgwInternetGateway 
rename:webapp-loops:WebSecurityGroup rename:webapp:ApiClusterCluster 
rename:webapp:EcsInstanceInstanceProfile rename:webapp:EcsInstanceRole 
rename:webapp:IgwInternetGateway rename:webapp:WebSecurityGroup 
replace:webapp-loops:WebSecurityGroup replace:webapp:WebSecurityGroup 
update:fargate:ApiCertCertificate update:fargate:ExampleHostedZone 
update:fargate:IgwAttachment update:fargate:NatAEip update:fargate:NatBEip 
update:fargate:OrdersAppRole update:fargate:OrdersClusterCluster 
update:fargate:OrdersExecutionRole update:fargate:OrdersTaskTaskDefinition 
update:network:IgwAttachment update:queue-worker:WorkerRoleRole 
update:static-site:SiteCertCertificate update:static-site:SiteZoneHostedZone 
update:webapp-ha:ApiCertCertificate update:webapp-ha:ApiClusterCluster 
update:webapp-ha:ApiTaskTaskDefinition update:webapp-ha:EcsInstanceInstanceProfile 
update:webapp-ha:EcsInstanceRole update:webapp-ha:EcsTaskExecutionRole 
update:webapp-ha:IgwAttachment update:webapp-ha:NatAEip update:webapp-ha:NatCEip 
update:webapp-ha:NatDEip update:webapp-loops:ApiCertCertificate 
update:webapp-loops:ApiClusterCluster update:webapp-loops:ApiHostInstance 
update:webapp-loops:ApiIpEip update:webapp-loops:ApiTaskTaskDefinition 
update:webapp-loops:EcsInstanceInstanceProfile update:webapp-loops:EcsInstanceRole 
update:webapp-loops:EcsTaskExecutionRole update:webapp-loops:ExampleHostedZone 
update:webapp-loops:IgwAttachment update:webapp-loops:NatEip update:webapp:ApiCertCertificate 
update:webapp:ApiClusterCluster update:webapp:ApiHostInstance update:webapp:ApiIpEip 
update:webapp:ApiTaskTaskDefinition update:webapp:EcsInstanceInstanceProfile 
update:webapp:EcsInstanceRole update:webapp:EcsTaskExecutionRole 
update:webapp:ExampleHostedZone update:webapp:IgwAttachment update:webapp:NatEip"
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
