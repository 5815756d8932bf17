#!/usr/bin/env bash
# The test runner: unit programs, golden diagnostics, the examples of the
# diagnostics reference. UPDATE=1 rewrites the expected files.
# Prints one line per failure and "N passed, N failed" last.
set -u
cd "$(dirname "$0")/.."
INFRAC=${INFRAC:-build/infrac}
UNIT_DIR=${UNIT_DIR:-build/tests}
export NO_COLOR=1
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $1"; return 0; }
bad() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && sed 's/^/     /' "$2" | head -40
  return 0
}

# golden NAME EXPECTED-FILE COMMAND...: the command's stdout, stderr and exit
# status against the expected file.
golden() {
  local name=$1 expected=$2
  shift 2
  "$@" >"$tmp/out" 2>&1
  echo "exit: $?" >>"$tmp/out"
  if [ -n "${UPDATE:-}" ]; then
    cp "$tmp/out" "$expected"
  fi
  if [ -f "$expected" ] && diff -u "$expected" "$tmp/out" >"$tmp/diff"; then
    ok "$name"
  else
    [ -f "$expected" ] || echo "missing $expected (run UPDATE=1 make test)" >"$tmp/diff"
    bad "$name" "$tmp/diff"
  fi
}

# Unit programs, one per tests/unit/test_*.c: each prints its own summary and
# exits 0 on success. One that was not built fails, rather than dropping out.
for src in tests/unit/test_*.c; do
  t=$UNIT_DIR/$(basename "$src" .c)
  if [ ! -x "$t" ]; then bad "unit $(basename "$t"): $t was not built (make test builds it)"; continue; fi
  if "$t" >"$tmp/unit" 2>&1; then ok "unit $(basename "$t")"; else bad "unit $(basename "$t")" "$tmp/unit"; fi
done

# Golden diagnostics: tests/cases/**/X.infra (or a directory X.stack) beside
# X.expected (text) and, where present, X.json.expected.
while IFS= read -r -d '' input; do
  base=${input%.infra}
  base=${base%.stack}
  golden "check $input" "$base.expected" "$INFRAC" check "$input"
  if [ -f "$base.json.expected" ]; then
    golden "check --format=json $input" "$base.json.expected" "$INFRAC" check --format=json "$input"
  fi
done < <(find tests/cases \( -name '*.infra' -o -name '*.stack' -type d \) -print0 | sort -z)

# The examples check with no error; their warnings are golden.
for ex in examples/*.infra; do
  name=$(basename "$ex" .infra)
  golden "example $ex" "tests/examples/$name.expected" "$INFRAC" check "$ex"
done

# Every Wrong example of docs/diagnostics.md produces its code; every Right
# example has no error and not that code.
awk -v dir="$tmp/doc" 'BEGIN { system("mkdir -p " dir) }
  /^## [EW][0-9][0-9][0-9]:/ { code = substr($2, 1, 4) }
  /^Wrong:/ { which = "wrong" } /^Right:/ { which = "right" }
  /^```infra/ { out = dir "/" code "." which ".infra"; inblock = 1; next }
  /^```/ { inblock = 0; next }
  inblock { print > out }' docs/diagnostics.md
while read -r code; do
  case "$code" in ''|'#'*) continue ;; esac
  w="$tmp/doc/$code.wrong.infra" r="$tmp/doc/$code.right.infra"
  if [ ! -f "$w" ] || [ ! -f "$r" ]; then bad "doc $code: no examples"; continue; fi
  "$INFRAC" check --format=json "$w" >"$tmp/w.json" 2>&1
  if grep -q "\"code\":[[:space:]]*\"$code\"" "$tmp/w.json"; then ok "doc $code wrong"; else
    bad "doc $code: the Wrong example does not produce $code" "$tmp/w.json"; fi
  "$INFRAC" check --format=json "$r" >"$tmp/r.json" 2>&1
  if grep -q "\"code\":[[:space:]]*\"$code\"" "$tmp/r.json" || grep -q '"severity":[[:space:]]*"error"' "$tmp/r.json"; then
    bad "doc $code: the Right example is not clean" "$tmp/r.json"; else ok "doc $code right"; fi
done < tests/doc-codes

# Suites: each tests/suites/*.sh prints "ok NAME" or "FAIL NAME" (then
# indented detail lines) per test, or "skip NAME (why)" for what the machine
# cannot set up (never for a missing tool: that is a FAIL naming it); they
# may use tests/lib.sh.
# SKIP_SUITES="apply ..." leaves those suites out (.ci/run: the moto suite
# takes minutes of AWS CLI calls and runs under the sanitizers and plain).
for f in tests/suites/*.sh; do
  [ -f "$f" ] || continue
  case " ${SKIP_SUITES:-} " in *" $(basename "$f" .sh) "*) echo "skipped suite $f (SKIP_SUITES)"; continue ;; esac
  INFRAC=$INFRAC UNIT_DIR=$UNIT_DIR bash "$f" >"$tmp/suite" 2>&1
  status=$?
  while IFS= read -r line; do
    case "$line" in
      "ok "*) pass=$((pass + 1)); [ -n "${VERBOSE:-}" ] && echo "$line" ;;
      "FAIL "*) fail=$((fail + 1)); echo "$line" ;;
      "skip "*) echo "$line" ;; # what this machine cannot set up, said every time
      "     "*) echo "$line" ;;
    esac
  done <"$tmp/suite"
  if [ "$status" -ne 0 ] && ! grep -q '^FAIL ' "$tmp/suite"; then
    bad "suite $f exited with $status" "$tmp/suite"
  fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
