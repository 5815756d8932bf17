# The CI flow of examples/ci, end to end against moto: each configuration's
# deploy job (its run scripts, as ci_commands.py --job gives them) runs twice
# in a checkout holding infra/webapp-ha.infra, with the commit aaa1 and then
# bbb2; infrac is the binary under test, aws goes to a moto server (the
# template given the literals moto lacks, tests/tools/moto_substitute.py),
# docker, sudo and make only record what they are asked. The first run
# creates the stack (the repository before the push); the second must roll
# out the new image: the stack's ImageTag parameter is then bbb2 (it stays
# aaa1 when the tag reaches only the template's Default: `deploy` keeps a
# parameter's previous value), and the template the stack holds makes the
# task definition's image from that parameter (Fn::Sub of ${ImageTag}), so
# CloudFormation renders the new image from it.
# The limit, moto 5.2.1 (moto/cloudformation/parsing.py, moto/ecs/models.py):
# the new task definition revision itself cannot be shown. (1) On an update
# whose only change is a parameter's value, ResourceMap.build_resource_diff
# modifies only resources holding {"Ref": PARAM}; a ${PARAM} inside Fn::Sub
# (how infrac writes the image) is not seen, so the task definition is not
# touched, and a change set lists no change either (build_change_set_actions
# ignores parameters). (2) Any update of an AWS::ECS::TaskDefinition, even
# one whose template changed, goes through
# TaskDefinition.update_from_cloudformation_json, which registers the
# CloudFormation-cased ContainerDefinitions as they are ("Image", not
# "image"): the new revision has no image at all. Neither a changed template
# nor a change set is an honest way round, so the bbb2 revision's image is
# asserted only if moto re-registers it (a moto that fixes both); while the
# task definition is the first one, that assertion is a "skip" naming (1).
. tests/lib.sh
need_python moto.server || exit 0
need_python yaml || exit 0
real_aws=$(command -v aws) || {
  echo "FAIL ci_moto: the AWS CLI (aws) is not installed (python3 -m pip install awscli)"
  exit 0
}
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=ap-northeast-1
export AWS_PAGER="" AWS_ACCOUNT_ID=123456789012
start_moto
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
TOOLS=$(pwd)/tests/tools

mkdir -p "$T/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$BIN" >"$T/bin/infrac"
for tool in docker sudo make; do  # (they read their input: docker login does)
  printf '#!/bin/sh\necho "%s $*" >>"%s/tools.log"\n[ -t 0 ] || cat >/dev/null\n' "$tool" "$T" >"$T/bin/$tool"
done
# aws: the real CLI against moto; a template it is given gets moto's literals
cat >"$T/bin/aws" <<EOF2
#!/usr/bin/env bash
args=() prev=
for a in "\$@"; do
  f=
  [ "\$prev" = --template-file ] && f=\$a
  case \$a in file://*) f=\${a#file://} ;; esac
  if [ -n "\$f" ]; then
    python3 "$TOOLS/moto_substitute.py" "\$f" "\$f.moto" \$MOTO_SUBSTITUTE || exit 1
    case \$a in file://*) a=file://\$f.moto ;; *) a=\$f.moto ;; esac
  fi
  args+=("\$a") prev=\$a
done
exec "$real_aws" --endpoint-url "$URL" "\${args[@]}"
EOF2
chmod +x "$T/bin/"*

for ci in examples/ci/*.yml; do
  name=$(basename "$ci" .yml)
  stackq() { awsq cloudformation describe-stack-resource --stack-name webapp --logical-resource-id "$1" \
               --query StackResourceDetail.PhysicalResourceId 2>&1; }
  awsq cloudformation delete-stack --stack-name webapp >/dev/null 2>&1
  awsq ecr delete-repository --repository-name api --force >/dev/null 2>&1
  for _ in $(seq 50); do awsq cloudformation describe-stacks --stack-name webapp >/dev/null 2>&1 || break; sleep 0.2; done
  zone=$(awsq route53 create-hosted-zone --name example.com --caller-reference "$name" \
           --query HostedZone.Id 2>&1 | sed 's|/hostedzone/||')
  cert=$(awsq acm request-certificate --domain-name api.example.com --query CertificateArn 2>&1)
  # moto lacks: ACM in CloudFormation, AWS's zone IDs, RDS's MasterUserSecret,
  # and it loses the SSM-typed image parameter on an update
  export MOTO_SUBSTITUTE="ApiCertCertificate=$cert literal:Z0123456789ABCDEFGHIJ=$zone
    DbDbInstance.MasterUserSecret.SecretArn=arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db-AbCdEf
    ApiClusterImage=ami-12c6146b"
  if ! python3 tests/tools/ci_commands.py --job deploy "$ci" >"$T/$name.sh" 2>"$T/err"; then
    bad "ci_moto $name: the deploy job's scripts" "$T/err"; continue
  fi
  for sha in aaa1 bbb2; do # each job in a fresh checkout
    rm -rf "$T/checkout" && mkdir -p "$T/checkout/infra" && cp examples/webapp-ha.infra "$T/checkout/infra/"
    if (cd "$T/checkout" && PATH="$T/bin:$PATH" GITHUB_SHA=$sha CIRCLE_SHA1=$sha bash -e "$T/$name.sh" </dev/null) >"$T/run.out" 2>&1; then
      ok "ci_moto $name: the deploy job runs with $sha"
    else bad "ci_moto $name: the deploy job runs with $sha" "$T/run.out"; continue 2; fi
    check "ci_moto $name: $sha: the stack's ImageTag is the commit" "$sha" \
      "$(awsq cloudformation describe-stacks --stack-name webapp \
           --query 'Stacks[0].Parameters[?ParameterKey==`ImageTag`].ParameterValue' 2>&1)"
    check "ci_moto $name: $sha: the image was pushed" "docker push $AWS_ACCOUNT_ID.dkr.ecr.ap-northeast-1.amazonaws.com/api:$sha" \
      "$(grep "^docker push" "$T/tools.log" | tail -1)"
    check "ci_moto $name: $sha: the stack's template makes the image from ImageTag" \
      '{"Fn::Sub": "${ApiRepoRepository.RepositoryUri}:${ImageTag}"}' \
      "$(aws --endpoint-url "$URL" --output json cloudformation get-template --stack-name webapp \
           --query TemplateBody 2>&1 | python3 -c '
import json, sys
t = json.load(sys.stdin)
t = json.loads(t) if isinstance(t, str) else t
print(json.dumps(t["Resources"]["ApiTaskTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Image"]))' 2>&1)"
    td=$(stackq ApiTaskTaskDefinition)
    if [ $sha = bbb2 ] && [ "$td" = "$first_td" ]; then
      echo "skip ci_moto $name: $sha: the new task definition's image (moto's CloudFormation leaves a resource whose only change is a \${PARAM} in Fn::Sub untouched: see the header)"
      continue
    fi
    first_td=$td
    check "ci_moto $name: $sha: the task definition's image" \
      "$AWS_ACCOUNT_ID.dkr.ecr.ap-northeast-1.amazonaws.com/api:$sha" \
      "$(awsq ecs describe-task-definition --task-definition "$td" --query 'taskDefinition.containerDefinitions[0].image' 2>&1)"
    check "ci_moto $name: $sha: the service runs it" "$td" \
      "$(awsq ecs describe-services --cluster "$(stackq ApiClusterCluster)" --services "$(stackq ApiService)" \
           --query 'services[0].taskDefinition' 2>&1)"
  done
done
