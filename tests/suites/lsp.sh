# The language server, `infrac lsp`: a scripted client (tests/lsp/client.py)
# over stdin/stdout, then Neovim's built-in client started by the set-up that
# docs/lsp.md gives (tests/lsp/nvim.py; CI installs Debian's neovim, 0.7.2, and
# without nvim that test fails, naming it).
. tests/lib.sh
if ! command -v python3 >/dev/null 2>&1; then
  bad "lsp: python3 is not installed"
  exit 0
fi
# Each script prints its own ok/FAIL lines and exits 0; one that stops early
# (a traceback) would drop its remaining tests, so that is a failure too.
for script in client.py rename.py nvim.py editors.py; do # editors.py: manifests, grammar, syntax; no npm
  python3 "tests/lsp/$script" "$INFRAC" 2>"$T/stderr"
  status=$?
  [ $status -eq 0 ] || bad "lsp: tests/lsp/$script stopped with status $status" "$T/stderr"
done
golden "lsp help lsp" tests/suites/lsp/help-lsp.expected "$INFRAC" help lsp
golden "lsp unknown option" tests/suites/lsp/unknown-option.expected "$INFRAC" lsp --tcp
expect "lsp --help lists the command" sh -c "'$INFRAC' --help | grep -q '^  lsp '"
expect "lsp end of input without shutdown: status 1" sh -c "! '$INFRAC' lsp </dev/null"
