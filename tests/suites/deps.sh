# scripts/test-deps.sh, which `make test` runs first, names exactly what is
# missing and how to install it, and stops: run here as a user who is not
# root (a stand-in `id`), on a PATH of stand-ins where one Debian package, or
# two Python packages, are missing.
. tests/lib.sh
mkdir -p "$T/bin"
for cmd in sh dirname sed; do ln -s "$(command -v "$cmd")" "$T/bin/$cmd"; done
printf '#!/bin/sh\necho 1000\n' >"$T/bin/id"
for cmd in dot node setpriv timeout; do printf '#!/bin/sh\n' >"$T/bin/$cmd"; done
# python3 that imports everything but cfnlint and moto.server
cat >"$T/bin/python3" <<'EOF'
#!/bin/sh
case "$2" in "import cfnlint"|"import moto.server") exit 1 ;; esac
exit 0
EOF
chmod +x "$T"/bin/*

PATH=$T/bin "$T/bin/sh" scripts/test-deps.sh >"$T/out" 2>&1
echo "exit: $?" >>"$T/out"
printf '%s\n' "infrac: missing test dependencies: neovim" \
  "  install them with: sudo apt-get install -y neovim" "exit: 1" >"$T/want"
if diff -u "$T/want" "$T/out" >"$T/diff"; then ok "deps: a missing Debian package is named"
else bad "deps: a missing Debian package is named" "$T/diff"; fi

printf '#!/bin/sh\n' >"$T/bin/nvim"
chmod +x "$T/bin/nvim"
PATH=$T/bin "$T/bin/sh" scripts/test-deps.sh >"$T/out" 2>&1
echo "exit: $?" >>"$T/out"
printf '%s\n' "infrac: missing Python test dependencies: cfn-lint moto[server]" \
  "  install them with: python3 -m pip install cfn-lint 'moto[server]'" "exit: 1" >"$T/want"
if diff -u "$T/want" "$T/out" >"$T/diff"; then ok "deps: missing Python packages are named"
else bad "deps: missing Python packages are named" "$T/diff"; fi

# With everything there it says nothing and succeeds.
printf '#!/bin/sh\nexit 0\n' >"$T/bin/python3"
PATH=$T/bin "$T/bin/sh" scripts/test-deps.sh >"$T/out" 2>&1
echo "exit: $?" >>"$T/out"
if [ "$(cat "$T/out")" = "exit: 0" ]; then ok "deps: nothing missing, nothing said"
else bad "deps: nothing missing, nothing said" "$T/out"; fi
