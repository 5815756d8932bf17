# examples/webapp-ha.infra deployed into moto's CloudFormation: built by
# infrac, with literals only where moto lacks a piece (the certificate's ARN
# from moto's ACM, the hosted zone's ID from moto's Route 53, the managed
# master password's secret ARN, which moto's RDS does not return), created
# with aws cloudformation create-stack; then describe calls show the secret
# in the task definition, the auto scaling group over three zones and the
# service's deployment settings.
. tests/lib.sh
need_python moto.server || exit 0
need_aws_cli || exit 0
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=ap-northeast-1
export AWS_PAGER=""
start_moto

# What the article's reader already has: the zone of the bought domain, an
# issued certificate (moto's CloudFormation makes no ACM certificate).
zone=$(awsq route53 create-hosted-zone --name example.com --caller-reference ha \
         --query HostedZone.Id 2>&1 | sed 's|/hostedzone/||')
cert=$(awsq acm request-certificate --domain-name api.example.com --query CertificateArn 2>&1)
secret=arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds-db-master-AbCdEf
# (moto's zone IDs are not AWS's form, which infrac checks: the template gets it)
if "$INFRAC" build examples/webapp-ha.infra -o "$T/ha.json" >"$T/build.out" 2>&1 &&
   python3 tests/tools/moto_substitute.py "$T/ha.json" "$T/ha-moto.json" \
     "ApiCertCertificate=$cert" "literal:Z0123456789ABCDEFGHIJ=$zone" "DbDbInstance.MasterUserSecret.SecretArn=$secret" >>"$T/build.out" 2>&1; then
  ok "webapp_ha: build the example"
else
  bad "webapp_ha: build the example" "$T/build.out"
  exit 0
fi
create_stack webapp_ha webapp "$T/ha-moto.json" CAPABILITY_IAM 200 || exit 0
physical() {
  awsq cloudformation describe-stack-resource --stack-name webapp --logical-resource-id "$1" \
    --query StackResourceDetail.PhysicalResourceId 2>&1
}

# The secret: ValueFrom the master secret's password key, read by exactly
# the execution role.
taskdef=$(physical ApiTaskTaskDefinition)
check "webapp_ha: the task definition's secret" "DATABASE_PASSWORD	$secret:password::" \
  "$(awsq ecs describe-task-definition --task-definition "$taskdef" \
       --query 'taskDefinition.containerDefinitions[0].secrets[].[name,valueFrom]' 2>&1)"
check "webapp_ha: the task definition's user and host from the database" "DATABASE_USER" \
  "$(awsq ecs describe-task-definition --task-definition "$taskdef" \
       --query 'taskDefinition.containerDefinitions[0].environment[?name==`DATABASE_USER`].name' 2>&1)"
exec_role=$(physical EcsTaskExecutionRole)
check "webapp_ha: the execution role reads that secret only" "secretsmanager:GetSecretValue $secret" \
  "$(aws --endpoint-url "$URL" --output json iam get-role-policy --role-name "$exec_role" --policy-name task-secrets --query PolicyDocument 2>&1 |
     python3 -c '
import ast, json, sys
d = json.load(sys.stdin)
if isinstance(d, str):
    try: d = json.loads(d)
    except ValueError: d = ast.literal_eval(d)
s = d["Statement"]
print(" ".join(x["Action"] + " " + x["Resource"] for x in s))' 2>&1)"

# The auto scaling group: three zones, 3 to 6 instances, the launch template
# that names the cluster.
asg=$(physical ApiClusterCapacity)
check "webapp_ha: the auto scaling group spans three zones" "ap-northeast-1a ap-northeast-1c ap-northeast-1d" \
  "$(awsq autoscaling describe-auto-scaling-groups --auto-scaling-group-names "$asg" \
       --query 'AutoScalingGroups[0].AvailabilityZones' 2>&1 | tr '\t' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
check "webapp_ha: the group's size" "3	6" \
  "$(awsq autoscaling describe-auto-scaling-groups --auto-scaling-group-names "$asg" \
       --query 'AutoScalingGroups[0].[MinSize,MaxSize]' 2>&1)"
lt=$(physical ApiClusterLaunchTemplate)
cluster=$(physical ApiClusterCluster)
check "webapp_ha: the launch template's user data joins the cluster" "ECS_CLUSTER=${cluster##*/}" \
  "$(awsq ec2 describe-launch-template-versions --launch-template-id "$lt" \
       --query 'LaunchTemplateVersions[0].LaunchTemplateData.UserData' 2>&1 | base64 -d 2>&1 |
     grep -o 'ECS_CLUSTER=[^ ]*')"

# The service: created in the cluster with its task definition. Moto's
# CloudFormation drops a service's DeploymentConfiguration and grace period
# (describe-services shows none, whatever the template says), so those are
# read from the template the stack holds (get-template).
service=$(physical ApiService)
check "webapp_ha: the service runs the task definition, 3 tasks" "$taskdef	3	EC2" \
  "$(awsq ecs describe-services --cluster "$cluster" --services "$service" \
       --query 'services[0].[taskDefinition,desiredCount,launchType]' 2>&1)"
check "webapp_ha: the stack's service: deployment settings and grace" "100 200 True True 60 ApiAlbListener443,ApiClusterCapacity" \
  "$(aws --endpoint-url "$URL" --output json cloudformation get-template --stack-name webapp \
       --query TemplateBody 2>&1 | python3 -c '
import json, sys
t = json.load(sys.stdin)
t = json.loads(t) if isinstance(t, str) else t
s = t["Resources"]["ApiService"]
p, d = s["Properties"], s["Properties"]["DeploymentConfiguration"]
print(d["MinimumHealthyPercent"], d["MaximumPercent"], d["DeploymentCircuitBreaker"]["Enable"],
      d["DeploymentCircuitBreaker"]["Rollback"], p["HealthCheckGracePeriodSeconds"], ",".join(s["DependsOn"]))' 2>&1)"
