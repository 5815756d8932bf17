# Container secrets kept in resources of the stack (tests/build/secret-stores.infra)
# deployed into moto's CloudFormation on a free loopback port: the task
# definition's ValueFrom is the secret's ARN and each parameter's ARN, and the
# execution role reads exactly those. Moto's CloudFormation makes no Secrets
# Manager secret, so the secret is created with the AWS CLI first and its ARN
# stands in for the resource's Ref (tests/tools/moto_substitute.py); the SSM
# parameters are made by the stack, and their ARNs come from moto's SSM.
# Moto's CloudFormation cannot name a parameter itself (it fails on one
# without Name), so FlagParameter is given the name CloudFormation would make
# (STACK-LOGICALID-SUFFIX); the rest is the template as infrac wrote it.
. tests/lib.sh
need_python moto.server || exit 0
need_aws_cli || exit 0
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
export AWS_PAGER=""
start_moto

secret=$(awsq secretsmanager create-secret --name secret-stores-api-key --secret-string k3y --query ARN 2>&1)
if "$INFRAC" build tests/build/secret-stores.infra -o "$T/s.json" >"$T/build.out" 2>&1 &&
   python3 tests/tools/moto_substitute.py "$T/s.json" "$T/s-sub.json" "ApiKeySecret=$secret" >>"$T/build.out" 2>&1 &&
   python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
p = t["Resources"]["FlagParameter"]["Properties"]
assert "Name" not in p, p
p["Name"] = "secret-stores-FlagParameter-1A2B3C4D5E6F"
json.dump(t, open(sys.argv[2], "w"))' "$T/s-sub.json" "$T/s-moto.json" >>"$T/build.out" 2>&1; then
  ok "secret_stores: build the stack"
else
  bad "secret_stores: build the stack" "$T/build.out"
  exit 0
fi
create_stack secret_stores secret-stores "$T/s-moto.json" CAPABILITY_IAM || exit 0
physical() {
  awsq cloudformation describe-stack-resource --stack-name secret-stores --logical-resource-id "$1" \
    --query StackResourceDetail.PhysicalResourceId 2>&1
}
# The ARN moto's SSM gives each parameter the stack made: "parameter/NAME",
# or "parameterNAME" for a name with a leading "/".
param_arn() { awsq ssm get-parameter --name "$(physical "$1")" --query Parameter.ARN 2>&1; }
flag=$(param_arn FlagParameter) dsn=$(param_arn DsnParameter) region=$(param_arn RegionNameParameter)
check "secret_stores: the parameters' ARNs as SSM writes them" \
  "parameter/secret-stores-FlagParameter-1A2B3C4D5E6F parameter/secret-stores/dsn parameter/secret-stores-us-east-1" \
  "${flag##*:} ${dsn##*:} ${region##*:}"

taskdef=$(physical AppTaskDefinition)
check "secret_stores: the task definition's ValueFrom: the secret's and the parameters' ARNs" \
  "web API_KEY $secret
web FLAG $flag
web DSN $dsn
web REGION $region
worker API_KEY $secret" \
  "$(aws --endpoint-url "$URL" --output json ecs describe-task-definition --task-definition "$taskdef" \
       --query 'taskDefinition.containerDefinitions' 2>&1 | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    for s in c.get("secrets", []):
        print(c["name"], s["name"], s["valueFrom"])' 2>&1)"

exec_role=$(physical ExecutionRole)
check "secret_stores: the execution role reads exactly those" \
  "secretsmanager:GetSecretValue $secret
ssm:GetParameters $flag $dsn $region" \
  "$(aws --endpoint-url "$URL" --output json iam get-role-policy --role-name "$exec_role" --policy-name task-secrets --query PolicyDocument 2>&1 |
     python3 -c '
import ast, json, sys
d = json.load(sys.stdin)
if isinstance(d, str):
    try: d = json.loads(d)
    except ValueError: d = ast.literal_eval(d)
for s in d["Statement"]:
    r = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
    print(s["Action"], " ".join(r))' 2>&1)"
