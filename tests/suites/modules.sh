# module NAME "DIR" { inputs }: each tests/modules/CASE/ (a stack using the
# modules of tests/modules/lib/) checked against CASE.expected; the stack
# that checks clean is built too.
. tests/lib.sh
D=tests/modules
for dir in "$D"/*/; do
  name=$(basename "$dir")
  [ "$name" = lib ] && continue
  golden "modules check $name" "$D/$name.expected" "$INFRAC" check "$D/$name"
done
golden "modules check --format=json overlap" "$D/overlap.json.expected" "$INFRAC" check --format=json "$D/overlap"
golden "modules build nested" "$D/nested.template.expected" "$INFRAC" build "$D/nested"
golden "modules plan nested" "$D/nested.plan.expected" "$INFRAC" plan "$D/nested"
# Plans name a module's declarations NAME.decl
expect "modules plan names app.net.main" sh -c "'$INFRAC' plan --format=json $D/nested | grep -q '\"resource\": \"app.net.main\"'"
