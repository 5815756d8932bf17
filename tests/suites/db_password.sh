# A database master password given at apply time (issue 16) is held to what
# RDS takes (compiler/rds.c: printable ASCII but / " @ and space, 8 to 128
# characters for postgres, 8 to 41 for mysql) before any call is made, from
# $INFRAC_PARAM_<name>, the prompt, or --param with a saved plan (--param
# with a source and --params are checked at compile time: build.sh). The
# message says what is wrong and never shows the value. apply runs through
# tests/tools/fake_aws.py, which logs every call (FAKE_AWS_INPUT_LOG).
. tests/lib.sh
ROOT=$(pwd)
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
export INFRAC_AWS=$ROOT/tests/tools/fake_aws.py FAKE_AWS_INPUT_LOG=$T/in.log
URL=http://127.0.0.1:9 # nothing listens there
cd "$T" || exit 1
cp "$ROOT/tests/secrets/db-password.infra" .
calls() { if [ -s in.log ]; then wc -l <in.log | tr -d ' '; else echo 0; fi; }
apply_db() { "$BIN" apply db-password.infra --endpoint-url "$URL" --auto-approve "$@"; }
# refused NAME VALUE EXPECTED-MESSAGE-LINE: from $INFRAC_PARAM_db_password
refused() {
  rm -f in.log
  INFRAC_PARAM_db_password=$2 apply_db --state "$1.state" </dev/null >"$1.out" 2>&1
  local rc=$?
  check "$1: exit 1, no call made" "1 0" "$rc $(calls)"
  check "$1: the message" "$3" "$(grep '^infrac: the value' "$1.out")"
  if grep -qF -- "$2" "$1.out"; then bad "$1: the value is not shown" "$1.out"; else ok "$1: the value is not shown"; fi
}
refused "env: a refused character" 'pa@ss-w0rd' \
  "infrac: the value of \$INFRAC_PARAM_db_password has '@', which RDS refuses in the master password of database pg"
refused "env: a space" 'pass w0rd-long' \
  "infrac: the value of \$INFRAC_PARAM_db_password has a space, which RDS refuses in the master password of database pg"
refused "env: too short" 'Sh0rt!' \
  "infrac: the value of \$INFRAC_PARAM_db_password is 6 characters long: RDS takes a postgres master password of 8 to 128 characters (database pg)"
# 42 characters: postgres takes them, mysql does not (each engine's limit)
refused "env: too long for mysql only" 'Abcdefghij-Abcdefghij-Abcdefghij-Abcdefgh!' \
  "infrac: the value of \$INFRAC_PARAM_db_password is 42 characters long: RDS takes a mysql master password of 8 to 41 characters (database my)"
check "env: the help names the engine's limits" \
  '  help: give db_password 8 to 41 printable ASCII characters other than / " @ and space' \
  "$(grep '^  help:' "env: too long for mysql only.out")"

# The control: a password RDS takes is applied (the calls are made).
rm -f in.log
INFRAC_PARAM_db_password='Good-Passw0rd!' apply_db --state good.state </dev/null >good.out 2>&1
if [ "$(calls)" -gt 0 ] && ! grep -q '^infrac: the value' good.out; then ok "env: a password RDS takes is applied"
else bad "env: a password RDS takes is applied" good.out; fi

# Typed at the prompt.
rm -f in.log
got=$(PROMPT_PTY_STDERR=$T/prompt.err python3 "$ROOT/tests/tools/prompt_pty.py" "type:pa\"ss-w0rd" \
  "$BIN" apply db-password.infra --endpoint-url "$URL" --auto-approve --state prompt.state | tail -1)
check "prompt: exit 1, no call made" "1 0" "$got $(calls)"
check "prompt: the message" \
  "infrac: the value typed for db_password has '\"', which RDS refuses in the master password of database pg" \
  "$(grep -o 'infrac: the value.*' prompt.err)"
if grep -qF 'pa"ss-w0rd' prompt.err; then bad "prompt: the value is not shown" prompt.err; else ok "prompt: the value is not shown"; fi

# --param with a saved plan: no source, so no compile-time check.
"$BIN" plan --format=json db-password.infra >plan.json 2>plan.err || bad "plan --format=json" plan.err
rm -f in.log
"$BIN" apply --plan plan.json --endpoint-url "$URL" --auto-approve --state plan.state \
  "--param=db_password=pa/ss-w0rd" </dev/null >plan.out 2>&1
check "--param with a saved plan: exit 1, no call made" "1 0" "$? $(calls)"
check "--param with a saved plan: the message" \
  "infrac: the value given with --param db_password has '/', which RDS refuses in the master password of database pg" \
  "$(grep '^infrac: the value' plan.out)"
