# Every in-place update the native rows of backends/apiplan_types.c can make:
# for each property an update group holds and each resource of the examples
# that sets it, the example is planned against its own template with that one
# property changed (tests/tools/update_each.py); the text and JSON plans must
# both succeed, update the resource in place, and pass plan_validate.py.
# KNOWN lists the cases that fail today, with why: each must still fail (a
# case that starts to pass is removed from the list, so it cannot go stale).
. tests/lib.sh
need_python botocore cfnlint || exit 0
KNOWN=""
known() { printf '%s\n' $KNOWN | grep -qx "$1:$2"; }
mkdir "$T/plans"
python3 tests/tools/update_each.py "$INFRAC" "$T/plans" backends/apiplan_types.c examples/*.infra \
  >"$T/cases" 2>&1
n=0
while read -r word example rest; do
  case "$word" in
    ok) ok "$example $rest"; n=$((n + 1)) ;;
    FAIL)
      logical=${rest%%.*}
      if known "$example" "$logical"; then ok "known gap: $example ${rest%%:*}"
      else echo "FAIL $example $rest"; fi ;;
    *) ;;
  esac
done <"$T/cases"
for gap in $KNOWN; do
  if ! grep -q "^FAIL ${gap%%:*} ${gap#*:}\." "$T/cases"; then
    echo "FAIL known gap $gap now passes: remove it from KNOWN"; fi
done
if [ "$n" -ge 60 ]; then ok "$n in-place updates planned"; else bad "only $n in-place updates planned" "$T/cases"; fi
if python3 tests/tools/plan_validate.py "$T"/plans/*.plan.json >"$T/v" 2>&1; then
  ok "plan_validate: every update plan"; else grep -v ': 0 errors' "$T/v" >"$T/d"; bad "plan_validate: every update plan" "$T/d"; fi

# What no call updates in place, though the schemas call it updatable
# (apiplan_types.c's replaced_by): an address's Domain, a service's
# LaunchType. Both plans replace the resource; the JSON plan validates.
"$INFRAC" build examples/webapp.infra -o "$T/webapp.json" 2>"$T/err" || bad "build webapp" "$T/err"
python3 - "$T/webapp.json" "$T/replaced.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t['Resources']['NatEip']['Properties']['Domain'] = 'standard'
t['Resources']['ApiService']['Properties']['LaunchType'] = 'FARGATE'
json.dump(t, open(sys.argv[2], 'w'))
PY
"$INFRAC" plan examples/webapp.infra --against "$T/replaced.json" >"$T/replaced.txt" 2>/dev/null
for prop in Domain LaunchType; do
  if grep -q "~ $prop: .*# forces replacement" "$T/replaced.txt"; then ok "text plan: $prop forces replacement"
  else bad "text plan: $prop forces replacement" "$T/replaced.txt"; fi
done
if "$INFRAC" plan --format=json examples/webapp.infra --against "$T/replaced.json" >"$T/replaced.plan.json" 2>"$T/err" &&
  python3 -c '
import json, sys
acts = {(c["logical_id"], c["action"]) for c in json.load(open(sys.argv[1]))["changes"]}
sys.exit(not {("NatEip", "replace"), ("ApiService", "replace")} <= acts)' "$T/replaced.plan.json" &&
  python3 tests/tools/plan_validate.py "$T/replaced.plan.json" >"$T/v" 2>&1; then
  ok "JSON plan: Domain and LaunchType replace, and validate"
else cat "$T/err" "$T/v" >"$T/d" 2>/dev/null; bad "JSON plan: Domain and LaunchType replace, and validate" "$T/d"; fi

# The updates applied, against moto (tests/apply/updates.infra): a zone's
# tags (on its ID without "/hostedzone/": the state's zone ID is removed
# first, so that a step looks the zone up and cuts the prefix at apply
# time), an instance's user data (stopped, changed, started) and its
# profile (associated where it had none, then the association replaced).
need_python moto.server && need_aws_cli || exit 0
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=ap-northeast-1 AWS_PAGER=""
start_moto
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
cp tests/apply/updates.infra "$T/upd.infra"
ROOT=$(pwd)
cd "$T" || exit 1
# apply_step N: apply upd.infra (as it is now) to upd.state
apply_step() {
  if "$BIN" apply upd.infra --state upd.state --endpoint-url "$URL" --auto-approve >"apply$1.out" 2>&1; then
    ok "apply of the updates, $1"; else bad "apply of the updates, $1" "apply$1.out"; fi
}
apply_step 1
inst=$(awsq ec2 describe-instances --filters Name=tag:Name,Values=upd-host Name=instance-state-name,Values=running \
  --query 'Reservations[0].Instances[0].InstanceId')
zone=$(awsq route53 list-hosted-zones-by-name --dns-name upd.example.com --query 'HostedZones[0].Id')
profile() { awsq ec2 describe-iam-instance-profile-associations --filters "Name=instance-id,Values=$inst" \
  --query 'IamInstanceProfileAssociations[].IamInstanceProfile.Arn'; }
check "no profile at first" "" "$(profile)"
# (moto reads the bytes of ModifyInstanceAttribute's UserData blob as base64
# text, where EC2 takes them as the data itself: the new user data is text
# that is base64 too, "echo two" encoded, so that moto keeps it)
sed -i 's/Team = "one"/Team = "two"/; s/"echo one"/"ZWNobyB0d28="/; s/^  image     = .*/&\n  role      = host_a/' upd.infra
python3 - upd.state <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
del s['resources']['ExampleHostedZone']['captures']['id']
json.dump(s, open(sys.argv[1], 'w'))
PY
"$BIN" plan upd.infra --against upd.state >plan2.out 2>&1
if grep -qF '~ UserData.Fn::Base64: "echo one" => "ZWNobyB0d28="  # stops and starts it' plan2.out; then
  ok "the text plan says the user data stops and starts the instance"
else bad "the text plan says the user data stops and starts the instance" plan2.out; fi
apply_step 2
if grep -q "route53 ListHostedZonesByName" apply2.out; then ok "the zone is looked up, its ID cut at apply time"
else bad "the zone is looked up, its ID cut at apply time" apply2.out; fi
check "the zone's tag changed" "two" \
  "$(awsq route53 list-tags-for-resource --resource-type hostedzone --resource-id "${zone#/hostedzone/}" \
    --query "ResourceTagSet.Tags[?Key=='Team'].Value")"
check "the user data changed" "echo two" \
  "$(awsq ec2 describe-instance-attribute --instance-id "$inst" --attribute userData --query 'UserData.Value' | base64 -d)"
check "the instance runs again" "running" \
  "$(awsq ec2 describe-instances --instance-ids "$inst" --query 'Reservations[0].Instances[0].State.Name')"
check "the profile is associated" "upd-host-ainstance-profile-ap-northeast-1" "$(profile | sed 's|.*/||')"
sed -i 's/role      = host_a/role      = host_b/' upd.infra
apply_step 3
check "the association is replaced" "upd-host-binstance-profile-ap-northeast-1" "$(profile | sed 's|.*/||')"
check "the same instance" "$inst" \
  "$(awsq ec2 describe-instances --filters Name=tag:Name,Values=upd-host --query 'Reservations[].Instances[].InstanceId')"
"$BIN" plan upd.infra --against upd.state >plan4.out 2>&1
check "then no changes" "No changes." "$(tail -1 plan4.out)"

# The zone looked up by its name is the one of that name (a lookup answers
# from the name on), and two of that name are refused, not guessed: a second
# zone upd.example.com, the state's zone ID removed again, a tag changed.
# Apply stops at the lookup; neither zone's tags change.
decoy=$(awsq route53 create-hosted-zone --name upd.example.com --caller-reference decoy --query HostedZone.Id)
python3 - upd.state <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s['resources']['ExampleHostedZone']['captures'].pop('id', None)
json.dump(s, open(sys.argv[1], 'w'))
PY
sed -i 's/Team = "two"/Team = "three"/' upd.infra
"$BIN" plan --format=json upd.infra --against upd.state >where.plan.json 2>/dev/null
check "the lookup's step picks its zone by name" '{"example.bare_id": {"Name": "upd.example.com."}}' \
  "$(python3 -c 'import json,sys
for s in json.load(open(sys.argv[1]))["steps"]:
    if s["operation"] == "ListHostedZonesByName": print(json.dumps(s["captures_where"]))' where.plan.json)"
if python3 "$ROOT/tests/tools/plan_validate.py" where.plan.json >where.v 2>&1; then ok "plan_validate: the lookup's plan"
else bad "plan_validate: the lookup's plan" where.v; fi
"$BIN" apply upd.infra --state upd.state --endpoint-url "$URL" --auto-approve >apply5.out 2>&1
check "two zones of the name: apply exits 1" "1" "$?"
expect "two zones of the name: refused, with why" \
  grep -q 'ListHostedZonesByName of example): 2 items of the answer match {"Name":"upd.example.com."}: which one is the stack' apply5.out
for z in "$zone" "$decoy"; do
  check "two zones of the name: $z's tag unchanged" "$([ "$z" = "$zone" ] && echo two)" \
    "$(awsq route53 list-tags-for-resource --resource-type hostedzone --resource-id "${z#/hostedzone/}" \
      --query "ResourceTagSet.Tags[?Key=='Team'].Value")"
done
