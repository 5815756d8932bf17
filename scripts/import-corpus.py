#!/usr/bin/env python3
"""Imports every CloudFormation template of a directory with `infrac import`
and reports, per template: imported or the one-line reason it is not, what
`infrac check` finds in the imported stack, and whether the round trip
(`infrac plan OUT --against TEMPLATE --detailed-exitcode`) says "No changes.";
then the totals and the reasons grouped. Not part of `make test`: the corpus
is not the project's.

usage: scripts/import-corpus.py [--infrac build/infrac] [--markdown] DIR
"""
import argparse
import collections
import os
import re
import resource
import subprocess
import sys
import tempfile
import time


TMP = DIR = "\0"  # this run's scratch directory and the corpus, each with a trailing /
CPU = collections.Counter()  # seconds of CPU (user + system) of the infrac processes, by command
RUNS = collections.Counter()  # and how many there were
KINDS = collections.Counter()  # declarations of the imported stacks, by kind


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd, timeout=20):
    before = cpu()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        rc, out, err = 124, "", "timed out after %ds" % timeout
    CPU[cmd[1]] += cpu() - before
    RUNS[cmd[1]] += 1
    return rc, out, err


def startup(infrac, n=50):
    """CPU seconds of one infrac process that does nothing (--version): the
    dynamic loader's work for libcurl, libxml2 and the libraries they bring."""
    before = cpu()
    for _ in range(n):
        subprocess.run([infrac, "--version"], capture_output=True)
    return (cpu() - before) / n


def has_transform(path):
    """A Transform or a macro: SAM, Fn::Transform, Rain's directives."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
            return re.search(r"^\s*\"?Transform\"?\s*:|Fn::Transform|!Transform|Rain::", text, re.M) is not None
    except OSError:
        return False


NOT_KINDS = ("stack", "param", "condition", "let", "output", "for", "resource")


def count_kinds(path):
    """The declarations of an imported stack by kind ("resource" for those
    that stay CloudFormation resources)."""
    try:
        with open(path, encoding="utf-8") as f:
            words = re.findall(r"^(\w+) \w+", f.read(), re.M)
    except OSError:
        return collections.Counter()
    return collections.Counter(w for w in words if w == "resource" or w not in NOT_KINDS)


def first_error(text):
    text = text.replace(TMP, "").replace(DIR, "")  # names as in the corpus, not this run's
    for line in text.splitlines():
        if "error" in line:
            return line.strip()
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[0].strip() if lines else "(no message)"


def group(reason):
    """The cause of a failure, without the template's own names."""
    m = re.search(r"error\[([EW]\d+)\]: (.*)", reason)
    if m:
        what = re.sub(r"^\S+ of resource \S+ \((\S+)\) ", r"a property of \1 ", m.group(2))
        what = re.sub(r"'[^']*'|\"[^\"]*\"", "X", what)
        return "the imported stack has an error: %s %s" % (m.group(1), what[:80])
    if reason.startswith("changes: "):
        return "round trip differs: " + re.sub(r"^\S+ \S+ ", "", reason[9:])
    r = re.sub(r"^.*?: error: cannot import ", "", reason)
    r = re.sub(r"^(Resources|Outputs|Parameters|Conditions|Mappings)\S*: ", "", r)
    r = re.sub(r"^[^:]*: ", "", r) if not r.startswith("Transform") else r
    r = re.sub(r"'[^']*'", "'X'", r)
    r = re.sub(r"\(0x[0-9a-f]+\)", "", r)
    r = re.sub(r"^\S+:\d+:\d+: ", "", r)
    return r[:110]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--infrac", default="build/infrac")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("dir")
    a = ap.parse_args()
    templates = sorted(
        os.path.join(d, f)
        for d, _, fs in os.walk(a.dir)
        for f in fs
        if f.endswith((".yaml", ".yml", ".json", ".template"))
    )
    rows, reasons = [], collections.Counter()
    tot = collections.Counter()
    start = time.time()
    global TMP, DIR
    DIR = os.path.join(a.dir, "")
    with tempfile.TemporaryDirectory() as tmp:
        TMP = os.path.join(tmp, "")
        for i, t in enumerate(templates):
            rel = os.path.relpath(t, a.dir)
            out = os.path.join(tmp, "t%d.infra" % i)
            transform = has_transform(t)
            tot["templates"] += 1
            tot["transform"] += transform
            rc, _, err = run([a.infrac, "import", t, "-o", out])
            # a kind kept a `resource` by what its checks found (a CIDR mistake, one zone ...)
            notes = sorted(set(re.findall(r"note: .*error\[([EW]\d+)\]", err)))
            if rc >= 124 or rc < 0:
                rows.append((rel, "CRASH/HANG", "", "", err.strip()[:100]))
                tot["crash"] += 1
                continue
            if rc != 0:
                why = first_error(err)
                rows.append((rel, "no", "", "", why))
                reasons[("transform " if transform else "") + group(why)] += 1
                continue
            tot["imported"] += 1
            KINDS.update(count_kinds(out))
            crc, cout, cerr = run([a.infrac, "check", out])
            codes = sorted(set(re.findall(r"(?:error|warning)\[([EW]\d+)\]", cerr + cout)))
            check = " ".join(codes + ["%s (import note)" % n for n in notes]) or "clean"
            tot["findings"] += bool(codes or notes)
            for code in codes + notes:
                tot["finding " + code] += 1
            if crc >= 124 or crc < 0:
                tot["crash"] += 1
            if not codes:
                tot["clean"] += 1
            prc, pout, perr = run([a.infrac, "plan", out, "--against", t, "--detailed-exitcode"])
            if prc >= 124 or prc < 0:
                tot["crash"] += 1
            if prc == 0 and "No changes." in pout:
                tot["roundtrip"] += 1
                tot["roundtrip_nt"] += not transform
                rows.append((rel, "yes", check, "No changes.", ""))
            else:
                why = first_error(perr) if prc not in (0, 2) else "changes: " + (
                    pout.strip().splitlines()[0] if pout.strip() else "?")
                rows.append((rel, "yes", check, "differs", why))
                reasons[group(why)] += 1
    elapsed = time.time() - start
    per_start = startup(a.infrac)
    nt = tot["templates"] - tot["transform"]
    if a.markdown:
        print("| template | imported | check | round trip | reason |")
        print("| --- | --- | --- | --- | --- |")
        for r in rows:
            print("| %s |" % " | ".join(x.replace("|", "\\|") for x in r))
        print()
        print("| reason | templates |")
        print("| --- | --- |")
        for r, n in reasons.most_common():
            print("| %s | %d |" % (r.replace("|", "\\|"), n))
    else:
        for r in rows:
            print("%-70s %-4s %-20s %-12s %s" % r)
        print()
        for r, n in reasons.most_common():
            print("%4d  %s" % (n, r))
    print()
    print("templates: %d (%d with a Transform or macro); imported: %d; checks clean: %d; "
          "round trip \"No changes.\": %d (%d of the %d without a Transform or macro, %.0f%%); "
          "crashes or hangs: %d; %.1f s" % (
              tot["templates"], tot["transform"], tot["imported"], tot["clean"], tot["roundtrip"],
              tot["roundtrip_nt"], nt, 100.0 * tot["roundtrip_nt"] / max(nt, 1), tot["crash"], elapsed))
    print("findings (checks of the imported stacks, and import notes): %d templates; %s" % (
        tot["findings"], ", ".join("%s %d" % (k[8:], v) for k, v in sorted(tot.items()) if k.startswith("finding "))))
    print("kinds: %d declarations of kinds (%s; a kind holds its parts: attachment, routes, listeners), "
          "%d `resource`" % (
        sum(v for k, v in KINDS.items() if k != "resource"),
        ", ".join("%s %d" % kv for kv in sorted(KINDS.items(), key=lambda kv: (-kv[1], kv[0])) if kv[0] != "resource"),
        KINDS["resource"]))
    runs = sum(RUNS.values())
    total = sum(CPU.values())
    print("infrac CPU time: %.2f s in %d processes (%s); of it process start-up %.2f s "
          "(%.1f ms each: the dynamic loader), infrac's own work %.2f s; the rest of the %.1f s is "
          "this script and waiting for the machine" % (
              total, runs, ", ".join("%s %.2f s" % (k, CPU[k]) for k in RUNS), per_start * runs,
              per_start * 1000, total - per_start * runs, elapsed))


if __name__ == "__main__":
    sys.exit(main())
