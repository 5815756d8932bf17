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

# IAM names are one namespace for the whole account: the same stack planned
# for two regions names its roles and instance profiles apart (the region in
# each name), and the names stay within IAM's limits (64, 128) when cut.
# CloudFormation's template names no role: it makes the names itself.
for region in ap-northeast-1 us-east-1; do
  sed "s/ap-northeast-1/$region/g" examples/webapp-ha.infra >"$T/$region.infra" # its zones a, c, d too
  "$INFRAC" plan --format=json "$T/$region.infra" >"$T/$region.json" 2>"$T/err" || bad "plan webapp-ha in $region" "$T/err"
done
check "IAM names of webapp-ha in two regions: each carries its region, none is shared" \
  "6 names, each with its region, none shared, within limits" \
  "$(python3 -c '
import json, sys
names = {}
for region, path in zip(sys.argv[1::2], sys.argv[2::2]):
    for s in json.load(open(path))["steps"]:
        for op, key, most in (("CreateRole", "RoleName", 64), ("CreateInstanceProfile", "InstanceProfileName", 128)):
            if s["operation"] == op:
                n = s["params"][key]
                names[n] = names.get(n, 0) + 1
                if region not in n and len(n) < most:
                    print("no region in", n); sys.exit()
                if len(n) > most:
                    print(n, "is longer than", most); sys.exit()
print(len(names), "names, each with its region,", "none shared," if max(names.values()) == 1 else "some shared,", "within limits")
' ap-northeast-1 "$T/ap-northeast-1.json" us-east-1 "$T/us-east-1.json" 2>&1)"
for region in ap-northeast-1 us-east-1; do
  if python3 tests/tools/plan_validate.py "$T/$region.json" >"$T/v" 2>&1; then ok "plan_validate: webapp-ha in $region"; else bad "plan_validate: webapp-ha in $region" "$T/v"; fi
done
"$INFRAC" build examples/webapp-ha.infra -o "$T/cfn.json" 2>"$T/err" || bad "build webapp-ha" "$T/err"
if grep -q '"RoleName"\|"InstanceProfileName"' "$T/cfn.json"; then bad "CloudFormation output names no role (CloudFormation does)" "$T/cfn.json"
else ok "CloudFormation output names no role (CloudFormation does)"; fi
