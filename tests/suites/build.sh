# infrac build: golden templates of every example (tests/examples/NAME.template.json)
# and of tests/build/*.infra (beside them, NAME.template.json), each judged by
# tests/tools/cfn_validate.py (cfn-lint and the project's rules) with zero errors;
# --emit=cfn-yaml; --param; output files replaced whole or not at all;
# byte-identical rebuilds; usage errors.
. tests/lib.sh
need_python cfnlint || exit 0

# golden_template NAME INPUT EXPECTED: the template on stdout against EXPECTED.
golden_template() {
  local name=$1 input=$2 expected=$3 out=$T/$4
  if ! "$INFRAC" build "$input" -o "$out" 2>"$T/err"; then
    bad "$name: build failed" "$T/err"
    return
  fi
  [ -n "${UPDATE:-}" ] && cp "$out" "$expected"
  if [ -f "$expected" ] && diff -u "$expected" "$out" >"$T/diff"; then ok "$name"; else
    [ -f "$expected" ] || echo "missing $expected (run UPDATE=1 make test)" >"$T/diff"
    bad "$name" "$T/diff"
  fi
  grep -o 'region *= *"[a-z0-9-]*"' "$input" | head -1 | sed 's/.*"\(.*\)"/\1/' >"$out.region"
}

mkdir -p "$T/tpl"
for ex in examples/*.infra tests/build/*.infra; do
  name=$(basename "$ex" .infra)
  case $ex in
    examples/*) expected=tests/examples/$name.template.json tpl=tpl/ex-$name.json ;;
    *) expected=${ex%.infra}.template.json tpl=tpl/t-$name.json ;;
  esac
  golden_template "build $ex" "$ex" "$expected" "$tpl"
done

# --emit=cfn-yaml is the same template: equal as data when cfn-lint's own
# reader loads it (tests/tools/yaml_equal.py); cfn_validate judges every
# example's YAML below. Deterministic too.
mkdir -p "$T/yaml"
for ex in examples/*.infra tests/build/*.infra; do
  name=$(basename "$ex" .infra)
  case $ex in examples/*) json=$T/tpl/ex-$name.json ;; *) json=$T/tpl/t-$name.json ;; esac
  if "$INFRAC" build --emit=cfn-yaml "$ex" -o "$T/yaml/$name.yaml" 2>"$T/err"; then
    echo "$json" >"$T/yaml/$name.json-path"
  else bad "build --emit=cfn-yaml $ex" "$T/err"; fi
done
for y in "$T"/yaml/*.yaml; do
  ( python3 tests/tools/yaml_equal.py "$y" "$(cat "${y%.yaml}.json-path")" >"$y.eq" 2>&1
    echo $? >"$y.rc" ) &
done
wait
for y in "$T"/yaml/*.yaml; do
  if [ "$(cat "$y.rc")" = 0 ]; then ok "build --emit=cfn-yaml $(basename "$y"): the JSON's data"
  else bad "build --emit=cfn-yaml $(basename "$y"): the JSON's data" "$y.eq"; fi
done
for ex in examples/*.infra; do # every example's YAML goes to cfn_validate too
  name=$(basename "$ex" .infra)
  [ -f "$T/yaml/$name.yaml" ] || continue
  cp "$T/yaml/$name.yaml" "$T/tpl/ex-$name.yaml"
  cp "$T/tpl/ex-$name.json.region" "$T/tpl/ex-$name.yaml.region"
done
"$INFRAC" build --emit=cfn-yaml examples/webapp.infra 2>/dev/null >"$T/again.yaml"
expect "build --emit=cfn-yaml twice: byte-identical" cmp "$T/again.yaml" "$T/yaml/webapp.yaml"

# Two builds of one stack are the same bytes.
"$INFRAC" build examples/webapp.infra -o "$T/again.json" 2>/dev/null
expect "build twice: byte-identical" cmp "$T/again.json" "$T/tpl/ex-webapp.json"
# No -o and -o - write stdout; the warnings go to stderr.
"$INFRAC" build examples/webapp.infra >"$T/stdout.json" 2>"$T/stderr"
expect "build without -o writes stdout" cmp "$T/stdout.json" "$T/tpl/ex-webapp.json"
expect "build warnings on stderr" grep -q 'warning\[W601\]' "$T/stderr"
"$INFRAC" build -o - examples/webapp.infra >"$T/dash.json" 2>/dev/null
expect "build -o - writes stdout" cmp "$T/dash.json" "$T/tpl/ex-webapp.json"

# --param sets a Default; the template is judged below too.
"$INFRAC" build examples/webapp.infra --param image_tag=abc -o "$T/tpl/param-tag.json" 2>/dev/null
echo ap-northeast-1 >"$T/tpl/param-tag.json.region"
expect "build --param image_tag=abc is the Default" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
assert t["Parameters"]["ImageTag"]["Default"] == "abc", t["Parameters"]["ImageTag"]
assert "Default" not in t["Parameters"]["DbPassword"]' "$T/tpl/param-tag.json"
"$INFRAC" build tests/build/params.infra --param replicas=7 --param=public=true \
  --param range=10.2.0.0/16 --param name=x -o "$T/tpl/param-all.json" 2>/dev/null
echo eu-west-1 >"$T/tpl/param-all.json.region"
expect "build --param of each type" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
p, r = t["Parameters"], t["Resources"]
got = [p[k]["Default"] for k in ("Replicas", "Public", "Name")]
assert got == ["7", "true", "x"], got
# range is read by the checks and cidr(): written, not a parameter
assert "Range" not in p, p
assert r["MainVpc"]["Properties"]["CidrBlock"] == "10.2.0.0/16", r["MainVpc"]
assert r["ASubnet"]["Properties"]["CidrBlock"] == "10.2.0.0/24", r["ASubnet"]' "$T/tpl/param-all.json"

# --param values are checked as if written (tests/build/param/*.infra), and a
# param that the checks or a folding read is written into the template.
param_golden() {
  local name=$1 kv=$2
  golden "build --param $name" "tests/suites/build/param-$name.expected" \
    "$INFRAC" build "tests/build/param/$name.infra" --param "$kv" -o "$T/param-$name.json"
}
param_golden vpc-cidr vpc_cidr=10.60.0.0/16
expect "build --param vpc_cidr: VPC and subnets from the value given" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
r = t["Resources"]
assert "VpcCidr" not in t.get("Parameters", {}), t.get("Parameters")
got = [r[k]["Properties"]["CidrBlock"] for k in ("MainVpc", "ASubnet", "CSubnet")]
assert got == ["10.60.0.0/16", "10.60.0.0/24", "10.60.1.0/24"], got' "$T/param-vpc-cidr.json"
param_golden vpc-cidr-literal vpc_cidr=10.60.0.0/16
param_golden port app_port=9000
param_golden zone zone=us-east-1a
param_golden count replicas=3
expect "build --param replicas: DesiredCount written" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
assert "Replicas" not in t.get("Parameters", {}), t.get("Parameters")
assert t["Resources"]["AppService"]["Properties"]["DesiredCount"] == 3' "$T/param-count.json"
# A secret master password given with --param (check, plan, apply take one):
# RDS's limits, without showing the value; the template's parameter has them.
golden "check --param db_password" "tests/suites/build/param-db-password.expected" \
  "$INFRAC" check tests/build/param/db-password.infra --param "db_password=pa@ss word"
"$INFRAC" build tests/build/param/db-password.infra -o "$T/param-db-password.json" 2>/dev/null
expect "build: a secret master password's parameter has RDS's limits" python3 -c '
import json, re, sys
p = json.load(open(sys.argv[1]))["Parameters"]["DbPassword"]
assert (p["MinLength"], p["MaxLength"], p["NoEcho"]) == (8, 128, True), p
ok = re.compile(p["AllowedPattern"])
assert ok.fullmatch("Abc-123!#%") and not any(ok.fullmatch("abcdefg" + c) for c in "/@\" \t"), p' \
  "$T/param-db-password.json"
for f in vpc-cidr-literal port zone; do
  if [ -e "$T/param-$f.json" ]; then bad "build --param $f: no output"; else ok "build --param $f: no output"; fi
done

# Errors: a message, exit 1, and the output file is not made.
param_error() {
  local name=$1 expected=$2
  shift 2
  rm -f "$T/no.json"
  golden "build $name" "tests/suites/build/$expected" "$INFRAC" build "$@" -o "$T/no.json"
  if [ -e "$T/no.json" ]; then bad "build $name: wrote the output"; else ok "build $name: no output"; fi
}
param_error "unknown param" param-unknown.expected tests/build/params.infra --param replica=3
param_error "int param given x" param-int.expected tests/build/params.infra --param replicas=x
param_error "bool param given yes" param-bool.expected tests/build/params.infra --param public=yes
param_error "cidr param given a name" param-cidr.expected tests/build/params.infra --param range=wide
param_error "cidr param with host bits" param-cidr-host.expected tests/build/params.infra --param range=10.1.0.5/16
param_error "secret param refused" param-secret.expected tests/build/params.infra --param token=hunter2
param_error "param without =" param-no-eq.expected tests/build/params.infra --param replicas
expect "build secret value never printed" sh -c "! '$INFRAC' build tests/build/params.infra --param token=hunter2 2>&1 | grep -q hunter2"

# A failing compile leaves the old output as it was, and no temporary file.
mkdir -p "$T/keep"
printf 'old template\n' >"$T/keep/out.json"
cp "$T/keep/out.json" "$T/keep/before"
printf 'stack s { region = "ap-northeast-1" }\nvpc v { cidr = 10.0.0.0/33 }\n' >"$T/bad.infra"
golden "build error: diagnostics, exit 1" tests/suites/build/compile-error.expected \
  sh -c 'cd "$1" && "$2" build bad.infra -o keep/out.json' sh "$T" "$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")"
expect "build error leaves the old output" cmp "$T/keep/out.json" "$T/keep/before"
expect "build error leaves no temporary file" sh -c "[ \$(ls -A '$T/keep' | wc -l) -eq 2 ]"
# A good build replaces it whole, and leaves no temporary file either.
"$INFRAC" build examples/webapp.infra -o "$T/keep/out.json" 2>/dev/null
expect "build replaces the output" cmp "$T/keep/out.json" "$T/tpl/ex-webapp.json"
expect "build leaves no temporary file" sh -c "[ \$(ls -A '$T/keep' | wc -l) -eq 2 ]"
golden "build unwritable output" tests/suites/build/unwritable.expected \
  "$INFRAC" build tests/build/params.infra -o /nonexistent/dir/out.json

# The command line.
golden "build --help" tests/suites/build/help.expected "$INFRAC" build --help
golden "help build" tests/suites/build/help.expected "$INFRAC" help build
golden "build no path" tests/suites/build/no-path.expected "$INFRAC" build
golden "build bad emit" tests/suites/build/bad-emit.expected "$INFRAC" build --emit=xml examples/webapp.infra
golden "build unknown option" tests/suites/build/unknown-option.expected "$INFRAC" build --frob examples/webapp.infra
golden "build -o without a file" tests/suites/build/o-missing.expected "$INFRAC" build examples/webapp.infra -o

# Every Right example of docs/diagnostics.md (a clean program of each check)
# and every stack of the plan, apply and cfn_moto tests builds; its template and every
# template above pass tests/tools/cfn_validate.py with zero errors, all in one
# Python process, since cfn-lint's start-up is most of a run.
mkdir -p "$T/doc"
awk -v dir="$T/doc" '/^## [EW][0-9][0-9][0-9]:/ { code = substr($2, 1, 4) }
  /^Right:/ { right = 1 } /^Wrong:/ { right = 0 }
  /^```infra/ { if (right) { out = dir "/" code ".infra"; inblock = 1 }; next }
  /^```/ { inblock = 0; next }
  inblock { print > out }' docs/diagnostics.md
more_templates=
n=0
for f in "$T"/doc/*.infra $(find tests/plan tests/apply tests/cfn_moto -name '*.infra' | sort); do
  [ -f "$f" ] || continue
  n=$((n + 1))
  if "$INFRAC" build "$f" -o "$T/doc/$n.json" 2>"$T/err"; then
    region=$(grep -o 'region *= *"[a-z0-9-]*"' "$f" | head -1 | sed 's/.*"\(.*\)"/\1/')
    more_templates="$more_templates ${region:-us-east-1}=$T/doc/$n.json"
    echo "$f" >"$T/doc/$n.src"
  else bad "build $f" "$T/err"; fi
done
templates=
for tpl in "$T"/tpl/*.json "$T"/tpl/*.yaml; do templates="$templates $(cat "$tpl.region")=$tpl"; done
# shellcheck disable=SC2086
python3 tests/tools/cfn_validate.py $templates $more_templates >"$T/valid" 2>&1
for tpl in "$T"/tpl/*.json "$T"/tpl/*.yaml; do
  if grep -q "^$tpl: 0 errors" "$T/valid"; then ok "cfn_validate $(basename "$tpl")"; else
    grep -F "$tpl: " "$T/valid" | grep -v ': warning ' >"$T/why"; bad "cfn_validate $(basename "$tpl")" "$T/why"; fi
done
n=0
: >"$T/doc.bad"
for item in $more_templates; do
  tpl=${item#*=}
  if grep -q "^$tpl: 0 errors" "$T/valid"; then n=$((n + 1)); else
    grep -F "$tpl: " "$T/valid" | grep -v ': warning ' | sed "s|^$tpl|$(cat "${tpl%.json}.src")|" >>"$T/doc.bad"; fi
done
if [ -s "$T/doc.bad" ] || [ "$n" -eq 0 ]; then
  bad "cfn_validate the Right examples of docs/diagnostics.md and the plan and apply stacks" "$T/doc.bad"
else ok "cfn_validate the Right examples of docs/diagnostics.md and the plan and apply stacks ($n)"; fi
