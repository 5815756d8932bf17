#!/usr/bin/env python3
"""editors/: the VS Code extension's manifest, grammar and client, and the
Vim syntax, checked without installing anything (no npm): each is valid, its
paths exist, and its list of kinds is the kind table's (compiler/kinds.c).
Prints "ok NAME" / "FAIL NAME" lines."""
import json
import os
import re
import shutil
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
vscode = os.path.join(root, "editors", "vscode")


def check(name, cond, detail=None):
    print(("ok " if cond else "FAIL ") + "lsp editors " + name)
    if not cond and detail is not None:
        for line in str(detail).splitlines()[:20]:
            print("     " + line)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f), None
    except (OSError, ValueError) as e:
        return None, e


def regexes(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("match", "begin", "end") and isinstance(v, str):
                yield v
            else:
                yield from regexes(v)
    elif isinstance(node, list):
        for v in node:
            yield from regexes(v)


def main():
    with open(os.path.join(root, "compiler", "kinds.c"), encoding="utf-8") as f:
        kinds = set(re.findall(r'KIND\("([a-z_]+)"', f.read())) - {"stack"}
    check("kind table read", len(kinds) >= 20, kinds)

    pkg, err = load(os.path.join(vscode, "package.json"))
    check("vscode package.json is JSON", pkg is not None, err)
    if pkg is None:
        return 0
    langs = pkg.get("contributes", {}).get("languages", [])
    grams = pkg.get("contributes", {}).get("grammars", [])
    check("vscode: language infra for .infra files",
          any(l.get("id") == "infra" and ".infra" in l.get("extensions", []) for l in langs),
          langs)
    check("vscode: main, grammar and language configuration exist",
          os.path.isfile(os.path.join(vscode, pkg.get("main", "-"))) and grams and
          all(os.path.isfile(os.path.join(vscode, g["path"])) for g in grams) and
          all(os.path.isfile(os.path.join(vscode, l["configuration"])) for l in langs),
          [pkg.get("main"), grams, langs])
    check("vscode: depends on vscode-languageclient",
          "vscode-languageclient" in pkg.get("dependencies", {}), pkg.get("dependencies"))
    conf, err = load(os.path.join(vscode, "language-configuration.json"))
    check("vscode: language configuration, '#' comments",
          conf and conf.get("comments", {}).get("lineComment") == "#", err or conf)

    gram, err = load(os.path.join(vscode, "syntaxes", "infra.tmLanguage.json"))
    check("vscode grammar is JSON, scope source.infra",
          gram and gram.get("scopeName") == "source.infra" == grams[0].get("scopeName"), err)
    bad = []
    for rx in regexes(gram or {}):
        try:
            re.compile(rx)
        except re.error as e:
            bad.append("%s: %s" % (rx, e))
    check("vscode grammar: every regex compiles", not bad, "\n".join(bad))
    found = set()
    for rx in regexes(gram or {}):
        m = re.search(r"\((vpc\|[a-z_|]+)\)", rx)
        if m:
            found = set(m.group(1).split("|"))
    check("vscode grammar: the kinds of the kind table", found == kinds,
          "missing %s, extra %s" % (kinds - found, found - kinds))

    with open(os.path.join(vscode, "extension.js"), encoding="utf-8") as f:
        ext = f.read()
    check("vscode: the client starts `infrac lsp`",
          "vscode-languageclient/node" in ext and "args: ['lsp']" in ext, ext[:400])
    node = shutil.which("node")
    if node:
        p = subprocess.run([node, "--check", os.path.join(vscode, "extension.js")],
                           capture_output=True, text=True)
        check("vscode: extension.js parses (node --check)", p.returncode == 0, p.stderr)
    else:
        check("vscode: extension.js parses (node --check)", False,
              "node is not installed: apt-get install nodejs")

    with open(os.path.join(root, "editors", "vim", "syntax", "infra.vim"), encoding="utf-8") as f:
        vim = f.read()
    m = re.search(r'syn match infraKind "\\<\\\((.*?)\\\)', vim)
    vkinds = set(m.group(1).split("\\|")) if m else set()
    check("vim syntax: the kinds of the kind table", vkinds == kinds,
          "missing %s, extra %s" % (kinds - vkinds, vkinds - kinds))
    for f in ("ftdetect/infra.vim", "ftplugin/infra.vim", "syntax/infra.vim", "README.md"):
        check("vim: " + f, os.path.isfile(os.path.join(root, "editors", "vim", f)))
    check("vscode: README.md", os.path.isfile(os.path.join(vscode, "README.md")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
