# The YAML emitter against cfn-lint's reader: every tests/yaml/*.json and the
# good fixtures of ../shared/tools, rendered by cfn_yaml_render (test_yaml
# FILE), read back equal (tests/tools/yaml_equal.py); ours pass cfn-check
# (the shared ones are checked there); and yaml_equal.py tells different
# templates apart.
. tests/lib.sh
UNIT_DIR=${UNIT_DIR:-build/tests}
SHARED=${SHARED:-../shared}
if ! . "$SHARED/tools/lib/python.sh" yaml 2>"$T/py"; then
  echo "needs $SHARED/tools (cfn-lint); set SHARED to its directory" >>"$T/py"
  bad "yaml: no Python with cfn-lint" "$T/py"
  exit 0
fi
equal() { "$TOOLS_PY" tests/tools/yaml_equal.py "$@"; }
differ() { ! equal "$@" && equal "$@" | grep -q '^yaml_equal: \$'; }

for json in tests/yaml/*.json "$SHARED"/tools/fixtures/good/*.json "$SHARED"/tools/fixtures/seed-stack.json; do
  name=${json#"$SHARED"/tools/}
  yaml=$T/$(basename "$json" .json).yaml
  if ! "$UNIT_DIR/test_yaml" "$json" >"$yaml" 2>"$T/err"; then
    bad "yaml render $name" "$T/err"
    continue
  fi
  expect "yaml $name reads back equal" equal "$yaml" "$json"
  case $json in tests/*) expect "yaml $name passes cfn-check" "$SHARED/tools/cfn-check" "$yaml" ;; esac
done

# yaml_equal.py: short forms equal their long forms; types, values and keys differ.
printf '{"A": {"Fn::GetAtt": ["Db", "Endpoint.Address"]}, "B": {"Fn::Not": [{"Condition": "C"}]}, "P": "22", "D": "2010-09-09"}' >"$T/t.json"
printf "A: !GetAtt Db.Endpoint.Address\nB: !Not [!Condition C]\nP: '22'\nD: '2010-09-09'\n" >"$T/same.yaml"
expect "yaml_equal: short forms equal the long forms" equal "$T/same.yaml" "$T/t.json"
sed "s/'22'/22/" "$T/same.yaml" >"$T/int.yaml"
expect "yaml_equal: 22 is not '22'" differ "$T/int.yaml" "$T/t.json"
sed "s/'2010-09-09'/2010-09-09/" "$T/same.yaml" >"$T/date.yaml"
expect "yaml_equal: a date is not a string" differ "$T/date.yaml" "$T/t.json"
sed '/^B:/d' "$T/same.yaml" >"$T/less.yaml"
expect "yaml_equal: a missing key differs" differ "$T/less.yaml" "$T/t.json"
