# apply killed and interrupted against a moto server, then resumed: the
# network of tests/apply/net.infra, each run a stack of its own. A slow
# proxy (tests/tools/slow_proxy.py) holds every call 0.15 s, so that a kill
# lands during calls and waits; the kills come after k records of the
# journal (k spread over the run), SIGKILL twenty times, then SIGINT once
# (the calls in flight end, the state is saved) and twice (they are given
# up). Each time, the resumed apply leaves exactly one of every resource
# (counted by describe calls, tests/tools/count_stack.py), a state with
# their IDs, and a plan with no changes; and no AWS CLI process outlives a
# killed apply --via=aws-cli.
. tests/lib.sh
need_python moto.server boto3 || exit 0
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
TOOLS=$(pwd)/tests/tools
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=ap-northeast-1
export AWS_PAGER=""
start_moto
cd "$T" || exit 1
python3 "$TOOLS/slow_proxy.py" "$URL" 0.15 >proxy.port &
proxy=$!
trap 'kill $moto $proxy 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do [ -s proxy.port ] && break; sleep 0.1; done
SLOW=http://127.0.0.1:$(cat proxy.port)
WANT="vpc=1 subnet=4 igw=1 attached=1 eip=1 nat=1 rtb=2 assoc=4 route=2 sg=2 rules=3 logs=1"

# stack NAME N: net.infra as stack NAME, on 10.N.0.0/16
stack() { sed "s/^stack net /stack $1 /; s/10\.20\./10.$2./g" "$OLDPWD/tests/apply/net.infra" >"$1.infra"; }

# records FILE: lines in the journal
records() { [ -f "$1" ] && wc -l <"$1" || echo 0; }

# interrupt NAME SIGNAL K [SECOND-SIGNAL]: apply through the slow proxy,
# SIGNAL once the journal has K records (SECOND-SIGNAL 0.1 s later)
interrupt() {
  "$BIN" apply "$1.infra" --state "$1.state" --endpoint-url "$SLOW" --auto-approve >"$1.out" 2>&1 &
  local pid=$! waited=0
  while [ "$(records "$1.state.journal")" -lt "$3" ] && kill -0 $pid 2>/dev/null && [ $waited -lt 3000 ]; do
    sleep 0.01
    waited=$((waited + 1))
  done
  # a second signal is meant for calls in flight: wait until the proxy
  # holds one (a loaded machine may poll the journal between two calls)
  [ -n "${4:-}" ] && until [ "$(busy)" -gt 0 ] 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.01; done
  kill -"$2" $pid 2>/dev/null
  [ -n "${4:-}" ] && sleep 0.1 && kill -"$4" $pid 2>/dev/null
  wait $pid 2>/dev/null
  local st=$?
  settled
  return $st
}

# busy: how many requests the proxy at $SLOW holds
busy() { python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1] + "/__busy").read().decode())' "$SLOW" 2>/dev/null; }

# settled: the proxy has passed on every request it got (what a killed run
# asked is done, as AWS would have done it by the time anyone resumes)
settled() {
  sleep 0.2
  for _ in $(seq 500); do
    [ "$(busy)" = 0 ] && return
    sleep 0.02
  done
}

# resumed NAME TITLE: the resumed apply ends well, with one of each
resumed() {
  if ! "$BIN" apply "$1.infra" --state "$1.state" --endpoint-url "$URL" --auto-approve >"$1.resume" 2>&1; then
    bad "$2: the resumed apply" "$1.resume"
    return
  fi
  local got
  got=$(python3 "$TOOLS/count_stack.py" "$URL" "$1" "$1.state" 2>&1)
  "$BIN" plan "$1.infra" --against "$1.state" >"$1.plan" 2>&1
  if [ "$got" = "$WANT" ] && [ "$(tail -1 "$1.plan")" = "No changes." ] && [ ! -e "$1.state.journal" ]; then
    ok "$2"
  else
    printf 'expected: %s\nactual:   %s\nplan: %s\n' "$WANT" "$got" "$(tail -1 "$1.plan")" >"$1.d"
    bad "$2" "$1.d"
  fi
}

# 1. SIGKILL after k records, k spread over the run (about 50 records)
n=0
for k in 1 2 3 5 7 9 11 13 15 17 19 21 23 25 27 30 33 36 40 44; do
  n=$((n + 1))
  stack "kill$n" $((100 + n))
  interrupt "kill$n" KILL "$k"
  resumed "kill$n" "SIGKILL after $k journal records: resumed to one of each"
done

# 2. Ctrl-C once: the calls in flight end, the state is saved, exit 1
stack int1 130
interrupt int1 INT 12
st=$?
if [ $st = 1 ] && grep -q 'interrupted:.*steps done; the state is saved' int1.out && [ ! -e int1.state.journal ]; then
  ok "SIGINT: the calls in flight end, the state is saved"; else bad "SIGINT: the calls in flight end, the state is saved" int1.out; fi
resumed int1 "SIGINT, then resumed: one of each"

# 3. Ctrl-C twice: given up, exit 130, what was in flight named; through a
# proxy that holds answers 5 s, and the first Ctrl-C once it holds one, so
# that calls are surely in flight at the second Ctrl-C, 0.1 s after the
# first, however slow the machine
python3 "$TOOLS/slow_proxy.py" "$URL" 5 >slower.port &
slower=$!
trap 'kill $moto $proxy $slower 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do [ -s slower.port ] && break; sleep 0.1; done
stack int2 131
FAST=$SLOW SLOW=http://127.0.0.1:$(cat slower.port)
interrupt int2 INT 4 INT
st=$?
SLOW=$FAST
kill $slower
if [ $st = 130 ] && grep -q 'given up in flight' int2.out; then
  ok "SIGINT twice: the calls in flight are given up, and named"; else
  { echo "exit status $st; the end of the output:"; tail -20 int2.out; } >int2.d
  bad "SIGINT twice: the calls in flight are given up, and named" int2.d; fi
resumed int2 "SIGINT twice, then resumed: one of each"

# 4. --via=aws-cli killed during a call: no AWS CLI process outlives it
if command -v aws >/dev/null; then
  stack cli 132
  # a stand-in that notes where each call's params are read from
  printf '#!/bin/sh\nfor a; do case "$a" in file://*) echo "${a#file://}" >>"%s/inputs";; esac; done\nexec aws "$@"\n' "$T" >noting-aws
  chmod +x noting-aws
  INFRAC_AWS=$T/noting-aws "$BIN" apply cli.infra --via=aws-cli --state cli.state --endpoint-url "$SLOW" --auto-approve >cli.out 2>&1 &
  pid=$!
  # killed once a call is under way and the stand-in has noted its params
  # (on a loaded machine the journal can run ahead of the first CLI start)
  for _ in $(seq 3000); do [ "$(records cli.state.journal)" -ge 3 ] && [ -s inputs ] && break; sleep 0.01; done
  kill -KILL $pid
  wait $pid 2>/dev/null
  settled
  sleep 0.5
  if pgrep -f -- "--endpoint-url $SLOW" >left.txt; then bad "killed --via=aws-cli: no AWS CLI process survives" left.txt; else
    ok "killed --via=aws-cli: no AWS CLI process survives"; fi
  if [ -s inputs ] && ! grep -v '^/dev/fd/[0-9]*$' inputs >disk.txt; then ok "--via=aws-cli: the params (secrets among them) reach the CLI through memory, never a file"; else
    bad "--via=aws-cli: the params (secrets among them) reach the CLI through memory, never a file" disk.txt; fi
  resumed cli "killed --via=aws-cli, then resumed natively: one of each"
fi

# 5. propagation: an ingress rule whose group the endpoint cannot see yet
# (InvalidGroup.NotFound twice) is retried until it can; a describe call's
# NotFound is an answer, not retried
cat >sg.infra <<'EOS'
stack sg { region = "ap-northeast-1" }
vpc main { cidr = 10.140.0.0/16 }
security_group web {
  vpc = main
  description = "HTTPS"
  ingress tcp 443 from 0.0.0.0/0
}
EOS
python3 "$TOOLS/slow_proxy.py" "$URL" 0 AuthorizeSecurityGroupIngress 2 InvalidGroup.NotFound >flaky.port &
flaky=$!
trap 'kill $moto $proxy $flaky 2>/dev/null; rm -rf "$T"' EXIT # $flaky: the one running then
for _ in $(seq 50); do [ -s flaky.port ] && break; sleep 0.1; done
if "$BIN" apply sg.infra --state sg.state --endpoint-url "http://127.0.0.1:$(cat flaky.port)" --auto-approve >sg.out 2>&1 &&
  [ "$(aws --endpoint-url "$URL" --output text ec2 describe-security-groups --filters Name=tag:infrac:stack,Values=sg --query 'SecurityGroups[0].IpPermissions[0].FromPort')" = 443 ]; then
  ok "InvalidGroup.NotFound right after the group's creation: retried, the rule made"; else
  bad "InvalidGroup.NotFound right after the group's creation: retried, the rule made" sg.out; fi
kill $flaky
python3 "$TOOLS/slow_proxy.py" "$URL" 0 DescribeVpcs 1 InvalidVpcID.NotFound >flaky2.port &
flaky=$!
for _ in $(seq 50); do [ -s flaky2.port ] && break; sleep 0.1; done
sed 's/^stack sg /stack sg2 /; s/10\.140\./10.141./' sg.infra >sg2.infra
"$BIN" apply sg2.infra --state sg2.state --endpoint-url "http://127.0.0.1:$(cat flaky2.port)" --auto-approve >sg2.out 2>&1
if [ $? = 1 ] && grep -q 'InvalidVpcID.NotFound' sg2.out; then ok "a waiter's describe call: NotFound is an answer, not retried"; else
  bad "a waiter's describe call: NotFound is an answer, not retried" sg2.out; fi
kill $flaky

# 6. a wait that does not end: given up after --wait-timeout with a message
# that says so; the next apply waits for the NAT gateway it made, not a
# second one
stack slow 133
python3 "$TOOLS/slow_proxy.py" "$URL" 0 DescribeNatGateways 1000 NatGatewayNotFound >flaky3.port &
flaky=$!
for _ in $(seq 50); do [ -s flaky3.port ] && break; sleep 0.1; done
"$BIN" apply slow.infra --wait-timeout 1 --state slow.state --endpoint-url "http://127.0.0.1:$(cat flaky3.port)" \
  --auto-approve >slow.out 2>&1
if [ $? = 1 ] && grep -q 'nat_gateway_available timed out: not ready after 1 s' slow.out; then
  ok "--wait-timeout: a wait that does not end is given up, and said so"; else
  bad "--wait-timeout: a wait that does not end is given up, and said so" slow.out; fi
kill $flaky
resumed slow "after a wait given up, resumed: one of each"

# 7. a destroy whose deletes an earlier run (or someone) already made: the
# NotFound of a delete means done, so the destroy ends instead of sticking
sg_id=$(aws --endpoint-url "$URL" --output text ec2 describe-security-groups --filters Name=tag:infrac:stack,Values=sg --query 'SecurityGroups[0].GroupId')
aws --endpoint-url "$URL" ec2 delete-security-group --group-id "$sg_id"
if "$BIN" destroy --state sg.state --endpoint-url "$URL" --auto-approve >gone.out 2>&1 &&
  [ "$(aws --endpoint-url "$URL" --output text ec2 describe-vpcs --filters Name=tag:infrac:stack,Values=sg --query 'length(Vpcs)')" = 0 ]; then
  ok "destroy of a group already deleted: its NotFound is done, the rest deleted"; else
  bad "destroy of a group already deleted: its NotFound is done, the rest deleted" gone.out; fi
