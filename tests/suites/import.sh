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

# -o DIR writes DIR/NAME.infra, NAME from the template's file name.
mkdir -p "$T/dir"
"$INFRAC" import tests/import/cdk.json -o "$T/dir" 2>"$T/err"
expect "import -o DIR: DIR/cdk.infra" test -s "$T/dir/cdk.infra"

for t in tests/import/errors/*.json tests/import/errors/*.yaml; do
  name=${t%.*}
  golden "import $t: refused" "$name.expected" "$INFRAC" import "$t" -o "$T/never.infra"
  expect "import $t: nothing written" test ! -e "$T/never.infra"
done
