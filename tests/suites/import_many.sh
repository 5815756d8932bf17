# infrac import -o DIR T1 T2 ...: several templates in one process (what
# scripts/import-corpus.py drives). Each template's source is what its own
# `infrac import T` writes, listed on stdout as "T -> DIR/NAME.infra"; a
# failure is said after its template and leaves the others written; two
# templates with one NAME, or several without a directory, are errors that
# write nothing in their place.
. tests/lib.sh

many="tests/import/cidr.yaml tests/import/errors/transform.yaml tests/import/conditions.yaml tests/import/intrinsics.json"
mkdir "$T/many"
# shellcheck disable=SC2086
"$INFRAC" import -o "$T/many" $many >"$T/out" 2>"$T/err"
rc=$?
expect "import of several, one failing: exit 1" test "$rc" = 1
printf '%s\n' "tests/import/cidr.yaml -> $T/many/cidr.infra" "tests/import/conditions.yaml -> $T/many/conditions.infra" \
  "tests/import/intrinsics.json -> $T/many/intrinsics.infra" >"$T/listing"
expect "import of several: stdout lists which file is whose" diff -u "$T/listing" "$T/out"
expect "import of several: the failure after its template" \
  grep -q '^tests/import/errors/transform.yaml: error: cannot import Transform' "$T/err"
expect "import of several: one message, the failure's" test "$(wc -l <"$T/err")" = 1
expect "import of several: nothing written for the failure" test ! -e "$T/many/transform.infra"
for t in tests/import/cidr.yaml tests/import/conditions.yaml tests/import/intrinsics.json; do
  name=$(basename "${t%.*}")
  "$INFRAC" import "$t" >"$T/one.infra" 2>/dev/null
  expect "import of several: $name.infra as its own import writes it" cmp "$T/one.infra" "$T/many/$name.infra"
done

# the same NAME twice (ids.yaml here and in a copy elsewhere): the second is an error
mkdir "$T/other" "$T/same"
cp tests/import/ids.yaml "$T/other/ids.yaml"
printf '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}\n' >"$T/other/ids.json"
"$INFRAC" import -o "$T/same" tests/import/ids.yaml "$T/other/ids.json" >"$T/out" 2>"$T/err"
expect "import of several, one NAME twice: exit 1" test $? = 1
expect "import of several, one NAME twice: the second is an error naming the first" \
  grep -q "^$T/other/ids.json: error: cannot import it into $T/same/ids.infra: tests/import/ids.yaml is imported there too" "$T/err"
"$INFRAC" import tests/import/ids.yaml >"$T/one.infra" 2>/dev/null
expect "import of several, one NAME twice: the first's source kept" cmp "$T/one.infra" "$T/same/ids.infra"

# several templates need -o DIR: without it, or with a file, nothing is written
"$INFRAC" import tests/import/cidr.yaml tests/import/ids.yaml >"$T/out" 2>"$T/err"
expect "import of several without -o: exit 2" test $? = 2
expect "import of several without -o: says it needs -o DIR" grep -q "import of 2 templates needs -o DIR" "$T/err"
expect "import of several without -o: nothing on stdout" test ! -s "$T/out"
"$INFRAC" import -o "$T/file.infra" tests/import/cidr.yaml tests/import/ids.yaml >"$T/out" 2>"$T/err"
expect "import of several into a file: exit 2" test $? = 2
expect "import of several into a file: nothing written" test ! -e "$T/file.infra"
