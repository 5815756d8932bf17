# A task definition replaced (a new revision registered, the old one
# deregistered last) and the apply killed in between, then resumed: the
# resumed apply deregisters the old revision, never the new one, and ends
# with exactly the new revision active, the one the state names.
. tests/lib.sh
need_python moto.server boto3 || exit 0
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
TOOLS=$(pwd)/tests/tools
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=ap-northeast-1
start_moto
cp tests/apply/taskdef.infra "$T/td.infra"
cd "$T" || exit 1
python3 "$TOOLS/slow_proxy.py" "$URL" 0.3 >proxy.port &
proxy=$!
trap 'kill $moto $proxy 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do [ -s proxy.port ] && break; sleep 0.1; done
SLOW=http://127.0.0.1:$(cat proxy.port)

# active: the family's active revisions, then the state's ARN of it
active() {
  python3 - "$URL" td.state <<'PY'
import json, sys, boto3
ecs = boto3.client("ecs", endpoint_url=sys.argv[1], region_name="ap-northeast-1")
arns = ecs.list_task_definitions(familyPrefix="tdk-app", status="ACTIVE")["taskDefinitionArns"]
state = json.load(open(sys.argv[2]))["resources"]["AppTaskDefinition"]["captures"]["arn"]
print(" ".join(a.rsplit(":", 1)[1] for a in arns), "state:", state.rsplit(":", 1)[1])
PY
}

"$BIN" apply td.infra --state td.state --endpoint-url "$URL" --auto-approve >v1.out 2>&1 || bad "apply v1" v1.out
check() {
  if [ "$2" = "$3" ]; then ok "$1"; else printf 'expected: %s\nactual:   %s\n' "$2" "$3" >d; bad "$1" d; fi
}
check "v1 applied: revision 1 active" "1 state: 1" "$(active 2>&1)"

# v2 through the slow proxy, killed once the journal says the new revision
# is registered (the old one's deregistration is then held by the proxy)
"$BIN" apply td.infra --param image_tag=v2 --state td.state --endpoint-url "$SLOW" --auto-approve >v2.out 2>&1 &
pid=$!
for _ in $(seq 3000); do grep -q '"step": *"AppTaskDefinition"' td.state.journal 2>/dev/null && break; sleep 0.01; done
kill -KILL $pid
wait $pid 2>/dev/null
if grep -q '"settle"' td.state.journal; then bad "killed between register and deregister (the journal settled first)" td.state.journal
else ok "killed between register and deregister"; fi
sleep 1 # what the proxy held reaches moto
"$BIN" apply td.infra --param image_tag=v2 --state td.state --endpoint-url "$URL" --auto-approve >resume.out 2>&1 ||
  bad "the resumed apply" resume.out
check "resumed: the old revision deregistered, the new one active and in the state" "2 state: 2" "$(active 2>&1)"
"$BIN" plan td.infra --param image_tag=v2 --against td.state >plan.out 2>&1
check "resumed: then no changes" "No changes." "$(tail -1 plan.out)"
