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
# Loops in a module: its subnets are net.public_a ..., logical IDs NetPublicASubnet ...
golden "modules build loops" "$D/loops.template.expected" "$INFRAC" build "$D/loops"
golden "modules build loops_input" "$D/loops_input.template.expected" "$INFRAC" build "$D/loops_input"
golden "modules build loops_twice" "$D/loops_twice.template.expected" "$INFRAC" build "$D/loops_twice"
golden "modules build loops_refs" "$D/loops_refs.template.expected" "$INFRAC" build "$D/loops_refs"
# A module in a loop: an instance per iteration (net_blue, net_green), built
# as the same stack written by hand; loops of modules in a module.
golden "modules build loop_instances" "$D/loop_instances.template.expected" "$INFRAC" build "$D/loop_instances"
expect "modules loop_instances builds as written by hand" sh -c \
  "'$INFRAC' build '$D/loop_instances' >'$T/li.json' && '$INFRAC' build '$D/loop_instances_hand' >'$T/lih.json' && cmp '$T/li.json' '$T/lih.json'"
golden "modules build loop_nested" "$D/loop_nested.template.expected" "$INFRAC" build "$D/loop_nested"
# Plans name a module's declarations NAME.decl
expect "modules plan names app.net.main" sh -c "'$INFRAC' plan --format=json $D/nested | grep -q '\"resource\": \"app.net.main\"'"

# examples/modules: one stack of two modules, two environments; each checks
# clean (its warnings golden), builds (golden), and its template passes
# cfn-lint and the project's rules with zero errors.
E=examples/modules
for env in staging prod; do
  golden "modules example check $env" "$D/example-$env.expected" "$INFRAC" check --params "$E/$env.params" "$E"
  golden "modules example build $env" "$D/example-$env.template.expected" \
    "$INFRAC" build --params "$E/$env.params" "$E"
  "$INFRAC" build --params "$E/$env.params" -o "$T/$env.json" "$E" 2>/dev/null
done
expect "modules example environments differ" sh -c \
  "grep -q '\"CidrBlock\": \"10.30.16.0/20\"' '$T/prod.json' && grep -q '\"CidrBlock\": \"10.20.1.0/24\"' '$T/staging.json' && grep -q 'db.r6g.large' '$T/prod.json'"
if need_python cfnlint; then
  python3 tests/tools/cfn_validate.py "$T/staging.json" "$T/prod.json" >"$T/valid" 2>&1
  for env in staging prod; do
    if grep -q "^$T/$env.json: 0 errors" "$T/valid"; then ok "modules example cfn_validate $env"
    else grep -F "$T/$env.json: " "$T/valid" | grep -v ': warning ' >"$T/why"; bad "modules example cfn_validate $env" "$T/why"; fi
  done
fi

# fmt: module declarations and kind-typed params in the canonical layout;
# the example's files are in it already.
for f in "$D"/fmt/*.infra.in; do
  golden "modules fmt $(basename "$f" .infra.in)" "${f%.infra.in}.expected" sh -c "'$INFRAC' fmt - < '$f'"
done
expect "modules fmt --check examples/modules" "$INFRAC" fmt --check "$E/stack.infra" "$E/network" "$E/database"

# graph: what a module made stands in a dashed cluster per instance, in the
# place its parts stand (the region, a VPC, a subnet); Graphviz draws it.
golden "modules graph example" "$D/example.graph.expected" "$INFRAC" graph "$E"
golden "modules graph nested" "$D/nested.graph.expected" "$INFRAC" graph "$D/nested"
if command -v dot >/dev/null 2>&1; then
  expect "modules graph draws" sh -c "'$INFRAC' graph '$E' | dot -Tsvg >/dev/null"
fi

# The language server on the example: notes in a module's file, completion of
# inputs and outputs, definition into the module, references and rename.
if command -v python3 >/dev/null 2>&1; then
  python3 tests/lsp/modules.py "$INFRAC" 2>"$T/lsp.err" || bad "lsp modules: tests/lsp/modules.py stopped" "$T/lsp.err"
fi
