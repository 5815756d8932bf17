#!/usr/bin/env python3
"""Rename through loops and module boundaries: a loop's variable, a let, a
param (a module's, with the inputs of every module declaration that uses
it), a module instance and a module's output, in a workspace of two stacks
that use one module (each file open in the editor). Each case asserts the
exact edits, or the refusal's message; then hover, definition and
references of the same names. Prints "ok NAME" / "FAIL NAME".

usage: rename.py INFRAC
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Server, initialize, uri_of  # noqa: E402

failures = 0

MAIN = """stack s { region = "eu-west-1" }

let zones = ["a", "b"]
param bits : int = 8

module net "../net" {
  cidr  = 10.0.0.0/16
  zones = zones
  bits  = bits
}

for z, i in zones {
  subnet extra_${z} { vpc = net.vpc  cidr = cidr(net.vpc, bits, 10 + i)  az = "eu-west-1${z}" }
}

route_table rt { vpc = net.vpc  subnets = [for z in zones: extra_${z}] }
output vpc_id = net.vpc_id
"""

NET = """param cidr : cidr
param zones : list
param bits : int = 8

vpc main { cidr = cidr }

for z, i in zones {
  subnet public_${z} { vpc = main  cidr = cidr(main, bits, i)  az = "eu-west-1${z}" }
}

output vpc    = main
output vpc_id = main.id
output public = [for z in zones: public_${z}]
"""

USE = """stack o { region = "eu-west-1" }

module edge "../net" {
  cidr  = 10.1.0.0/16
  zones = ["a"]
}

output v = edge.vpc
"""


def compact(r):
    """A response as its edits (uri tail, line:col-line:col new) or its error."""
    if "error" in r:
        return r["error"]
    out = []
    for u, es in ((r.get("result") or {}).get("changes") or {}).items():
        for e in es:
            a, b = e["range"]["start"], e["range"]["end"]
            out.append("%s %d:%d-%d:%d %s" % (u.rsplit("/", 2)[-2:], a["line"], a["character"],
                                              b["line"], b["character"], e["newText"]))
    return sorted(out) or r

WORDS = """stack w { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  az = "eu-west-1a" }
subnet b { vpc = main  cidr = 10.0.2.0/24  az = "eu-west-1b" }
for s, i in [a, b] {
  route_table rt_${i} { vpc = main  subnets = [s] }
}
output ids = [for x in [a, b]: x.id]
security_group tcp { vpc = main  description = "x" }
security_group web { vpc = main  description = "y"  ingress tcp 443 from tcp }
"""


def check(name, cond, detail=None):
    global failures
    print(("ok lsp rename " if cond else "FAIL lsp rename ") + name)
    if not cond:
        failures += 1
        if detail is not None:
            if isinstance(detail, dict) and "jsonrpc" in detail:
                detail = compact(detail)
            for line in json.dumps(detail, indent=1).splitlines()[:40]:
                print("     " + line)


def pos(text, needle, delta=0, nth=0):
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    return {"line": text.count("\n", 0, at), "character": at - (text.rfind("\n", 0, at) + 1)}


def edit(text, needle, delta, length, new, nth=0):
    """The edit of `length` characters at needle + delta (nth occurrence)."""
    return (json.dumps(pos(text, needle, delta, nth), sort_keys=True),
            json.dumps(pos(text, needle, delta + length, nth), sort_keys=True), new)


def edits_of(r):
    """{uri: sorted edits} of a WorkspaceEdit response."""
    changes = (r.get("result") or {}).get("changes") or {}
    return {u: sorted((json.dumps(e["range"]["start"], sort_keys=True),
                       json.dumps(e["range"]["end"], sort_keys=True), e["newText"]) for e in es)
            for u, es in changes.items()}


def rename(s, uri, p, new):
    return s.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": p,
                                             "newName": new})


def refusal(r):
    return (r.get("error") or {}).get("message", "")


def session(s, tmp):
    initialize(s, tmp)
    files = {"stack/main.infra": MAIN, "net/net.infra": NET, "other/use.infra": USE,
             "words/w.infra": WORDS}
    uris = {}
    for rel, text in files.items():
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        uris[rel] = uri_of(path)
    for rel, text in files.items():
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uris[rel], "languageId": "infra",
                                                           "version": 1, "text": text}})
    um, un, uu = uris["stack/main.infra"], uris["net/net.infra"], uris["other/use.infra"]
    d = s.diagnostics(um, 1)
    check("the stack using the module is clean", d == [], d)
    d = s.diagnostics(uu, 1)
    check("the other stack using it is clean", d == [], d)

    # ---- a loop's variable: its uses in the body, `${z}` in names and strings ----
    r = rename(s, um, pos(MAIN, "for z, i", 4), "zone")
    check("loop variable: the head and each ${z} of its body, not the other loop's z",
          edits_of(r) == {um: sorted([edit(MAIN, "for z, i", 4, 1, "zone"),
                                      edit(MAIN, "extra_${z} {", 8, 1, "zone"),
                                      edit(MAIN, "eu-west-1${z}", 11, 1, "zone")])}, r)
    r = rename(s, um, pos(MAIN, "cidr(net.vpc, bits, 10 + i)", 25), "n")
    check("loop index, from a use: the head and the use",
          edits_of(r) == {um: sorted([edit(MAIN, "for z, i", 7, 1, "n"),
                                      edit(MAIN, "10 + i)", 5, 1, "n")])}, r)
    r = s.request("textDocument/prepareRename", {"textDocument": {"uri": um},
                                                 "position": pos(MAIN, "eu-west-1${z}", 11)})
    check("prepareRename on ${z}: its range and name",
          (r.get("result") or {}).get("placeholder") == "z" and
          r["result"]["range"]["start"] == pos(MAIN, "eu-west-1${z}", 11), r)
    r = rename(s, um, pos(MAIN, "for z, i", 4), "i")
    check("loop variable to the loop's other variable: refused",
          refusal(r) == "loop variable z: 'i' is the loop's other variable "
                        "(at main.infra, line 12)",
          r)
    r = rename(s, um, pos(MAIN, "for z, i", 4), "bits")
    check("loop variable to a name its body reads: refused, naming the use",
          refusal(r) == "loop variable z: renamed 'bits', it would take the use of bits at "
                        "main.infra, line 13, in the loop's body, which names something else", r)

    # ---- a let: every use, loops' lists and inputs' values, not the input's name ----
    r = rename(s, um, pos(MAIN, "let zones", 4), "azs")
    check("let: its declaration, a module input's value, the lists of two loops",
          edits_of(r) == {um: sorted([edit(MAIN, "let zones", 4, 5, "azs"),
                                      edit(MAIN, "zones = zones", 8, 5, "azs"),
                                      edit(MAIN, "in zones {", 3, 5, "azs"),
                                      edit(MAIN, "in zones:", 3, 5, "azs")])}, r)
    r = rename(s, um, pos(MAIN, "let zones", 4), "bits")
    check("let to a taken name: refused",
          refusal(r) == "the name 'bits' is taken: param bits in main.infra, line 4", r)
    r = rename(s, um, pos(MAIN, "let zones", 4), "extra_a")
    check("let to a name a loop makes: refused",
          refusal(r) == "the name 'extra_a' is taken: subnet extra_a, made by a loop in "
                        "main.infra, "
                        "line 13", r)

    # ---- a stack's param: a use in a loop's body a loop variable would take ----
    r = rename(s, um, pos(MAIN, "param bits", 6), "i")
    check("param to the name of a loop variable around a use: refused",
          refusal(r) == "param bits: renamed 'i', the use of bits at main.infra, line 13 would "
                        "read the variable of a loop around it", r)
    r = rename(s, um, pos(MAIN, "param bits", 6), "size_bits")
    check("stack param: its declaration and uses, the input's name left",
          edits_of(r) == {um: sorted([edit(MAIN, "param bits", 6, 4, "size_bits"),
                                      edit(MAIN, "bits  = bits", 8, 4, "size_bits"),
                                      edit(MAIN, "net.vpc, bits", 9, 4, "size_bits")])}, r)

    # ---- a module instance: its declaration and each NAME.output ----
    r = rename(s, um, pos(MAIN, "module net", 8), "network")
    check("module instance: its declaration and every NAME.output, not the other stack's",
          edits_of(r) == {um: sorted([edit(MAIN, "module net", 7, 3, "network"),
                                      edit(MAIN, "vpc = net.vpc  cidr", 6, 3, "network"),
                                      edit(MAIN, "cidr(net.vpc", 5, 3, "network"),
                                      edit(MAIN, "rt { vpc = net.vpc", 11, 3, "network"),
                                      edit(MAIN, "= net.vpc_id", 2, 3, "network")])}, r)
    r = rename(s, um, pos(MAIN, "net.vpc_id", 1), "zones")
    check("module instance to a taken name: refused",
          refusal(r) == "the name 'zones' is taken: let zones in main.infra, line 3", r)

    # ---- a module's output: in the module, and NAME.output in both stacks ----
    out_edits = {un: [edit(NET, "output vpc ", 7, 3, "network")],
                 um: sorted([edit(MAIN, "vpc = net.vpc  cidr", 10, 3, "network"),
                             edit(MAIN, "cidr(net.vpc", 9, 3, "network"),
                             edit(MAIN, "rt { vpc = net.vpc", 15, 3, "network")]),
                 uu: [edit(USE, "edge.vpc", 5, 3, "network")]}
    r = rename(s, un, pos(NET, "output vpc ", 8), "network")
    check("module output, from its declaration: every instance's uses, in each stack",
          edits_of(r) == out_edits, r)
    r = rename(s, uu, pos(USE, "edge.vpc", 6), "network")
    check("module output, from a use in another stack: the same edits",
          edits_of(r) == out_edits, r)
    r = rename(s, un, pos(NET, "output vpc ", 8), "vpc_id")
    check("module output to another output's name: refused",
          refusal(r) == "the name 'vpc_id' is taken: output vpc_id in net.infra, line 12", r)
    r = rename(s, um, pos(MAIN, "net.vpc_id", 1), "x")
    check("module instance, from the base of NAME.output: the same five places",
          [e[2] for e in edits_of(r).get(um, [])] == ["x"] * 5 and len(edits_of(r)) == 1, r)

    # ---- a module's param: in the module, and the input of every module declaration ----
    param_edits = {un: sorted([edit(NET, "param cidr", 6, 4, "block"),
                               edit(NET, "{ cidr = cidr", 9, 4, "block")]),
                   um: [edit(MAIN, "  cidr  = 10.0", 2, 4, "block")],
                   uu: [edit(USE, "  cidr  = 10.1", 2, 4, "block")]}
    r = rename(s, un, pos(NET, "param cidr", 6), "block")
    check("module param, from its declaration: its uses and each module declaration's input",
          edits_of(r) == param_edits, r)
    r = rename(s, um, pos(MAIN, "  cidr  = 10.0", 3), "block")
    check("module param, from an input's name: the same edits", edits_of(r) == param_edits, r)
    r = rename(s, um, pos(MAIN, "  cidr  = 10.0", 3), "zones")
    check("module param to another param's name: refused",
          refusal(r) == "the name 'zones' is taken: param zones in net.infra, line 2", r)
    r = rename(s, un, pos(NET, "for z, i in zones", 12), "subnets")
    check("module param read by a loop's list: its uses, the inputs",
          edits_of(r) == {un: sorted([edit(NET, "param zones", 6, 5, "subnets"),
                                      edit(NET, "for z, i in zones", 12, 5, "subnets"),
                                      edit(NET, "in zones:", 3, 5, "subnets")]),
                          um: [edit(MAIN, "  zones = zones", 2, 5, "subnets")],
                          uu: [edit(USE, "  zones = [", 2, 5, "subnets")]}, r)

    # ---- what is not renamed ----
    r = rename(s, um, pos(MAIN, "extra_${z} {", 2), "x")
    check("a name a loop makes: refused",
          refusal(r) == "extra_a is made by a loop: rename it in the loop's body", r)
    r = rename(s, un, pos(NET, "main.id", 6), "x")
    check("an attribute of a resource: refused",
          refusal(r) == "'id' is not renamed: an attribute: its name is its kind's", r)
    navigation(s, um, un, uu)
    resources(s, uris["words/w.infra"])
    r = s.request("shutdown")
    s.notify("exit")
    rc = s.wait(60)
    err = s.stderr_text()
    check("exit after shutdown, nothing on stderr (no sanitizer report)",
          "result" in r and rc == 0 and err == "", "exit status %s\n%s" % (rc, err))


def resources(s, uw):
    """A resource named in a loop's list: the list is renamed, not the uses
    of the loop's variable that the compiled program shows in its place; a
    word of the same name (ingress tcp) is left."""
    d = s.diagnostics(uw, 1)
    check("the stack of resources in loops' lists is clean", d == [], d)
    r = rename(s, uw, pos(WORDS, "subnet a", 7), "aa")
    check("resource in loops' lists: the lists, not the loop variables' uses",
          edits_of(r) == {uw: sorted([edit(WORDS, "subnet a", 7, 1, "aa"),
                                      edit(WORDS, "in [a, b] {", 4, 1, "aa"),
                                      edit(WORDS, "in [a, b]:", 4, 1, "aa")])}, r)
    r = s.request("textDocument/references", {"textDocument": {"uri": uw},
                                              "position": pos(WORDS, "subnet a", 7),
                                              "context": {"includeDeclaration": False}})
    check("references of a resource in loops' lists: each list's item",
          locs(r) == sorted([loc(uw, WORDS, "in [a, b] {", 4, 1),
                             loc(uw, WORDS, "in [a, b]:", 4, 1)]), r)
    r = rename(s, uw, pos(WORDS, "security_group tcp", 15), "tls")
    check("resource named as a word: the word is left",
          edits_of(r) == {uw: sorted([edit(WORDS, "security_group tcp", 15, 3, "tls"),
                                      edit(WORDS, "from tcp", 5, 3, "tls")])}, r)
    r = rename(s, uw, pos(WORDS, "vpc main", 4), "s")
    check("resource to a loop variable's name around a use: refused",
          refusal(r) == "vpc main: renamed 's', the use of main at w.infra, line 6 would read "
                        "the variable of a loop around it", r)


def locs(r):
    return sorted((x["uri"], x["range"]["start"]["line"], x["range"]["start"]["character"],
                   x["range"]["end"]["character"]) for x in r.get("result") or [])


def loc(uri, text, needle, delta, length):
    p = pos(text, needle, delta)
    return (uri, p["line"], p["character"], p["character"] + length)


def hover(s, uri, p):
    r = s.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": p})
    return ((r.get("result") or {}).get("contents") or {}).get("value", "")


def navigation(s, um, un, uu):
    """Hover, definition and references of the same names."""
    def req(method, uri, p, **extra):
        return s.request("textDocument/" + method, dict({"textDocument": {"uri": uri},
                                                         "position": p}, **extra))
    h = hover(s, um, pos(MAIN, "10 + i", 5))
    check("hover on a loop's index: the loop and its iterations",
          h == "```infra\nfor z, i in zones\n```\nloop variable `i`: the position of each "
               "element, from 0\n\niterations: `z = \"a\", i = 0`, `z = \"b\", i = 1`", h)
    r = req("definition", um, pos(MAIN, "eu-west-1${z}", 11))
    check("definition of ${z}: the loop's variable",
          locs({"result": [r.get("result") or {}]}) == [loc(um, MAIN, "for z, i", 4, 1)], r)
    r = req("references", um, pos(MAIN, "for z, i", 4), context={"includeDeclaration": False})
    check("references of a loop's variable: its uses in names and strings",
          locs(r) == sorted([loc(um, MAIN, "extra_${z} {", 8, 1),
                             loc(um, MAIN, "eu-west-1${z}", 11, 1)]), r)
    r = req("references", um, pos(MAIN, "let zones", 4), context={"includeDeclaration": False})
    check("references of a let: an input's value and two loops' lists",
          locs(r) == sorted([loc(um, MAIN, "zones = zones", 8, 5),
                             loc(um, MAIN, "in zones {", 3, 5),
                             loc(um, MAIN, "in zones:", 3, 5)]), r)
    r = req("definition", um, pos(MAIN, "in zones {", 4))
    check("definition of a let in a loop's list: the let",
          locs({"result": [r.get("result") or {}]}) == [loc(um, MAIN, "let zones", 4, 5)], r)
    r = req("references", um, pos(MAIN, "module net", 8), context={"includeDeclaration": True})
    check("references of a module instance: its declaration and each NAME.output",
          locs(r) == sorted([loc(um, MAIN, "module net", 7, 3),
                             loc(um, MAIN, "vpc = net.vpc  cidr", 6, 3),
                             loc(um, MAIN, "cidr(net.vpc", 5, 3),
                             loc(um, MAIN, "rt { vpc = net.vpc", 11, 3),
                             loc(um, MAIN, "= net.vpc_id", 2, 3)]), r)
    r = req("definition", um, pos(MAIN, "net.vpc_id", 1))
    check("definition of NAME in NAME.output: the module declaration",
          locs({"result": [r.get("result") or {}]}) == [loc(um, MAIN, "module net", 7, 3)], r)
    r = req("definition", um, pos(MAIN, "net.vpc_id", 6))
    check("definition of the output in NAME.output: the output in the module",
          locs({"result": [r.get("result") or {}]}) == [loc(un, NET, "output vpc_id", 7, 6)], r)
    h = hover(s, um, pos(MAIN, "net.vpc_id", 1))
    check("hover on a module instance: its directory and outputs",
          h == "```infra\nmodule net \"../net\"\n```\nits declarations are net.NAME, its outputs "
               "net.OUTPUT; declared in main.infra, line 6\n\n"
               "outputs: `vpc`, `vpc_id`, `public`", h)
    h = hover(s, uu, pos(USE, "edge.vpc", 6))
    check("hover on a module's output read in a stack: the output",
          h == "```infra\noutput vpc\n```\nan output of module directory net, declared in "
               "net.infra, line 11", h)
    r = req("references", um, pos(MAIN, "  cidr  = 10.0", 3), context={"includeDeclaration": False})
    check("references of a module's param from an input: its use in the module, every input",
          locs(r) == sorted([loc(un, NET, "{ cidr = cidr", 9, 4),
                             loc(um, MAIN, "  cidr  = 10.0", 2, 4),
                             loc(uu, USE, "  cidr  = 10.1", 2, 4)]), r)
    h = hover(s, um, pos(MAIN, "extra_${z}]", 2))
    check("hover on a name in a comprehension: the declaration the iteration made",
          h.startswith("```infra\nsubnet extra_a\n```") and 'in z = "a", i = 0' in h, h)


def main():
    tmp = tempfile.mkdtemp()
    s = Server([os.path.abspath(sys.argv[1]), "lsp"], env=dict(os.environ, INFRAC_DOCS_URL=""))
    try:
        session(s, tmp)
    except Exception as e:  # a crash or a hang of the server
        check("session ran to the end", False, "%s: %s\n%s" % (type(e).__name__, e,
                                                               s.stderr_text()))
    finally:
        s.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
