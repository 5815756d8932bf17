# The command line: help, version, usage errors, exit statuses.
. tests/lib.sh
golden "cli --help" tests/suites/cli/help.expected "$INFRAC" --help
golden "cli help check" tests/suites/cli/help-check.expected "$INFRAC" help check
golden "cli no args" tests/suites/cli/no-args.expected "$INFRAC"
golden "cli unknown command" tests/suites/cli/unknown.expected "$INFRAC" frobnicate
golden "cli unknown option" tests/suites/cli/unknown-option.expected "$INFRAC" check --frob examples/webapp.infra
golden "cli bad format" tests/suites/cli/bad-format.expected "$INFRAC" check --format=xml examples/webapp.infra
golden "cli missing file" tests/suites/cli/missing-file.expected "$INFRAC" check /nonexistent/x.infra
mkdir -p "$T/empty"
# A directory without .infra files: exit 1, the reason on stderr, nothing on stdout.
"$INFRAC" check "$T/empty" >"$T/empty.out" 2>"$T/empty.err"
status=$?
if [ $status -eq 1 ] && [ ! -s "$T/empty.out" ] && [ "$(cat "$T/empty.err")" = "infrac: no .infra files in $T/empty" ]
then ok "cli empty directory fails"; else
  { echo "exit $status; stdout:"; cat "$T/empty.out"; echo "stderr:"; cat "$T/empty.err"; } >"$T/why"
  bad "cli empty directory fails" "$T/why"; fi
golden "cli explain E202" tests/suites/cli/explain-E202.expected "$INFRAC" explain E202
golden "cli explain unknown" tests/suites/cli/explain-unknown.expected "$INFRAC" explain E999
golden "cli help help" tests/suites/cli/help-help.expected "$INFRAC" help help
# A code as people type it: the same section as E101.
expect "cli explain lowercase" bash -c "diff <('$INFRAC' explain e101) <('$INFRAC' explain E101) && '$INFRAC' explain e101 | grep -q '^## E101:'"
expect "cli --version" sh -c "'$INFRAC' --version | grep -q '^infrac [0-9]'"
# Every code of docs/diagnostics.md is explained.
for code in $(grep -o '^## [EW][0-9]*' docs/diagnostics.md | cut -c4-); do
  if "$INFRAC" explain "$code" >"$T/ex" 2>&1 && grep -q "^Wrong:" "$T/ex" && grep -q "^Right:" "$T/ex"
  then ok "cli explain $code"; else bad "cli explain $code" "$T/ex"; fi
done
