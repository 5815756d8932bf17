# The validators the other suites trust (tests/tools/cfn_validate.py over
# cfn-lint, tests/tools/plan_validate.py over botocore) refuse what they must:
# broken copies of the reference example's template and API plan, one defect
# each (tests/tools/break_outputs.py), each fail with the defect named, while
# the good ones pass.
. tests/lib.sh
need_python cfnlint botocore || exit 0

"$INFRAC" build examples/webapp.infra -o "$T/good.json" 2>"$T/err" || bad "validators: build the template" "$T/err"
"$INFRAC" build --emit=api-plan examples/webapp.infra -o "$T/good.plan" 2>"$T/err" ||
  bad "validators: build the API plan" "$T/err"
if ! python3 tests/tools/break_outputs.py "$T/good.json" "$T/good.plan" "$T/broken" 2>"$T/err"; then
  bad "validators: break_outputs.py" "$T/err"
  exit 0
fi

# judge NAME FILE EXPECT: FILE's report says it has errors, and holds EXPECT.
judge() {
  local report=$1 file=$2 want=$3
  grep -F "$file: " "$report" >"$T/one"
  if grep -q "^$file: [1-9][0-9]* errors" "$T/one" && grep -qF -- "$want" "$T/one"; then
    ok "validators: $(basename "${file%.*}") refused ($want)"
  else
    echo "expected errors with: $want" >>"$T/one"
    bad "validators: $(basename "${file%.*}") refused ($want)" "$T/one"
  fi
}

templates=
for f in "$T"/broken/cfn-*.json "$T"/broken/cfn-*.yaml; do templates="$templates ap-northeast-1=$f"; done
# shellcheck disable=SC2086
python3 tests/tools/cfn_validate.py ap-northeast-1="$T/good.json" $templates >"$T/cfn.out" 2>&1
if grep -q "^$T/good.json: 0 errors" "$T/cfn.out"; then ok "validators: the good template passes cfn_validate"
else bad "validators: the good template passes cfn_validate" "$T/cfn.out"; fi
for f in "$T"/broken/cfn-*.json "$T"/broken/cfn-*.yaml; do judge "$T/cfn.out" "$f" "$(cat "${f%.*}.expect")"; done

python3 tests/tools/plan_validate.py "$T/good.plan" "$T"/broken/plan-*.json >"$T/plan.out" 2>&1
if grep -q "^$T/good.plan: 0 errors" "$T/plan.out"; then ok "validators: the good API plan passes plan_validate"
else bad "validators: the good API plan passes plan_validate" "$T/plan.out"; fi
for f in "$T"/broken/plan-*.json; do judge "$T/plan.out" "$f" "$(cat "${f%.*}.expect")"; done
