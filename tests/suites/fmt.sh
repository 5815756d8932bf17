# infrac fmt and infrac graph: golden layouts (tests/fmt/X.infra formatted is
# tests/fmt/X.expected), idempotence and an unchanged AST for every .infra file
# of the repository, --check, stdin, files with syntax errors, the golden DOT
# of the reference example, and Graphviz accepting it.
. tests/lib.sh
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC") # for commands run elsewhere

# Golden layouts of messy inputs, through stdin.
for input in tests/fmt/*.infra; do
  golden "fmt $input" "${input%.infra}.expected" sh -c '"$1" fmt - < "$2"' sh "$INFRAC" "$input"
done

# Every .infra file of the repository: fmt of fmt's output changes nothing,
# and the AST (without spans) is the same before and after.
while IFS= read -r -d '' f; do
  f=${f#./}
  if ! "$INFRAC" fmt --ast-dump "$f" >"$T/before.ast" 2>"$T/err"; then
    # A file with syntax errors (a front-end test): fmt must leave it alone.
    cp "$f" "$T/bad.infra"
    if ! "$INFRAC" fmt "$T/bad.infra" >"$T/out" 2>"$T/err" && cmp -s "$f" "$T/bad.infra" &&
      grep -Eq 'error\[(E00[123]|E104)\]' "$T/err"; then ok "fmt leaves $f (syntax errors)"
    else bad "fmt leaves $f (syntax errors)" "$T/err"; fi
    continue
  fi
  if ! "$INFRAC" fmt - <"$f" >"$T/once.infra" 2>"$T/err"; then
    bad "fmt $f" "$T/err"
    continue
  fi
  "$INFRAC" fmt - <"$T/once.infra" >"$T/twice.infra" 2>"$T/err"
  if cmp -s "$T/once.infra" "$T/twice.infra"; then ok "fmt idempotent $f"; else
    diff -u "$T/once.infra" "$T/twice.infra" >"$T/diff"
    bad "fmt idempotent $f" "$T/diff"
  fi
  "$INFRAC" fmt --ast-dump - <"$T/once.infra" >"$T/after.ast" 2>&1
  if diff -u "$T/before.ast" "$T/after.ast" >"$T/diff"; then ok "fmt keeps the AST of $f"; else
    bad "fmt keeps the AST of $f" "$T/diff"
  fi
done < <(find . \( -path ./build -o -path ./.git \) -prune -o -name '*.infra' -print0 | sort -z)

# The reference example is already canonical.
golden "fmt --check examples/webapp.infra" tests/fmt/check-webapp.expected \
  "$INFRAC" fmt --check examples/webapp.infra

# --check: lists what would change, exits 1, writes nothing.
mkdir -p "$T/dir"
cp tests/fmt/collapsed.infra "$T/dir/messy.infra"
sed '/^exit: /d' tests/fmt/collapsed.expected >"$T/dir/tidy.infra"
cp "$T/dir/messy.infra" "$T/messy.orig"
"$INFRAC" fmt --check "$T/dir" >"$T/out" 2>&1
status=$?
if [ $status -eq 1 ] && [ "$(cat "$T/out")" = "$T/dir/messy.infra" ] &&
  cmp -s "$T/dir/messy.infra" "$T/messy.orig"; then ok "fmt --check lists a file to change, exit 1"
else echo "exit $status" >>"$T/out"; bad "fmt --check lists a file to change, exit 1" "$T/out"; fi
"$INFRAC" fmt --check "$T/dir/tidy.infra" >"$T/out" 2>&1
status=$?
if [ $status -eq 0 ] && [ ! -s "$T/out" ]; then ok "fmt --check on a canonical file: exit 0, silent"
else echo "exit $status" >>"$T/out"; bad "fmt --check on a canonical file: exit 0, silent" "$T/out"; fi
"$INFRAC" fmt --check - <tests/fmt/collapsed.infra >"$T/out" 2>&1
status=$?
if [ $status -eq 1 ] && [ "$(cat "$T/out")" = "<stdin>" ]; then ok "fmt --check - exits 1"
else echo "exit $status" >>"$T/out"; bad "fmt --check - exits 1" "$T/out"; fi

# Writing: the file is rewritten in place (its mode kept, no temporary file
# left behind) and named; a second run changes nothing.
chmod 600 "$T/dir/messy.infra"
"$INFRAC" fmt "$T/dir" >"$T/out" 2>&1
status=$?
if [ $status -eq 0 ] && [ "$(cat "$T/out")" = "$T/dir/messy.infra" ] &&
  cmp -s "$T/dir/messy.infra" "$T/dir/tidy.infra" && [ "$(stat -c %a "$T/dir/messy.infra")" = 600 ] &&
  [ "$(ls "$T/dir" | wc -l)" -eq 2 ]; then ok "fmt rewrites a file in place"
else { echo "exit $status"; ls -l "$T/dir"; } >>"$T/out"; bad "fmt rewrites a file in place" "$T/out"; fi
"$INFRAC" fmt "$T/dir" >"$T/out" 2>&1
if [ $? -eq 0 ] && [ ! -s "$T/out" ]; then ok "fmt of a canonical directory is silent"
else bad "fmt of a canonical directory is silent" "$T/out"; fi

# A file with syntax errors is left untouched, its errors reported, exit 1;
# the other files are still formatted.
mkdir -p "$T/errs"
printf 'vpc main {\n      cidr = 10.0.0.0/16\n}\nsubnet a { vpc = main  cidr = }\n' >"$T/errs/bad.infra"
cp "$T/errs/bad.infra" "$T/bad.orig"
cp tests/fmt/collapsed.infra "$T/errs/good.infra"
golden "fmt a file with syntax errors" tests/fmt/syntax-error.expected \
  sh -c 'cd "$1" && "$2" fmt bad.infra good.infra' sh "$T/errs" "$BIN"
if cmp -s "$T/errs/bad.infra" "$T/bad.orig" && cmp -s "$T/errs/good.infra" "$T/dir/tidy.infra"; then
  ok "fmt leaves the file with errors untouched, formats the other"
else bad "fmt leaves the file with errors untouched, formats the other"; fi

golden "fmt usage errors" tests/fmt/usage.expected sh -c '"$1" fmt; "$1" fmt --frob x' sh "$INFRAC"
golden "help fmt" tests/fmt/help-fmt.expected "$INFRAC" help fmt
golden "help graph" tests/fmt/help-graph.expected "$INFRAC" help graph

# graph: the golden DOT of the reference example, the same twice, and
# Graphviz's dot accepts it (CI installs graphviz; without it this fails).
golden "graph examples/webapp.infra" tests/fmt/webapp.dot.expected "$INFRAC" graph examples/webapp.infra
golden "graph: public subnets as checked, xlabels, containers in tasks" tests/fmt/graph-public.dot.expected "$INFRAC" graph tests/fmt/graph-public.infra
golden "graph: resource declarations in their subnet or VPC, global types outside the region" \
  tests/fmt/graph-resource.dot.expected "$INFRAC" graph tests/fmt/graph-resource.infra
golden "graph --reach: the paths from the internet in red, ports on the last edge" \
  tests/fmt/webapp.reach.dot.expected "$INFRAC" graph --reach examples/webapp.infra
"$INFRAC" graph --reach examples/webapp.infra >"$T/reach.dot" 2>&1
expect "graph --reach: dot accepts it" dot -Tsvg -o /dev/null "$T/reach.dot"
golden "graph: a declaration made under a condition is dashed, with its condition" \
  tests/fmt/graph-conditions.dot.expected "$INFRAC" graph tests/fmt/graph-conditions.infra
"$INFRAC" graph examples/webapp.infra >"$T/a.dot" 2>&1
"$INFRAC" graph examples/webapp.infra >"$T/b.dot" 2>&1
expect "graph is deterministic" cmp "$T/a.dot" "$T/b.dot"
if command -v dot >/dev/null 2>&1; then
  expect "dot -Tsvg accepts the graph" sh -c 'dot -Tsvg "$1" -o "$2" && grep -q "<svg" "$2"' sh "$T/a.dot" "$T/a.svg"
  for f in examples/*.infra; do
    expect "graph $f: dot accepts it" sh -c '"$1" graph "$2" >"$3" && dot -Tsvg "$3" | grep -q "<svg"' sh "$INFRAC" "$f" "$T/ex.dot"
  done
  expect "graph --format=svg" sh -c '"$1" graph --format=svg examples/webapp.infra | grep -q "</svg>"' sh "$INFRAC"
  expect "graph --format=png" sh -c '"$1" graph --format=png examples/webapp.infra | head -c 8 | od -c | grep -q "P   N   G"' sh "$INFRAC"
else
  echo "Graphviz's dot is missing: apt-get install graphviz" >"$T/nodot"
  bad "dot -Tsvg accepts the graph" "$T/nodot"
fi
# Without dot on the PATH, svg says how to install it.
mkdir -p "$T/nobin"
golden "graph --format=svg without dot" tests/fmt/graph-no-dot.expected \
  env PATH="$T/nobin" "$BIN" graph --format=svg examples/webapp.infra
golden "graph of a stack with errors" tests/fmt/graph-errors.expected \
  sh -c 'cd "$1" && "$2" graph bad.infra' sh "$T/errs" "$BIN"
