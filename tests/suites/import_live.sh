# import --live against a moto server: the seed article's stack
# (/work/shared/seed/aws-web-server-ja.md) built by hand with AWS CLI calls,
# as a console user builds it (a VPC, subnets in three zones, a gateway, a
# route table, groups open on 80/443/22, an instance with an Elastic IP, a
# PostgreSQL database with its subnet group, a zone, a certificate, a target
# group with health code 400, an HTTPS balancer, a repository, a cluster, a
# task definition and a service, a log group, the roles they use), next to a
# second VPC and moto's defaults. `import --live --vpc` writes source in
# the kinds that checks with the warnings the article's design deserves,
# and a state against which `plan --refresh` says "No changes.";
# changing one rule in that source and applying changes only that rule.
# A NAT gateway in a VPC of its own is its kind, holding its address.
# The scope: --vpc leaves the other VPC out, no scope takes it too, --tag
# only what has the tag; what AWS made itself (default VPC, main route
# tables, default groups, the local route, the zone's NS and SOA) is left
# out unless --include-defaults; a password is read into neither file.
. tests/lib.sh
need_python moto.server || exit 0
need_aws_cli || exit 0
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=ap-northeast-1
export AWS_PAGER="" MOTO_IAM_LOAD_MANAGED_POLICIES=true
start_moto
cd "$T" || exit 1

# types STATE: the resources' types the state records, counted, one a line
types() {
  python3 -c 'import json,sys,collections
c = collections.Counter(r["Type"] for r in json.load(open(sys.argv[1]))["template"]["Resources"].values())
print("\n".join("%d %s" % (n, t) for t, n in sorted(c.items())))' "$1"
}
# capture STATE TYPE KEY: KEY of the captures of each resource of TYPE
capture() {
  python3 -c 'import json,sys
s = json.load(open(sys.argv[1]))
for k, r in sorted(s["template"]["Resources"].items()):
    if r["Type"] == sys.argv[2]: print(s["resources"][k]["captures"].get(sys.argv[3]))' "$@"
}

# ---- the console user's stack ----
vpc=$(awsq ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId \
  --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=web-vpc}]')
awsq ec2 modify-vpc-attribute --vpc-id "$vpc" --enable-dns-hostnames '{"Value":true}'
i=0
for az in a c d; do
  i=$((i + 1))
  s=$(awsq ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.$i.0/24 --availability-zone ap-northeast-1$az \
    --tag-specifications "ResourceType=subnet,Tags=[{Key=Name,Value=public-$az}]" --query Subnet.SubnetId)
  eval "sub_$az=$s"
done
igw=$(awsq ec2 create-internet-gateway --query InternetGateway.InternetGatewayId \
  --tag-specifications 'ResourceType=internet-gateway,Tags=[{Key=Name,Value=web-igw}]')
awsq ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
rt=$(awsq ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId \
  --tag-specifications 'ResourceType=route-table,Tags=[{Key=Name,Value=public-rt}]')
awsq ec2 create-route --route-table-id "$rt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
for s in "$sub_a" "$sub_c" "$sub_d"; do awsq ec2 associate-route-table --route-table-id "$rt" --subnet-id "$s" >/dev/null; done
sg=$(awsq ec2 create-security-group --vpc-id "$vpc" --group-name web-sg --description "web server" \
  --tag-specifications 'ResourceType=security-group,Tags=[{Key=Name,Value=web-sg}]' --query GroupId)
for p in 80 443 22; do awsq ec2 authorize-security-group-ingress --group-id "$sg" --protocol tcp --port $p --cidr 0.0.0.0/0 >/dev/null; done
dbsg=$(awsq ec2 create-security-group --vpc-id "$vpc" --group-name db-sg --description database --query GroupId)
awsq ec2 authorize-security-group-ingress --group-id "$dbsg" --protocol tcp --port 5432 --source-group "$sg" >/dev/null
ami=$(awsq ec2 describe-images --owners amazon --query 'Images[0].ImageId')
trust() { echo "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"$1\"},\"Action\":\"sts:AssumeRole\"}]}"; }
awsq iam create-role --role-name ecsInstanceRole --assume-role-policy-document "$(trust ec2.amazonaws.com)" >/dev/null
awsq iam attach-role-policy --role-name ecsInstanceRole --policy-arn arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role
awsq iam create-instance-profile --instance-profile-name ecsInstanceRole >/dev/null
awsq iam add-role-to-instance-profile --instance-profile-name ecsInstanceRole --role-name ecsInstanceRole
# the instance joins the cluster at boot, as the article's does
printf '#!/bin/bash\necho ECS_CLUSTER=api-cluster >> /etc/ecs/ecs.config\n' >user-data.sh
inst=$(awsq ec2 run-instances --image-id "$ami" --instance-type t3.small --subnet-id "$sub_a" --security-group-ids "$sg" \
  --iam-instance-profile Name=ecsInstanceRole --user-data file://user-data.sh --query 'Instances[0].InstanceId' \
  --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=api-server}]')
eip=$(awsq ec2 allocate-address --domain vpc --query AllocationId \
  --tag-specifications 'ResourceType=elastic-ip,Tags=[{Key=Name,Value=api-ip}]')
awsq ec2 associate-address --allocation-id "$eip" --instance-id "$inst" >/dev/null
awsq rds create-db-subnet-group --db-subnet-group-name web-db-subnets --db-subnet-group-description "web db" \
  --subnet-ids "$sub_a" "$sub_c" "$sub_d" >/dev/null
awsq rds create-db-instance --db-instance-identifier web-db --db-instance-class db.t3.micro --engine postgres \
  --engine-version 16.3 --allocated-storage 20 --master-username app --master-user-password Very-secret-1 \
  --db-name app --db-subnet-group-name web-db-subnets --vpc-security-group-ids "$dbsg" --no-publicly-accessible >/dev/null
zone=$(awsq route53 create-hosted-zone --name example.jp --caller-reference seed-1 --query HostedZone.Id)
cert=$(awsq acm request-certificate --domain-name api.example.jp --validation-method DNS --query CertificateArn)
tg=$(awsq elbv2 create-target-group --name api-tg --protocol HTTP --port 80 --vpc-id "$vpc" --health-check-path / \
  --matcher HttpCode=400 --query 'TargetGroups[0].TargetGroupArn')
lb=$(awsq elbv2 create-load-balancer --name api-alb --scheme internet-facing --subnets "$sub_a" "$sub_c" "$sub_d" \
  --security-groups "$sg" --query 'LoadBalancers[0].LoadBalancerArn')
awsq elbv2 create-listener --load-balancer-arn "$lb" --protocol HTTPS --port 443 --certificates CertificateArn="$cert" \
  --default-actions Type=forward,TargetGroupArn="$tg" >/dev/null
set -- $(awsq elbv2 describe-load-balancers --load-balancer-arns "$lb" --query 'LoadBalancers[0].[DNSName,CanonicalHostedZoneId]')
awsq route53 change-resource-record-sets --hosted-zone-id "$zone" --change-batch "{\"Changes\":[{\"Action\":\"CREATE\",\"ResourceRecordSet\":{\"Name\":\"api.example.jp\",\"Type\":\"A\",\"AliasTarget\":{\"DNSName\":\"$1\",\"HostedZoneId\":\"$2\",\"EvaluateTargetHealth\":false}}}]}" >/dev/null
awsq ecr create-repository --repository-name api >/dev/null
repo=$(awsq ecr describe-repositories --repository-names api --query 'repositories[0].repositoryUri')
awsq logs create-log-group --log-group-name /ecs/api
awsq logs put-retention-policy --log-group-name /ecs/api --retention-in-days 14
awsq iam create-role --role-name ecsTaskExecutionRole --assume-role-policy-document "$(trust ecs-tasks.amazonaws.com)" >/dev/null
awsq iam attach-role-policy --role-name ecsTaskExecutionRole --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
exec_role=$(awsq iam get-role --role-name ecsTaskExecutionRole --query Role.Arn)
awsq ecs create-cluster --cluster-name api-cluster >/dev/null
awsq ecs register-task-definition --family api --execution-role-arn "$exec_role" --requires-compatibilities EC2 \
  --cpu 512 --memory 1024 --container-definitions "[{\"name\":\"api\",\"image\":\"$repo:latest\",\"memory\":512,\"portMappings\":[{\"containerPort\":8000,\"hostPort\":80}],\"logConfiguration\":{\"logDriver\":\"awslogs\",\"options\":{\"awslogs-group\":\"/ecs/api\",\"awslogs-region\":\"ap-northeast-1\",\"awslogs-stream-prefix\":\"api\"}}}]" >/dev/null
awsq ecs create-service --cluster api-cluster --service-name api --task-definition api:1 --desired-count 1 \
  --launch-type EC2 --load-balancers targetGroupArn="$tg",containerName=api,containerPort=8000 >/dev/null
# another team's VPC beside it, tagged
other=$(awsq ec2 create-vpc --cidr-block 10.9.0.0/16 --query Vpc.VpcId \
  --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=other},{Key=Team,Value=other}]')
awsq ec2 create-subnet --vpc-id "$other" --cidr-block 10.9.1.0/24 --availability-zone ap-northeast-1a \
  --tag-specifications 'ResourceType=subnet,Tags=[{Key=Name,Value=other-a},{Key=Team,Value=other}]' >/dev/null
if [ -n "$vpc" ] && [ -n "$inst" ] && [ -n "$lb" ] && [ -n "$other" ]; then ok "import_live: the stack built by hand"
else echo "vpc=$vpc inst=$inst lb=$lb other=$other" >d; bad "import_live: the stack built by hand" d; fi

# ---- import --live --vpc ----
mkdir web
"$BIN" import --live --region ap-northeast-1 --vpc "$vpc" --stack web -o web --endpoint-url "$URL" >imp.out 2>imp.err
check "import_live: --vpc exits 0" "0" "$?"
expect "import_live: writes web/web.infra" test -s web/web.infra
check "import_live: what the VPC holds and uses, without what AWS made itself" \
"1 AWS::CertificateManager::Certificate
1 AWS::EC2::EIP
1 AWS::EC2::EIPAssociation
1 AWS::EC2::Instance
1 AWS::EC2::InternetGateway
1 AWS::EC2::Route
1 AWS::EC2::RouteTable
2 AWS::EC2::SecurityGroup
1 AWS::EC2::SecurityGroupIngress
3 AWS::EC2::Subnet
3 AWS::EC2::SubnetRouteTableAssociation
1 AWS::EC2::VPC
1 AWS::EC2::VPCGatewayAttachment
1 AWS::ECR::Repository
1 AWS::ECS::Cluster
1 AWS::ECS::Service
1 AWS::ECS::TaskDefinition
1 AWS::ElasticLoadBalancingV2::Listener
1 AWS::ElasticLoadBalancingV2::LoadBalancer
1 AWS::ElasticLoadBalancingV2::TargetGroup
1 AWS::IAM::InstanceProfile
2 AWS::IAM::Role
1 AWS::Logs::LogGroup
1 AWS::RDS::DBInstance
1 AWS::RDS::DBSubnetGroup
1 AWS::Route53::HostedZone
1 AWS::Route53::RecordSet" "$(types web/web.state.json)"
check "import_live: the state records the physical IDs (VPC)" "$vpc" "$(capture web/web.state.json AWS::EC2::VPC id)"
check "import_live: the state records the physical IDs (groups)" "$(printf '%s\n' "$dbsg" "$sg")" \
  "$(capture web/web.state.json AWS::EC2::SecurityGroup id)"
check "import_live: the state records the physical IDs (balancer)" "$lb" \
  "$(capture web/web.state.json AWS::ElasticLoadBalancingV2::LoadBalancer arn)"
check "import_live: the state records the physical IDs (address)" "$eip" \
  "$(capture web/web.state.json AWS::EC2::EIP allocation_id)"
check "import_live: no password in the source or the state" "0" "$(cat web/web.infra web/web.state.json | grep -c Very-secret-1)"
expect "import_live: the password is a secret param" grep -Eq '^param [a-z_]*password : secret' web/web.infra
check "import_live: the state's database takes its password from a NoEcho parameter without a value" \
  '{"Ref": "WebDbPassword"} {"Type": "String", "NoEcho": true}' "$(python3 -c 'import json,sys
t = json.load(open(sys.argv[1]))["template"]
db = [r for r in t["Resources"].values() if r["Type"] == "AWS::RDS::DBInstance"][0]
ref = db["Properties"]["MasterUserPassword"]
print(json.dumps(ref), json.dumps(t["Parameters"][ref["Ref"]]))' web/web.state.json)"
# references, not IDs: the source names no physical ID of what it declares
for id in "$vpc" "$sub_a" "$sg" "$igw" "$rt" "$inst" "$eip" "$tg" "$lb" "$cert" "$zone"; do
  if grep -qF -- "${id#/hostedzone/}" web/web.infra; then echo "$id" >>ids.left; fi
done
expect "import_live: references between resources, not their IDs" test ! -s ids.left
expect "import_live: as fmt writes it" "$BIN" fmt --check web/web.infra
check "import_live: names that give the logical IDs back (no logical_id)" "0" "$(grep -c logical_id web/web.infra)"
check "import_live: an alias record without the TTL moto answers" "0" "$(grep -ci ttl web/web.infra)"

"$BIN" check web/web.infra >check.out 2>&1
check "import_live: the source checks" "0" "$?"
# the groups and the target group are kinds, named as AWS names them, so
# that the kinds' checks see them: SSH open to the internet is W601
check "import_live: the web group as its kind, with its name" 'security_group web_sg {
  name        = "web-sg"' "$(grep -A1 '^security_group web_sg ' web/web.infra)"
# the database's group too: its rule names the web group, which the kind
# writes as a rule resource of its own (no cycle between two groups), and
# so does the import, under the ID the kind gives it
check "import_live: the database's group as its kind, its rule from the web group" \
  "ingress tcp 5432 from web_sg" "$(sed -n '/^security_group db_sg /,/^}/p' web/web.infra | grep -o 'ingress.*')"
check "import_live: the state records that rule as the kind's own resource" \
  '{"GroupId": {"Fn::GetAtt": ["DbSgSecurityGroup", "GroupId"]}, "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "SourceSecurityGroupId": {"Fn::GetAtt": ["WebSgSecurityGroup", "GroupId"]}}' \
  "$(python3 -c 'import json,sys
print(json.dumps(json.load(open(sys.argv[1]))["template"]["Resources"]["DbSgSecurityGroupIngress1"]["Properties"]))' web/web.state.json)"
# the instance as its kind: its user data is read, the cluster it joins
# by reference; its profile is made by its role's kind, under the names
# the console gave both
check "import_live: the instance as its kind, its role, the cluster it joins by reference" \
  "role = ecs_instance
cluster = api_cluster" "$(sed -n '/^instance api_server /,/^}/p' web/web.infra | grep -E '^  (role|cluster) ' | tr -s ' ' | sed 's/^ //')"
check "import_live: the role as its kind, with its name and its profile's" \
  'name = "ecsInstanceRole"
profile_name = "ecsInstanceRole"' "$(sed -n '/^role ecs_instance /,/^}/p' web/web.infra | grep -E '^  (name|profile_name) ' | tr -s ' ' | sed 's/^ //')"
check "import_live: the address as its kind, attached to the instance" "instance = api_server" \
  "$(sed -n '/^elastic_ip api_ip /,/^}/p' web/web.infra | grep -E '^  instance ' | tr -s ' ' | sed 's/^ //')"
check "import_live: the database as its kind, with its identifier and its subnet group's name" \
  'identifier = "web-db"
subnet_group_name = "web-db-subnets"' "$(sed -n '/^database web_db /,/^}/p' web/web.infra | grep -E '^  (identifier|subnet_group_name) ' | tr -s ' ' | sed 's/^ //')"
check "import_live: the task as its kind, its container's logs by reference" "family = \"api\"
logs = ecs_api" "$(sed -n '/^task api_task_definition /,/^}/p' web/web.infra | grep -E '^ +(family|logs) ' | tr -s ' ' | sed 's/^ //')"
check "import_live: the service as its kind, its load balancer a block" 'name = "api"
target_group = api_tg
container = api
port = 8000' "$(sed -n '/^service api_service /,/^}/p' web/web.infra | grep -E '^ +(name|target_group|container|port) ' | tr -s ' ' | sed 's/^ //')"
check "import_live: the record as its kind, an alias of the balancer" "alias = api_alb" \
  "$(sed -n '/^record api_a /,/^}/p' web/web.infra | grep -E '^  alias ' | tr -s ' ' | sed 's/^ //')"
check "import_live: the target group as its kind, with its name" 'target_group api_tg {
  name        = "api-tg"' "$(grep -A1 '^target_group api_tg ' web/web.infra)"
check "import_live: W601, SSH open to the internet, where the rule stands" \
  "web/web.infra:$(grep -n 'ingress tcp 22 ' web/web.infra | cut -d: -f1):15: warning[W601]" \
  "$(grep -o '^web/web.infra:[0-9]*:[0-9]*: warning\[W601\]' check.out)"
# The balancer is its kind, its subnets public through the route table's
# folded route (no E405). What the article's design deserves, each where
# it stands: the balancer in three zones and the service on one instance
# in one (W401), a deployment that cannot start a task (W402), storage
# unencrypted (W602), the instance reachable from the internet on 22 and
# 80 past the balancer (W607), and no other warning.
check "import_live: the balancer as its kind, in its three subnets" '  subnets         = [public_a, public_c, public_d]' \
  "$(sed -n '/^load_balancer api_alb /,/^}/p' web/web.infra | grep 'subnets')"
check "import_live: the warnings the kinds find, and no others" "W401 W402 W601 W602 W607" \
  "$(grep -o 'warning\[W[0-9]*\]' check.out | grep -o 'W[0-9]*' | sort -u | paste -sd' ')"
line_of() { sed -n "/^$1 /,/^}/{=;p}" web/web.infra | sed -n "/$2/{x;p;q};h"; }
check "import_live: W401 at the balancer's subnets" "web/web.infra:$(line_of 'load_balancer api_alb' '^  subnets'):21: warning[W401]" \
  "$(grep -o '^web/web.infra:[0-9]*:[0-9]*: warning\[W401\]' check.out)"
check "import_live: W402 at the service's desired count" "web/web.infra:$(line_of 'service api_service' 'desired_count'):19: warning[W402]" \
  "$(grep -o '^web/web.infra:[0-9]*:[0-9]*: warning\[W402\]' check.out)"
check "import_live: W602 at the database's encrypted = false" "web/web.infra:$(line_of 'database web_db' '^  encrypted'):25: warning[W602]" \
  "$(grep -o '^web/web.infra:[0-9]*:[0-9]*: warning\[W602\]' check.out)"
check "import_live: W607 at the instance, on 22 and 80, and the way in" "web/web.infra:$(grep -n '^instance api_server ' web/web.infra | cut -d: -f1):10: warning[W607]: instance api_server is reachable from the internet on tcp 22 and 80 through web_igw → public_rt → public_a → api_ip → web_sg" \
  "$(grep -o '^web/web.infra:[0-9]*:[0-9]*: warning\[W607\]: [^,]*' check.out)"

"$BIN" plan web/web.infra --against web/web.state.json --refresh --endpoint-url "$URL" --detailed-exitcode >plan0.out 2>plan0.err
check "import_live: plan --refresh against the written state exits 0" "0" "$?"
check "import_live: and says No changes." "No changes." "$(cat plan0.out)"

# ---- one rule changed in the source: only that rule changes ----
python3 - web/web.infra <<'EOF'
import re, sys
p = sys.argv[1]
lines = open(p).read().split("\n")
hit = [i for i, l in enumerate(lines) if re.search(r"\b22\b", l) and "0.0.0.0/0" in l]
assert len(hit) == 1, hit
lines[hit[0]] = lines[hit[0]].replace("0.0.0.0/0", "10.0.0.0/16")
open(p, "w").write("\n".join(lines))
EOF
"$BIN" apply web/web.infra --state web/web.state.json --endpoint-url "$URL" --auto-approve >apply.out 2>&1
check "import_live: apply of one changed rule exits 0" "0" "$?"
check "import_live: it changes only that group" "Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy." \
  "$(grep '^Plan:' apply.out)"
check "import_live: with two calls on it" \
"update web_sg: ec2 RevokeSecurityGroupIngress
update web_sg: ec2 AuthorizeSecurityGroupIngress" "$(sed -n 's/^\[[0-9]*\/[0-9]*\] //p' apply.out)"
check "import_live: SSH from the VPC only, 80 and 443 as they were" "22 10.0.0.0/16
443 0.0.0.0/0
80 0.0.0.0/0" "$(awsq ec2 describe-security-groups --group-ids "$sg" --query 'SecurityGroups[0].IpPermissions[].[FromPort,IpRanges[0].CidrIp]' | tr '\t' ' ' | sort)"
"$BIN" plan web/web.infra --against web/web.state.json --refresh --endpoint-url "$URL" --detailed-exitcode >plan1.out 2>&1
check "import_live: then no changes" "0" "$?"
# the user data changed behind infrac's back is drift, shown as its text
printf '#!/bin/bash\necho ECS_CLUSTER=other >> /etc/ecs/ecs.config\n' >other-data.sh
awsq ec2 modify-instance-attribute --instance-id "$inst" --user-data "Value=$(base64 -w0 other-data.sh)"
"$BIN" plan web/web.infra --against web/web.state.json --refresh --endpoint-url "$URL" --detailed-exitcode >plan2.out 2>&1
check "import_live: changed user data: exit 2" "2" "$?"
expect "import_live: changed user data: the instance changed outside infrac" grep -q '^~ api_server.*changed outside infrac' plan2.out
expect "import_live: changed user data: shown as its text" grep -qF 'ECS_CLUSTER=other' plan2.out

# ---- the scope ----
mkdir all tagged defaults
"$BIN" import --live --region ap-northeast-1 -o all --endpoint-url "$URL" 2>all.err
check "import_live: no scope: every VPC but the default one" "2" \
  "$(types all/live.state.json | sed -n 's/ AWS::EC2::VPC$//p')"
"$BIN" import --live --region ap-northeast-1 --tag Team=other -o tagged --endpoint-url "$URL" 2>tagged.err
check "import_live: --tag: what has the tag" "1 AWS::EC2::Subnet
1 AWS::EC2::VPC" "$(types tagged/live.state.json)"
"$BIN" import --live --region ap-northeast-1 --vpc "$vpc" --include-defaults -o defaults --endpoint-url "$URL" 2>defaults.err
check "import_live: --include-defaults: the main route table, the default group, the local routes, NS and SOA" \
"3 AWS::EC2::Route
2 AWS::EC2::RouteTable
3 AWS::EC2::SecurityGroup
3 AWS::Route53::RecordSet" "$(types defaults/live.state.json | grep -E 'EC2::Route$|RouteTable$|SecurityGroup$|RecordSet$')"

# ---- a NAT gateway: private subnets going out through it ----
# Its address is associated with the gateway's network interface, not an
# instance (moto answers InstanceId ""): no EIPAssociation; the gateway is
# its kind holding its address, the private table routes to it by name.
nv=$(awsq ec2 create-vpc --cidr-block 10.20.0.0/16 --query Vpc.VpcId \
  --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=nat-vpc}]')
npub=$(awsq ec2 create-subnet --vpc-id "$nv" --cidr-block 10.20.1.0/24 --availability-zone ap-northeast-1a \
  --tag-specifications 'ResourceType=subnet,Tags=[{Key=Name,Value=public-a}]' --query Subnet.SubnetId)
npriv=$(awsq ec2 create-subnet --vpc-id "$nv" --cidr-block 10.20.11.0/24 --availability-zone ap-northeast-1a \
  --tag-specifications 'ResourceType=subnet,Tags=[{Key=Name,Value=private-a}]' --query Subnet.SubnetId)
nigw=$(awsq ec2 create-internet-gateway --query InternetGateway.InternetGatewayId \
  --tag-specifications 'ResourceType=internet-gateway,Tags=[{Key=Name,Value=nat-igw}]')
awsq ec2 attach-internet-gateway --internet-gateway-id "$nigw" --vpc-id "$nv"
nrt=$(awsq ec2 create-route-table --vpc-id "$nv" --query RouteTable.RouteTableId \
  --tag-specifications 'ResourceType=route-table,Tags=[{Key=Name,Value=public-rt}]')
awsq ec2 create-route --route-table-id "$nrt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$nigw" >/dev/null
awsq ec2 associate-route-table --route-table-id "$nrt" --subnet-id "$npub" >/dev/null
neip=$(awsq ec2 allocate-address --domain vpc --query AllocationId \
  --tag-specifications 'ResourceType=elastic-ip,Tags=[{Key=Name,Value=nat-ip}]')
nat=$(awsq ec2 create-nat-gateway --subnet-id "$npub" --allocation-id "$neip" --query NatGateway.NatGatewayId \
  --tag-specifications 'ResourceType=natgateway,Tags=[{Key=Name,Value=web-nat}]')
nprt=$(awsq ec2 create-route-table --vpc-id "$nv" --query RouteTable.RouteTableId \
  --tag-specifications 'ResourceType=route-table,Tags=[{Key=Name,Value=private-rt}]')
awsq ec2 create-route --route-table-id "$nprt" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$nat" >/dev/null
awsq ec2 associate-route-table --route-table-id "$nprt" --subnet-id "$npriv" >/dev/null
mkdir natted
"$BIN" import --live --region ap-northeast-1 --vpc "$nv" --stack natted -o natted --endpoint-url "$URL" 2>nat.err
check "import_live: NAT: exits 0" "0" "$?"
check "import_live: NAT: the gateway and its address, no association" "1 AWS::EC2::EIP
1 AWS::EC2::NatGateway" "$(types natted/natted.state.json | grep -E 'EIP|Nat')"
check "import_live: NAT: the gateway as its kind, holding its address" "nat_gateway web_nat {
  subnet = public_a
  part_ids = { Eip = \"NatIpEip\" }" \
  "$(sed -n '/^nat_gateway web_nat /,/^}/p' natted/natted.infra | grep -E '^nat_gateway|^  (subnet|part_ids) ')"
check "import_live: NAT: the private table routes to it by name" "  route 0.0.0.0/0 -> web_nat" \
  "$(sed -n '/^route_table private_rt /,/^}/p' natted/natted.infra | grep '^  route ')"
"$BIN" check natted/natted.infra >natcheck.out 2>&1
check "import_live: NAT: the source checks clean" "0" "$?$(grep -c warning natcheck.out | sed 's/^0$//')"
"$BIN" plan natted/natted.infra --against natted/natted.state.json --refresh --endpoint-url "$URL" >natplan.out 2>&1
check "import_live: NAT: plan --refresh says No changes." "No changes." "$(grep -v '^Read ' natplan.out)"

# ---- refused, and nothing written ----
mkdir none
"$BIN" import --live --region ap-northeast-1 --vpc vpc-00000000 -o none --endpoint-url "$URL" >none.out 2>&1
check "import_live: an unknown VPC: exit 1" "1" "$?"
check "import_live: and nothing written" "" "$(ls none)"
check "import_live: says so" "infrac: nothing to import in ap-northeast-1 in VPC vpc-00000000" "$(cat none.out)"
"$BIN" import --live --region ap-northeast-1 --vpc "$vpc" --tag a=b -o none >both.out 2>&1
check "import_live: --vpc and --tag: exit 2" "2" "$?"
"$BIN" import --live -o none >noregion.out 2>&1
check "import_live: no --region: exit 2" "2" "$?"
check "import_live: no --region: says so" "infrac: import --live needs --region" "$(head -1 noregion.out)"
"$BIN" import --live --help >help.out 2>&1
expect "import_live: --help names the options" grep -q -- '--include-defaults' help.out
