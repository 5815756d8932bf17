# The deploy path under hostile input and faults (issue 22): how the state is
# written and locked, saved plans bound to their stack and state, the strict
# loader of templates, states and plans (limits, duplicate keys, trailing
# content, YAML aliases and merge keys), control characters kept from the
# terminal, and malformed states and plans that must not crash. apply and
# destroy run through tests/tools/fake_aws.py (INFRAC_AWS): no AWS, no moto.
. tests/lib.sh
ROOT=$(pwd)
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
G=$ROOT/tests/deploysafety
export INFRAC_AWS=$ROOT/tests/tools/fake_aws.py FAKE_AWS_LOG=$T/calls
URL=http://127.0.0.1:9 # nothing listens there
cd "$T" || exit 1
cp "$G/net.infra" net.infra
calls() { if [ -f calls ]; then wc -l <calls | tr -d ' '; else echo 0; fi; }
apply_net() { "$BIN" apply net.infra --state "$1" --endpoint-url "$URL" --auto-approve >"$T/apply.out" 2>&1; }
apply_net base.state || bad "apply through the fake AWS CLI" "$T/apply.out"

# ---- writing the state ----

# The temporary file: the old one was STATE.tmp.PID, followed if planted as a
# symbolic link. The shell plants it under its own PID, then execs infrac.
echo "precious" >victim
sh -c 'ln -s victim s1.state.tmp.$$; exec "$@"' sh "$BIN" apply net.infra --state s1.state \
  --endpoint-url "$URL" --auto-approve >s1.out 2>&1
if [ "$(cat victim)" = precious ] && [ -f s1.state ] && [ ! -L s1.state ]; then
  ok "a symbolic link planted for the temporary state file is not followed"; else
  bad "a symbolic link planted for the temporary state file is not followed" s1.out; fi
check "no temporary file stays behind" "" "$(ls -a | grep -E '^\.s1\.state\.' )"

# --state through a symbolic link writes its target, the link stays
mkdir -p real
ln -s real/s2.state s2.state
apply_net s2.state
if [ -L s2.state ] && grep -q '"MainVpc"' real/s2.state; then ok "--state through a symbolic link writes its target"; else
  bad "--state through a symbolic link writes its target" "$T/apply.out"; fi

# the mode of the state it replaces is kept; it is fsynced before the rename
cp base.state s3.state
chmod 600 s3.state
sed 's/10.40.0.0\/24/10.40.3.0\/24/' net.infra >net3.infra
"$BIN" apply net3.infra --state s3.state --endpoint-url "$URL" --auto-approve >s3.out 2>&1
check "the state keeps its mode (600)" "600" "$(stat -c %a s3.state)"
if command -v strace >/dev/null && strace -f -e trace=fsync,rename,renameat,renameat2 -o trace.out \
    "$BIN" apply net.infra --state s3.state --endpoint-url "$URL" --auto-approve >/dev/null 2>&1; then
  if grep -m1 -E 'fsync|rename' trace.out | grep -q fsync; then ok "the state is fsynced before its rename"; else
    bad "the state is fsynced before its rename" trace.out; fi
else
  ok "the state is fsynced before its rename (no strace: not checked)"
fi

# build -o keeps the mode of the file it replaces
echo "{}" >out.json
chmod 640 out.json
"$BIN" build net.infra -o out.json >build.out 2>&1
check "build -o keeps the mode of the file it replaces (640)" "640" "$(stat -c %a out.json)"
if [ "$(id -u)" = 0 ]; then # and its owner: a file of nobody's stays nobody's
  echo "{}" >own.json
  chown nobody:nogroup own.json
  "$BIN" build net.infra -o own.json >build.out 2>&1
  check "build -o keeps the owner of the file it replaces" "nobody:nogroup" "$(stat -c %U:%G own.json)"
else
  echo "skip build -o keeps the owner of the file it replaces (needs root to chown)"
fi

# ---- the lock ----
rm -f calls
FAKE_AWS_SLEEP=1.5 "$BIN" apply net.infra --state lock.state --endpoint-url "$URL" --auto-approve \
  >first.out 2>&1 &
first=$!
for _ in $(seq 100); do [ -s calls ] && break; sleep 0.1; done
start=$(date +%s)
"$BIN" apply net.infra --state lock.state --endpoint-url "$URL" --auto-approve >second.out 2>&1
st=$?
took=$(($(date +%s) - start))
wait $first
first_st=$?
if [ $st = 1 ] && grep -q "in use by another apply or destroy (pid $first on" second.out && [ $took -le 3 ]; then
  ok "a second apply on a locked state fails at once, naming the holder"; else
  bad "a second apply on a locked state fails at once, naming the holder" second.out; fi
check "the first apply completes, alone" "0 1" "$first_st $(grep -c '^ec2 create-vpc' calls)"
check "the lock file goes with the apply" "" "$(ls lock.state.lock 2>/dev/null)"
rm -f calls
FAKE_AWS_SLEEP=1.5 "$BIN" destroy --state lock.state --endpoint-url "$URL" --auto-approve >/dev/null 2>&1 &
first=$!
for _ in $(seq 100); do [ -s calls ] && break; sleep 0.1; done
"$BIN" destroy --state lock.state --endpoint-url "$URL" --auto-approve >second.out 2>&1
st=$?
wait $first
if [ $st = 1 ] && grep -q "in use by another apply or destroy (pid $first on" second.out; then
  ok "destroy takes the lock too"; else bad "destroy takes the lock too" second.out; fi

# ---- orphans: a state that cannot be written stops apply before any call ----
rm -f calls
"$BIN" apply net.infra --state nodir/x.state --endpoint-url "$URL" --auto-approve >orphan.out 2>&1
st=$?
if [ $st = 1 ] && [ "$(calls)" = 0 ] && grep -q 'nodir/x.state' orphan.out; then
  ok "an unwritable state path: refused before anything is created"; else
  echo "exit $st, $(calls) calls" >>orphan.out; bad "an unwritable state path: refused before anything is created" orphan.out; fi
mkdir ro
chmod 555 ro
# root writes anywhere: as root the apply runs as nobody, from a copy of the
# binary that nobody can reach (the clone may sit in a private directory).
as_user=""
if [ "$(id -u)" = 0 ]; then
  as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups"
  chmod 777 . calls 2>/dev/null
  rm -f calls; touch calls; chmod 666 calls
fi
cp "$BIN" ./infrac-ro && chmod 755 ./infrac-ro
# shellcheck disable=SC2086
$as_user env HOME="$T" ./infrac-ro apply net.infra \
  --state ro/x.state --endpoint-url "$URL" --auto-approve >orphan2.out 2>&1
st=$?
if [ $st = 1 ] && [ "$(calls)" = 0 ] && grep -q 'ro/x.state' orphan2.out; then
  ok "a state in a read-only directory: refused before anything is created"; else
  echo "exit $st, $(calls) calls" >>orphan2.out; bad "a state in a read-only directory: refused before anything is created" orphan2.out; fi

# ---- saved plans bound to their stack and state ----
sed 's/^stack safe /stack other /' net.infra >other.infra
"$BIN" plan --format=json other.infra >other.plan.json 2>/dev/null
# a state of stack "safe" with nothing deployed (after a destroy)
python3 -c '
import json; s = json.load(open("base.state")); s["template"]["Resources"] = {}; s["resources"] = {}
json.dump(s, open("empty.state", "w"))'
rm -f calls
golden "apply --plan: another stack's plan is refused" "$G/other-stack.expected" \
  "$BIN" apply --plan other.plan.json --state empty.state --endpoint-url "$URL" --auto-approve
check "  and nothing was called" "0" "$(calls)"
# a plan made against a state, run against another stack's state with the same resources
sed 's/10.40.0.0\/24/10.40.5.0\/24/' net.infra >net5.infra
"$BIN" plan --format=json net5.infra --against base.state >net5.plan.json 2>/dev/null
python3 -c '
import json; s = json.load(open("base.state")); s["stack"] = "other"
json.dump(s, open("twin.state", "w"), indent="\t")'
golden "apply --plan: a plan against another stack's state of the same resources is refused" \
  "$G/twin-state.expected" \
  "$BIN" apply --plan net5.plan.json --state twin.state --endpoint-url "$URL" --auto-approve
check "  and nothing was called" "0" "$(calls)"
# without --auto-approve and without a terminal, as apply
cp base.state b6.state
"$BIN" plan --format=json net5.infra --against b6.state >b6.plan.json 2>/dev/null
rm -f calls
golden "apply --plan without a terminal shows the plan, and needs --auto-approve" "$G/no-terminal.expected" \
  "$BIN" apply --plan b6.plan.json --endpoint-url "$URL" </dev/null
check "  and nothing was called" "0" "$(calls)"
# the state changed since the plan
apply_net b6.state
"$BIN" plan --format=json net.infra --against b6.state >b7.plan.json 2>/dev/null
apply_net_3() { "$BIN" apply net3.infra --state b6.state --endpoint-url "$URL" --auto-approve >/dev/null 2>&1; }
apply_net_3
rm -f calls
"$BIN" apply --plan b6.plan.json --endpoint-url "$URL" --auto-approve >changed.out 2>&1
if [ $? = 1 ] && grep -q 'has changed since' changed.out && [ "$(calls)" = 0 ]; then
  ok "apply --plan: a plan whose state changed is refused"; else bad "apply --plan: a plan whose state changed is refused" changed.out; fi

# ---- states that apply must refuse ----
python3 -c '
import json; s = json.load(open("base.state")); del s["template"]; json.dump(s, open("notemplate.state", "w"), indent=1)'
rm -f calls
golden "a state without its template: plan refuses it" "$G/notemplate-plan.expected" \
  "$BIN" plan net.infra --against notemplate.state
golden "a state without its template: apply refuses it too" "$G/notemplate-apply.expected" \
  "$BIN" apply net.infra --state notemplate.state --endpoint-url "$URL" --auto-approve
check "  and nothing was created" "0" "$(calls)"
python3 -c '
import json; s = json.load(open("base.state")); s["resources"]["MainVpc"]["steps_done"] = 1e300
json.dump(s, open("huge.state", "w"), indent=1)'
golden "a huge steps_done is a located error" "$G/huge-steps.expected" \
  "$BIN" apply net.infra --state huge.state --endpoint-url "$URL" --auto-approve
python3 -c '
import json; s = json.load(open("base.state")); s["resources"]["MainVpc"]["steps_done"] = -3
json.dump(s, open("negative.state", "w"), indent=1)'
golden "a negative steps_done is a located error" "$G/negative-steps.expected" \
  "$BIN" destroy --state negative.state --endpoint-url "$URL" --auto-approve
python3 -c '
import json; p = json.load(open("net5.plan.json")); p["steps"][0]["service"] = "--debug"
json.dump(p, open("option.plan.json", "w"), indent=1)'
golden "a saved plan's service cannot be an option of the CLI" "$G/option-service.expected" \
  "$BIN" apply --plan option.plan.json --state base.state --endpoint-url "$URL" --auto-approve

# ---- malformed states and plans never crash the commands (tests/fuzz/state) ----
for f in "$ROOT"/tests/fuzz/state/*; do
  worst=0
  for cmd in "plan net.infra --against $f" "destroy --state $T/copy.state --auto-approve --endpoint-url $URL" \
             "apply --plan $f --state $T/new.state --auto-approve --endpoint-url $URL" \
             "apply net.infra --state $T/copy.state --auto-approve --endpoint-url $URL"; do
    cp "$f" copy.state
    rm -f new.state
    # shellcheck disable=SC2086
    timeout 10 "$BIN" $cmd >crash.out 2>&1 </dev/null
    st=$?
    [ $st -gt 2 ] && { worst=$st; echo "$cmd: exit $st" >>crash.log; }
  done
  if [ $worst = 0 ]; then ok "no crash on $(basename "$f")"; else bad "no crash on $(basename "$f")" crash.log; fi
  rm -f crash.log
done

# ---- the strict loader: limits and strictness, with line:column ----
python3 - <<'PY'
lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
for i in range(1, 30):
    lines.append("a%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10)))
open("bomb.yaml", "w").write("\n".join(lines) + "\nResources: {}\n")
open("deep.json", "w").write('{"Resources": {}, "x": ' + "[" * 300 + "]" * 300 + "}")
open("deep.yaml", "w").write("Resources: {}\nx: " + "[" * 200000 + "]" * 200000 + "\n")
PY
wc -c <bomb.yaml >bomb.size
start=$(date +%s)
golden "plan --against: a YAML alias bomb ($(cat bomb.size) bytes) is refused" "$G/alias-bomb.expected" \
  "$BIN" plan net.infra --against bomb.yaml
check "  quickly" "yes" "$([ $(($(date +%s) - start)) -le 2 ] && echo yes || echo no)"
printf '{"Resources": {\n  "A": {"Type": "AWS::SNS::Topic"},\n  "A": {"Type": "AWS::SQS::Queue"}}}\n' >dup.json
golden "a duplicate key in JSON" "$G/dup-json.expected" "$BIN" plan net.infra --against dup.json
printf 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SQS::Queue\n' >dup.yaml
golden "a duplicate key in YAML" "$G/dup-yaml.expected" "$BIN" plan net.infra --against dup.yaml
printf '{"Resources": {}}\n{"Resources": {"A": {"Type": "AWS::SNS::Topic"}}}\n' >trailing.json
golden "content after the JSON document" "$G/trailing-json.expected" "$BIN" plan net.infra --against trailing.json
printf 'Resources: {}\n---\nResources:\n  A:\n    Type: AWS::SNS::Topic\n' >two.yaml
golden "a second YAML document" "$G/two-docs.expected" "$BIN" plan net.infra --against two.yaml
printf 'base: &b\n  Type: AWS::SNS::Topic\nResources:\n  A:\n    <<: *b\n' >merge.yaml
golden "a YAML merge key" "$G/merge-key.expected" "$BIN" plan net.infra --against merge.yaml
printf '{"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "a\\u0000b"}}}}\n' >nul.json
golden "\\u0000 in a JSON string" "$G/nul.expected" "$BIN" plan net.infra --against nul.json
golden "JSON nested beyond the limit" "$G/deep.expected" "$BIN" plan net.infra --against deep.json
golden "YAML nested 200,000 deep in brackets: refused at once (libyaml took minutes)" "$G/deep-yaml.expected" \
  timeout 5 "$BIN" plan net.infra --against deep.yaml
head -c $((17 << 20)) /dev/zero | tr '\0' '#' >big.yaml
golden "YAML beyond 16 MiB" "$G/big-yaml.expected" "$BIN" plan net.infra --against big.yaml
truncate -s 513M big.json
golden "a file beyond 512 MiB" "$G/big-json.expected" "$BIN" plan net.infra --against big.json
rm -f big.json big.yaml
mkfifo fifo.json
golden "a FIFO given as the template does not hang" "$G/fifo.expected" timeout 5 "$BIN" plan net.infra --against fifo.json

# ---- control characters from foreign text are escaped ----
printf '{"Resources": {"MainVpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.40.0.0/16", "Tag\\u001b[2K\\rX": 1}}}}\n' >esc.json
"$BIN" plan net.infra --against esc.json >esc.out 2>&1
if ! grep -q "$(printf '\033')" esc.out && grep -q 'Tag\\x1b\[2K\\x0dX' esc.out; then
  ok "a property name's escape sequence reaches the terminal escaped"; else bad "a property name's escape sequence reaches the terminal escaped" esc.out; fi
printf '{"Resources": {"A\\u001b[8m": {"Type": "AWS::SNS::Topic"}}}\n' >escid.json
golden "a logical ID with an escape sequence is refused, escaped" "$G/escape-id.expected" \
  "$BIN" plan net.infra --against escid.json
FAKE_AWS_FAIL=create-vpc FAKE_AWS_FAIL_TEXT="$(printf 'denied\033[8m hidden')" \
  "$BIN" apply net.infra --state esc.state --endpoint-url "$URL" --auto-approve >awserr.out 2>&1
if ! grep -q "$(printf '\033')" awserr.out && grep -q 'denied\\x1b\[8m hidden' awserr.out; then
  ok "the AWS CLI's error text reaches the terminal escaped"; else bad "the AWS CLI's error text reaches the terminal escaped" awserr.out; fi
