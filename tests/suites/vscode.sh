# editors/vscode packages with the commands its README gives (`npm install`,
# `npx @vscode/vsce package`), run as they are in a copy of the folder under
# build/vscode (node_modules kept between runs: a second run takes seconds).
# npm and the npm registry are needed: without them this fails, naming npm.
. tests/lib.sh
readme=editors/vscode/README.md
# The README's install block, less `cd editors/vscode` (we are in the copy)
# and `code --install-extension` (no VS Code here).
awk '/^```sh/ { on = 1; next } /^```/ { on = 0 } on' "$readme" | sed 's/[[:space:]]*#.*//' |
  grep -v '^cd editors/vscode$' | grep -v '^code --install-extension' | grep -v '^$' >"$T/steps"
if [ "$(cat "$T/steps")" = "$(printf 'npm install\nnpx @vscode/vsce package')" ]; then
  ok "vscode: the README packages with npm install, npx @vscode/vsce package"
else
  bad "vscode: the README's install block is not npm install, npx @vscode/vsce package" "$T/steps"
fi
for tool in npm npx node; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    bad "vscode: $tool is not installed (apt-get install -y npm): the package cannot be built"
    exit 0
  fi
done
version=$(python3 -c 'import json; print(json.load(open("editors/vscode/package.json"))["version"])')
W=build/vscode
mkdir -p "$W"
find "$W" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
cp -R editors/vscode/. "$W/"
# npx asks before it fetches @vscode/vsce; a test has no one to answer.
export npm_config_yes=true
start=$(date +%s)
while IFS= read -r step; do
  if ! (cd "$W" && sh -c "$step" </dev/null) >"$T/step.out" 2>&1; then
    echo "(npm and the npm registry are needed: is the registry reachable?)" >>"$T/step.out"
    bad "vscode: '$step' failed in a copy of editors/vscode" "$T/step.out"
    exit 0
  fi
done <"$T/steps"
vsix="$W/infrac-$version.vsix"
if [ -f "$vsix" ]; then
  ok "vscode: npx @vscode/vsce package made infrac-$version.vsix, $(($(wc -c <"$vsix") / 1024)) KiB in $(($(date +%s) - start)) s"
else
  bad "vscode: no infrac-$version.vsix after npx @vscode/vsce package" "$T/step.out"
  exit 0
fi
# What the package holds: the manifest, the client and what it requires, the
# grammar, the licence; nothing of the build.
cat >"$T/zip.py" <<'EOF'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = ["extension/package.json", "extension/extension.js", "extension/LICENSE.txt",
        "extension/readme.md", "extension/language-configuration.json",
        "extension/syntaxes/infra.tmLanguage.json",
        "extension/node_modules/vscode-languageclient/node.js"]
missing = [n for n in need if n not in names]
unwanted = [n for n in names if n.endswith((".vsix", "package-lock.json"))]
if missing or unwanted:
    sys.exit("missing: %s\nunwanted: %s" % (missing, unwanted))
EOF
expect "vscode: the .vsix holds the client, its dependencies, the grammar and the licence" \
  python3 "$T/zip.py" "$vsix"
