# infrac plan and the API plan: each pair tests/plan/NAME/new.infra against
# the template of tests/plan/base.infra gives the golden text and JSON plans;
# every JSON plan and the API plan of every example pass
# tests/tools/plan_validate.py (botocore's models and validator); the
# examples' CI configurations run as they are written.
. tests/lib.sh
need_python botocore cfnlint || exit 0

# plan_check NAME FILE: plan_validate.py finds no error in FILE (all files
# are judged in one process, after the API plans below).
: >"$T/plans"
plan_check() { printf '%s\t%s\n' "$1" "$2" >>"$T/plans"; }

"$INFRAC" build tests/plan/base.infra -o "$T/base.json" 2>"$T/err" || bad "build base" "$T/err"
"$INFRAC" build --emit=cfn-yaml tests/plan/base.infra -o "$T/base.yaml" 2>"$T/err" || bad "build base yaml" "$T/err"
for dir in tests/plan/*/; do
  dir=${dir%/}
  [ -f "$dir/new.infra" ] || continue
  name=$(basename "$dir")
  golden "plan $name" "$dir/plan.expected" "$INFRAC" plan "$dir/new.infra" --against "$T/base.json"
  golden "plan --format=json $name" "$dir/plan.json.expected" \
    "$INFRAC" plan --format=json "$dir/new.infra" --against "$T/base.json"
  "$INFRAC" plan --format=json "$dir/new.infra" --against "$T/base.json" >"$T/$name.plan.json" 2>/dev/null
  plan_check "$name" "$T/$name.plan.json"
  # the YAML form of the same template plans the same
  "$INFRAC" plan "$dir/new.infra" --against "$T/base.yaml" >"$T/yaml.out" 2>&1
  "$INFRAC" plan "$dir/new.infra" --against "$T/base.json" >"$T/json.out" 2>&1
  if cmp -s "$T/yaml.out" "$T/json.out"; then ok "plan $name against YAML"; else
    diff -u "$T/json.out" "$T/yaml.out" >"$T/d"; bad "plan $name against YAML" "$T/d"; fi
done

# What `aws cloudformation get-template` prints: the body inside an envelope,
# as an object (JSON) or a string (YAML).
python3 - "$T/base.json" "$T/base.yaml" "$T/wrapped.json" "$T/wrapped-yaml.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
json.dump({"TemplateBody": body, "StagesAvailable": ["Original", "Processed"]}, open(sys.argv[3], "w"))
json.dump({"TemplateBody": open(sys.argv[2]).read()}, open(sys.argv[4], "w"))
PY
for w in wrapped wrapped-yaml; do
  "$INFRAC" plan tests/plan/add-subnet/new.infra --against "$T/$w.json" >"$T/w.out" 2>&1
  if cmp -s "$T/w.out" <("$INFRAC" plan tests/plan/add-subnet/new.infra --against "$T/base.json" 2>&1); then
    ok "plan against get-template output ($w)"; else bad "plan against get-template output ($w)" "$T/w.out"; fi
done

# retain = true: the deployed log group has DeletionPolicy Retain, so
# removing it from the stack makes no call; the plan says it is retained.
sed 's/^log_group app_logs { retention = 14d }$/log_group app_logs { retention = 14d  retain = true }/' \
  tests/plan/base.infra >"$T/retain.infra"
"$INFRAC" build "$T/retain.infra" -o "$T/retain.json" 2>"$T/err" || bad "build retain base" "$T/err"
# Every VPC's CIDR changed in two units of bench/gen: each VPC replaced, and
# in a cascade whatever refers to it, and what refers to those (bench/run
# times the same at 100,000 resources).
python3 bench/gen 56 >"$T/gen.infra"
sed -E 's/\b10\.([0-9]+\.[0-9]+\.[0-9]+\/)/11.\1/g' "$T/gen.infra" >"$T/moved.infra"
"$INFRAC" build "$T/gen.infra" -o "$T/gen.json" 2>"$T/err" || bad "build gen" "$T/err"
# bench/run stops on a generated stack that does not check clean.
if "$INFRAC" check "$T/gen.infra" >"$T/err" 2>&1 && [ ! -s "$T/err" ]; then ok "bench/gen checks with no warning"
else bad "bench/gen checks with no warning" "$T/err"; fi
golden "plan cascade: VPC CIDRs changed" tests/plan/cascade.expected \
  sh -c "cd '$T' && '$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")' plan moved.infra --against gen.json"
golden "plan retain" tests/plan/retain/plan.expected \
  "$INFRAC" plan tests/plan/remove-log-group/new.infra --against "$T/retain.json"
"$INFRAC" plan --format=json tests/plan/remove-log-group/new.infra --against "$T/retain.json" \
  >"$T/retain.plan.json" 2>/dev/null
plan_check "retain" "$T/retain.plan.json"
if grep -q DeleteLogGroup "$T/retain.plan.json"; then bad "plan retain: no DeleteLogGroup" "$T/retain.plan.json"
else ok "plan retain: no DeleteLogGroup"; fi

# The partition of the region: arn:aws-cn: in cn-north-1, never arn:aws:.
"$INFRAC" build --emit=api-plan tests/plan/partition/cn.infra -o "$T/cn.api.json" 2>"$T/err" ||
  bad "build --emit=api-plan cn" "$T/err"
plan_check "api-plan cn-north-1" "$T/cn.api.json"
if grep -q '"arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore"' "$T/cn.api.json" &&
  grep -q 'arn:aws-cn:s3:::uploads' "$T/cn.api.json" && ! grep -q 'arn:aws:' "$T/cn.api.json"; then
  ok "api-plan cn-north-1: ARNs of aws-cn"; else bad "api-plan cn-north-1: ARNs of aws-cn" "$T/cn.api.json"; fi

# --detailed-exitcode: 0 without changes, 2 with.
"$INFRAC" plan --detailed-exitcode tests/plan/no-change/new.infra --against "$T/base.json" >/dev/null 2>&1
s1=$?
"$INFRAC" plan --detailed-exitcode tests/plan/add-subnet/new.infra --against "$T/base.json" >/dev/null 2>&1
s2=$?
if [ "$s1" = 0 ] && [ "$s2" = 2 ]; then ok "plan --detailed-exitcode"; else
  echo "no change: $s1, changes: $s2" >"$T/d"; bad "plan --detailed-exitcode" "$T/d"; fi

# Errors: no such file, not a template, a stack with errors.
golden "plan against a missing file" tests/plan/errors/missing.expected \
  "$INFRAC" plan tests/plan/base.infra --against tests/plan/errors/no-such.json
golden "plan against a non-template" tests/plan/errors/not-template.expected \
  "$INFRAC" plan tests/plan/base.infra --against tests/plan/errors/not-template.json
printf 'stack shop { region = "ap-northeast-1" }\nvpc main { cidr = 10.0.0.0/8 }\n' >"$T/bad.infra"
golden "plan of a stack with errors" tests/plan/errors/bad-stack.expected \
  sh -c 'cd "$1" && "$2" plan bad.infra' sh "$T" "$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")"

# The API plan of every example (`resource` declarations of types without
# a native row through Cloud Control) and of tests/build/secrets.infra
# (inline policies, a DB parameter group, deployment settings) passes
# plan_validate; webapp's is golden. properties { } on a kind, which the
# native calls would leave out, is refused there, and nothing is written.
if ! "$INFRAC" build --emit=api-plan tests/build/resource.infra -o "$T/resource.api.json" 2>"$T/err" &&
   grep -q "^tests/build/resource.infra:17:3: error: the API plan does not write the properties { } of log_group app" "$T/err" &&
   [ ! -e "$T/resource.api.json" ]; then ok "api-plan: properties { } of a kind refused at its declaration"
else bad "api-plan: properties { } of a kind refused at its declaration" "$T/err"; fi
for ex in examples/*.infra tests/build/secrets.infra; do
  name=$(basename "$ex" .infra)
  if "$INFRAC" build --emit=api-plan "$ex" -o "$T/$name.api.json" 2>"$T/err"; then
    plan_check "api-plan $ex" "$T/$name.api.json"
  else bad "build --emit=api-plan $ex" "$T/err"; fi
  # every reference and DependsOn of the template is an ordering of the steps
  "$INFRAC" build "$ex" -o "$T/$name.template.json" 2>/dev/null
  if python3 tests/tools/plan_closure.py "$T/$name.template.json" "$T/$name.api.json" >"$T/closure" 2>&1; then
    ok "api-plan $ex: depends_on holds every reference and DependsOn"
  else bad "api-plan $ex: depends_on holds every reference and DependsOn" "$T/closure"; fi
  if grep -q '^resource ' "$ex"; then
    if grep -q '"service": "cloudcontrol"' "$T/$name.api.json"; then ok "api-plan $ex: Cloud Control steps"
    else bad "api-plan $ex: Cloud Control steps" "$T/$name.api.json"; fi
  fi
done

# The API plan decides a condition that reads params for their values (the
# default, or --param): what it guards is in the plan or not, ?: takes a side.
cat >"$T/params.infra" <<'EOF2'
stack demo { region = "us-east-1" }
param env : string = "dev"
condition prod = env == "prod" && aws.region == "us-east-1"
vpc main if prod { cidr = 10.0.0.0/16 }
log_group logs { name = prod ? "prod-logs" : "dev-logs" }
EOF2
for v in dev prod; do
  if "$INFRAC" build --emit=api-plan --param env=$v "$T/params.infra" -o "$T/params-$v.json" 2>"$T/err"; then
    python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))
print(" ".join(sorted(c["resource"] for c in p["changes"])), [x["new"] for c in p["changes"] for x in c["properties"] if x["path"] == "LogGroupName"])' \
      "$T/params-$v.json" >"$T/params-$v.out" 2>&1
  else cp "$T/err" "$T/params-$v.out"; fi
done
if grep -qx "logs \['dev-logs'\]" "$T/params-dev.out"; then ok "api-plan: a param condition decided by the default (false)"
else bad "api-plan: a param condition decided by the default (false)" "$T/params-dev.out"; fi
if grep -qx "logs main \['prod-logs'\]" "$T/params-prod.out"; then ok "api-plan: a param condition decided by --param (true)"
else bad "api-plan: a param condition decided by --param (true)" "$T/params-prod.out"; fi


# Cloud Control: twelve types without a native row (tests/plan/cloudcontrol)
# are created, then updated by a JSON Patch, replaced (a create-only
# property) and deleted, planned against a state; both plans pass
# plan_validate, and a literal ${HOME} stays text in the desired state.
cc=tests/plan/cloudcontrol
"$INFRAC" build --emit=api-plan $cc/stack.infra -o "$T/cc.api.json" 2>"$T/err" || bad "api-plan $cc" "$T/err"
plan_check "api-plan $cc" "$T/cc.api.json"
"$INFRAC" build $cc/stack.infra -o "$T/cc.json" 2>"$T/err" && python3 $cc/deployed.py "$T/cc.json" "$T/cc.state.json"
"$INFRAC" plan --format=json $cc/stack.infra --against "$T/cc.state.json" >"$T/cc.plan.json" 2>"$T/err" ||
  bad "plan --format=json $cc against a state" "$T/err"
plan_check "plan $cc against a state" "$T/cc.plan.json"
python3 - "$T/cc.api.json" "$T/cc.plan.json" >"$T/cc.out" 2>&1 <<'PY'
import json, sys
create, change = (json.load(open(f)) for f in sys.argv[1:])
def ops(plan, res):
    return [s['operation'] for s in plan['steps'] if s['resource'] == res]
types = {s['type'] for s in create['steps'] if s['service'] == 'cloudcontrol'}
assert len(types) >= 10, types
assert ops(create, 'jobs') == ['CreateResource', 'GetResourceRequestStatus', 'GetResourceRequestStatus',
                               'GetResource'], ops(create, 'jobs')
greeting = [s for s in create['steps'] if s['resource'] == 'greeting'][0]
state = greeting['placeholders'][0]
assert state['at'] == '/params/DesiredState', greeting
assert state['value']['$join'][0].endswith('"Value":"echo ${HOME} in '), greeting
assert state['value']['$join'][1] == {'$capture': 'jobs.queue_name'}, greeting
assert greeting['params']['DesiredState'].endswith('"Value":"echo ${HOME} in ${jobs.queue_name}"}'), greeting
update = [s for s in change['steps'] if s['operation'] == 'UpdateResource']
assert [s['resource'] for s in update] == ['jobs'], update
assert json.loads(update[0]['params']['PatchDocument']) == [
    {'op': 'replace', 'path': '/VisibilityTimeout', 'value': 60}], update
assert update[0]['params']['Identifier'] == 'id-JobsQueue', update
assert ops(change, 'orders')[0] == 'DeleteResource' and 'CreateResource' in ops(change, 'orders'), ops(change, 'orders')
assert ops(change, 'OldTopic') == ['DeleteResource', 'GetResourceRequestStatus'], ops(change, 'OldTopic')
PY
if [ -s "$T/cc.out" ]; then bad "Cloud Control: create, patch, replace, delete" "$T/cc.out"; else
  ok "Cloud Control: create, patch, replace, delete"; fi

# Taking the reference stack down to one VPC (planned against a state with
# every capture): the certificate's validation record goes before the
# certificate, and both before the zone (else HostedZoneNotEmpty); the
# repository goes with its images (force).
printf 'stack webapp { region = "ap-northeast-1" }\nvpc main { cidr = 10.0.0.0/16 }\n' >"$T/down.infra"
"$INFRAC" build examples/webapp.infra -o "$T/web.json" 2>/dev/null
python3 - "$T/web.json" "$T/web.state.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
caps = lambda k: {'id': 'id-' + k.lower(), 'name': 'n-' + k.lower(), 'address': '192.0.2.1',
                  'arn': 'arn:aws:acm:ap-northeast-1:123456789012:certificate/' + k.lower(),
                  'allocation_id': 'eipalloc-1', 'validation_name': '_x.api.example.com.',
                  'validation_value': '_y.acm-validations.aws.'}
json.dump({'format': 'infrac-state/1', 'stack': 'webapp', 'region': 'ap-northeast-1', 'template': t,
           'resources': {k: {'resource': k, 'captures': caps(k)} for k in t['Resources']}},
          open(sys.argv[2], 'w'))
PY
"$INFRAC" plan --format=json "$T/down.infra" --against "$T/web.state.json" >"$T/down.json" 2>"$T/err" ||
  bad "plan webapp down to one VPC" "$T/err"
plan_check "plan webapp down to one VPC" "$T/down.json"
python3 - "$T/down.json" >"$T/down.out" 2>&1 <<'PY'
import json, sys
steps = json.load(open(sys.argv[1]))['steps']
at = {(s['resource'], s['operation']): i for i, s in enumerate(steps)}
record = at[('ApiCertCertificate', 'ChangeResourceRecordSets')]
assert steps[record]['params']['ChangeBatch']['Changes'][0]['Action'] == 'DELETE'
assert record < at[('ApiCertCertificate', 'DeleteCertificate')] < at[('ExampleHostedZone', 'DeleteHostedZone')]
assert steps[at[('ApiRepoRepository', 'DeleteRepository')]]['params'].get('force') is True
PY
if [ -s "$T/down.out" ]; then bad "destroy: validation record, certificate, zone; repository forced" "$T/down.out"
else ok "destroy: validation record, certificate, zone; repository forced"; fi

# A condition the API plan cannot decide (it reads what only deploy time
# knows): refused where the declaration names it, and nothing is written.
cat >"$T/cond.infra" <<'EOF2'
stack demo { region = "us-east-1" }
param env : string = "dev"
condition prod = env == "prod" || aws.account_id == "123456789012"
vpc main if prod { cidr = 10.0.0.0/16 }
EOF2
if ! "$INFRAC" build --emit=api-plan "$T/cond.infra" -o "$T/cond.api.json" 2>"$T/err" &&
   grep -q "cond.infra:4:13: error: the API plan cannot decide condition prod" "$T/err" &&
   [ ! -e "$T/cond.api.json" ]; then ok "api-plan: an undecidable condition is a located error"
else bad "api-plan: an undecidable condition is a located error" "$T/err"; fi
cut -f2 "$T/plans" | xargs python3 tests/tools/plan_validate.py >"$T/valid" 2>&1
while IFS="$(printf '\t')" read -r name file; do
  if grep -q "^$file: 0 errors" "$T/valid"; then ok "plan_validate $name"; else
    grep -F "$file: " "$T/valid" >"$T/why"; bad "plan_validate $name" "$T/why"; fi
done <"$T/plans"
golden "api-plan examples/webapp.infra" tests/examples/webapp.api-plan.json \
  "$INFRAC" build --emit=api-plan examples/webapp.infra -o -

# A secret given to plan stays out of everything it writes.
"$INFRAC" plan --format=json --param db_password=Hunter2-secret examples/webapp.infra >"$T/s.json" 2>"$T/s.err"
if grep -q Hunter2-secret "$T/s.json" "$T/s.err"; then bad "plan keeps secrets out" "$T/s.json"; else
  ok "plan keeps secrets out"; fi
python3 - "$T/s.json" >"$T/s.out" 2>&1 <<'PY'
import json, sys
steps = json.load(open(sys.argv[1]))['steps']
db = [s for s in steps if s['operation'] == 'CreateDBInstance'][0]
assert db['params']['MasterUserPassword'] == '${param.db_password}', db
assert {'at': '/params/MasterUserPassword', 'value': {'$capture': 'param.db_password'}} in db['placeholders'], db
PY
if [ -s "$T/s.out" ]; then bad "the secret is a placeholder" "$T/s.out"; else ok "the secret is a placeholder"; fi

# A saved plan substitutes only where its "placeholders" list says, and only
# the text its plan wrote there: a string changed at a listed position, or a
# placeholder form where none is listed (the old format), is refused before
# anything is read or made.
"$INFRAC" plan --format=json tests/apply/text.infra >"$T/text.plan.json" 2>/dev/null
python3 - "$T/text.plan.json" "$T" <<'PY'
import copy, json, sys
plan, out = json.load(open(sys.argv[1])), sys.argv[2]
subnet = next(s for s in plan['steps'] if s['operation'] == 'CreateSubnet')
at = '/params/TagSpecifications/0/Tags/1/Value'
assert subnet['params']['TagSpecifications'][0]['Tags'][1]['Value'] == 'in ${main.id}, not ${main.id}', subnet
assert {'at': at, 'value': {'$join': ['in ', {'$capture': 'main.id'}, ', not ${main.id}']}} in subnet['placeholders']
changed = copy.deepcopy(plan)
next(s for s in changed['steps'] if s['id'] == subnet['id'])['params']['TagSpecifications'][0]['Tags'][1]['Value'] = \
    'in ${main.id}, not ${param.db_password}'
json.dump(changed, open(out + '/changed.plan.json', 'w'))
unlisted = copy.deepcopy(plan)
step = next(s for s in unlisted['steps'] if s['id'] == subnet['id'])
step['params']['VpcId'] = {'$capture': 'main.id'}
step['placeholders'] = [e for e in step['placeholders'] if e['at'] != '/params/VpcId']
json.dump(unlisted, open(out + '/unlisted.plan.json', 'w'))
PY
for p in changed unlisted; do
  "$INFRAC" apply --plan "$T/$p.plan.json" --state "$T/$p.state" --endpoint-url http://127.0.0.1:9 \
    --auto-approve >"$T/$p.out" 2>&1
  echo "exit: $?" >>"$T/$p.out"
done
if grep -q 'placeholders\[[0-9]*\]: /params/TagSpecifications/0/Tags/1/Value does not hold "in ${main.id}, not ${main.id}", the text of its placeholder' "$T/changed.out" &&
   grep -q '^exit: 1' "$T/changed.out" && [ ! -e "$T/changed.state" ]; then ok "apply --plan: a placeholder's text changed is refused"
else bad "apply --plan: a placeholder's text changed is refused" "$T/changed.out"; fi
if grep -q '/params/VpcId/$capture holds a placeholder form that "placeholders" does not list' "$T/unlisted.out" &&
   grep -q '^exit: 1' "$T/unlisted.out" && [ ! -e "$T/unlisted.state" ]; then ok "apply --plan: a placeholder form not listed is refused"
else bad "apply --plan: a placeholder form not listed is refused" "$T/unlisted.out"; fi

# The CI configurations of examples/ci: their infrac commands run on the
# example as written (the deployed template being the example's own build),
# and the parameters they pass to CloudFormation are the template's.
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
for ci in examples/ci/*.yml; do
  name=$(basename "$ci")
  if ! python3 tests/tools/ci_commands.py "$ci" >"$T/ci.cmds" 2>"$T/err"; then
    bad "ci $name parses" "$T/err"; continue
  fi
  rm -rf "$T/ci" && mkdir -p "$T/ci/infra" && cp examples/webapp-ha.infra "$T/ci/infra/"
  "$INFRAC" build examples/webapp-ha.infra -o "$T/ci/deployed.json" 2>/dev/null
  n=0
  while IFS= read -r cmd; do
    case "$cmd" in
      infrac\ *)
        n=$((n + 1))
        (cd "$T/ci" && GITHUB_SHA=0123abc CIRCLE_SHA1=0123abc eval "\"$BIN\" ${cmd#infrac }") \
          >"$T/ci.out" 2>&1
        if [ $? = 0 ]; then ok "ci $name: $cmd"; else bad "ci $name: $cmd" "$T/ci.out"; fi ;;
      override\ *)
        p=${cmd#override }
        if python3 -c 'import json,sys; sys.exit(sys.argv[2] not in json.load(open(sys.argv[1]))["Parameters"])' \
          "$T/ci/webapp.json" "$p" 2>"$T/err"; then ok "ci $name: parameter $p exists"; else
          bad "ci $name: parameter $p exists" "$T/err"; fi ;;
    esac
  done <"$T/ci.cmds"
  [ "$n" -ge 3 ] && ok "ci $name runs check, plan and build" || bad "ci $name runs check, plan and build"
  if grep -q '"ImageTag"' "$T/ci/webapp.json" && grep -q '0123abc' "$T/ci/webapp.json"; then
    ok "ci $name: the image tag is the commit"; else bad "ci $name: the image tag is the commit"; fi
done

# One read serves every capture of its answer: against the deployed
# template, the record renamed needs the balancer's DNS name and zone, and
# one DescribeLoadBalancers step captures both (not one call each).
"$INFRAC" build examples/webapp.infra -o "$T/shared.json" 2>/dev/null
python3 - "$T/shared.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t['Resources']['ApiDnsRecordSet']['Properties']['Name'] = 'old.example.com'
json.dump(t, open(sys.argv[1], 'w'))
PY
"$INFRAC" plan --format=json examples/webapp.infra --against "$T/shared.json" >"$T/shared.plan.json" 2>/dev/null
check "one read serves the captures of its answer: the balancer's DNS name and zone" \
  "api_alb.dns_name api_alb.zone_id
was.api_alb.dns_name was.api_alb.zone_id" "$(python3 -c 'import json,sys
for s in json.load(open(sys.argv[1]))["steps"]:
    if s["operation"] == "DescribeLoadBalancers": print(" ".join(sorted(s["captures"])))' "$T/shared.plan.json" | sort)"
if python3 tests/tools/plan_validate.py "$T/shared.plan.json" >"$T/v" 2>&1; then ok "plan_validate: the shared reads"
else bad "plan_validate: the shared reads" "$T/v"; fi
