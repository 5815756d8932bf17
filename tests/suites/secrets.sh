# Secrets only in memory (issue 22): a secret param's value reaches the AWS
# call it is for and nothing else: no argument, no file (not after Ctrl-C,
# SIGTERM or SIGKILL), no inherited variable, no core dump, no message
# (escaped forms and values read from SSM included); the prompt gives the
# terminal back. apply runs through tests/tools/fake_aws.py (INFRAC_AWS),
# which logs what a call could leak (FAKE_AWS_INPUT_LOG).
. tests/lib.sh
ROOT=$(pwd)
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
export INFRAC_AWS=$ROOT/tests/tools/fake_aws.py FAKE_AWS_INPUT_LOG=$T/in.log
URL=http://127.0.0.1:9 # nothing listens there
SECRET='Sec-r3t "quoted"/slash&amp x'
cd "$T" || exit 1
cp "$ROOT/tests/secrets/sec.infra" "$ROOT/tests/deploysafety/net.infra" .
chmod 755 "$T"
# field OP KEY: KEY of the logged call OP (the last one), as JSON
field() { python3 -c 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["op"]==sys.argv[2]]
print(json.dumps(rows[-1][sys.argv[3]]) if rows else "no call")' "$T/in.log" "$1" "$2"; }
# sent OP: whether the secret is in the params of the logged call OP
sent() { python3 -c 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["op"]==sys.argv[2]]
tags=json.loads(rows[-1]["body"])["TagSpecifications"][0]["Tags"] if rows else []
print(json.dumps(any(t["Value"] == sys.argv[3] for t in tags)))' "$T/in.log" "$1" "$SECRET"; }
apply_sec() { "$BIN" apply sec.infra --endpoint-url "$URL" --auto-approve "$@" </dev/null; }

# ---- from the environment ----
rm -f in.log
# core files allowed to start with, so that the limit seen is infrac's doing
ulimit -c unlimited 2>/dev/null || ulimit -c 1024
INFRAC_PARAM_pw=$SECRET apply_sec --state env.state >env.out 2>&1 || bad "apply with INFRAC_PARAM_pw" env.out
check "the secret from INFRAC_PARAM_pw reaches its call" "true" \
  "$(sent create-vpc)"
check "the call's input is a file in memory, not a path on disk" '"file:///dev/fd/' "$(field create-vpc input | cut -c1-16)"
check "the AWS CLI inherits no INFRAC_PARAM_ variable" "[]" "$(field create-vpc env)"
check "no core dump while a secret is held (RLIMIT_CORE 0)" '"0"' "$(field create-vpc core)"
if grep -qF "Sec-r3t" env.state env.out; then bad "the secret stays out of the state and the output" env.out; else
  ok "the secret stays out of the state and the output"; fi

# ---- on the command line: a warning, and out of argv once read ----
"$BIN" apply sec.infra --endpoint-url "$URL" --auto-approve --state arg.state "--param=pw=$SECRET" \
  </dev/null >arg.out 2>&1
if grep -q "warning: --param pw: a secret on the command line is readable by every user" arg.out; then
  ok "--param with a secret warns that the process list shows it"; else bad "--param with a secret warns that the process list shows it" arg.out; fi
check "--param: the secret still reaches its call" "true" \
  "$(sent create-vpc)"
check "--param: once read, the secret is gone from the process list" "false" \
  "$(field create-vpc parent_argv | python3 -c 'import json,sys; print(json.dumps(any(sys.argv[1] in a for a in json.load(sys.stdin))))' "$SECRET")"

# ---- not dumpable: another process of the same user cannot read it ----
# (as root everything is readable: the check runs as nobody)
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
  # the binary and the fake CLI copied beside: the clone they come from may
  # be in a directory nobody cannot enter (.ci/run's fresh clone: mktemp -d)
  mkdir nb && chmod 777 nb && cp sec.infra net.infra "$BIN" "$INFRAC_AWS" nb/ && cd nb || exit 1
  chmod 755 "$(basename "$BIN")" "$(basename "$INFRAC_AWS")"
  NB_BIN=$PWD/$(basename "$BIN") NB_AWS=$PWD/$(basename "$INFRAC_AWS")
  asnobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups env PATH=/usr/bin:/bin INFRAC_AWS="$NB_AWS" "$@"; }
  rm -f "$T/in.log"; touch "$T/in.log"; chmod 666 "$T/in.log"
  INFRAC_PARAM_pw=$SECRET asnobody "$NB_BIN" apply sec.infra --endpoint-url "$URL" --auto-approve \
    --state nb.state </dev/null >nb.out 2>&1
  check "holding a secret, infrac is not dumpable: /proc/PID/environ unreadable" "false" "$(field create-vpc parent_readable)"
  asnobody "$NB_BIN" apply net.infra --endpoint-url "$URL" --auto-approve --state nb2.state </dev/null >nb2.out 2>&1
  check "without a secret it is (the check above can fail)" "true" "$(field create-vpc parent_readable)"
  cd "$T" || exit 1
else
  echo "skip not dumpable (needs root and setpriv to run as nobody)"
fi

# ---- killed during a call: nothing on disk holds the secret ----
for sig in INT TERM KILL; do
  rm -f in.log
  touch "$T/mark.$sig"
  sleep 1.1 # files written from now on are -newer the mark
  # (a background job of a script ignores SIGINT: python gives it back)
  INFRAC_PARAM_pw=$SECRET FAKE_AWS_SLEEP=3 python3 -c 'import os,signal,sys
signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' "$BIN" apply sec.infra --endpoint-url "$URL" \
    --auto-approve --state "k$sig.state" </dev/null >"k$sig.out" 2>&1 &
  pid=$!
  for _ in $(seq 50); do [ -s in.log ] && break; sleep 0.1; done
  kill -s "$sig" "$pid"
  wait "$pid" 2>/dev/null
  sleep 3.2 # the fake CLI's sleep ends
  left=$( { find /tmp -maxdepth 1 -type f -newer "$T/mark.$sig" 2>/dev/null; find "$T" -type f -newer "$T/mark.$sig"; } |
    while read -r f; do grep -lF "Sec-r3t" "$f" 2>/dev/null; done | grep -v "/in.log$")
  check "SIG$sig during a call: no file holds the secret" "" "$left"
done

# ---- redaction: a secret read from SSM, and escaped forms ----
# No INFRAC_PARAM_pw and no terminal: the value is read from SSM; the
# failing call's error quotes it as JSON, URL and XML escaping write it.
esc=$(python3 -c 'import json,sys,urllib.parse,html; s=sys.argv[1]
print("plain[%s] json[%s] url[%s] form[%s] xml[%s]" % (s, json.dumps(s)[1:-1], urllib.parse.quote(s, safe=""),
      urllib.parse.quote_plus(s), html.escape(s)))' "$SECRET")
FAKE_AWS_SSM_VALUE=$SECRET FAKE_AWS_FAIL=create-vpc FAKE_AWS_FAIL_TEXT="An error occurred: $esc" \
  apply_sec --state ssm.state >ssm.out 2>&1
if grep -q "An error occurred" ssm.out && ! grep -qiE "Sec-r3t|Sec-r3t|quoted" ssm.out; then
  ok "a secret read from SSM is redacted from an AWS error, in every escaped form"; else
  bad "a secret read from SSM is redacted from an AWS error, in every escaped form" ssm.out; fi
check "the redacted forms are stars" "plain[****************************] json[******************************]" \
  "$(grep -o 'plain\[[^]]*\] json\[[^]]*\]' ssm.out)"

# ---- the prompt ----
PTY=$ROOT/tests/tools/prompt_pty.py
for sig in INT TERM; do
  got=$(PROMPT_PTY_STDERR=$T/p$sig.err python3 "$PTY" "$sig" "$BIN" apply sec.infra --endpoint-url "$URL" \
    --auto-approve --state "p$sig.state" | tr '\n' ' ')
  check "SIG$sig at the secret prompt: echo off there, restored after, killed by the signal" \
    "off on -$(kill -l "$sig") " "$got"
done
rm -f in.log
got=$(PROMPT_PTY_STDERR=$T/ptype.err python3 "$PTY" "type:$SECRET" "$BIN" apply sec.infra --endpoint-url "$URL" \
  --auto-approve --state ptype.state | tr '\n' ' ')
check "a secret typed at the prompt: not echoed, echo back after, applied" "off on 0 " "$got"
check "the typed secret reaches its call" "true" \
  "$(sent create-vpc)"
if grep -qF "Sec-r3t" ptype.err ptype.state; then bad "the typed secret is not shown" ptype.err; else ok "the typed secret is not shown"; fi
