# Limits (docs/limits.md): each input beyond one gives E004 with a clear
# message and exit 1, in linear time, never a crash; an input just within a
# limit is accepted. The inputs are generated under $T, never committed.
. tests/lib.sh
STACK='stack s { region = "ap-northeast-1" }'
# Seconds an input at a limit may take: 10, times TIME_SCALE under the
# sanitizers (make test SAN=1 sets it), which slow the compiler down 3-5 times.
SECS=$((10 * ${TIME_SCALE:-1}))

# limit NAME PATTERN FILE: check FILE exits 1 within $SECS s, with E004 and
# PATTERN in its message; fmt leaves the file as it was.
limit() {
  local name=$1 pattern=$2 file=$3
  cp "$file" "$T/orig"
  timeout "$SECS" "$INFRAC" check "$file" >"$T/out" 2>&1
  local status=$?
  if [ $status -eq 1 ] && grep -q "error\[E004\]: $pattern" "$T/out"; then ok "limit $name"; else
    echo "exit $status" >>"$T/out"
    cut -c1-200 "$T/out" >"$T/why"
    bad "limit $name" "$T/why"
  fi
  timeout "$SECS" "$INFRAC" fmt "$file" >"$T/out" 2>&1
  status=$?
  if [ $status -eq 1 ] && cmp -s "$file" "$T/orig"; then ok "limit $name: fmt leaves the file"; else
    echo "exit $status" >>"$T/out"
    cut -c1-200 "$T/out" >"$T/why"
    bad "limit $name: fmt leaves the file" "$T/why"
  fi
}
# within NAME FILE STATUS SUMMARY [CODE]: check reads FILE whole: it exits
# STATUS within $SECS s, its last line is SUMMARY ("" when it prints nothing),
# there is no E004, and CODE, when given, is reported (the checker saw it all).
within() {
  local name=$1 file=$2 want=$3 summary=$4 code=${5:-}
  timeout "$SECS" "$INFRAC" check "$file" >"$T/out" 2>&1
  local status=$?
  if [ $status -eq "$want" ] && [ "$(tail -n 1 "$T/out")" = "$summary" ] && ! grep -q 'E004' "$T/out" &&
    { [ -z "$code" ] || grep -q "\[$code\]" "$T/out"; }
  then ok "within limit $name"; else
    echo "exit $status (want $want, last line '$summary'${code:+, $code})" >>"$T/out"
    cut -c1-200 "$T/out" | tail -n 20 >"$T/why"
    bad "within limit $name" "$T/why"
  fi
}
# rep N TEXT: TEXT N times.
rep() { awk -v n="$1" -v s="$2" 'BEGIN { while (n--) printf "%s", s }'; }

# Nesting of ( [ {: 256 levels are read, 257 are not.
{ echo "$STACK"; printf 'output x = '; rep 256 '['; rep 256 ']'; echo; } >"$T/list256.infra"
within "lists 256 deep" "$T/list256.infra" 0 ""
# Newlines are blanks inside ( and [: deep input need not be one long line.
{ echo "$STACK"; printf 'output x = '; rep 100000 '[\n'; rep 100000 ']\n'; } >"$T/list.infra"
limit "lists 100000 deep" "nesting of (, \[ and { deeper than 256 levels" "$T/list.infra"
{ echo "$STACK"; printf 'output x = f('; rep 5000 'g('; rep 5001 ')'; echo; } >"$T/call.infra"
limit "calls 5000 deep" "nesting of (, \[ and { deeper than 256" "$T/call.infra"
{ echo "$STACK"; printf 'vpc v '; rep 5000 '{ x '; rep 5000 '}'; echo; } >"$T/block.infra"
limit "blocks 5000 deep" "nesting of (, \[ and { deeper than 256" "$T/block.infra"
# An unclosed run of '[' (half-typed input) is the same.
{ echo "$STACK"; printf 'output x = '; rep 300000 '[\n'; } >"$T/open.infra"
limit "300000 '[' never closed" "nesting of (, \[ and { deeper than 256" "$T/open.infra"
# Expressions: a field chain nests with no bracket at all; ${...} in a string.
{ echo "$STACK"; printf 'output x = f(a'; rep 100000 '\n.b'; echo ')'; } >"$T/field.infra"
limit "a.b.b... 100000 long" "expression nested deeper than 256 levels" "$T/field.infra"
{ echo "$STACK"; printf 'output x = a'; rep 256 '.b'; echo; } >"$T/field256.infra"
within "a.b.b... 256 deep" "$T/field256.infra" 1 "1 error" E101
{ echo "$STACK"; printf 'output x = "${'; rep 200 '['; printf 'a'; rep 200 '.b'; rep 200 ']'; echo '}"'; } >"$T/interp.infra"
limit "\${...} inside a string" "expression nested deeper than 256" "$T/interp.infra"

# A line of 1 MB, and one of exactly 65536 bytes.
{ echo "$STACK"; printf 'output x = "'; rep 1048576 'a'; echo '"'; } >"$T/line.infra"
limit "a 1 MB line" "line longer than 65536 bytes" "$T/line.infra"
{ echo "$STACK"; printf 'output x = "'; rep 16384 'a'; printf '"'; rep $((65536 - 16398)) ' '; echo; } >"$T/line64k.infra"
within "a line of 65536 bytes with a string of 16384" "$T/line64k.infra" 0 ""
# A string of 16 KiB and one byte, on a line within the limit.
{ echo "$STACK"; printf 'output x = "'; rep 16385 'a'; echo '"'; } >"$T/string.infra"
limit "a string of 16385 bytes" "string longer than 16384 bytes" "$T/string.infra"

# A file of 100 MB: rejected after reading 64 MiB, in linear time.
{ echo "$STACK"; yes 'param p: string' | head -c 100000000; } >"$T/big.infra"
limit "a file of 100 MB" "file larger than 64 MiB" "$T/big.infra"
timeout "$SECS" "$INFRAC" fmt - <"$T/big.infra" >"$T/out" 2>"$T/err"
if [ $? -eq 1 ] && [ ! -s "$T/out" ] && grep -q 'E004' "$T/err"; then ok "limit a file of 100 MB on fmt's stdin"
else bad "limit a file of 100 MB on fmt's stdin" "$T/err"; fi
rm -f "$T/big.infra"

# A million declarations and one.
awk -v s="$STACK" 'BEGIN { print s; for (i = 0; i < 1000000; i++) printf "param p%d: string\n", i }' \
  >"$T/decls.infra"
limit "1000001 declarations" "more than 1000000 declarations" "$T/decls.infra"
rm -f "$T/decls.infra"

# A flood of errors: 1000 kept, then one E004, all counted.
{ echo "$STACK"; rep 1000 '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n'; } >"$T/errors.infra"
timeout "$SECS" "$INFRAC" check --format=json "$T/errors.infra" >"$T/out" 2>&1
if [ "$(grep -c '"code":' "$T/out")" -eq 1001 ] && grep -q '"errors":[[:space:]]*100000' "$T/out" &&
  grep -q 'more than 1000 errors' "$T/out"; then ok "limit 100000 errors"; else
  head -c 2000 "$T/out" >"$T/why"; bad "limit 100000 errors" "$T/why"; fi

# The text of a diagnostic on a long line shows a window around it.
{ echo "$STACK"; rep 30000 ' '; echo '@'; } >"$T/window.infra"
"$INFRAC" check "$T/window.infra" >"$T/out" 2>&1
if [ "$(wc -c <"$T/out")" -lt 1000 ] && grep -q '^    2 | \.\.\. .*@$' "$T/out"; then ok "limit a window of a long line"
else head -c 2000 "$T/out" >"$T/why"; bad "limit a window of a long line" "$T/why"; fi

# The language server: a document above 64 MiB gets E004, and requests at
# its far end are answered (its text is kept, though not checked).
frame() { printf 'Content-Length: %s\r\n\r\n' "$(printf '%s' "$1" | wc -c)"; printf '%s' "$1"; }
URI=file:///limits/big.infra
{
  frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}'
  frame '{"jsonrpc":"2.0","method":"initialized","params":{}}'
  awk -v uri=$URI 'BEGIN { n = 4500000; line = "param p: string\\n"
    body = sprintf("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"%s\",\"languageId\":\"infra\",\"version\":1,\"text\":\"", uri)
    tail = "\"}}}"
    printf "Content-Length: %d\r\n\r\n%s", length(body) + n * (length(line)) + length(tail), body
    for (i = 0; i < n; i++) printf "%s", line
    printf "%s", tail }'
  for m in textDocument/completion textDocument/hover textDocument/definition; do
    frame '{"jsonrpc":"2.0","id":2,"method":"'$m'","params":{"textDocument":{"uri":"'$URI'"},"position":{"line":4499999,"character":8}}}'
  done
  frame '{"jsonrpc":"2.0","id":3,"method":"shutdown"}'
  frame '{"jsonrpc":"2.0","method":"exit"}'
} >"$T/lsp.in"
timeout 20 "$INFRAC" lsp <"$T/lsp.in" >"$T/out" 2>&1
status=$?
if [ $status -eq 0 ] && grep -q 'file larger than 64 MiB' "$T/out" && [ "$(grep -o '"id":2' "$T/out" | wc -l)" -eq 3 ]
then ok "limit a document of 68 MB in the language server"
else echo "exit $status" >>"$T/out"; head -c 3000 "$T/out" >"$T/why"; bad "limit a document of 68 MB in the language server" "$T/why"; fi
rm -f "$T/lsp.in"

# Linear time where it was quadratic: each took minutes at this size.
# fast NAME STATUS SUMMARY COMMAND...: COMMAND ends within $SECS s (timed; timeout
# stops it there), exits STATUS, and its last line is SUMMARY ("" for none).
fast() {
  local name=$1 want=$2 summary=$3
  shift 3
  local start end status
  start=$(date +%s%N)
  timeout "$SECS" "$@" >"$T/out" 2>&1
  status=$?
  end=$(date +%s%N)
  local ms=$(((end - start) / 1000000))
  if [ $status -eq "$want" ] && [ $ms -lt 10000 ] && [ "$(tail -n 1 "$T/out")" = "$summary" ]; then
    ok "linear $name"
  else
    { tail -n 5 "$T/out" | cut -c1-200; echo "exit $status in $ms ms (want $want within 10000 ms, last line '$summary')"; } >"$T/why"
    bad "linear $name" "$T/why"
  fi
}
awk -v s="$STACK" 'BEGIN { print s; for (i = 0; i < 100000; i++) printf "# infrac:ignore W604\nlog_group g%d { }\n", i }' \
  >"$T/ignores.infra"
fast "check: 100000 infrac:ignore comments and warnings" 0 "" "$INFRAC" check "$T/ignores.infra"
fast "fmt: 100000 comments between declarations" 1 "$T/ignores.infra" "$INFRAC" fmt --check "$T/ignores.infra"
awk -v s="$STACK" 'BEGIN { print s; for (i = 0; i < 50000; i++) printf "subnet s%d { vpc = nope%d cidr = 10.0.0.0/24 }\n", i, i }' \
  >"$T/undefined.infra"
fast "check: 50000 undefined names among 50000 declarations" 1 "100000 errors" "$INFRAC" check "$T/undefined.infra"

# `resource`: objects 1,000 deep (each '{' counts), object blocks 1,000 deep,
# a list of 10,000 objects (within every limit: checked against the schema
# in linear time), 100,000 `resource` declarations.
{ echo "$STACK"; printf 'resource q "AWS::SQS::Queue" {\n  X = '; rep 1000 '{ A = '; printf '1'; rep 1000 ' }'; printf '\n}\n'; } >"$T/objects.infra"
limit "objects 1000 deep" "nesting of (, \[ and { deeper than 256" "$T/objects.infra"
{ echo "$STACK"; printf 'resource q "AWS::SQS::Queue" {\n'; rep 1000 'A {\n'; printf 'B = 1\n'; rep 1000 '}\n'; printf '}\n'; } >"$T/oblocks.infra"
limit "object blocks 1000 deep" "nesting of (, \[ and { deeper than 256" "$T/oblocks.infra"
{ echo "$STACK"; printf 'resource site "AWS::S3::Bucket" {\n  Tags = [\n'
  awk 'BEGIN { for (i = 0; i < 10000; i++) printf "    { Key = \"k%d\", Value = \"v\" },\n", i }'; printf '  ]\n}\n'; } >"$T/tags.infra"
within "a list of 10000 objects" "$T/tags.infra" 0 ""
fast "build: a list of 10000 objects" 0 "" "$INFRAC" build "$T/tags.infra" -o "$T/tags.json"
awk -v s="$STACK" 'BEGIN { print s; for (i = 0; i < 100000; i++) printf "resource q%d \"AWS::SQS::Queue\" { QueueName = \"q%d\"  DelaySeconds = 5 }\n", i, i }' \
  >"$T/resources.infra"
fast "check: 100000 resource declarations" 0 "" "$INFRAC" check "$T/resources.infra"
