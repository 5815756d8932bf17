# Loops (issue 23): the reference stack written with loops builds the same
# template, byte for byte, and draws the same graph; a list param's --param value is the list a loop
# reads; a loop making 100,000 declarations checks clean (bench/run times it).
. tests/lib.sh

for emit in cfn-json cfn-yaml; do
  "$INFRAC" build --emit=$emit examples/webapp.infra -o "$T/hand.$emit" 2>"$T/err.hand"
  "$INFRAC" build --emit=$emit examples/webapp-loops.infra -o "$T/loops.$emit" 2>"$T/err.loops"
  if [ -s "$T/hand.$emit" ] && cmp "$T/hand.$emit" "$T/loops.$emit" >"$T/cmp" 2>&1; then
    ok "webapp-loops builds webapp's template, byte for byte ($emit)"
  else
    cat "$T/err.hand" "$T/err.loops" >>"$T/cmp"
    bad "webapp-loops builds webapp's template, byte for byte ($emit)" "$T/cmp"
  fi
done

# The checks see the loops' stack as the hand-written one: the same warnings
# (W401 and W403 read the zones that "${stack.region}${z}" makes).
"$INFRAC" check examples/webapp.infra 2>&1 | grep -o '\(warning\|error\)\[.*' >"$T/hand.warn"
"$INFRAC" check examples/webapp-loops.infra 2>&1 | grep -o '\(warning\|error\)\[.*' >"$T/loops.warn"
if [ "$(wc -l <"$T/hand.warn")" -ge 6 ] && cmp "$T/hand.warn" "$T/loops.warn" >"$T/cmp" 2>&1; then
  ok "webapp-loops checks with webapp's warnings"
else cat "$T/hand.warn" "$T/loops.warn" >>"$T/cmp"; bad "webapp-loops checks with webapp's warnings" "$T/cmp"; fi

# Turning hand-written declarations into loops changes nothing: planned
# against webapp's template, webapp-loops has no change.
"$INFRAC" build examples/webapp.infra -o "$T/hand.json" 2>/dev/null
expect "plan webapp-loops against webapp's template: No changes" sh -c \
  "'$INFRAC' plan examples/webapp-loops.infra --against '$T/hand.json' 2>/dev/null | grep -qx 'No changes.'"

# graph draws the expanded stack: the same graph as the hand-written one.
"$INFRAC" graph examples/webapp.infra >"$T/hand.dot" 2>&1
"$INFRAC" graph examples/webapp-loops.infra >"$T/loops.dot" 2>&1
if grep -q PublicCSubnet "$T/hand.dot" 2>/dev/null || grep -q public_c "$T/hand.dot"; then
  expect "graph of webapp-loops: webapp's graph" cmp "$T/hand.dot" "$T/loops.dot"
else bad "graph of webapp-loops: webapp's graph (public_c not in webapp's graph)" "$T/hand.dot"; fi

# A param of type list: its default, or its --param value, is the loop's list;
# the template holds the subnets it made, not a parameter.
cat >"$T/param.infra" <<'EOF2'
stack p { region = "ap-northeast-1" }
param zones : list = ["a", "c"]
vpc main { cidr = 10.0.0.0/16 }
for z, i in zones {
  subnet public_${z} { vpc = main  cidr = cidr(main, 8, i)  az = "ap-northeast-1${z}" }
}
EOF2
"$INFRAC" build "$T/param.infra" >"$T/two.json" 2>&1
"$INFRAC" build --param zones=a,c,d "$T/param.infra" >"$T/three.json" 2>&1
if [ "$(grep -c '"AWS::EC2::Subnet"' "$T/two.json")" = 2 ] && grep -q '"PublicCSubnet"' "$T/two.json" &&
   [ "$(grep -c '"AWS::EC2::Subnet"' "$T/three.json")" = 3 ] && grep -q '"ap-northeast-1d"' "$T/three.json" &&
   ! grep -q '"Zones"' "$T/two.json" "$T/three.json"; then
  ok "a loop over a list param: its default, or --param"
else
  cat "$T/two.json" "$T/three.json" >"$T/why"
  bad "a loop over a list param: its default, or --param" "$T/why"
fi

# A statement's word may be an interpolated name's attribute (logs_${z}.arn).
cat >"$T/words.infra" <<'EOF2'
stack s { region = "ap-northeast-1" }
for z in ["a", "b"] {
  log_group logs_${z} { retention = 1d }
  role reader_${z} {
    assumed_by = "ec2.amazonaws.com"
    allow "s3:GetObject" on logs_${z}.arn
  }
}
EOF2
"$INFRAC" build "$T/words.infra" >"$T/words.json" 2>&1
if grep -q '"Resource": {"Fn::GetAtt": \["LogsALogGroup", "Arn"\]}' "$T/words.json" &&
   grep -q '"Resource": {"Fn::GetAtt": \["LogsBLogGroup", "Arn"\]}' "$T/words.json"; then
  ok "a statement's word names an interpolated name's attribute"
else bad "a statement's word names an interpolated name's attribute" "$T/words.json"; fi

# 100,000 declarations from one loop: checked clean (no timing asserted here).
python3 - "$T/big.infra" <<'EOF2'
import sys
n = 100000
ids = ",\n  ".join(", ".join(str(i) for i in range(j, min(j + 20, n))) for j in range(0, n, 20))
open(sys.argv[1], "w").write('stack big { region = "ap-northeast-1" }\n\nlet ids = [\n  %s,\n]\n\n'
                             'for i in ids {\n  log_group logs_${i} { retention = 14d }\n}\n' % ids)
EOF2
if "$INFRAC" check "$T/big.infra" >"$T/out" 2>&1 && [ ! -s "$T/out" ]; then
  ok "a loop making 100,000 declarations checks clean"
else bad "a loop making 100,000 declarations checks clean" "$T/out"; fi
"$INFRAC" build "$T/big.infra" >"$T/big.json" 2>"$T/err"
if [ "$(grep -c '"AWS::Logs::LogGroup"' "$T/big.json")" = 100000 ] && grep -q '"Logs99999LogGroup"' "$T/big.json"; then
  ok "a loop making 100,000 declarations builds them all"
else bad "a loop making 100,000 declarations builds them all" "$T/err"; fi

# fmt: the canonical layout of loops and comprehensions is a fixed point.
for f in examples/webapp-loops.infra tests/build/loops.infra tests/cases/loops/nested.infra; do
  "$INFRAC" fmt - <"$f" >"$T/once" 2>/dev/null
  "$INFRAC" fmt - <"$T/once" >"$T/twice" 2>/dev/null
  if [ -s "$T/once" ] && cmp "$T/once" "$T/twice" >"$T/cmp" 2>&1; then ok "fmt $f is idempotent"
  else bad "fmt $f is idempotent" "$T/cmp"; fi
done
golden "fmt lays out loops and comprehensions" tests/loops/fmt.expected "$INFRAC" fmt - <tests/loops/messy.infra

# Arithmetic in a stack without a loop is computed as in one: an output of
# 1 + 2 is 3 (it was dropped when nothing else needed expanding).
printf 'stack s { region = "ap-northeast-1" }\nlet n = 4\noutput sum = 1 + 2\noutput twice = n * 2\n' >"$T/arith.infra"
"$INFRAC" build "$T/arith.infra" >"$T/arith.json" 2>&1
if grep -A1 '"Sum"' "$T/arith.json" | grep -q '"Value": 3' && grep -A1 '"Twice"' "$T/arith.json" | grep -q '"Value": 8'; then
  ok "arithmetic without a loop: its outputs computed"
else bad "arithmetic without a loop: its outputs computed" "$T/arith.json"; fi
