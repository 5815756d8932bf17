# tests/lib.sh: helpers for tests/suites/*.sh. A suite prints "ok NAME" or
# "FAIL NAME" followed by detail lines indented by five spaces.
INFRAC=${INFRAC:-build/infrac}
export NO_COLOR=1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok $1"; }
bad() {
  echo "FAIL $1"
  if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/     /' "$2" | head -40; fi
  return 0
}
# expect NAME CONDITION-COMMAND...: ok when the command succeeds.
expect() {
  local name=$1
  shift
  if "$@" >"$T/expect.out" 2>&1; then ok "$name"; else bad "$name" "$T/expect.out"; fi
}
# golden NAME EXPECTED COMMAND...: stdout, stderr and the exit status against
# EXPECTED; UPDATE=1 rewrites it.
golden() {
  local name=$1 expected=$2
  shift 2
  "$@" >"$T/golden.out" 2>&1
  echo "exit: $?" >>"$T/golden.out"
  [ -n "${UPDATE:-}" ] && mkdir -p "$(dirname "$expected")" && cp "$T/golden.out" "$expected"
  if [ -f "$expected" ] && diff -u "$expected" "$T/golden.out" >"$T/golden.diff"; then
    ok "$name"
  else
    [ -f "$expected" ] || echo "missing $expected (run UPDATE=1 make test)" >"$T/golden.diff"
    bad "$name" "$T/golden.diff"
  fi
}
# check NAME EXPECTED ACTUAL: ok when ACTUAL is EXPECTED, else both shown.
check() {
  if [ "$2" = "$3" ]; then ok "$1"; else printf 'expected: %s\nactual:   %s\n' "$2" "$3" >"$T/d"; bad "$1" "$T/d"; fi
}
# need_python MODULE...: true when python3 imports every MODULE; otherwise one
# FAIL line naming what is missing (make test installs it: scripts/test-deps.sh).
need_python() {
  local m missing=
  command -v python3 >/dev/null 2>&1 || { echo "FAIL $(basename "$0" .sh): python3 is not installed (apt-get install python3)"; return 1; }
  for m in "$@"; do python3 -c "import $m" 2>/dev/null || missing="$missing $m"; done
  [ -z "$missing" ] && return 0
  echo "FAIL $(basename "$0" .sh): python3 cannot import$missing (bash scripts/test-deps.sh installs them)"
  return 1
}

# start_moto: a moto server (an AWS API emulator) on a free loopback port,
# stopped by its PID when the suite exits; sets URL, and awsq (the AWS CLI
# against it). The environment it needs (credentials, MOTO_*) is exported first.
start_moto() {
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 -m moto.server -p "$port" >"$T/moto.log" 2>&1 &
  moto=$!
  trap 'kill $moto 2>/dev/null; rm -rf "$T"' EXIT
  for _ in $(seq 50); do
    python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$port" 2>/dev/null && break
    sleep 0.2
  done
  URL=http://127.0.0.1:$port
}
awsq() { aws --endpoint-url "$URL" --output text "$@"; }
# need_aws_cli: true when the AWS CLI is installed; otherwise one FAIL line.
need_aws_cli() {
  command -v aws >/dev/null && return 0
  echo "FAIL $(basename "$0" .sh): the AWS CLI (aws) is not installed (python3 -m pip install awscli)"
  return 1
}

# create_stack SUITE STACK TEMPLATE CAPABILITY [POLLS]: aws cloudformation
# create-stack of TEMPLATE (a file) against the moto server, waited for; ok
# when it reaches CREATE_COMPLETE, else FAIL with the stack's events.
create_stack() {
  local status=
  if ! awsq cloudformation create-stack --stack-name "$2" --template-body "file://$3" \
       --capabilities "$4" >"$T/create.out" 2>&1; then
    bad "$1: create-stack" "$T/create.out"
    return 1
  fi
  for _ in $(seq "${5:-100}"); do
    status=$(awsq cloudformation describe-stacks --stack-name "$2" --query 'Stacks[0].StackStatus' 2>&1)
    case $status in *_IN_PROGRESS) sleep 0.3 ;; *) break ;; esac
  done
  if [ "$status" = CREATE_COMPLETE ]; then
    ok "$1: create-stack reaches CREATE_COMPLETE"
    return 0
  fi
  awsq cloudformation describe-stack-events --stack-name "$2" \
    --query 'StackEvents[].[LogicalResourceId,ResourceStatus,ResourceStatusReason]' >"$T/events" 2>&1
  { echo "status: $status"; cat "$T/events"; } >"$T/d"
  bad "$1: create-stack reaches CREATE_COMPLETE" "$T/d"
  return 1
}
