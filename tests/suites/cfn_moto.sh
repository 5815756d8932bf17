# A stack of `resource` declarations (tests/cfn_moto/stack.infra) built to a
# CloudFormation template and deployed with aws cloudformation create-stack
# into a moto server on a free loopback port; each resource is then asserted
# with describe calls against the values in the source. A wrong template fails
# the create (moto rolls back) or an assertion.
. tests/lib.sh
need_python moto.server || exit 0
need_aws_cli || exit 0
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
export AWS_PAGER=""
start_moto

if "$INFRAC" build tests/cfn_moto/stack.infra -o "$T/stack.json" >"$T/build.out" 2>&1; then
  ok "cfn_moto: build the stack"
else
  bad "cfn_moto: build the stack" "$T/build.out"
  exit 0
fi
create_stack cfn_moto cfn-moto "$T/stack.json" CAPABILITY_NAMED_IAM || exit 0
check "cfn_moto: every resource of the template was created" \
  "AlertsTopic AssetsBucket DeadLettersQueue JobsQueue QueueUrlParameter ResultsTable WorkerLogsLogGroup WorkerRoleRole" \
  "$(awsq cloudformation describe-stack-resources --stack-name cfn-moto \
       --query 'StackResources[?ResourceStatus==`CREATE_COMPLETE`].LogicalResourceId' | tr '\t' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"

# S3: the bucket, its encryption (an object block in a list) and tags
if awsq s3api head-bucket --bucket cfn-moto-assets >"$T/head" 2>&1; then
  ok "cfn_moto: s3api head-bucket"; else bad "cfn_moto: s3api head-bucket" "$T/head"; fi
check "cfn_moto: the bucket's encryption" "AES256" \
  "$(awsq s3api get-bucket-encryption --bucket cfn-moto-assets --query 'ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm' 2>&1)"
check "cfn_moto: the bucket's tags" "team	web" \
  "$(awsq s3api get-bucket-tagging --bucket cfn-moto-assets --query 'TagSet[?Key==`team`].[Key,Value]' 2>&1)"

# SQS: the queue, its timeout and its redrive to the dead-letter queue
jobs_url=$(awsq sqs get-queue-url --queue-name cfn-moto-jobs --query QueueUrl 2>&1)
dead_url=$(awsq sqs get-queue-url --queue-name cfn-moto-dead --query QueueUrl 2>&1)
dead_arn=$(awsq sqs get-queue-attributes --queue-url "$dead_url" --attribute-names QueueArn --query Attributes.QueueArn 2>&1)
check "cfn_moto: the dead-letter queue keeps messages 14 days" "1209600" \
  "$(awsq sqs get-queue-attributes --queue-url "$dead_url" --attribute-names MessageRetentionPeriod --query Attributes.MessageRetentionPeriod 2>&1)"
check "cfn_moto: the queue's visibility timeout" "180" \
  "$(awsq sqs get-queue-attributes --queue-url "$jobs_url" --attribute-names VisibilityTimeout --query Attributes.VisibilityTimeout 2>&1)"
check "cfn_moto: the queue redrives to the dead-letter queue (GetAtt Arn)" "$dead_arn 5" \
  "$(awsq sqs get-queue-attributes --queue-url "$jobs_url" --attribute-names RedrivePolicy --query Attributes.RedrivePolicy 2>&1 |
     python3 -c 'import json,sys; p = json.load(sys.stdin); print(p["deadLetterTargetArn"], p["maxReceiveCount"])' 2>&1)"

# SNS
topic=$(awsq sns list-topics --query 'Topics[].TopicArn' 2>&1 | tr '\t' '\n' | grep ':cfn-moto-alerts$')
check "cfn_moto: the topic's display name" "alerts" \
  "$(awsq sns get-topic-attributes --topic-arn "$topic" --query Attributes.DisplayName 2>&1)"

# DynamoDB
check "cfn_moto: dynamodb describe-table: the key" "job_id	HASH" \
  "$(awsq dynamodb describe-table --table-name cfn-moto-results --query 'Table.KeySchema[].[AttributeName,KeyType]' 2>&1)"
check "cfn_moto: dynamodb describe-table: the billing mode" "PAY_PER_REQUEST" \
  "$(awsq dynamodb describe-table --table-name cfn-moto-results --query 'Table.BillingModeSummary.BillingMode' 2>&1)"

# IAM: the role, its trust policy and its inline policy naming the queue's ARN
check "cfn_moto: iam get-role: trusted by Lambda" "lambda.amazonaws.com" \
  "$(awsq iam get-role --role-name cfn-moto-worker --query 'Role.AssumeRolePolicyDocument.Statement[0].Principal.Service' 2>&1)"
jobs_arn=$(awsq sqs get-queue-attributes --queue-url "$jobs_url" --attribute-names QueueArn --query Attributes.QueueArn 2>&1)
# (moto keeps a policy given by CloudFormation as a Python literal, not JSON)
check "cfn_moto: the role's inline policy" "sqs:ReceiveMessage $jobs_arn" \
  "$(aws --endpoint-url "$URL" --output json iam get-role-policy --role-name cfn-moto-worker --policy-name work --query PolicyDocument 2>&1 |
     python3 -c '
import ast, json, sys
d = json.load(sys.stdin)
if isinstance(d, str):
    try: d = json.loads(d)
    except ValueError: d = ast.literal_eval(d)
s = d["Statement"][0]
print(s["Action"], s["Resource"])' 2>&1)"

# Logs
check "cfn_moto: logs describe-log-groups: retention" "/cfn-moto/worker	30" \
  "$(awsq logs describe-log-groups --log-group-name-prefix /cfn-moto --query 'logGroups[].[logGroupName,retentionInDays]' 2>&1)"

# SSM: the parameter holds the queue's URL (Ref of the queue)
# (moto's Ref of a queue is the URL on AWS's host, not on the endpoint's)
check "cfn_moto: ssm get-parameter: the queue's URL (Ref)" "/123456789012/cfn-moto-jobs" \
  "$(awsq ssm get-parameter --name /cfn-moto/queue-url --query Parameter.Value 2>&1 | sed 's|^https*://[^/]*||')"

# The stack's outputs: GetAtt and Ref
check "cfn_moto: the outputs" "arn:aws:s3:::cfn-moto-assets cfn-moto-results" \
  "$(awsq cloudformation describe-stacks --stack-name cfn-moto --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' 2>&1 |
     sort | cut -f2 | tr '\n' ' ' | sed 's/ $//')"
