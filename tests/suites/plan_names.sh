# Physical names the API plan makes up (stack-name, as CloudFormation would
# make one): one longer than AWS allows is cut and ended with a hash of the
# whole, so that two target groups of a long stack name stay two.
. tests/lib.sh
need_python botocore || exit 0
"$INFRAC" plan --format=json tests/plan/names/long.infra >"$T/long.json" 2>"$T/err" || bad "plan long.infra" "$T/err"
check "two target groups of a long stack name: two names of at most 32 characters, cut and hashed" \
  "a-rather-long-stack-name-XXXXXX a-rather-long-stack-name-XXXXXX distinct" \
  "$(python3 -c '
import json, re, sys
names = [s["params"]["Name"] for s in json.load(open(sys.argv[1]))["steps"] if s["operation"] == "CreateTargetGroup"]
shown = [re.sub("-[0-9a-f]{6}$", "-XXXXXX", n) if len(n) <= 32 else n for n in names]
print(" ".join(shown), "distinct" if len(set(names)) == len(names) else "the same")
' "$T/long.json" 2>&1)"
if python3 tests/tools/plan_validate.py "$T/long.json" >"$T/v" 2>&1; then ok "plan_validate: long.infra"; else bad "plan_validate: long.infra" "$T/v"; fi
