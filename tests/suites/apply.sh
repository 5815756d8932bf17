# infrac apply and destroy end to end against a moto server (an AWS API
# emulator) on a free loopback port, with the calls infrac signs itself: a
# network stack is created, checked with describe-* calls (of the AWS CLI),
# changed, interrupted and resumed, and destroyed; the same network through
# the AWS CLI (--via=aws-cli); credentials from a profile and from `aws
# configure export-credentials`; then the reference example as far as moto goes.
. tests/lib.sh
need_python moto.server || exit 0
need_aws_cli || exit 0
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=ap-northeast-1
# (moto's services run as many tasks as this: the reference example's two,
# so that its service is stable after an update)
export AWS_PAGER="" MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_ECS_SERVICE_RUNNING=2
start_moto
cd "$T" || exit 1
cp "$OLDPWD/tests/apply/net.infra" "$OLDPWD/tests/apply/net2.infra" "$OLDPWD/examples/webapp.infra" \
  "$OLDPWD/tests/apply/deletes.infra" "$OLDPWD/tests/apply/deletes2.infra" .

# The reference example goes first, in the background (moto holds its
# certificate 60 s before it is validated): as far as moto goes, the secret
# from the environment.
INFRAC_PARAM_db_password=Very-secret-1 "$BIN" apply webapp.infra --state webapp.state \
  --endpoint-url "$URL" --auto-approve >webapp.out 2>&1 &
webapp=$!


# 1. apply of the network: no AWS CLI on PATH, no call file in the
# temporary directory
mkdir calltmp nocli
for t in python3 sh; do ln -s "$(command -v $t)" nocli/$t; done
if PATH=$PWD/nocli TMPDIR=$PWD/calltmp "$BIN" apply net.infra --state net.state --endpoint-url "$URL" \
  --auto-approve >apply1.out 2>&1; then
  ok "apply net.infra (native, without the AWS CLI)"; else bad "apply net.infra (native, without the AWS CLI)" apply1.out; fi
check "the native path writes no file for its calls" "" "$(ls calltmp)"
vpc=$(awsq ec2 describe-vpcs --filters Name=cidr,Values=10.20.0.0/16 --query 'Vpcs[0].VpcId')
check "the VPC exists" "vpc-" "${vpc:0:4}"
check "subnets, CIDRs and zones" \
  "10.20.0.0/24 ap-northeast-1a 10.20.1.0/24 ap-northeast-1c 10.20.10.0/24 ap-northeast-1a 10.20.2.0/24 ap-northeast-1d" \
  "$(awsq ec2 describe-subnets --filters Name=vpc-id,Values="$vpc" --query 'Subnets[].[CidrBlock,AvailabilityZone]' | sort | tr '\t\n' '  ' | sed 's/ $//')"
igw=$(awsq ec2 describe-internet-gateways --filters Name=attachment.vpc-id,Values="$vpc" --query 'InternetGateways[0].InternetGatewayId')
check "the internet gateway is attached" "igw-" "${igw:0:4}"
check "the public default route goes to the gateway" "$igw" \
  "$(awsq ec2 describe-route-tables --filters Name=vpc-id,Values="$vpc" Name=route.destination-cidr-block,Values=0.0.0.0/0 --query "RouteTables[].Routes[?GatewayId=='$igw'].GatewayId" | head -1)"
nat=$(awsq ec2 describe-nat-gateways --filter Name=vpc-id,Values="$vpc" --query 'NatGateways[0].NatGatewayId')
check "the private default route goes to the NAT gateway" "$nat" \
  "$(awsq ec2 describe-route-tables --filters Name=vpc-id,Values="$vpc" --query "RouteTables[].Routes[?NatGatewayId=='$nat'].NatGatewayId" | head -1)"
check "the web group's rules" "443 443 80 80" \
  "$(awsq ec2 describe-security-groups --filters Name=vpc-id,Values="$vpc" Name=group-name,Values='net-web*' --query 'SecurityGroups[0].IpPermissions[].[FromPort,ToPort]' | sort | tr '\t\n' '  ' | sed 's/ $//')"
"$BIN" plan net.infra --against net.state >plan1.out 2>&1
check "a second plan has no changes" "No changes." "$(tail -1 plan1.out)"

# 2. the changed stack: a new subnet, a changed rule, no log group
cp net2.infra net.infra
"$BIN" plan --format=json net.infra --against net.state >plan2.json 2>&1
check "the change plan touches only what changed" \
  "create private_c update web delete app_logs" \
  "$(python3 -c 'import json; p = json.load(open("plan2.json")); print(" ".join(c["action"] + " " + c["resource"] for c in p["changes"] if c["action"] != "noop"))' 2>&1)"
if "$BIN" apply net.infra --state net.state --endpoint-url "$URL" --auto-approve >apply2.out 2>&1; then
  ok "apply the change"; else bad "apply the change" apply2.out; fi
check "the new subnet exists" "10.20.11.0/24" \
  "$(awsq ec2 describe-subnets --filters Name=vpc-id,Values="$vpc" Name=cidr-block,Values=10.20.11.0/24 --query 'Subnets[0].CidrBlock')"
check "the rule changed" "80 80 8443 8443" \
  "$(awsq ec2 describe-security-groups --filters Name=vpc-id,Values="$vpc" Name=group-name,Values='net-web*' --query 'SecurityGroups[0].IpPermissions[].[FromPort,ToPort]' | sort | tr '\t\n' '  ' | sed 's/ $//')"
check "the log group is gone" "" "$(awsq logs describe-log-groups --log-group-name-prefix net --query 'logGroups[].logGroupName')"
"$BIN" plan net.infra --against net.state >plan3.out 2>&1
check "then no changes" "No changes." "$(tail -1 plan3.out)"

# 3. an apply that fails midway, then resumes: an AWS CLI that refuses to
# create security groups once.
cat >failing-aws <<'SH'
#!/bin/sh
for a in "$@"; do [ "$a" = create-security-group ] && { echo "An error occurred (InjectedFault) when calling the CreateSecurityGroup operation: injected by the test" >&2; exit 254; }; done
exec aws "$@"
SH
chmod +x failing-aws
cat >net3.infra <<'EOF3'
stack net3 { region = "ap-northeast-1" }
vpc main { cidr = 10.30.0.0/16 }
subnet a { vpc = main  cidr = 10.30.0.0/24  az = "ap-northeast-1a" }
security_group web {
  vpc = main
  description = "HTTPS"
  ingress tcp 443 from 0.0.0.0/0
}
EOF3
INFRAC_AWS=$T/failing-aws "$BIN" apply net3.infra -j 1 --state net3.state --endpoint-url "$URL" --auto-approve >fail.out 2>&1
st=$?
if [ $st = 1 ] && grep -q 'InjectedFault' fail.out && grep -q 'declared at net3.infra:' fail.out; then
  ok "a failed step stops the apply, with the AWS error and the source"; else bad "a failed step stops the apply" fail.out; fi
"$BIN" plan net3.infra --against net3.state >left.out 2>&1
if grep -q '^+ WebSecurityGroup ' left.out && ! grep -q '^+ MainVpc ' left.out; then ok "plan against the state shows only what is left"; else
  bad "plan against the state shows only what is left" left.out; fi
if "$BIN" apply net3.infra --state net3.state --endpoint-url "$URL" --auto-approve >resume.out 2>&1; then
  ok "apply resumes"; else bad "apply resumes" resume.out; fi
check "after the resume, one VPC of net3" "1" \
  "$(awsq ec2 describe-vpcs --filters Name=tag:Name,Values=net3-main --query 'length(Vpcs)')"
check "and its group" "443" \
  "$(awsq ec2 describe-security-groups --filters Name=group-name,Values='net3-web*' --query 'SecurityGroups[0].IpPermissions[0].FromPort')"

# 4. a saved plan: applied as planned, then refused once the state moved on
sed 's/ingress tcp 443 from 0.0.0.0\/0/ingress tcp 443 from 0.0.0.0\/0\n  ingress tcp 80 from 0.0.0.0\/0/' net3.infra >net3b.infra
mv net3b.infra net3.infra
"$BIN" plan --format=json net3.infra --against net3.state >saved.json 2>saved.err
if "$BIN" apply --plan saved.json --endpoint-url "$URL" --auto-approve >saved.out 2>&1; then
  ok "apply --plan runs a saved plan"; else bad "apply --plan runs a saved plan" saved.out; fi
check "the saved plan's rule exists" "443 80" \
  "$(awsq ec2 describe-security-groups --filters Name=group-name,Values='net3-web*' --query 'SecurityGroups[0].IpPermissions[].FromPort' | tr '\t' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
"$BIN" apply --plan saved.json --endpoint-url "$URL" --auto-approve >stale.out 2>&1
if [ $? = 1 ] && grep -q 'has changed since' stale.out; then ok "a saved plan whose state changed is refused"; else
  bad "a saved plan whose state changed is refused" stale.out; fi

# 5. without --auto-approve and without a terminal, apply refuses
sed 's/^stack net /stack net4 /' net.infra >net4.infra
"$BIN" apply net4.infra --state net4.state --endpoint-url "$URL" </dev/null >refuse.out 2>&1
if [ $? = 1 ] && grep -q 'auto-approve' refuse.out && [ ! -f net4.state ]; then ok "apply refuses without --auto-approve"; else
  bad "apply refuses without --auto-approve" refuse.out; fi

# 6. the same network (as changed in 2.) through the AWS CLI, one process per call; then a
# destroy through it too
sed 's/^stack net /stack netcli /; s/10\.20\./10.40./g' net.infra >netcli.infra
if "$BIN" apply netcli.infra --via=aws-cli --state netcli.state --endpoint-url "$URL" --auto-approve \
  >cli.out 2>&1; then ok "apply --via=aws-cli"; else bad "apply --via=aws-cli" cli.out; fi
vpc_cli=$(awsq ec2 describe-vpcs --filters Name=cidr,Values=10.40.0.0/16 --query 'Vpcs[0].VpcId')
check "--via=aws-cli: the VPC exists" "vpc-" "${vpc_cli:0:4}"
check "--via=aws-cli: its subnets (the changed network has five)" "5" \
  "$(awsq ec2 describe-subnets --filters Name=vpc-id,Values="$vpc_cli" --query 'length(Subnets)')"
"$BIN" plan netcli.infra --against netcli.state >plancli.out 2>&1
check "--via=aws-cli: then no changes" "No changes." "$(tail -1 plancli.out)"
if "$BIN" destroy --via=aws-cli --state netcli.state --endpoint-url "$URL" --auto-approve >dcli.out 2>&1; then
  ok "destroy --via=aws-cli"; else bad "destroy --via=aws-cli" dcli.out; fi
check "--via=aws-cli: no VPC is left" "" \
  "$(awsq ec2 describe-vpcs --filters Name=cidr,Values=10.40.0.0/16 --query 'Vpcs[].CidrBlock')"

# 7. credentials: a profile of the credentials file, named by --profile
# (the default profile has no secret, and no AWS CLI is there to ask); then
# `aws configure export-credentials` (a stand-in that says what it was
# asked), read from a pipe: the secret in no argument
cat >creds <<'INI'
[default]
aws_access_key_id = wrong
[infra]
aws_access_key_id = testing
aws_secret_access_key = testing
INI
sed 's/^stack net3 /stack netp /; s/10\.30\./10.50./g' net3.infra >netp.infra
if env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_SHARED_CREDENTIALS_FILE=$PWD/creds \
  AWS_CONFIG_FILE=$PWD/none INFRAC_AWS=$PWD/none "$BIN" apply netp.infra --via=native --profile infra \
  --state netp.state --endpoint-url "$URL" --auto-approve >prof.out 2>&1; then
  ok "credentials from --profile"; else bad "credentials from --profile" prof.out; fi
cat >export-aws <<'SH'
#!/bin/sh
echo "$*" >>"$(dirname "$0")/export.args"
echo '{"Version": 1, "AccessKeyId": "testing", "SecretAccessKey": "testing", "SessionToken": "tok"}'
SH
chmod +x export-aws
if env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_SHARED_CREDENTIALS_FILE=$PWD/none \
  AWS_CONFIG_FILE=$PWD/none INFRAC_AWS=$PWD/export-aws "$BIN" destroy --via=native --state netp.state \
  --endpoint-url "$URL" --auto-approve >export.out 2>&1; then
  ok "credentials from aws configure export-credentials"; else bad "credentials from aws configure export-credentials" export.out; fi
check "export-credentials: asked once, no secret in its arguments" "configure export-credentials --format process" \
  "$(cat export.args)"
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_SHARED_CREDENTIALS_FILE=$PWD/none \
  AWS_CONFIG_FILE=$PWD/none INFRAC_AWS=$PWD/none "$BIN" apply netp.infra --via=native --state netp2.state \
  --endpoint-url "$URL" --auto-approve >nocreds.out 2>&1
if [ $? = 1 ] && grep -q 'no AWS credentials' nocreds.out; then ok "no credentials: said before any call"; else
  bad "no credentials: said before any call" nocreds.out; fi
if grep -q inflight netp2.state; then bad "no credentials: no step marked in flight" netp2.state
else ok "no credentials: no step marked in flight"; fi
# AWS CLI v1 has no export-credentials: its reason is in the message, its
# usage text is not shown
cat >v1-aws <<'SH'
#!/bin/sh
printf 'usage: aws [options] <command> <subcommand>\naws: error: argument subcommand: Invalid choice\n' >&2
exit 2
SH
chmod +x v1-aws
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_SHARED_CREDENTIALS_FILE=$PWD/none \
  AWS_CONFIG_FILE=$PWD/none INFRAC_AWS=$PWD/v1-aws "$BIN" apply netp.infra --via=native --state netp3.state \
  --endpoint-url "$URL" --auto-approve >v1.out 2>&1
if grep -q 'gave none (it said: aws: error: argument subcommand: Invalid choice)$' v1.out && ! grep -q '^usage:' v1.out
then ok "no credentials: the CLI's reason said, its usage not shown"; else bad "no credentials: the CLI's reason said" v1.out; fi

# 8. destroy leaves nothing
for s in net net3; do
  if "$BIN" destroy --state $s.state --endpoint-url "$URL" --auto-approve >destroy.out 2>&1; then
    ok "destroy $s"; else bad "destroy $s" destroy.out; fi
done
check "no VPC is left" "" "$(awsq ec2 describe-vpcs --filters Name=cidr,Values=10.20.0.0/16,10.30.0.0/16 --query 'Vpcs[].CidrBlock')"
check "no subnet is left" "0" "$(awsq ec2 describe-subnets --filters Name=vpc-id,Values="$vpc" --query 'length(Subnets)')"

# 8b. the delete paths a whole stack's destroy does not take: a route, a
# rule between groups and a listener deleted while their table, group and
# balancer stay; then destroy, a database and its parameter group among what
# it deletes
if "$BIN" apply deletes.infra --state dels.state --endpoint-url "$URL" --auto-approve >dels1.out 2>&1 &&
   "$BIN" apply deletes2.infra --state dels.state --endpoint-url "$URL" --auto-approve >dels2.out 2>&1; then
  ok "apply deletes.infra, then deletes2.infra"; else bad "apply deletes.infra, then deletes2.infra" dels2.out; fi
check "deletes2: a route, a rule and a listener deleted, each by its own call" \
  "delete lb_listener8080: elbv2 DeleteListener|delete db_access_security_group_ingress1: ec2 RevokeSecurityGroupIngress|delete public_route_table_route2: ec2 DeleteRoute" \
  "$(grep '^\[' dels2.out | sed 's/^\[[0-9]*\/[0-9]*\] //' | tr '\n' '|' | sed 's/|$//')"
dvpc=$(awsq ec2 describe-vpcs --filters Name=cidr,Values=10.60.0.0/16 --query 'Vpcs[0].VpcId')
check "deletes2: the table keeps its default route only" "0.0.0.0/0 10.60.0.0/16" \
  "$(awsq ec2 describe-route-tables --filters Name=vpc-id,Values="$dvpc" Name=association.main,Values=false --query 'RouteTables[0].Routes[].DestinationCidrBlock' | tr '\t' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
check "deletes2: the database's group has no rule left" "0" \
  "$(awsq ec2 describe-security-groups --filters Name=vpc-id,Values="$dvpc" Name=group-name,Values='dels-db-access*' --query 'length(SecurityGroups[0].IpPermissions)')"
check "deletes2: the balancer keeps one listener, on 80" "80" \
  "$(awsq elbv2 describe-listeners --load-balancer-arn "$(awsq elbv2 describe-load-balancers --names dels-lb --query 'LoadBalancers[0].LoadBalancerArn')" --query 'Listeners[].Port')"
if "$BIN" destroy --state dels.state --endpoint-url "$URL" --auto-approve >dels3.out 2>&1; then
  ok "destroy deletes2.infra"; else bad "destroy deletes2.infra" dels3.out; fi
check "destroy deletes2: the database, its parameter and subnet groups, the balancer and the VPC are gone" \
  "db= params= subnets= lb= vpc=" \
  "db=$(awsq rds describe-db-instances --query "DBInstances[?starts_with(DBInstanceIdentifier, 'dels-')].DBInstanceIdentifier") \
params=$(awsq rds describe-db-parameter-groups --query "DBParameterGroups[?starts_with(DBParameterGroupName, 'dels-')].DBParameterGroupName") \
subnets=$(awsq rds describe-db-subnet-groups --query "DBSubnetGroups[?starts_with(DBSubnetGroupName, 'dels-')].DBSubnetGroupName") \
lb=$(awsq elbv2 describe-load-balancers --query "LoadBalancers[?starts_with(LoadBalancerName, 'dels-')].LoadBalancerName") \
vpc=$(awsq ec2 describe-vpcs --filters Name=cidr,Values=10.60.0.0/16 --query 'Vpcs[].VpcId')"

# 9. the reference example, started at the top; then a second plan has no
# changes.
wait $webapp
st=$?
if [ $st = 0 ]; then ok "apply examples/webapp.infra"; else bad "apply examples/webapp.infra" webapp.out; fi
if grep -rq Very-secret-1 webapp.state webapp.out; then bad "the secret stays out of the state and the log"; else
  ok "the secret stays out of the state and the log"; fi
"$BIN" plan webapp.infra --against webapp.state >wplan.out 2>&1
check "webapp: a second plan has no changes" "No changes." "$(tail -1 wplan.out)"
check "webapp: the database is PostgreSQL, Multi-AZ" "postgres True" \
  "$(awsq rds describe-db-instances --query 'DBInstances[0].[Engine,MultiAZ]' | tr '\t' ' ')"

# 10. a new image: the task definition's new revision is registered, the
# service moved to it and waited for until stable, and the old revision
# deregistered last, as CloudFormation does
sed -i 's/^param image_tag : string = "latest"/param image_tag : string = "v2"/' webapp.infra
INFRAC_PARAM_db_password=Very-secret-1 "$BIN" plan --format=json webapp.infra --against webapp.state >image.json 2>image.err
check "a new image: register, update the service (until stable), deregister the old, each after the one before" \
  "RegisterTaskDefinition UpdateService+services_stable DeregisterTaskDefinition" \
  "$(python3 -c '
import json, sys
steps = json.load(open(sys.argv[1]))["steps"]
by_id = {s["id"]: s for s in steps}
def before(s):  # every step s waits for, transitively
    out, todo = set(), list(s["depends_on"])
    while todo:
        d = todo.pop()
        if d not in out:
            out.add(d)
            todo += by_id[d]["depends_on"]
    return out
calls = [s for s in steps if s["service"] == "ecs"]
chained = all(a["id"] in before(b) for a, b in zip(calls, calls[1:]))
print(" ".join(s["operation"] + ("+" + s["wait"] if "wait" in s else "") for s in calls) if chained else "not chained")
' image.json 2>&1)"
if INFRAC_PARAM_db_password=Very-secret-1 "$BIN" apply webapp.infra --state webapp.state --endpoint-url "$URL" \
  --auto-approve >image.out 2>&1; then ok "apply the new image"; else bad "apply the new image" image.out; fi
check "the service runs the new revision" "webapp-api-task:2" \
  "$(awsq ecs describe-services --cluster webapp-api-cluster --services webapp-api --query 'services[0].taskDefinition' | sed 's|.*/||')"
check "the new revision has the new image" "v2" \
  "$(awsq ecs describe-task-definition --task-definition webapp-api-task:2 --query 'taskDefinition.containerDefinitions[0].image' | sed 's|.*:||')"
check "the old revision is INACTIVE" "INACTIVE" \
  "$(awsq ecs describe-task-definition --task-definition webapp-api-task:1 --query 'taskDefinition.status')"
check "the apply waited for the service" "1" "$(grep -c 'waiting: services-stable (api)' image.out)"
"$BIN" plan webapp.infra --against webapp.state >image2.out 2>&1
check "webapp: after the new image, no changes" "No changes." "$(tail -1 image2.out)"

# 11. destroy of the reference stack leaves nothing (the network's stacks
# are gone already): the address's association is removed before the
# address is released, the zone emptied of the certificate's record and
# deleted, the database's final snapshot named for this destroy
check "the zone's CallerReference is unique to its request" "infrac-webapp-example-uuid" \
  "$(awsq route53 list-hosted-zones --query 'HostedZones[0].CallerReference' | sed -E 's/-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/-uuid/')"
printf 'stack webapp {\n  region = "ap-northeast-1"\n}\n' >empty.infra
"$BIN" plan --format=json empty.infra --against webapp.state >destroy.json 2>destroy.err
check "destroy: DisassociateAddress before ReleaseAddress and TerminateInstances" "api_ip before: api_ip_association | api_host before: api_ip_association" \
  "$(python3 -c '
import json, sys
steps = json.load(open(sys.argv[1]))["steps"]
by_id = {s["id"]: s for s in steps}
def before(s):
    out, todo = set(), list(s["depends_on"])
    while todo:
        d = todo.pop()
        if d not in out:
            out.add(d)
            todo += by_id[d]["depends_on"]
    return out
print(" | ".join(s["resource"] + " before: " + ",".join(sorted(by_id[d]["resource"] for d in before(s) if by_id[d]["operation"] == "DisassociateAddress"))
                 for s in steps if s["operation"] in ("ReleaseAddress", "TerminateInstances") and s["resource"] != "nat_eip"))
' destroy.json 2>&1)"
if "$BIN" destroy --state webapp.state --endpoint-url "$URL" --auto-approve >wdestroy.out 2>&1; then
  ok "destroy examples/webapp.infra"; else bad "destroy examples/webapp.infra" wdestroy.out; fi
left() { printf '%s' "$(awsq "$@" 2>&1 | tr '\t\n' '  ' | sed 's/ *$//')"; }
check "destroy: nothing is left" "vpcs= instances= addresses= nat= igw= lb= tg= db= dbsubnets= clusters= services= taskdefs= repos= logs= roles= profiles= zones= certs=" \
  "vpcs=$(left ec2 describe-vpcs --filters Name=is-default,Values=false --query 'Vpcs[].VpcId') \
instances=$(left ec2 describe-instances --filters Name=instance-state-name,Values=pending,running,stopping,stopped --query 'Reservations[].Instances[].InstanceId') \
addresses=$(left ec2 describe-addresses --query 'Addresses[].AllocationId') \
nat=$(left ec2 describe-nat-gateways --filter Name=state,Values=pending,available,deleting --query 'NatGateways[].NatGatewayId') \
igw=$(left ec2 describe-internet-gateways --query 'InternetGateways[].InternetGatewayId') \
lb=$(left elbv2 describe-load-balancers --query 'LoadBalancers[].LoadBalancerName') \
tg=$(left elbv2 describe-target-groups --query 'TargetGroups[].TargetGroupName') \
db=$(left rds describe-db-instances --query 'DBInstances[].DBInstanceIdentifier') \
dbsubnets=$(left rds describe-db-subnet-groups --query 'DBSubnetGroups[].DBSubnetGroupName') \
clusters=$(left ecs describe-clusters --clusters webapp-api-cluster --query "clusters[?status=='ACTIVE'].clusterName") \
services=$(left ecs describe-services --cluster webapp-api-cluster --services webapp-api --query "services[?status=='ACTIVE'].serviceName") \
taskdefs=$(left ecs list-task-definitions --status ACTIVE --query 'taskDefinitionArns[]') \
repos=$(left ecr describe-repositories --query 'repositories[].repositoryName') \
logs=$(left logs describe-log-groups --log-group-name-prefix /infrac/webapp --query 'logGroups[].logGroupName') \
roles=$(left iam list-roles --query "Roles[?starts_with(RoleName, 'webapp-')].RoleName") \
profiles=$(left iam list-instance-profiles --query "InstanceProfiles[?starts_with(InstanceProfileName, 'webapp-')].InstanceProfileName") \
zones=$(left route53 list-hosted-zones --query 'HostedZones[].Name') \
certs=$(left acm list-certificates --query 'CertificateSummaryList[].DomainName')"
check "destroy: the database's final snapshot, named for this destroy" "webapp-db-final-uuid" \
  "$(awsq rds describe-db-snapshots --query "DBSnapshots[?starts_with(DBSnapshotIdentifier, 'webapp-')].DBSnapshotIdentifier" | sed -E 's/-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/-uuid/')"
