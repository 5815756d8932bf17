# Text is never substituted on the way to AWS (the API plan's placeholders are
# JSON forms of their own, docs/formats.md): against a moto server, a literal
# ${HOME} in user_data and in a tag, a literal ${main.id} beside a real
# reference, and a param whose value looks like the secret's placeholder all
# arrive as written; then the same through the AWS CLI (--via=aws-cli), and
# through a saved plan (plan --format=json, apply --plan).
. tests/lib.sh
need_python moto.server || exit 0
command -v aws >/dev/null || { echo "FAIL apply_text: the AWS CLI (aws) is not installed"; exit 0; }
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=ap-northeast-1
export AWS_PAGER=""
start_moto
cp tests/apply/text.infra "$T/"
cd "$T" || exit 1


# apply_saved: plan --format=json, then apply --plan of that file (its
# placeholders through the file, docs/formats.md)
apply_saved() {
  "$BIN" plan --format=json text.infra --param 'note=${param.db_password}' >text.plan.json &&
    INFRAC_PARAM_db_password=Very-secret-1 "$BIN" apply --plan text.plan.json --state textplan.state \
      --endpoint-url "$URL" --auto-approve
}

# run VIA: apply (VIA "plan": a saved plan), check what AWS holds, destroy
run() {
  local via=$1 cidr=10.30.0.0/16 how=${1:+ --via=$1} ok_apply
  if [ "$via" = plan ]; then
    how=" --plan"
    apply_saved >"apply$via.out" 2>&1
  else
    INFRAC_PARAM_db_password=Very-secret-1 "$BIN" apply text.infra --state "text$via.state" \
      --endpoint-url "$URL" --auto-approve ${via:+--via=$via} --param 'note=${param.db_password}' \
      >"apply$via.out" 2>&1
  fi
  ok_apply=$?
  if [ $ok_apply = 0 ]; then ok "apply$how text.infra"; else bad "apply$how text.infra" "apply$via.out"; return; fi
  vpc=$(awsq ec2 describe-vpcs --filters Name=cidr,Values=$cidr --query 'Vpcs[0].VpcId')
  tag() { awsq ec2 describe-tags --filters "Name=resource-id,Values=$1" "Name=key,Values=$2" --query 'Tags[0].Value'; }
  check "apply$how: a param that looks like a placeholder is that text" '${param.db_password}' "$(tag "$vpc" Note)"
  if grep -rq Very-secret-1 "text$via.state" "apply$via.out"; then bad "apply$how: the secret is nowhere"; else
    ok "apply$how: the secret is nowhere"; fi
  check "apply$how: a literal \${HOME} in a tag" '${HOME}' "$(tag "$vpc" Home)"
  subnet=$(awsq ec2 describe-subnets --filters Name=cidr-block,Values=10.30.1.0/24 --query 'Subnets[0].SubnetId')
  check "apply$how: a reference and a literal \${main.id} in one tag" "in $vpc, not \${main.id}" \
    "$(tag "$subnet" Where)"
  inst=$(awsq ec2 describe-instances --filters "Name=subnet-id,Values=$subnet" \
    --query 'Reservations[0].Instances[0].InstanceId')
  ud=$(awsq ec2 describe-instance-attribute --instance-id "$inst" --attribute userData \
    --query 'UserData.Value' | base64 -d)
  check "apply$how: user_data keeps its literal \${HOME}" "echo \${HOME} > /tmp/home; echo $subnet" "$ud"
  if "$BIN" destroy --state "text$via.state" --endpoint-url "$URL" --auto-approve ${via:+--via=${via/plan/native}} \
    >"destroy$via.out" 2>&1; then ok "destroy$how text.infra"; else bad "destroy$how text.infra" "destroy$via.out"; fi
  check "destroy$how: no VPC is left" "" "$(awsq ec2 describe-vpcs --filters Name=cidr,Values=$cidr --query 'Vpcs[].VpcId')"
}
run ""
run aws-cli
run plan
