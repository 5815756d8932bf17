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

# The API plan of every example and of tests/build/secrets.infra (inline
# policies, a DB parameter group, deployment settings) passes plan_validate;
# webapp's is golden. An example with `resource` declarations has no API plan yet
# (issue "one AWS-type table"): the build stops with an error at each of
# them, and writes nothing.
for ex in examples/*.infra tests/build/secrets.infra; do
  name=$(basename "$ex" .infra)
  if grep -q '^resource ' "$ex"; then
    if ! "$INFRAC" build --emit=api-plan "$ex" -o "$T/$name.api.json" 2>"$T/err" &&
       grep -q "^$ex:[0-9]*:[0-9]*: error: the API plan does not drive AWS::" "$T/err" &&
       [ ! -e "$T/$name.api.json" ]; then
      ok "api-plan $ex: refused at its resource declarations"
    else bad "api-plan $ex: refused at its resource declarations" "$T/err"; fi
    continue
  fi
  if grep -q '^ *capacity {' "$ex"; then # nor launch templates and auto scaling groups yet
    if ! "$INFRAC" build --emit=api-plan "$ex" -o "$T/$name.api.json" 2>"$T/err" &&
       grep -q "cannot plan: no API plan for .* (AWS::EC2::LaunchTemplate)" "$T/err" &&
       [ ! -e "$T/$name.api.json" ]; then
      ok "api-plan $ex: refused at its cluster capacity"
    else bad "api-plan $ex: refused at its cluster capacity" "$T/err"; fi
    continue
  fi
  if "$INFRAC" build --emit=api-plan "$ex" -o "$T/$name.api.json" 2>"$T/err"; then
    plan_check "api-plan $ex" "$T/$name.api.json"
  else bad "build --emit=api-plan $ex" "$T/err"; fi
done

# A condition the API plan cannot decide (it reads a param): refused where
# the declaration names it, and nothing is written.
cat >"$T/cond.infra" <<'EOF2'
stack demo { region = "us-east-1" }
param env : string = "dev"
condition prod = env == "prod"
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
"$INFRAC" plan --format=json --param db_password=Hunter2-secret examples/webapp.infra >"$T/s.json" 2>&1
if grep -q Hunter2-secret "$T/s.json"; then bad "plan keeps secrets out" "$T/s.json"; else
  ok "plan keeps secrets out"; fi
if grep -q '"${param.db_password}"' "$T/s.json"; then ok "the secret is a placeholder"; else
  bad "the secret is a placeholder" "$T/s.json"; fi

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
