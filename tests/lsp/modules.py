#!/usr/bin/env python3
"""The language server on a stack that uses modules (examples/modules, copied
to a temporary directory): diagnostics whose notes stand in a module's file,
completion of a module's inputs and outputs, definition into the module, and
references and rename through a module's inputs. Prints "ok NAME" or
"FAIL NAME" lines as tests/suites/*.sh do.

usage: modules.py INFRAC
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Server, initialize, uri_of  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = 0


def check(name, cond, detail=None):
    global failures
    print(("ok lsp modules " if cond else "FAIL lsp modules ") + name)
    if not cond:
        failures += 1
        if detail is not None:
            for line in json.dumps(detail, indent=1).splitlines()[:30]:
                print("     " + line)


def pos(text, needle, delta=0):
    at = text.index(needle) + delta
    return {"line": text.count("\n", 0, at), "character": at - (text.rfind("\n", 0, at) + 1)}


def at(uri, p):
    return {"textDocument": {"uri": uri}, "position": p}


def labels(r):
    items = r.get("result") or {}
    items = items.get("items", items) if isinstance(items, dict) else items
    return sorted(i["label"] for i in items or [])


def diagnostics(s, uri):
    for _ in range(50):
        m = s.read()
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
            return m["params"]["diagnostics"]
    return None


def session(s, tmp):
    initialize(s, tmp)
    path = os.path.join(tmp, "stack.infra")
    uri = uri_of(path)
    text = open(path).read()
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "infra",
                                                       "version": 1, "text": text}})
    check("the stack of modules has no error", diagnostics(s, uri) == [], None)

    # a wrong input: the note at the param is in the module's file, by its URI
    bad = text.replace("vpc      = net.vpc", "vpc      = net.vpc_id")
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                         "contentChanges": [{"text": bad}]})
    diags = diagnostics(s, uri)
    related = [r["location"]["uri"] for d in diags or [] for r in d.get("relatedInformation", [])]
    check("a wrong input is reported, its note in the module's file",
          any(d["code"] == "E106" for d in diags or []) and
          uri_of(os.path.join(tmp, "database", "database.infra")) in related, diags)
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                         "contentChanges": [{"text": text}]})
    diagnostics(s, uri)

    r = s.request("textDocument/completion", at(uri, pos(text, "vpc_id  = net.", 14)))
    check("completion after net.: the module's outputs",
          labels(r) == ["private", "public", "vpc", "vpc_id"], r)
    # module data's block with one input and a line being written
    start = text.index('module data "./database" {')
    end = text.index("}", start) + 1
    typing = text[:start] + 'module data "./database" {\n  vpc = net.vpc\n  \n  multi_az = \n}' + text[end:]
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                         "contentChanges": [{"text": typing}]})
    diagnostics(s, uri)
    r = s.request("textDocument/completion", at(uri, pos(typing, "  vpc = net.vpc\n  ", 18)))
    check("completion in a module's block: the inputs not given",
          labels(r) == ["class", "password", "storage", "subnets"], r)  # multi_az is set below
    r = s.request("textDocument/completion", at(uri, pos(typing, "  vpc = net.vpc", 8)))
    check("completion after an input's '=': what its param takes", "net.main" in labels(r), r)
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5},
                                         "contentChanges": [{"text": text}]})
    diagnostics(s, uri)

    r = s.request("textDocument/definition", at(uri, pos(text, "module data \"./database\"", 13)))
    loc = r.get("result") or {}
    check("definition on a module's directory: its file",
          loc.get("uri") == uri_of(os.path.join(tmp, "database", "database.infra")), r)
    r = s.request("textDocument/definition", at(uri, pos(text, "  class    = db_class", 3)))
    loc = r.get("result") or {}
    check("definition on an input: the module's param",
          loc.get("uri") == uri_of(os.path.join(tmp, "database", "database.infra")) and
          loc["range"]["start"]["line"] == 6, r)
    r = s.request("textDocument/definition", at(uri, pos(text, "db_host = data.address", 16)))
    loc = r.get("result") or {}
    check("definition on an output: what it reads, in the module",
          loc.get("uri") == uri_of(os.path.join(tmp, "database", "database.infra")), r)

    r = s.request("textDocument/references", {**at(uri, pos(text, "param db_class", 7)),
                                              "context": {"includeDeclaration": False}})
    refs = r.get("result") or []
    check("references of a param given to a module: once each", len(refs) == 1, r)
    r = s.request("textDocument/rename", {**at(uri, pos(text, "param db_class", 7)),
                                          "newName": "database_class"})
    edits = ((r.get("result") or {}).get("changes") or {}).get(uri, [])
    check("rename through a module's input", len(edits) == 2, r)


def main():
    tmp = tempfile.mkdtemp()
    src = os.path.join(ROOT, "examples", "modules")
    for name in os.listdir(src):
        p = os.path.join(src, name)
        (shutil.copytree if os.path.isdir(p) else shutil.copy)(p, os.path.join(tmp, name))
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
