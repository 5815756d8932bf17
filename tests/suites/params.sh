# --params FILE (also --param-file): an environment's values as name = value
# lines, checked with spans in FILE; --param K=V over them.
. tests/lib.sh
D=tests/params
for f in wrong-type unknown syntax secret twice host-bits statement outside; do
  golden "params check $f" "$D/$f.expected" "$INFRAC" check --params "$D/$f.params" "$D/stack.infra"
done
golden "params build prod" "$D/prod.build.expected" "$INFRAC" build --params "$D/prod.params" "$D/stack.infra"
# --param wins over the file, wherever it stands on the line; --param-file= is the same option.
golden "params --param over the file" "$D/override.expected" \
  "$INFRAC" build --param env=from-the-line --param-file="$D/override.params" "$D/stack.infra"
golden "params plan" "$D/plan.expected" "$INFRAC" plan --params "$D/prod.params" "$D/stack.infra"
# apply refuses a bad file before it reads credentials or calls anyone
golden "params apply refuses a bad file" "$D/apply-bad.expected" \
  env -u AWS_ACCESS_KEY_ID "$INFRAC" apply --auto-approve --endpoint-url http://127.0.0.1:9 \
  --state "$T/state.json" --params "$D/unknown.params" "$D/stack.infra"
golden "params check json" "$D/wrong-type.json.expected" \
  "$INFRAC" check --format=json --params "$D/wrong-type.params" "$D/stack.infra"
golden "params a directory" "$D/directory.expected" "$INFRAC" check --params "$D" "$D/stack.infra"
golden "params a missing file" "$D/missing.expected" "$INFRAC" build --params "$D/none.params" "$D/stack.infra"
golden "params needs a value" "$D/no-value.expected" "$INFRAC" check "$D/stack.infra" --params
