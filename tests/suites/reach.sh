# Reachability (docs/reachability.md): the page shows the reference example's
# W607 and the red edges of graph --reach as infrac prints them today.
# The diagnostics themselves are golden cases in tests/cases/reach/.
. tests/lib.sh
"$INFRAC" check examples/webapp.infra 2>&1 | sed -n '/warning\[W607\]/,/= help/p' >"$T/w607"
awk '/^```$/ { inblock = !inblock; next } inblock' docs/reachability.md |
  sed -n '/warning\[W607\]/,/= help/p' >"$T/doc-w607"
if [ -s "$T/w607" ] && diff -u "$T/doc-w607" "$T/w607" >"$T/diff"; then
  ok "reach: docs/reachability.md shows the reference example's W607 as check prints it"
else bad "reach: docs/reachability.md shows the reference example's W607 as check prints it" "$T/diff"; fi
"$INFRAC" graph --reach examples/webapp.infra | grep 'D13212' >"$T/edges"
grep '^  ".*D13212' docs/reachability.md >"$T/doc-edges"
if [ -s "$T/edges" ] && diff -u "$T/doc-edges" "$T/edges" >"$T/diff"; then
  ok "reach: docs/reachability.md shows graph --reach's red edges of the reference example"
else bad "reach: docs/reachability.md shows graph --reach's red edges of the reference example" "$T/diff"; fi
"$INFRAC" graph examples/webapp.infra >"$T/plain.dot"
expect "reach: graph without --reach draws no red edge" sh -c "! grep -q D13212 '$T/plain.dot'"
