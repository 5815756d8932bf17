# infrac policy (docs/policy.md): the IAM policy that permits exactly the calls
# of apply. Golden policies, text and JSON; then, against moto with IAM
# enforced (tests/tools/policy_moto.py), every example that apply drives
# applies with exactly its policy, and the reference example fails without
# each statement, at a step that needs it.
. tests/lib.sh
golden "policy help" tests/policy/help.expected "$INFRAC" help policy
golden "policy examples/webapp.infra (text: each action and who needs it)" \
  tests/policy/webapp.text.expected "$INFRAC" policy --format=text examples/webapp.infra
golden "policy examples/webapp.infra (JSON)" tests/policy/webapp.json.expected \
  "$INFRAC" policy examples/webapp.infra
golden "policy in a China region: ARNs in partition aws-cn" tests/policy/china.expected \
  "$INFRAC" policy --format=text tests/policy/china.infra
golden "policy --for=cloudformation examples/webapp.infra (text: each handler action and who needs it)" \
  tests/policy/webapp-cfn.text.expected "$INFRAC" policy --for=cloudformation --format=text examples/webapp.infra
golden "policy --for=cloudformation examples/webapp.infra (JSON)" tests/policy/webapp-cfn.json.expected \
  "$INFRAC" policy --for=cloudformation examples/webapp.infra
"$INFRAC" build examples/network.infra -o "$T/network.json" 2>/dev/null
golden "policy --for=cloudformation --against a deployed template: the handlers of the changes only" \
  tests/policy/network-changed.expected "$INFRAC" policy --for=cloudformation --format=text \
  --against "$T/network.json" tests/policy/network-changed.infra
golden "policy (apply) of a stack with Cloud Control types: their handlers' actions" \
  tests/policy/webapp-ha.text.expected "$INFRAC" policy --format=text examples/webapp-ha.infra
golden "policy --for=cloudformation: a type without handler permissions, named, nothing written" \
  tests/policy/topic-cfn.expected "$INFRAC" policy --for=cloudformation tests/policy/topic.infra
golden "policy (apply): a Cloud Control type without handler permissions, named, nothing written" \
  tests/policy/topic-apply.expected "$INFRAC" policy tests/policy/topic.infra
golden "policy --refresh: the reads of every resource, as refresh makes them" \
  tests/policy/network-refresh.expected "$INFRAC" policy --refresh --format=text examples/network.infra
golden "policy --refresh --for=cloudformation: refused (CloudFormation reads nothing of its own)" \
  tests/policy/refresh-cfn.expected "$INFRAC" policy --refresh --for=cloudformation examples/network.infra
golden "policy: an unknown --for" tests/policy/bad-for.expected \
  "$INFRAC" policy --for=terraform examples/network.infra
golden "policy: an unknown format" tests/policy/bad-format.expected \
  "$INFRAC" policy --format=yaml examples/network.infra
golden "policy: no PATH" tests/policy/no-path.expected "$INFRAC" policy
# docs/policy.md ends with the reference example's text, as infrac writes it.
"$INFRAC" policy --format=text examples/webapp.infra 2>/dev/null >"$T/text"
sed -n '/^## The reference example/,$p' docs/policy.md | sed '1,/^```$/d' | sed '$d' >"$T/doc"
if [ -s "$T/text" ] && diff -u "$T/doc" "$T/text" >"$T/diff"; then ok "policy: docs/policy.md shows the reference example's policy"
else bad "policy: docs/policy.md shows the reference example's policy" "$T/diff"; fi
"$INFRAC" policy -o "$T/p.json" examples/network.infra 2>/dev/null
expect "policy -o FILE writes the document" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['Version'] == '2012-10-17' and d['Statement']" "$T/p.json"
# An instance's profile changed in place passes the role as RunInstances
# does: replacing the association needs iam:PassRole on it.
"$INFRAC" build examples/webapp.infra -o "$T/webapp.json" 2>/dev/null
python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
t["Resources"]["ApiHostInstance"]["Properties"]["IamInstanceProfile"] = "old-profile"
json.dump({"format": "infrac-state/1", "stack": "webapp", "region": "ap-northeast-1", "template": t,
           "resources": {k: {"resource": k, "captures": {}} for k in t["Resources"]}},
          open(sys.argv[2], "w"))' "$T/webapp.json" "$T/profile.state"
"$INFRAC" policy --format=text --against "$T/profile.state" examples/webapp.infra >"$T/ptext" 2>&1
if grep -q "iam:PassRole.*ReplaceIamInstanceProfileAssociation passes it as IamInstanceProfile" "$T/ptext"; then
  ok "policy: replacing a profile association passes the role"
else bad "policy: replacing a profile association passes the role" "$T/ptext"; fi
need_python moto.server boto3 || exit 0
python3 tests/tools/policy_moto.py "$INFRAC" examples/webapp.infra examples/network.infra \
  examples/database.infra examples/fargate.infra
