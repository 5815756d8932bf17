#!/usr/bin/env python3
"""A scripted LSP client against `infrac lsp`: each assertion prints one
"ok NAME" or "FAIL NAME" line (with indented detail), as tests/suites/*.sh do.

usage: client.py INFRAC [--prefix "valgrind -q ..."]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Server, initialize, uri_of  # noqa: E402

failures = 0
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def check(name, cond, detail=None):
    global failures
    if cond:
        print("ok lsp " + name)
    else:
        failures += 1
        print("FAIL lsp " + name)
        if detail is not None:
            text = detail if isinstance(detail, str) else json.dumps(detail, indent=1,
                                                                     ensure_ascii=False)
            for line in text.splitlines()[:40]:
                print("     " + line)


def pos(text, needle, nth=0, delta=0):
    """The LSP position (0-based line, UTF-16 character) of the nth occurrence
    of needle in text, plus delta characters."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    return {"line": line, "character": len(text[start:at].encode("utf-16-le")) // 2}


def rng(text, needle, nth=0):
    start = pos(text, needle, nth)
    end = pos(text, needle, nth, len(needle))
    return {"start": start, "end": end}


def td(uri):
    return {"textDocument": {"uri": uri}}


def at(uri, p):
    return {"textDocument": {"uri": uri}, "position": p}


def codes(diags):
    return sorted(d["code"] for d in diags)


def open_doc(s, uri, text, version=1):
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "infra", "version": version, "text": text}})


def cli_check(*paths):
    out = subprocess.run([os.path.abspath(sys.argv[1]), "check", "--format=json"] + list(paths),
                         capture_output=True, text=True).stdout
    return json.loads(out)["diagnostics"]


def cli_range(r):
    """A range of infrac check's JSON (1-based, byte columns) in LSP terms;
    the texts compared this way are ASCII, where bytes are characters."""
    return {k: {"line": r[k]["line"] - 1, "character": r[k]["column"] - 1}
            for k in ("start", "end")}


def as_lsp(cli, uris):
    """infrac check's diagnostics as the server should publish them."""
    out = []
    for c in cli:
        msg = c["message"] + ("\nhelp: " + c["help"] if "help" in c else "")
        rel = [(uris[n["file"]], cli_range(n["range"]), n["message"])
               for n in c.get("related", [])]
        out.append((uris[c["file"]], c["code"], {"error": 1, "warning": 2}[c["severity"]],
                    cli_range(c["range"]), msg, rel))
    return out


def strip(diags, uri=None):
    return [(uri or d.get("uri"), d["code"], d["severity"], d["range"], d["message"],
             [(r["location"]["uri"], r["location"]["range"], r["message"])
              for r in d.get("relatedInformation", [])]) for d in diags]


def latest(s, uri, sync_uri):
    """What the server last published for uri (a file it has not open, whose
    publications carry no version), once a request about the open sync_uri
    has made it build what it was sent before."""
    s.request("textDocument/documentSymbol", td(sync_uri))
    got = drop(s, uri)
    return got[-1]["diagnostics"] if got else None


def settle(s):
    """Once every file is closed: the server has built and published all it
    was sent, and those publications are not wanted."""
    s.request("textDocument/documentSymbol", td("file:///nowhere.infra"))
    s.notes = [n for n in s.notes if n.get("method") != "textDocument/publishDiagnostics"]


def drop(s, uri):
    """Takes the publications for uri read so far out of s.notes."""
    got = [n["params"] for n in s.notes if n.get("method") == "textDocument/publishDiagnostics"
           and n["params"]["uri"] == uri]
    s.notes = [n for n in s.notes if not (n.get("method") == "textDocument/publishDiagnostics"
                                          and n["params"]["uri"] == uri)]
    return got


MAIN = """stack pair {
  region = "ap-northeast-1"
}

vpc main {
  cidr = 10.0.0.0/16
}
"""

APP2 = """subnet app_a {
  vpc  = main
  cidr = 10.0.1.0/24
  az   = "ap-northeast-1a"
}

output subnet = app_a.id
"""


def stack_files(s, tmp):
    """A stack of two files on disk, one open at a time: the other is read
    from disk, and the editor's unsaved text wins over the file."""
    d = os.path.join(tmp, "pair")
    os.makedirs(d)
    pm, pa = os.path.join(d, "main.infra"), os.path.join(d, "app.infra")
    for p, t in ((pm, MAIN), (pa, APP2)):
        with open(p, "w") as f:
            f.write(t)
    check("the two-file stack is clean for infrac check DIR", cli_check(d) == [], cli_check(d))
    um, ua = uri_of(pm), uri_of(pa)
    os.mkfifo(os.path.join(d, "pipe.infra"))  # no writer: an open without O_NONBLOCK hangs
    open_doc(s, ua, APP2)
    da = s.diagnostics(ua, 1)
    check("a FIFO named *.infra in the folder does not hang the folder scan", da is not None, da)
    check("one file of a two-file stack open: no false errors (stack, names of the other)",
          da == [], da)
    check("a file read from disk without diagnostics: nothing published for it",
          latest(s, um, ua) is None, s.notes)
    r = s.request("textDocument/definition", at(ua, pos(APP2, "main", 0, 1)))
    check("definition in a file that is not open",
          r.get("result") == {"uri": um, "range": rng(MAIN, "main")}, r)
    r = s.request("textDocument/references",
                  dict(at(ua, pos(APP2, "main")), context={"includeDeclaration": True}))
    locs = sorted((x["uri"], x["range"]["start"]["line"]) for x in r.get("result") or [])
    check("references across files: the declaration in the file not open",
          locs == sorted([(um, 4), (ua, 1)]), r)
    r = s.request("textDocument/rename", dict(at(ua, pos(APP2, "main", 0, 2)), newName="core"))
    ch = (r.get("result") or {}).get("changes", {})
    check("rename across files: the file not open is edited too",
          sorted(ch) == sorted([um, ua]) and [e["range"] for e in ch[um]] == [rng(MAIN, "main")]
          and [e["range"] for e in ch[ua]] == [rng(APP2, "main")] and
          all(e["newText"] == "core" for e in ch[um] + ch[ua]), r)
    r = s.request("textDocument/rename", dict(at(ua, pos(APP2, "app_a")), newName="main"))
    check("rename to a name taken in the file not open is refused",
          r.get("error", {}).get("code") == -32803 and "main.infra" in r["error"]["message"], r)
    s.notify("textDocument/didClose", td(ua))
    s.diagnostics(ua, 1)

    # The other way round: main.infra open, app.infra only on disk. An
    # unsaved edit of main.infra breaks the reference in app.infra.
    open_doc(s, um, MAIN)
    check("the stack's other file open: clean", s.diagnostics(um, 1) == [])
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": um, "version": 2},
        "contentChanges": [{"range": rng(MAIN, "main"), "text": "core"}]})
    dm = s.diagnostics(um, 2)
    da = latest(s, ua, um)
    with open(pm) as f:
        on_disk = f.read()
    check("an unsaved edit in one file: the error shows in the file that is not open",
          dm == [] and codes(da or []) == ["E101"] and da[0]["range"] == rng(APP2, "main") and
          on_disk == MAIN, [dm, da])
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": um, "version": 3},
        "contentChanges": [{"range": rng(MAIN.replace("main", "core"), "core"), "text": "main"}]})
    s.diagnostics(um, 3)
    da = latest(s, ua, um)
    check("fixed in the editor: the other file's diagnostics cleared", da == [], da)
    # A new file on disk joins the stack at the next build; removed, it leaves.
    more = os.path.join(d, "more.infra")
    MORE = 'subnet more_a {\n  vpc  = mian\n  cidr = 10.0.2.0/24\n  az   = "ap-northeast-1a"\n}\n'
    with open(more, "w") as f:
        f.write(MORE)
    s.notify("textDocument/didSave", td(um))
    dmore = latest(s, uri_of(more), um)
    check("a new file on disk joins the stack, its diagnostics published",
          codes(dmore or []) == ["E101"] and dmore[0]["range"] == rng(MORE, "mian"), dmore)
    os.remove(more)
    s.notify("textDocument/didSave", td(um))
    dmore = latest(s, uri_of(more), um)
    check("a file removed from disk: its diagnostics cleared", dmore == [], dmore)
    # A file changed on disk (by another tool): read again at the next build.
    with open(pa, "w") as f:
        f.write(APP2.replace("vpc  = main", "vpc  = mian"))
    s.notify("textDocument/didSave", td(um))
    da = latest(s, ua, um)
    check("a file changed on disk is read again",
          codes(da or []) == ["E101"] and "mian" in da[0]["message"], da)
    s.notify("textDocument/didClose", td(um))
    s.diagnostics(um, 3)
    s.request("textDocument/documentSymbol", td("file:///nowhere.infra"))
    da = drop(s, ua)
    check("the folder's last open file closed: the other files' diagnostics cleared",
          da and da[-1]["diagnostics"] == [], da)

    # Single-file stacks side by side (as examples/): each open file alone.
    solo = os.path.join(tmp, "solo")
    os.makedirs(solo)
    px, py = os.path.join(solo, "x.infra"), os.path.join(solo, "y.infra")
    with open(px, "w") as f:
        f.write(MAIN)
    with open(py, "w") as f:
        f.write(MAIN.replace("pair", "other").replace("main", "mian"))
    ux = uri_of(px)
    open_doc(s, ux, MAIN)
    dx = s.diagnostics(ux, 1)
    check("a folder of single-file stacks: the open file checked alone, as infrac check FILE",
          dx == [] and latest(s, uri_of(py), ux) is None, dx)
    s.notify("textDocument/didClose", td(ux))
    settle(s)


def hover_text(r):
    res = r.get("result") or {}
    c = res.get("contents") or {}
    return c.get("value", "") if isinstance(c, dict) else str(c)


NET = """stack net {
  region = "ap-northeast-1"
}

vpc main {
  cidr = 10.0.0.0/16
}

subnet public_a { vpc = mian  cidr = 10.0.1.0/24  az = "ap-northeast-1a" }
subnet public_c { vpc = main  cidr = 10.0.2.0/24  az = "ap-northeast-1c" }

security_group web {
  vpc = main
  ingress tcp 443 from 0.0.0.0/0
}

target_group api_tg {
  vpc      = main
  protocol = http
  port     = 80
}
"""


def main():
    infrac = os.path.abspath(sys.argv[1])
    prefix = []
    if len(sys.argv) > 3 and sys.argv[2] == "--prefix":
        prefix = sys.argv[3].split()
    tmp = tempfile.mkdtemp()
    env = dict(os.environ, INFRAC_DOCS_URL="")
    s = Server(prefix + [infrac, "lsp"], env=env)
    try:
        session(s, tmp)
    except Exception as e:  # a hang or a crash of the server: one failure, with the reason
        check("session ran to the end", False, "%s: %s\n%s" % (type(e).__name__, e,
                                                               s.stderr_text()))
    finally:
        s.close()
    return 0


def session(s, tmp):
    # ---- before initialize ----
    r = s.request("textDocument/hover", at("file:///x.infra", {"line": 0, "character": 0}))
    check("request before initialize is -32002", r.get("error", {}).get("code") == -32002, r)

    # ---- initialize ----
    r = initialize(s, tmp)
    caps = r.get("result", {}).get("capabilities", {})
    check("initialize: incremental sync", caps.get("textDocumentSync", {}).get("change") == 2, r)
    check("initialize: advertises what is implemented",
          all(caps.get(k) for k in ("hoverProvider", "definitionProvider", "referencesProvider",
                                    "documentSymbolProvider", "completionProvider",
                                    "renameProvider", "codeActionProvider"))
          and set(caps) == {"positionEncoding", "textDocumentSync", "hoverProvider",
                            "definitionProvider", "referencesProvider", "documentSymbolProvider",
                            "completionProvider", "renameProvider", "codeActionProvider"}, caps)
    r = s.request("initialize", {"capabilities": {}})
    check("second initialize is an error", r.get("error", {}).get("code") == -32600, r)

    # ---- a file with an error ----
    net = os.path.join(tmp, "net.infra")
    u = uri_of(net)
    open_doc(s, u, NET, 1)
    diags = s.diagnostics(u, 1)
    e101 = [d for d in diags if d["code"] == "E101"]
    check("didOpen publishes E101", codes(diags) == ["E101"], diags)
    d = e101[0] if e101 else {}
    check("E101 range is the name, 0-based, UTF-16", d.get("range") == rng(NET, "mian"), d)
    check("E101 severity error, source infrac", d.get("severity") == 1 and
          d.get("source") == "infrac", d)
    check("E101 message with help, as infrac check",
          d.get("message") == "undefined name 'mian'\nhelp: did you mean 'main'?", d)
    check("E101 codeDescription links its docs section",
          d.get("codeDescription", {}).get("href", "").endswith(
              "docs/diagnostics.md#e101-undefined-name"), d)
    rel = d.get("relatedInformation", [])
    check("E101 related note: the declaration",
          len(rel) == 1 and rel[0]["message"] == "vpc main declared here" and
          rel[0]["location"] == {"uri": u, "range": rng(NET, "main")}, rel)

    # The same records as `infrac check --format=json`.
    with open(net, "w") as f:
        f.write(NET)
    cli = cli_check(net)
    check("diagnostics match infrac check --format=json",
          as_lsp(cli, {net: u}) == strip(diags, u), {"cli": cli, "lsp": diags})

    # The reference example: warnings with notes, as infrac check reports them.
    web = os.path.join(tmp, "web", "webapp.infra")
    os.makedirs(os.path.dirname(web))
    with open(os.path.join(ROOT, "examples", "webapp.infra")) as f:
        web_text = f.read()
    with open(web, "w") as f:
        f.write(web_text)
    uw = uri_of(web)
    open_doc(s, uw, web_text, 7)
    dw = s.diagnostics(uw, 7)
    check("examples/webapp.infra: the diagnostics of infrac check, notes and help included",
          as_lsp(cli_check(web), {web: uw}) == strip(dw, uw) and dw,
          {"cli": cli_check(web), "lsp": dw})
    # Hover on a resource: what the internet reaches of it, and through what.
    h = hover_text(s.request("textDocument/hover", at(uw, pos(web_text, "instance api_host", 0, 10))))
    check("hover on an instance: its exposure, ports and chain (W607's facts)",
          "**Reachable from the internet:**" in h and
          "- tcp 22 and 80 through igw → public → public_a → api_ip → web" in h, h)
    h = hover_text(s.request("textDocument/hover", at(uw, pos(web_text, "load_balancer api_alb", 0, 15))))
    check("hover on the balancer: its listeners reached through its group",
          "- tcp 80 and 443 through igw → public → public_a → public address → web" in h, h)
    h = hover_text(s.request("textDocument/hover", at(uw, pos(web_text, "database db", 0, 10))))
    check("hover on the private database: not reachable", "Not reachable from the internet." in h, h)
    s.notify("textDocument/didClose", td(uw))
    s.diagnostics(uw)

    # ---- codeAction: the did-you-mean fix ----
    r = s.request("textDocument/codeAction",
                  dict(td(u), range=rng(NET, "mian"), context={"diagnostics": e101}))
    acts = r.get("result") or []
    edit = acts[0]["edit"]["changes"][u][0] if acts else {}
    check("codeAction: quickfix replaces mian with main",
          len(acts) == 1 and acts[0]["kind"] == "quickfix" and
          edit == {"range": rng(NET, "mian"), "newText": "main"}, r)
    r = s.request("textDocument/codeAction",
                  dict(td(u), range=rng(NET, "main"), context={"diagnostics": []}))
    check("codeAction: none where no diagnostic has a fix", r.get("result") == [], r)

    # ---- hover on the undefined name: said so, with the did-you-mean ----
    r = s.request("textDocument/hover", at(u, pos(NET, "mian", 0, 2)))
    h = hover_text(r)
    check("hover on an undefined name: says it is undefined",
          h.startswith("**mian**: undefined name") and "did you mean 'main'?" in h and
          r["result"]["range"] == rng(NET, "mian"), r)

    # ---- fix it with an incremental change ----
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": u, "version": 2},
        "contentChanges": [{"range": rng(NET, "mian"), "text": "main"}]})
    diags = s.diagnostics(u, 2)
    check("incremental change fixes it: empty list, version 2", diags == [], diags)
    text = NET.replace("mian", "main")

    # ---- hover ----
    r = s.request("textDocument/hover", at(u, pos(text, "vpc = main", 1, 7)))
    h = hover_text(r)
    check("hover on a name: kind and declaration line",
          "vpc main" in h and "line 5" in h and "net.infra" in h, r)
    r = s.request("textDocument/hover", at(u, pos(text, "cidr", 0, 1)))
    h = hover_text(r)
    check("hover on an attribute: type and doc",
          "a CIDR block" in h and "required" in h and "the address range, /16 to /28" in h, r)
    r = s.request("textDocument/hover", at(u, pos(text, "10.0.1.0/24", 0, 3)))
    h = hover_text(r)
    check("hover on a CIDR: first, last, size",
          h == "10.0.1.0/24: 10.0.1.0 - 10.0.1.255, 256 addresses" and
          r["result"]["range"] == rng(text, "10.0.1.0/24"), r)
    r = s.request("textDocument/hover", at(u, pos(text, "ap-northeast-1c", 0, 2)))
    h = hover_text(r)
    check("hover on a zone: its region", "ap-northeast-1c" in h and "region `ap-northeast-1`" in h,
          r)
    r = s.request("textDocument/hover", at(u, pos(text, "subnet public_a", 0, 2)))
    h = hover_text(r)
    check("hover on a kind: doc and CloudFormation type", "AWS::EC2::Subnet" in h, r)
    r = s.request("textDocument/hover", at(u, {"line": 3, "character": 0}))
    check("hover on a blank line: null", r.get("result") is None and "error" not in r, r)

    # ---- definition, references ----
    r = s.request("textDocument/definition", at(u, pos(text, "vpc = main", 2, 8)))
    check("definition of a reference", r.get("result") == {"uri": u, "range": rng(text, "main")},
          r)
    r = s.request("textDocument/references",
                  dict(at(u, pos(text, "main")), context={"includeDeclaration": True}))
    locs = r.get("result") or []
    check("references: the declaration and every use",
          len(locs) == 5 and locs[0]["range"] == rng(text, "main") and
          all(l["uri"] == u for l in locs), r)

    # ---- completion ----
    def labels(p):
        r = s.request("textDocument/completion", at(u, p))
        res = r.get("result") or {}
        return [i["label"] for i in (res.get("items", []) if isinstance(res, dict) else res)]

    # Top level: an empty line between declarations.
    got = labels(pos(text, "\nvpc main", 0, 1))
    check("completion at top level: kinds", {"vpc", "subnet", "security_group", "stack",
                                             "param", "output"} <= set(got), got)
    # In the block of a vpc: its attributes; of a security group: its statements.
    got = labels(pos(text, "  cidr = 10.0.0.0/16", 0, 2))
    check("completion in a block: the kind's attributes",
          {"cidr", "dns_support", "dns_hostnames", "tags"} <= set(got) and "az" not in got, got)
    got = labels(pos(text, "  ingress", 0, 2))
    check("completion in a block: statements, not the attributes already set",
          {"ingress", "egress", "description"} <= set(got) and "vpc" not in got, got)
    # Set before and after the cursor: not offered again (E102); the word
    # being typed is.
    got = labels(pos(text, "  protocol = http", 0, 2))
    check("completion in a block: no attribute set before or after the cursor",
          "protocol" in got and "vpc" not in got and "port" not in got and
          "health_check" in got, got)
    got = labels(pos(text, "protocol = http", 0, 11))
    check("completion after protocol =: the kind table's words", got == ["http", "https"], got)
    got = labels(pos(text, "vpc      = main", 0, 11))
    check("completion after vpc =: declarations of kind vpc only", got == ["main"], got)

    # ---- documentSymbol ----
    r = s.request("textDocument/documentSymbol", td(u))
    syms = r.get("result") or []
    names = [x["name"] for x in syms]
    sg = [x for x in syms if x["name"] == "web"]
    check("documentSymbol: declarations",
          names == ["net", "main", "public_a", "public_c", "web", "api_tg"], names)
    check("documentSymbol: nested members",
          sg and [c["name"] for c in sg[0].get("children", [])] ==
          ["vpc", "ingress tcp 443 from 0.0.0.0/0"] and sg[0]["detail"] == "security_group",
          sg)

    # ---- a second file: one stack with the first ----
    app = os.path.join(tmp, "app.infra")
    ua = uri_of(app)
    APP = "subnet private_a { vpc = main  cidr = 10.0.10.0/24  az = \"ap-northeast-1a\" }\n"
    open_doc(s, ua, APP, 1)
    da = s.diagnostics(ua, 1)
    check("two files, one stack: a name of the other file resolves", da == [], da)
    dn = s.diagnostics(u, 2)
    check("two files, one stack: the other file is republished", dn == [], dn)
    r = s.request("textDocument/definition", at(ua, pos(APP, "main")))
    check("two files: definition in the other file",
          r.get("result") == {"uri": u, "range": rng(text, "main")}, r)

    # A stack of two files against `infrac check DIR`: notes in the other file.
    d2 = os.path.join(tmp, "two")
    os.makedirs(d2)
    A = ('stack two { region = "ap-northeast-1" }\nvpc main { cidr = 10.0.0.0/16 }\n'
         'subnet s1 { vpc = main  cidr = 10.0.1.0/24  az = "ap-northeast-1a" }\n')
    B = ('vpc main { cidr = 10.1.0.0/16 }\n'
         'subnet s2 { vpc = main  cidr = 10.0.1.0/25  az = "ap-northeast-1c" }\n')
    pa, pb = os.path.join(d2, "a.infra"), os.path.join(d2, "b.infra")
    for p, t in ((pa, A), (pb, B)):
        with open(p, "w") as f:
            f.write(t)
    u2a, u2b = uri_of(pa), uri_of(pb)
    want = as_lsp(cli_check(d2), {pa: u2a, pb: u2b})
    open_doc(s, u2b, B)
    got = strip(latest(s, u2a, u2b) or [], u2a) + strip(s.diagnostics(u2b, 1), u2b)
    check("one file of a two-file stack open: the diagnostics of infrac check DIR, "
          "the other file's read from disk", got == want, {"cli": want, "lsp": got})
    open_doc(s, u2a, A)
    got = strip(s.diagnostics(u2a, 1), u2a) + strip(s.diagnostics(u2b, 1), u2b)
    check("two files: the diagnostics of infrac check DIR, notes across files",
          got == want and any(r[0] != d[0] for d in got for r in d[5]), {"cli": want, "lsp": got})
    s.notify("textDocument/didClose", td(u2a))
    gone = s.diagnostics(u2a, 1)
    got = strip(latest(s, u2a, u2b) or [], u2a)
    check("didClose of a file of the stack: cleared, then what is on disk published",
          gone == [] and got == [w for w in want if w[0] == u2a], got)
    s.notify("textDocument/didClose", td(u2b))
    settle(s)
    stack_files(s, tmp)

    # ---- rename across files ----
    r = s.request("textDocument/prepareRename", at(ua, pos(APP, "main", 0, 2)))
    check("prepareRename: the name's range",
          r.get("result") == {"range": rng(APP, "main"), "placeholder": "main"}, r)
    r = s.request("textDocument/rename", dict(at(ua, pos(APP, "main", 0, 2)), newName="core"))
    ch = (r.get("result") or {}).get("changes", {})
    check("rename across files: every use in each file",
          len(ch.get(u, [])) == 5 and len(ch.get(ua, [])) == 1 and
          all(e["newText"] == "core" for e in ch.get(u, []) + ch.get(ua, [])) and
          ch[ua][0]["range"] == rng(APP, "main"), r)
    r = s.request("textDocument/rename", dict(at(ua, pos(APP, "main")), newName="web"))
    check("rename to a taken name is refused", r.get("error", {}).get("code") == -32803, r)
    r = s.request("textDocument/rename", dict(at(ua, pos(APP, "main")), newName="9x"))
    check("rename to a non-name is refused", r.get("error", {}).get("code") == -32602, r)

    # A change in one file re-checks the other: rename main in net.infra only.
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": u, "version": 3},
        "contentChanges": [{"range": rng(text, "main"), "text": "core"}]})
    s.diagnostics(u, 3)
    da = s.diagnostics(ua, 1)
    check("a change in one file republishes the other",
          codes(da) == ["E101"] and da[0]["range"] == rng(APP, "main"), da)
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": u, "version": 4},
        "contentChanges": [{"text": text}]})  # full sync
    dn = s.diagnostics(u, 4)
    da = s.diagnostics(ua, 1)
    check("full-text change: both files clean again", dn == [] and da == [], [dn, da])
    s.notify("textDocument/didClose", td(u))
    gone = s.diagnostics(u, 4)
    disk = latest(s, u, ua)
    da = s.diagnostics(ua, 1)
    check("didClose: cleared, and the saved file on disk takes its place in the stack",
          gone == [] and codes(disk) == ["E101"] and "mian" in disk[0]["message"] and da == [],
          [gone, disk, da])
    os.remove(net)
    s.notify("textDocument/didSave", td(ua))
    da = s.diagnostics(ua, 1)
    disk = latest(s, u, ua)
    check("didSave: the directory is read again; a file removed from disk leaves the stack",
          "E101" in codes(da) and disk == [], [da, disk])
    s.notify("textDocument/didClose", td(ua))
    s.diagnostics(ua)

    # ---- UTF-16: Japanese before the error ----
    jp_path = os.path.join(tmp, "jp", "jp.infra")
    uj = uri_of(jp_path)
    JP = ("# ネットワーク: 東京リージョンの VPC 🌏\n"
          "stack jp { region = \"ap-northeast-1\" }\n"
          "vpc main { cidr = 10.0.0.0/16 }\n"
          "security_group web { tags { Tier = \"ウェブ 🔥 用\" }  vpc = mian }  # 日本語\n")
    open_doc(s, uj, JP, 1)
    dj = s.diagnostics(uj, 1)
    check("UTF-16: Japanese and an emoji before the error on its line",
          codes(dj) == ["E101"] and dj[0]["range"] == rng(JP, "mian"), [dj, rng(JP, "mian")])
    # An incremental edit placed after them, in UTF-16 units.
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": uj, "version": 2},
        "contentChanges": [{"range": rng(JP, "mian"), "text": "main"}]})
    dj = s.diagnostics(uj, 2)
    check("UTF-16: an incremental edit after Japanese text lands right", dj == [], dj)
    jp2 = JP.replace("mian", "main")
    r = s.request("textDocument/hover", at(uj, pos(jp2, "vpc = main", 0, 7)))
    check("UTF-16: hover after Japanese text", "vpc main" in hover_text(r), r)
    s.notify("textDocument/didClose", td(uj))
    s.diagnostics(uj)

    # ---- robustness ----
    s.send(b'{"jsonrpc": "2.0", "id": 900, "method": ')
    r = s.read()
    check("malformed JSON: -32700, id null", r.get("error", {}).get("code") == -32700 and
          r.get("id") is None, r)
    r = s.request("textDocument/frobnicate", {})
    check("unknown request: -32601", r.get("error", {}).get("code") == -32601, r)
    s.notify("textDocument/hover", at(u, {"line": 0, "character": 0}))  # a request, no id
    r = s.request("textDocument/didSave", td(u))
    check("a notification sent with an id: -32600", r.get("error", {}).get("code") == -32600, r)
    s.notify("$/unknownNotification", {})
    s.notify("workspace/didChangeConfiguration", {"settings": {}})
    r = s.request("textDocument/documentSymbol", td("file:///nowhere.infra"))
    check("unknown notifications are ignored; a request on a closed document fails",
          r.get("error", {}).get("code") == -32602 and not s.notes, [r, s.notes])
    s.send(b'{"jsonrpc": "2.0", "id": 901, "method": "textDocument/hover", "params": '
           b'{"textDocument": {"uri": "file:///\xff\xfe.infra"}, "position": '
           b'{"line": 0, "character": 0}}}')
    r = s.read()
    check("invalid UTF-8 in a request: -32700 with its id",
          r.get("error", {}).get("code") == -32700 and r.get("id") == 901, r)
    bad = os.path.join(tmp, "bad", "bad.infra")
    ub = uri_of(bad)
    body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": ub, "languageId": "infra", "version": 1,
                         "text": "stack b { region = \"ap-northeast-1\" }\n# XX\n"}}}).encode()
    s.send(body.replace(b"XX", b"\xff\xfe"))
    db = s.diagnostics(ub, 1)
    check("invalid UTF-8 in a document: E001 where it stands, a byte a character",
          codes(db) == ["E001", "E001"] and
          [d["range"] for d in db] == [
              {"start": {"line": 1, "character": 2}, "end": {"line": 1, "character": 3}},
              {"start": {"line": 1, "character": 3}, "end": {"line": 1, "character": 4}}], db)
    s.notify("textDocument/didClose", td(ub))
    s.diagnostics(ub)
    s.send_raw(b"Content-Type: text/plain\r\n\r\n")
    r = s.read()
    check("a message without Content-Length: -32700", r.get("error", {}).get("code") == -32700, r)
    s.send_raw(b"this is not a header\r\n\r\n")
    r = s.read()
    check("garbage instead of a header: -32700", r.get("error", {}).get("code") == -32700, r)
    s.send_raw(b"garbage glued to a header ")
    rid = s.request_async("textDocument/frobnicate", {})
    r1, r2 = s.read(), s.read()
    check("garbage before a header: -32700, then the request is read",
          r1.get("error", {}).get("code") == -32700 and r2.get("id") == rid and
          r2.get("error", {}).get("code") == -32601, [r1, r2])
    short = b'{"jsonrpc": "2.0", "id": 902, "method": "textDocument/frobnicate"}'
    s.send_raw(b"Content-Length: 20\r\n\r\n" + short)  # too short: the rest is garbage
    rid = s.request_async("textDocument/frobnicate", {})
    got = [s.read(), s.read(), s.read()]
    check("a Content-Length too short: errors, then the next request is read",
          [m.get("error", {}).get("code") for m in got] == [-32700, -32700, -32601] and
          got[2].get("id") == rid, got)
    s.send(b"[1, 2]")
    r = s.read()
    check("a JSON array: -32600", r.get("error", {}).get("code") == -32600, r)
    s.send(b'{"jsonrpc": "2.0", "id": [1], "method": "shutdown"}')
    r = s.read()
    check("an id that is neither number nor string: -32600",
          r.get("error", {}).get("code") == -32600, r)
    r = s.request("textDocument/hover", {"textDocument": {"uri": u}})
    check("hover without a position: -32602", r.get("error", {}).get("code") == -32602, r)
    s.notify("textDocument/didChange", {"textDocument": {"uri": "file:///never-opened.infra"},
                                        "contentChanges": [{"text": "x"}]})
    m = s.read()
    check("didChange of a document never opened: logged, not fatal",
          m.get("method") == "window/logMessage", m)

    resource_session(s, tmp)
    binding_session(s, tmp)
    loop_session(s, tmp)
    random_edits(s, tmp)

    # A huge document: 100,000 security groups (about 6 MB), one error at the end.
    huge = os.path.join(tmp, "huge", "huge.infra")
    uh = uri_of(huge)
    parts = ["stack h { region = \"ap-northeast-1\" }\nvpc v { cidr = 10.0.0.0/16 }\n"]
    for i in range(100000):
        parts.append("security_group g%d { vpc = v  ingress tcp 443 from 10.0.0.0/16 }\n" % i)
    parts.append("security_group last { vpc = nope }\n")
    HUGE = "".join(parts)
    open_doc(s, uh, HUGE, 1)
    dh = s.diagnostics(uh, 1, timeout=60)
    check("a huge document (6 MB) is checked",
          codes(dh) == ["E101"] and dh[0]["range"]["start"]["line"] == 100002, dh[:3])
    s.notify("textDocument/didClose", td(uh))
    s.diagnostics(uh)
    r = s.request("textDocument/documentSymbol", td("file:///nowhere.infra"))
    check("the server goes on after all of that", "error" in r and r["error"]["code"] == -32602,
          r)

    # ---- shutdown, exit ----
    r = s.request("shutdown")
    check("shutdown: null result", "result" in r and r["result"] is None, r)
    r = s.request("textDocument/hover", at(u, {"line": 0, "character": 0}))
    check("a request after shutdown: -32600", r.get("error", {}).get("code") == -32600, r)
    s.notify("exit")
    rc = s.wait(60)
    check("exit after shutdown: status 0", rc == 0, "exit status %s" % rc)
    err = s.stderr_text()
    check("nothing on stderr (no sanitizer or valgrind report)", err == "", err)


GENERIC = """stack gen { region = "us-east-1" }

vpc main { cidr = 10.0.0.0/16 }

resource site "AWS::S3::Bucket" {
  VersioningConfiguration { Status = "Enabled" }
  Tags = [{ Key = "team", Value = "web" }]
  deletion_policy = retain
}

resource jobs "AWS::SQS::Queue" {
  RedrivePolicy = { deadLetterTargetArn = site.Arn, maxReceiveCount = 5 }
}

vpc other {
  cidr = 10.1.0.0/16
  properties { InstanceTenancy = "default" }
}

output domain = site.RegionalDomainName
"""


LOOPS = """stack l {
  region = "ap-northeast-1"
}

vpc main { cidr = 10.0.0.0/16 }

for z, i in ["a", "c"] {
  subnet public_${z} { vpc = main  cidr = cidr(main, 8, i)  az = "ap-northeast-1${z}" }
}

route_table rt { vpc = main  subnets = [public_c, public_a] }
"""


def loop_session(s, tmp):
    """Loops: a generated name's hover names the loop and the iteration, its
    definition is the loop's body; references are not repeated per iteration;
    rename of a generated name is refused (its name is the body's)."""
    path = os.path.join(tmp, "loops", "loops.infra")
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as f:
        f.write(LOOPS)
    u = uri_of(path)
    open_doc(s, u, LOOPS, 1)
    d = s.diagnostics(u, 1)
    check("loops: the test stack is clean", d == [], d)
    h = hover_text(s.request("textDocument/hover", at(u, pos(LOOPS, "public_c, ", 0, 2))))
    check("loops: hover on a generated name names the loop and the iteration",
          "subnet public_c" in h and 'for z, i in ["a", "c"]' in h and 'in z = "c", i = 1' in h, h)
    r = s.request("textDocument/definition", at(u, pos(LOOPS, "public_a]", 0, 2)))
    check("loops: definition of a generated name is the loop's body",
          r.get("result") == {"uri": u, "range": rng(LOOPS, "public_${z}")}, r)
    r = s.request("textDocument/references",
                  dict(at(u, pos(LOOPS, "main", 1)), context={"includeDeclaration": False}))
    locs = sorted((x["range"]["start"]["line"], x["range"]["start"]["character"])
                  for x in r.get("result") or [])
    check("loops: a reference in a loop's body is listed once", len(locs) == len(set(locs)) == 3, r)
    r = s.request("textDocument/rename", dict(at(u, pos(LOOPS, "public_a]", 0, 2)), newName="x"))
    check("loops: rename of a generated name is refused",
          "made by a loop" in (r.get("error") or {}).get("message", ""), r)
    s.notify("textDocument/didClose", td(u))
    s.diagnostics(u)


def resource_session(s, tmp):
    """`resource` declarations: completion and hover from the CloudFormation
    type table, definition, references and rename of their names."""
    path = os.path.join(tmp, "gen", "gen.infra")
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as f:
        f.write(GENERIC)
    u = uri_of(path)
    open_doc(s, u, GENERIC, 1)
    d = s.diagnostics(u, 1)
    check("resource: the test stack is clean", d == [], d)

    def items(p, text=GENERIC):
        r = s.request("textDocument/completion", at(u, p))
        res = r.get("result") or {}
        return res.get("items", []) if isinstance(res, dict) else res

    def labels(p, text=GENERIC):
        return [i["label"] for i in items(p, text)]

    # Properties of the type, not those set before or after the cursor, no
    # read-only ones (attributes); the meta-attributes at the top level.
    got = labels(pos(GENERIC, "  Tags = [", 0, 2))
    check("resource completion: the type's properties, not those already set",
          {"BucketName", "BucketEncryption", "LifecycleConfiguration", "Tags", "depends_on"}
          <= set(got) and "VersioningConfiguration" not in got and "Arn" not in got and
          "DomainName" not in got and "deletion_policy" not in got, got)
    # In an object block: the nested type's properties.
    got = labels(pos(GENERIC, "Status = ", 0, 0))
    check("resource completion: in an object block, the nested object's properties",
          got == ["Status"], got)
    # In an object literal in a list: the items' properties, minus those set.
    got = labels(pos(GENERIC, "Value = \"web\"", 0, 0))
    check("resource completion: in an object of a list, the items' properties",
          "Value" in got and "Key" not in got and "BucketName" not in got, got)
    # After Status =: the allowed values.
    got = labels(pos(GENERIC, "Status = ", 0, 9))
    check("resource completion: a property's allowed values",
          got == ['"Enabled"', '"Suspended"'], got)
    # In a kind's properties { }: its main type's properties.
    got = labels(pos(GENERIC, "InstanceTenancy", 0, 0))
    check("resource completion: a kind's properties { } offers its type's properties",
          "InstanceTenancy" in got and "Ipv4IpamPoolId" in got, got)
    # After the object literal of RedrivePolicy, a new member.
    text2 = GENERIC.replace("maxReceiveCount = 5 }\n", "maxReceiveCount = 5 }\n  \n")
    s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 2},
                                        "contentChanges": [{"text": text2}]})
    s.diagnostics(u, 2)
    got = labels(pos(text2, "maxReceiveCount = 5 }\n  ", 0, 24))
    check("resource completion: after an object literal, the remaining properties",
          "VisibilityTimeout" in got and "RedrivePolicy" not in got, got)
    # Type names inside the type string.
    text3 = GENERIC.replace('resource jobs "AWS::SQS::Queue"', 'resource jobs "AWS::SQS::Q')
    s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 3},
                                        "contentChanges": [{"text": text3}]})
    s.diagnostics(u, 3)
    p = pos(text3, '"AWS::SQS::Q', 0, len('"AWS::SQS::Q'))
    its = items(p, text3)
    got = [i["label"] for i in its]
    check("resource completion: type names after \"AWS::, those that start with the text",
          got == ["AWS::SQS::Queue", "AWS::SQS::QueueInlinePolicy", "AWS::SQS::QueuePolicy"],
          got)
    check("resource completion: a type name replaces the whole string so far",
          its and its[0]["textEdit"]["range"] == {"start": pos(text3, "AWS::SQS::Q"), "end": p},
          its[:1])
    text4 = GENERIC.replace('resource jobs "AWS::SQS::Queue"', 'resource jobs "AWS::')
    s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 4},
                                        "contentChanges": [{"text": text4}]})
    s.diagnostics(u, 4)
    got = labels(pos(text4, '"AWS::', 1, 6), text4)
    check("resource completion: after \"AWS:: every type", len(got) > 1000 and
          "AWS::Lambda::Function" in got and "AWS::S3::Bucket" in got, len(got))
    s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 5},
                                        "contentChanges": [{"text": GENERIC}]})
    s.diagnostics(u, 5)

    # Hover: the type, a property, a nested property, a key of an object, NAME.Attr.
    h = hover_text(s.request("textDocument/hover", at(u, pos(GENERIC, "AWS::S3::Bucket", 0, 3))))
    check("resource hover on the type: its name, description, attributes",
          "**AWS::S3::Bucket**" in h and "bucket" in h.lower() and "`Arn`" in h, h)
    h = hover_text(s.request("textDocument/hover",
                             at(u, pos(GENERIC, "VersioningConfiguration", 0, 3))))
    check("resource hover on a property: its type and description",
          h.startswith("**VersioningConfiguration**: object") and "versioning" in h.lower(), h)
    h = hover_text(s.request("textDocument/hover", at(u, pos(GENERIC, "Status =", 0, 2))))
    check("resource hover on a nested property: its type and allowed values",
          h.startswith("**Status**: string") and '`"Enabled"`' in h and "required" in h, h)
    h = hover_text(s.request("textDocument/hover", at(u, pos(GENERIC, "Key =", 0, 1))))
    check("resource hover on a key in an object of a list", h.startswith("**Key**: string"), h)
    h = hover_text(s.request("textDocument/hover",
                             at(u, pos(GENERIC, "site.RegionalDomainName", 0, 8))))
    check("resource hover on NAME.Attr: the attribute, its type, GetAtt",
          h.startswith("**site.RegionalDomainName**: string") and "Fn::GetAtt" in h, h)
    h = hover_text(s.request("textDocument/hover", at(u, pos(GENERIC, "InstanceTenancy", 0, 2))))
    check("resource hover in a kind's properties { }", h.startswith("**InstanceTenancy**"), h)

    # Definition, references and rename of a resource's name.
    r = s.request("textDocument/definition", at(u, pos(GENERIC, "site.Arn", 0, 1)))
    check("resource definition: site.Arn goes to resource site",
          r.get("result") == {"uri": u, "range": rng(GENERIC, "site")}, r)
    r = s.request("textDocument/references",
                  dict(at(u, pos(GENERIC, "site", 0, 1)), context={"includeDeclaration": True}))
    locs = r.get("result") or []
    check("resource references: the declaration, in an object literal and in an output",
          [l["range"] for l in locs] == [rng(GENERIC, "site"), rng(GENERIC, "site", 1),
                                         rng(GENERIC, "site", 2)], r)
    r = s.request("textDocument/rename", dict(at(u, pos(GENERIC, "site", 1, 1)), newName="www"))
    edits = ((r.get("result") or {}).get("changes") or {}).get(u, [])
    check("resource rename: every use, the nested one included",
          sorted(e["range"]["start"]["line"] for e in edits) == [4, 11, 19] and
          all(e["newText"] == "www" for e in edits), r)
    s.notify("textDocument/didClose", td(u))
    s.diagnostics(u)


BINDINGS = """stack cond {
  region = "us-east-1"
}

param env : string = "dev" { logical_id = "pEnv" }

condition is_prod = env == "prod"

let sizes = { dev = { Size = "t3.micro" }, prod = { Size = "t3.large" } }

resource box if is_prod "AWS::EC2::Instance" {
  ImageId      = "ami-0a1b2c3d4e5f60718"
  InstanceType = is_prod ? sizes["prod"].Size : sizes["dev"].Size
}

output box_id if is_prod {
  value  = box
  export = "box"
}
"""


def binding_session(s, tmp):
    """Conditions, constants and long outputs: hover, definition, completion
    of their names, document symbols."""
    path = os.path.join(tmp, "cond", "cond.infra")
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as f:
        f.write(BINDINGS)
    u = uri_of(path)
    open_doc(s, u, BINDINGS, 1)
    d = s.diagnostics(u, 1)
    check("bindings: the test stack is clean", d == [], d)
    h = hover_text(s.request("textDocument/hover", at(u, pos(BINDINGS, "is_prod ?", 0, 2))))
    check("bindings hover on a condition's use: condition NAME", "condition is_prod" in h, h)
    h = hover_text(s.request("textDocument/hover", at(u, pos(BINDINGS, "sizes[\"prod\"]", 0, 2))))
    check("bindings hover on a constant's use: let NAME", "let sizes" in h, h)
    r = s.request("textDocument/definition", at(u, pos(BINDINGS, "is_prod ?", 0, 1)))
    check("bindings definition: a condition's use goes to its declaration",
          r.get("result") == {"uri": u, "range": rng(BINDINGS, "is_prod")}, r)
    r = s.request("textDocument/definition", at(u, pos(BINDINGS, "if is_prod {", 0, 4)))
    check("bindings definition: 'if NAME' goes to the condition",
          r.get("result") == {"uri": u, "range": rng(BINDINGS, "is_prod")}, r)
    r = s.request("textDocument/definition", at(u, pos(BINDINGS, "sizes[\"dev\"]", 0, 1)))
    check("bindings definition: a constant's use goes to its declaration",
          r.get("result") == {"uri": u, "range": rng(BINDINGS, "sizes")}, r)
    r = s.request("textDocument/documentSymbol", td(u))
    got = [(x["name"], x.get("detail")) for x in r.get("result") or []]
    check("bindings document symbols: the condition, the constant and the output",
          ("is_prod", "condition") in got and ("sizes", "let") in got and
          ("box_id", "output") in got and ("env", "param : string") in got, got)
    text2 = BINDINGS + "output other = \n"
    s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 2},
                                        "contentChanges": [{"text": text2}]})
    s.diagnostics(u, 2)
    r = s.request("textDocument/completion", at(u, pos(text2, "output other = ", 0, 15)))
    res = r.get("result") or {}
    got = [i["label"] for i in (res.get("items", []) if isinstance(res, dict) else res)]
    check("bindings completion: conditions and constants among the names an output's value takes",
          {"is_prod", "sizes", "box", "env"} <= set(got), got)
    s.notify("textDocument/didClose", td(u))
    s.diagnostics(u)


def random_edits(s, tmp):
    """Random incremental edits with multi-byte text, several per didChange,
    leave the server with the text they leave here: its diagnostics are
    those of the same text opened fresh."""
    rnd = random.Random(6)
    pieces = ["vpc", " x", "日本語", "🔥", "é", "\n", "{", "}", " = 10.0.0.0/16", "mian", '"s"',
              "# コメント\n", "subnet a { vpc = main }", ""]
    text = JP_BASE
    u1 = uri_of(os.path.join(tmp, "r1", "edit.infra"))
    open_doc(s, u1, text, 1)
    s.diagnostics(u1, 1)
    version = 1
    for _ in range(40):
        changes = []
        for _ in range(rnd.randint(1, 3)):
            a, b = sorted(rnd.randint(0, len(text)) for _ in range(2))
            if rnd.random() < 0.5:
                b = min(len(text), a + rnd.randint(0, 3))
            new = rnd.choice(pieces)
            changes.append({"range": {"start": upos(text, a),
                                      "end": upos(text, b)}, "text": new})
            text = text[:a] + new + text[b:]
        version += 1
        s.notify("textDocument/didChange", {"textDocument": {"uri": u1, "version": version},
                                            "contentChanges": changes})
    got = s.diagnostics(u1, version)
    u2 = uri_of(os.path.join(tmp, "r2", "edit.infra"))
    open_doc(s, u2, text, 1)
    want = s.diagnostics(u2, 1)
    key = lambda ds: [(d["code"], d["range"], d["message"]) for d in ds]  # noqa: E731
    check("random incremental edits (UTF-16 ranges) agree with the same text opened fresh",
          key(got) == key(want) and len(want) > 0, {"edits": key(got), "fresh": key(want)})
    for u in (u1, u2):
        s.notify("textDocument/didClose", td(u))
        s.diagnostics(u)


def upos(text, i):
    """The LSP position of index i of text."""
    line = text.count("\n", 0, i)
    start = text.rfind("\n", 0, i) + 1
    return {"line": line, "character": len(text[start:i].encode("utf-16-le")) // 2}


JP_BASE = ("# ネットワーク 🌏\nstack jp { region = \"ap-northeast-1\" }\n"
           "vpc main { cidr = 10.0.0.0/16 }  # 東京\n"
           "subnet a { vpc = main  cidr = 10.0.1.0/24  az = \"ap-northeast-1a\" }\n")


if __name__ == "__main__":
    sys.exit(main())
