#!/usr/bin/env python3
"""A real client: headless Neovim, with the set-up that docs/lsp.md gives
(section "Editors", the Lua block, its path replaced) as its init file,
opens a copy of examples/webapp.infra with two broken lines; the set-up's
autocommand starts `infrac lsp`, and tests/lsp/nvim.lua writes what
vim.diagnostic.get() holds (and a hover) to a file that this script checks.
Prints "ok NAME" / "FAIL NAME" lines. Neovim must be installed (apt-get
install -y neovim; Debian 12 ships 0.7.2): without it the test fails.

usage: nvim.py INFRAC
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))


def check(name, cond, detail=None):
    print(("ok " if cond else "FAIL ") + "lsp nvim " + name)
    if not cond and detail is not None:
        text = detail if isinstance(detail, str) else json.dumps(detail, indent=1,
                                                                 ensure_ascii=False)
        for line in text.splitlines()[:40]:
            print("     " + line)


def main():
    infrac = os.path.abspath(sys.argv[1])
    nvim = shutil.which("nvim")
    if not nvim:
        check("nvim (Neovim) is installed", False,
              "nvim not found on PATH: apt-get install -y neovim")
        return 0
    tmp = tempfile.mkdtemp()
    try:
        run(infrac, nvim, tmp)
        pair(infrac, nvim, tmp)
        syntax(nvim, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def setup_from_docs():
    """The Lua block of docs/lsp.md's "Editors" section, for this checkout."""
    with open(os.path.join(root, "docs", "lsp.md"), encoding="utf-8") as f:
        doc = f.read()
    section = doc[doc.index("\n## Editors\n"):]
    block = section[section.index("```lua\n") + 7:]
    return block[:block.index("```\n")].replace("/path/to/infrac", root)


def session(infrac, nvim, tmp, path, hover_line, hover_col):
    """Neovim with the documented set-up on path: what tests/lsp/nvim.lua
    wrote, or None after a failure (reported)."""
    out = os.path.join(tmp, "out.json")
    if os.path.exists(out):
        os.remove(out)
    init = os.path.join(tmp, "init.lua")
    with open(init, "w", encoding="utf-8") as f:
        f.write(setup_from_docs())
    # The set-up runs `infrac lsp` from PATH; nothing of the user's Neovim.
    env = dict(os.environ, INFRA_FILE=path, NVIM_OUT=out, HOVER_LINE=str(hover_line),
               HOVER_COL=str(hover_col),
               PATH=os.path.dirname(infrac) + os.pathsep + os.environ.get("PATH", ""),
               XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp, XDG_STATE_HOME=tmp)
    try:
        p = subprocess.run([nvim, "--headless", "-u", init, "-i", "NONE", "-n", "-c",
                            "luafile " + os.path.join(here, "nvim.lua")],
                           env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        ran = p.returncode == 0 and os.path.exists(out)
        detail = p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        ran, detail = False, "nvim did not finish in 120 s"
    check("ran and wrote its result (%s)" % os.path.basename(path), ran, detail)
    if not ran:
        return None
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def pair(infrac, nvim, tmp):
    """One file of a two-file stack: only its real error, none of the
    `no stack declaration` and undefined names it would have alone, and
    hover on a name declared in the other file."""
    d = os.path.join(tmp, "pair")
    os.makedirs(d)
    with open(os.path.join(d, "main.infra"), "w") as f:
        f.write('stack pair {\n  region = "ap-northeast-1"\n}\n\nvpc main {\n'
                '  cidr = 10.0.0.0/16\n}\n')
    app = os.path.join(d, "app.infra")
    with open(app, "w") as f:
        f.write('subnet a {\n  vpc  = main\n  cidr = 10.0.1.0/24\n  az   = "ap-northeast-1a"\n}\n'
                'subnet b {\n  vpc  = mian\n  cidr = 10.0.2.0/24\n  az   = "ap-northeast-1c"\n}\n')
    r = session(infrac, nvim, tmp, app, 1, 10)
    if r is None:
        return
    got = [(x.get("code"), x.get("lnum"), x.get("col")) for x in r.get("diagnostics", [])]
    check("one file of a two-file stack: only its real error", got == [("E101", 6, 9)], r)
    check("hover on a name of the other file", "main.infra" in (r.get("hover") or ""),
          r.get("hover"))


def run(infrac, nvim, tmp):
    with open(os.path.join(root, "examples", "webapp.infra"), encoding="utf-8") as f:
        text = f.read()
    # Broken line 1: a misspelt name. Broken line 2: the same after Japanese
    # text and an emoji on its line (vim counts bytes, LSP UTF-16 units).
    a = "subnet public_c  { vpc = main"
    b = ('  description = "PostgreSQL from the web tier only"\n'
         '  ingress tcp 5432 from web')
    assert a in text and b in text
    text = text.replace(a, "subnet public_c  { vpc = mian")
    # (a tag takes any text; a group description only ASCII: E106)
    text = text.replace(b, '  tags { Tier = "ウェブ層だけ 🔥" }  ingress tcp 5432 from wbe')
    path = os.path.join(tmp, "webapp.infra")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    lines = text.split("\n")
    l1 = next(i for i, l in enumerate(lines) if "vpc = mian" in l)
    l2 = next(i for i, l in enumerate(lines) if "from wbe" in l)
    c1 = len(lines[l1][:lines[l1].index("mian")].encode())  # vim's columns are bytes
    c2 = len(lines[l2][:lines[l2].index("wbe")].encode())
    hl = next(i for i, l in enumerate(lines) if l.startswith("vpc main"))

    r = session(infrac, nvim, tmp, path, hl, 5)
    if r is None:
        return
    # Errors only: the warnings the checker finds in webapp.infra are not ours.
    d = [x for x in r.get("diagnostics", []) if x.get("severity") == 1]
    v = r.get("version") or {}
    check("the set-up of docs/lsp.md attached a client (Neovim %s.%s.%s)"
          % (v.get("major"), v.get("minor"), v.get("patch")),
          r.get("filetype") == "infra" and r.get("attached"), r)
    check("client received diagnostics", r.get("got_diagnostics"), r)
    check("two diagnostics, both E101 errors from infrac",
          [x.get("code") for x in d] == ["E101", "E101"] and
          all(x.get("severity") == 1 and x.get("source") == "infrac" for x in d), d)
    if len(d) != 2:
        return
    check("the misspelt vpc: its line and columns",
          (d[0]["lnum"], d[0]["col"], d[0]["end_lnum"], d[0]["end_col"]) ==
          (l1, c1, l1, c1 + 4), [d[0], l1, c1])
    check("the message carries the help",
          d[0]["message"] == "undefined name 'mian'\nhelp: did you mean 'main'?", d[0])
    check("after Japanese text and an emoji: the right column",
          (d[1]["lnum"], d[1]["col"], d[1]["end_col"]) == (l2, c2, c2 + 3), [d[1], l2, c2])
    check("codeDescription reaches the client",
          (d[0].get("href") or "").endswith("diagnostics.md#e101-undefined-name"), d[0])
    check("hover through the client", "vpc main" in (r.get("hover") or ""), r.get("hover"))
    check("client stopped the server (shutdown, exit)", r.get("stopped"), r)


def syntax(nvim, tmp):
    """editors/vim: the file type is detected, and kinds, attributes, CIDR
    blocks, statements and comments get their highlight groups."""
    path = os.path.join(tmp, "syntax.infra")
    text = ("# 日本語のコメント\n"
            "vpc main {\n"
            "  cidr = 10.0.0.0/16\n"
            "}\n"
            "security_group web {\n"
            "  vpc = main\n"
            "  ingress tcp 443 from 0.0.0.0/0\n"
            "}\n"
            'param tag : string = "v${main.id}"\n')
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    where = [[1, 1], [2, 1], [2, 5], [3, 3], [3, 10], [7, 3], [7, 11], [7, 19], [7, 24],
             [9, 13], [9, 22], [9, 31]]
    want = ["infraComment", "infraKind", "", "infraAttr", "infraCidr", "infraStmt",
            "infraWord", "infraFrom", "infraCidr", "infraType", "infraString", "infraField"]
    out = os.path.join(tmp, "syntax.json")
    env = dict(os.environ, SYN_POS=json.dumps(where), NVIM_OUT=out)
    try:
        subprocess.run([nvim, "--headless", "--clean", "--cmd",
                        "set rtp^=" + os.path.join(root, "editors", "vim"), "-c", "edit " + path,
                        "-c", "luafile " + os.path.join(here, "nvim_syntax.lua")],
                       env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        with open(out, encoding="utf-8") as f:
            r = json.load(f)
    except (subprocess.TimeoutExpired, OSError, ValueError) as e:
        r = {"error": str(e)}
    check("editors/vim: *.infra is filetype infra, '#' comments",
          r.get("ft") == "infra" and r.get("cms") == "# %s", r)
    check("editors/vim: syntax groups", r.get("groups") == want,
          {"got": r.get("groups"), "want": want})


if __name__ == "__main__":
    sys.exit(main())
