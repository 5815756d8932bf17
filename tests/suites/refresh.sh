# plan --refresh and apply --refresh against a moto server: what is changed
# behind infrac's back with the AWS CLI (a rule opened, a log retention and a
# health-check code changed, a log group deleted) is drift, shown as such
# (exit 2 with --detailed-exitcode), planned back, undone by apply --refresh;
# right after an apply, and after that, nothing drifts. plan without
# --refresh never reads AWS, and a refresh changes the state only when
# applied.
. tests/lib.sh
need_python moto.server || exit 0
need_aws_cli || exit 0
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
VALIDATE=$(pwd)/tests/tools/plan_validate.py
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=ap-northeast-1
export AWS_PAGER="" MOTO_IAM_LOAD_MANAGED_POLICIES=true
start_moto
cd "$T" || exit 1
cp "$OLDPWD/tests/apply/net.infra" "$OLDPWD"/examples/*.infra .

# The reference example in the background (moto holds its certificate 60 s).
INFRAC_PARAM_db_password=Very-secret-1 "$BIN" apply webapp.infra --state webapp.state \
  --endpoint-url "$URL" --auto-approve >webapp.out 2>&1 &
webapp=$!
# and the other examples that apply, one after the other
(for ex in network database fargate; do
   INFRAC_PARAM_db_password=Very-secret-1 "$BIN" apply $ex.infra --state $ex.state \
     --endpoint-url "$URL" --auto-approve >$ex.out 2>&1 || echo "$ex" >>others.failed
 done) &
others=$!

# refresh FILE STATE OUT: plan --refresh --detailed-exitcode; its exit status
refresh() {
  "$BIN" plan "$1" --against "$2" --refresh --endpoint-url "$URL" --detailed-exitcode >"$3" 2>"$3.err"
  echo $?
}

# 1. the network, applied, then refreshed: no drift
if "$BIN" apply net.infra --state net.state --endpoint-url "$URL" --auto-approve >apply.out 2>&1; then
  ok "refresh: apply net.infra"; else bad "refresh: apply net.infra" apply.out; fi
check "refresh: no drift right after an apply (exit 0)" "0" "$(refresh net.infra net.state r0.out)"
check "refresh: and no changes" "No changes." "$(cat r0.out)"

# 2. behind infrac's back: a rule on a group whose rules the template lists,
# one on a group whose rule is a resource of its own, a log retention, and a
# deleted log group
web=$(python3 -c 'import json; print(json.load(open("net.state"))["resources"]["WebSecurityGroup"]["captures"]["id"])')
db=$(python3 -c 'import json; print(json.load(open("net.state"))["resources"]["DbSecurityGroup"]["captures"]["id"])')
awsq ec2 authorize-security-group-ingress --group-id "$web" --protocol tcp --port 3306 --cidr 0.0.0.0/0 >/dev/null
awsq ec2 authorize-security-group-ingress --group-id "$db" --protocol tcp --port 22 --cidr 10.0.0.0/8 >/dev/null
awsq logs delete-log-group --log-group-name /infrac/net/app_logs
vpc=$(python3 -c 'import json; print(json.load(open("net.state"))["resources"]["MainVpc"]["captures"]["id"])')
awsq ec2 modify-vpc-attribute --vpc-id "$vpc" --no-enable-dns-hostnames
cp net.state net.state.before
check "refresh: drift exits 2 with --detailed-exitcode" "2" "$(refresh net.infra net.state r1.out)"
check "refresh: the drift, as the source says it" \
"~ main (vpc) changed outside infrac: ~ EnableDnsHostnames: true => false
~ web (security_group) changed outside infrac: + ingress tcp 3306 from 0.0.0.0/0
~ db (security_group) changed outside infrac: + ingress tcp 22 from 10.0.0.0/8
- app_logs (log_group) deleted outside infrac: to be created again

Drift: 3 changed outside infrac, 1 deleted outside infrac." "$(sed -n 1,6p r1.out)"
check "refresh: the plan undoes it" \
"~ MainVpc (vpc main, AWS::EC2::VPC)
    ~ EnableDnsHostnames: false => true
~ WebSecurityGroup (security_group web, AWS::EC2::SecurityGroup)
    - SecurityGroupIngress[]: {\"IpProtocol\":\"tcp\",\"FromPort\":3306,\"ToPort\":3306,\"CidrIp\":\"0.0.0.0/0\"}
~ DbSecurityGroup (security_group db, AWS::EC2::SecurityGroup)
    - SecurityGroupIngress: [{\"IpProtocol\":\"tcp\",\"FromPort\":22,\"ToPort\":22,\"CidrIp\":\"10.0.0.0/8\"}] => (none)
+ AppLogsLogGroup (log_group app_logs, AWS::Logs::LogGroup)
    + RetentionInDays: 7
    + Tags: [{\"Key\":\"Name\",\"Value\":\"net-app_logs\"}]

Plan: 1 to add, 3 to change, 0 to replace, 0 to destroy." "$(sed -n '8,$p' r1.out)"
"$BIN" plan net.infra --against net.state >r1-offline.out 2>&1
check "refresh: plan without --refresh compares with the state only" "No changes." "$(cat r1-offline.out)"
AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= HOME=$T/nohome \
  "$BIN" plan net.infra --against net.state >r1-nonet.out 2>&1
check "refresh: plan without --refresh needs no network nor credentials" "No changes." "$(cat r1-nonet.out)"
"$BIN" plan net.infra --against net.state --refresh --endpoint-url "$URL" --format=json >r1.json 2>r1.json.err
if python3 "$VALIDATE" r1.json >val.out 2>&1; then ok "refresh: the JSON plan validates"; else bad "refresh: the JSON plan validates" val.out; fi
check "refresh: the JSON plan's drift list" "update main EnableDnsHostnames|update web SecurityGroupIngress|update db SecurityGroupIngress|delete app_logs " \
  "$(python3 -c 'import json; print("|".join(d["action"] + " " + d["resource"] + " " + ",".join(p["path"] for p in d["properties"]) for d in json.load(open("r1.json"))["drift"]))')"
check "refresh: its steps set the attribute, revoke the two rules and make the log group again" \
  "ModifyVpcAttribute RevokeSecurityGroupIngress RevokeSecurityGroupIngress CreateLogGroup DescribeLogGroups PutRetentionPolicy" \
  "$(python3 -c 'import json; print(" ".join(s["operation"] for s in json.load(open("r1.json"))["steps"]))')"
if cmp -s net.state net.state.before; then ok "refresh: plan --refresh leaves the state as it was"; else
  bad "refresh: plan --refresh leaves the state as it was"; fi
if "$BIN" apply net.infra --state net.state --refresh --endpoint-url "$URL" --auto-approve >a1.out 2>&1; then
  ok "refresh: apply --refresh"; else bad "refresh: apply --refresh" a1.out; fi
check "refresh: apply --refresh shows the drift first" \
  "Read 21 resources from AWS|~ main (vpc) changed outside infrac: ~ EnableDnsHostnames: true => false" \
  "$(sed -n 1,2p a1.out | sed 's/ in [0-9.]* s\.$//' | tr '\n' '|' | sed 's/|$//')"
check "refresh: the rules opened outside are closed" "443 80" \
  "$(awsq ec2 describe-security-groups --group-ids "$web" --query 'SecurityGroups[0].IpPermissions[].FromPort' | tr '\t' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
check "refresh: the db group keeps only its own rule" "5432" \
  "$(awsq ec2 describe-security-groups --group-ids "$db" --query 'SecurityGroups[0].IpPermissions[].FromPort')"
check "refresh: the VPC's DNS hostnames are back" "True" \
  "$(awsq ec2 describe-vpc-attribute --vpc-id "$vpc" --attribute enableDnsHostnames --query 'EnableDnsHostnames.Value')"
check "refresh: the log group is back, with its retention" "7" \
  "$(awsq logs describe-log-groups --log-group-name-prefix /infrac/net/app_logs --query 'logGroups[0].retentionInDays')"
check "refresh: then no drift (exit 0)" "0" "$(refresh net.infra net.state r2.out)"
check "refresh: then no changes" "No changes." "$(cat r2.out)"

# 3. usage
"$BIN" plan net.infra --refresh >u1.out 2>&1
check "refresh: --refresh needs a state" "1 infrac: --refresh reads what a state records: give --against STATE" \
  "$? $(head -1 u1.out)"
"$BIN" build net.infra -o net.json >/dev/null 2>&1
"$BIN" plan net.infra --against net.json --refresh --endpoint-url "$URL" >u2.out 2>&1
check "refresh: --refresh against a template is refused" "1" "$?"

# 4. the reference example: the three changes of the issue, exactly those
wait $webapp
st=$?
if [ $st = 0 ]; then ok "refresh: apply examples/webapp.infra"; else bad "refresh: apply examples/webapp.infra" webapp.out; fi
export INFRAC_PARAM_db_password=Very-secret-1
check "refresh: webapp, no drift right after the apply" "0" "$(refresh webapp.infra webapp.state w0.out)"
check "refresh: webapp, every resource has a read of its own" "Read 44 resources from AWS in" \
  "$(grep -o '^Read [0-9]* resources from AWS in' w0.out.err)"
check "refresh: webapp, none taken as recorded" "" "$(grep 'taken as' w0.out.err)"
wsg=$(python3 -c 'import json; print(json.load(open("webapp.state"))["resources"]["WebSecurityGroup"]["captures"]["id"])')
tg=$(python3 -c 'import json; print(json.load(open("webapp.state"))["resources"]["ApiTgTargetGroup"]["captures"]["arn"])')
awsq ec2 authorize-security-group-ingress --group-id "$wsg" --protocol tcp --port 3306 --cidr 0.0.0.0/0 >/dev/null
awsq logs put-retention-policy --log-group-name /infrac/webapp/api_logs --retention-in-days 30
awsq elbv2 modify-target-group --target-group-arn "$tg" --matcher HttpCode=200 >/dev/null
check "refresh: webapp, the three changes are drift (exit 2)" "2" "$(refresh webapp.infra webapp.state w1.out)"
check "refresh: webapp, exactly those three" \
"~ web (security_group) changed outside infrac: + ingress tcp 3306 from 0.0.0.0/0
~ api_tg (target_group) changed outside infrac: ~ Matcher.HttpCode: \"400\" => \"200\"
~ api_logs (log_group) changed outside infrac: ~ RetentionInDays: 14 => 30
Plan: 0 to add, 3 to change, 0 to replace, 0 to destroy." "$(grep -E '^(~ [a-z]|Plan)' w1.out)"
if grep -q Very-secret-1 w1.out w1.out.err; then bad "refresh: no secret in the output"; else ok "refresh: no secret in the output"; fi
"$BIN" apply webapp.infra --state webapp.state --refresh --endpoint-url "$URL" --auto-approve >w-apply.out 2>&1
check "refresh: webapp, apply --refresh makes three calls" \
  "[1/3] update web: ec2 RevokeSecurityGroupIngress|[2/3] update api_tg: elbv2 ModifyTargetGroup|[3/3] update api_logs: logs PutRetentionPolicy" \
  "$(grep '^\[' w-apply.out | tr '\n' '|' | sed 's/|$//')"
check "refresh: webapp, the health-check code is back" "400" \
  "$(awsq elbv2 describe-target-groups --target-group-arns "$tg" --query 'TargetGroups[0].Matcher.HttpCode')"
check "refresh: webapp, then no drift" "0 No changes." "$(refresh webapp.infra webapp.state w2.out) $(cat w2.out)"

# a policy attached to a role behind infrac's back
awsq iam attach-role-policy --role-name webapp-ecs-instance-ap-northeast-1 --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
check "refresh: webapp, a policy attached outside is drift" "2" "$(refresh webapp.infra webapp.state w3.out)"
check "refresh: webapp, shown as the role's" \
  '~ ecs_instance (role) changed outside infrac: + ManagedPolicyArns[]: "arn:aws:iam::aws:policy/AdministratorAccess"' \
  "$(head -1 w3.out)"
"$BIN" apply webapp.infra --state webapp.state --refresh --endpoint-url "$URL" --auto-approve >w-apply2.out 2>&1
check "refresh: webapp, apply --refresh detaches it" "ecs_instance_policy_count=1" \
  "ecs_instance_policy_count=$(awsq iam list-attached-role-policies --role-name webapp-ecs-instance-ap-northeast-1 --query 'length(AttachedPolicies)')"
check "refresh: webapp, and then no drift" "0" "$(refresh webapp.infra webapp.state w4.out)"

# the other examples: no drift right after their apply
wait $others
if [ -s others.failed ]; then bad "refresh: apply the other examples" others.failed; else ok "refresh: apply the other examples"; fi
for ex in network database fargate; do
  check "refresh: $ex, no drift right after the apply" "0 No changes." "$(refresh $ex.infra $ex.state $ex.r.out) $(cat $ex.r.out)"
done
