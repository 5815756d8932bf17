#!/usr/bin/env python3
"""Seeds for fuzz/fuzz_lsp.c: for each .infra file, a session (message
bodies separated by NUL) that opens it, edits it and asks every request the
server answers at a few positions. Usage: lsp_seeds.py OUTDIR FILE..."""
import json
import os
import sys

out, files = sys.argv[1], sys.argv[2:]
uri = "file:///fuzz/stack/main.infra"


def msg(method, params, id=None):
    m = {"jsonrpc": "2.0", "method": method, "params": params}
    if id is not None:
        m["id"] = id
    return json.dumps(m, separators=(",", ":"))


for n, path in enumerate(files):
    text = open(path, encoding="utf-8", errors="replace").read()
    if len(text) > 3000:
        continue  # beyond the fuzzer's -max_len
    lines = text.split("\n")
    doc = {"uri": uri}
    pos = {"line": min(2, len(lines) - 1), "character": 4}
    at = {"textDocument": doc, "position": pos}
    msgs = [
        msg("initialized", {}),
        msg("textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "infra", "version": 1, "text": text}}),
        msg("textDocument/hover", at, 1),
        msg("textDocument/definition", at, 2),
        msg("textDocument/references", dict(at, context={"includeDeclaration": True}), 3),
        msg("textDocument/completion", at, 4),
        msg("textDocument/documentSymbol", {"textDocument": doc}, 5),
        msg("textDocument/didChange",
            {"textDocument": {"uri": uri, "version": 2},
             "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "x"}]}),
        msg("textDocument/prepareRename", at, 6),
        msg("textDocument/rename", dict(at, newName="renamed"), 7),
        msg("textDocument/codeAction",
            {"textDocument": doc, "range": {"start": {"line": 0, "character": 0}, "end": pos},
             "context": {"diagnostics": []}}, 8),
        msg("textDocument/didClose", {"textDocument": doc}),
        msg("shutdown", None, 9),
        msg("exit", None),
    ]
    with open(os.path.join(out, "session-%03d" % n), "wb") as f:
        f.write(b"\0".join(m.encode() for m in msgs))
