# infrac import: templates written for the tests (tests/import/*.json|yaml:
# every intrinsic, every condition form, the shape CDK synthesizes, the
# kinds and what stays a `resource`: kinds_*), each
# imported to golden source (X.infra.expected) that fmt leaves alone and
# that round-trips: `infrac plan OUT --against TEMPLATE --detailed-exitcode`
# says "No changes." and exits 0. What cannot be imported
# (tests/import/errors) is a golden error naming the template path, and
# nothing is written.
. tests/lib.sh

for t in tests/import/*.json tests/import/*.yaml; do
  name=${t%.*}
  out=$T/$(basename "$name").infra
  golden "import $t" "$name.infra.expected" "$INFRAC" import "$t"
  if ! "$INFRAC" import "$t" -o "$out" 2>"$T/err"; then bad "import $t -o" "$T/err"; continue; fi
  if "$INFRAC" fmt --check "$out" >"$T/err" 2>&1; then ok "import $t: as fmt writes it"
  else bad "import $t: as fmt writes it" "$T/err"; fi
  # what infrac's checks find in the kinds an import makes (W601 open SSH ...)
  case $name in */kinds_*)
    golden "import $t: check" "$name.check.expected" sh -c 'cd "$1" && "$2" check "$3"' sh "$T" "$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")" "$(basename "$out")" ;;
  esac
  "$INFRAC" plan "$out" --against "$t" --detailed-exitcode >"$T/plan" 2>&1
  rc=$?
  if [ $rc = 0 ] && grep -qx "No changes." "$T/plan"; then ok "import $t: round trip, No changes."
  else bad "import $t: round trip, No changes. (exit $rc)" "$T/plan"; fi
done

# --loops: runs of declarations that differ only by a zone or index suffix
# folded into a `for` (tests/import/loops/X.yaml -> X.infra.expected); the
# folded source is as fmt writes it, round-trips, and builds to the same
# template as the unfolded import.
for t in tests/import/loops/*.yaml; do
  name=${t%.*}
  base=$(basename "$name")
  golden "import --loops $t" "$name.infra.expected" "$INFRAC" import --loops "$t"
  if ! "$INFRAC" import --loops "$t" -o "$T/$base-loops.infra" 2>"$T/err"; then bad "import --loops $t -o" "$T/err"; continue; fi
  "$INFRAC" import "$t" -o "$T/$base-flat.infra" 2>/dev/null
  expect "import --loops $t: folds" grep -q '^for ' "$T/$base-loops.infra"
  expect "import --loops $t: as fmt writes it" "$INFRAC" fmt --check "$T/$base-loops.infra"
  "$INFRAC" plan "$T/$base-loops.infra" --against "$t" --detailed-exitcode >"$T/plan" 2>&1
  rc=$?
  if [ $rc = 0 ] && grep -qx "No changes." "$T/plan"; then ok "import --loops $t: round trip, No changes."
  else bad "import --loops $t: round trip, No changes. (exit $rc)" "$T/plan"; fi
  expect "import --loops $t: builds as the unfolded import" sh -c \
    "'$INFRAC' build '$T/$base-loops.infra' >'$T/a.json' 2>/dev/null && '$INFRAC' build '$T/$base-flat.infra' >'$T/b.json' 2>/dev/null && cmp '$T/a.json' '$T/b.json'"
done
# The reference stack's template: its subnets fold back into loops over the
# zones; the result round-trips and builds as the unfolded import.
"$INFRAC" build examples/webapp.infra -o "$T/webapp.json" 2>/dev/null
"$INFRAC" import --loops "$T/webapp.json" -o "$T/webapp-loops.infra" 2>"$T/err"
"$INFRAC" import "$T/webapp.json" -o "$T/webapp-flat.infra" 2>"$T/err"
expect "import --loops webapp: subnets in a loop over the zones" grep -q '^for z, i in \["a", "c", "d"\]' "$T/webapp-loops.infra"
expect "import --loops webapp: round trip, No changes." sh -c \
  "'$INFRAC' plan '$T/webapp-loops.infra' --against '$T/webapp.json' 2>/dev/null | grep -qx 'No changes.'"
expect "import --loops webapp: builds as the unfolded import" sh -c \
  "'$INFRAC' build '$T/webapp-loops.infra' >'$T/a.json' 2>/dev/null && '$INFRAC' build '$T/webapp-flat.infra' >'$T/b.json' 2>/dev/null && cmp '$T/a.json' '$T/b.json'"
"$INFRAC" import tests/import/cidr.yaml >"$T/cidr-flat.infra" 2>&1
"$INFRAC" import --loops tests/import/cidr.yaml >"$T/cidr-loops.infra" 2>&1
expect "import --loops cidr.yaml: nothing to fold, the same source" cmp "$T/cidr-flat.infra" "$T/cidr-loops.infra"

# -o DIR writes DIR/NAME.infra, NAME from the template's file name.
mkdir -p "$T/dir"
"$INFRAC" import tests/import/cdk.json -o "$T/dir" 2>"$T/err"
expect "import -o DIR: DIR/cdk.infra" test -s "$T/dir/cdk.infra"

for t in tests/import/errors/*.json tests/import/errors/*.yaml; do
  name=${t%.*}
  golden "import $t: refused" "$name.expected" "$INFRAC" import "$t" -o "$T/never.infra"
  expect "import $t: nothing written" test ! -e "$T/never.infra"
done

# A group's Ref is its GetAtt GroupId only in a VPC (in EC2-Classic it is
# its name): the Ref of a group with a VpcId against the GetAtt is no
# change (kinds_fallback.yaml's Referenced round-trips), of one without is.
cat >"$T/classic.json" <<'JSON'
{"Resources": {"G": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "g"}},
 "I": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": {"Ref": "G"}, "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"}}}}
JSON
cat >"$T/classic.infra" <<'INFRA'
stack classic {
  region = "us-east-1"
}

resource g "AWS::EC2::SecurityGroup" {
  GroupDescription = "g"
  logical_id       = "G"
}

resource i "AWS::EC2::SecurityGroupIngress" {
  GroupId    = g.GroupId
  IpProtocol = "tcp"
  FromPort   = 22
  ToPort     = 22
  CidrIp     = "10.0.0.0/8"
  logical_id = "I"
}
INFRA
"$INFRAC" plan "$T/classic.infra" --against "$T/classic.json" >"$T/classic.out" 2>&1
check "plan: a group's Ref without a VpcId is not its GetAtt GroupId" \
  "Plan: 0 to add, 0 to change, 1 to replace, 0 to destroy." "$(grep "^Plan:" "$T/classic.out")"
sed 's/"GroupDescription": "g"}/"GroupDescription": "g", "VpcId": "vpc-1"}/' "$T/classic.json" >"$T/vpc.json"
sed 's/GroupDescription = "g"/GroupDescription = "g"\n  VpcId            = "vpc-1"/' "$T/classic.infra" >"$T/vpc.infra"
"$INFRAC" plan "$T/vpc.infra" --against "$T/vpc.json" >"$T/vpc.out" 2>&1
check "plan: a group's Ref with a VpcId is its GetAtt GroupId" "No changes." "$(cat "$T/vpc.out")"
