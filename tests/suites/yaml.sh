# The YAML emitter against cfn-lint's reader: every tests/yaml/*.json (a
# realistic stack, and every intrinsic function with scalars YAML would read
# as another type), rendered by cfn_yaml_render (test_yaml FILE), reads back
# equal (tests/tools/yaml_equal.py) and passes tests/tools/cfn_validate.py;
# and yaml_equal.py tells different templates apart.
. tests/lib.sh
UNIT_DIR=${UNIT_DIR:-build/tests}
need_python cfnlint || exit 0
equal() { python3 tests/tools/yaml_equal.py "$@"; }
differ() { ! equal "$@" && equal "$@" | grep -q '^yaml_equal: \$'; }

rendered=
for json in tests/yaml/*.json; do
  yaml=$T/$(basename "$json" .json).yaml
  if ! "$UNIT_DIR/test_yaml" "$json" >"$yaml" 2>"$T/err"; then
    bad "yaml render $json" "$T/err"
    continue
  fi
  expect "yaml $json reads back equal" equal "$yaml" "$json"
  rendered="$rendered $yaml"
done
# shellcheck disable=SC2086
python3 tests/tools/cfn_validate.py $rendered >"$T/valid" 2>&1
for yaml in $rendered; do
  if grep -q "^$yaml: 0 errors" "$T/valid"; then ok "yaml $(basename "$yaml") passes cfn_validate"
  else grep -F "$yaml" "$T/valid" >"$T/why"; bad "yaml $(basename "$yaml") passes cfn_validate" "$T/why"; fi
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
