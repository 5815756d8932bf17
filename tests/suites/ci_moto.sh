# The CI flow of examples/ci, end to end against moto: each configuration's
# deploy job (its run scripts, as ci_commands.py --job gives them) runs twice
# in a checkout holding infra/webapp-ha.infra, with the commit aaa1 and then
# bbb2; infrac is the binary under test, aws goes to a moto server (the
# template given the literals moto lacks, tests/tools/moto_substitute.py),
# docker, sudo and make only record what they are asked. The first run
# creates the stack (the repository before the push); the second must roll
# out the new image: the stack's ImageTag parameter is then bbb2 (it stays
# aaa1 when the tag reaches only the template's Default: `deploy` keeps a
# parameter's previous value). Moto resolves the first task definition's
# image from the parameter, but does not replace a resource on a stack
# update whose only change is a parameter's value, so the new revision
# itself is AWS's to show.
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
check() {
  if [ "$2" = "$3" ]; then ok "$1"; else printf 'expected: %s\nactual:   %s\n' "$2" "$3" >"$T/d"; bad "$1" "$T/d"; fi
}

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
    [ $sha = aaa1 ] || continue
    td=$(stackq ApiTaskTaskDefinition)
    check "ci_moto $name: $sha: the task definition's image" \
      "$AWS_ACCOUNT_ID.dkr.ecr.ap-northeast-1.amazonaws.com/api:$sha" \
      "$(awsq ecs describe-task-definition --task-definition "$td" --query 'taskDefinition.containerDefinitions[0].image' 2>&1)"
    check "ci_moto $name: $sha: the service runs it" "$td" \
      "$(awsq ecs describe-services --cluster "$(stackq ApiClusterCluster)" --services "$(stackq ApiService)" \
           --query 'services[0].taskDefinition' 2>&1)"
  done
done
