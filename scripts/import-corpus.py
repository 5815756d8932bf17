#!/usr/bin/env python3
"""Imports every CloudFormation template of a directory with `infrac import`
and reports, per template: imported or the one-line reason it is not, what
`infrac check` finds in the imported stack, and whether the round trip
(`infrac plan OUT --against TEMPLATE --detailed-exitcode`) says "No changes.";
then the totals and the reasons grouped, and the wall time of the whole
job. Not part of `make test`: the corpus is not the project's.

The templates go in chunks of --chunk to one `infrac import -o DIR T...`
each (no process start-up per template); each imported stack is then
checked and planned against its template, one process each. --jobs chunks
are worked at once (default: one per CPU).

usage: scripts/import-corpus.py [--infrac build/infrac] [--markdown]
                                [--jobs N] [--chunk N] DIR
"""
import argparse
import collections
import concurrent.futures
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time


TMP = DIR = "\0"  # this run's scratch directory and the corpus, each with a trailing /
RUNS = collections.Counter()  # infrac processes, by command
LOCK = threading.Lock()
KINDS = collections.Counter()  # declarations of the imported stacks, by kind


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd, timeout=20):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        rc, out, err = 124, "", "timed out after %ds" % timeout
    with LOCK:
        RUNS[cmd[1]] += 1
    return rc, out, err


def startup(infrac, n=50):
    """CPU seconds of one infrac process that does nothing (--version): the
    dynamic loader's work and what runs before main."""
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
    text = re.sub(r"\bc\d+-\d+/", "", text)  # the scratch directory of a chunk's round
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


def import_alone(infrac, t, out):
    """`infrac import T -o OUT`: (rc, OUT or None, stderr)."""
    rc, _, err = run([infrac, "import", t, "-o", out])
    return rc, out if rc == 0 else None, err


def import_chunk(infrac, chunk, scratch):
    """The templates of chunk imported by one process (`infrac import -o DIR
    T...`), a round more for those whose stack NAME an earlier one took:
    {template: (rc, output or None, its stderr lines)}. A crash or a hang
    imports each on its own, to name the template it was."""
    got, todo, n = {}, list(chunk), 0
    while todo:
        d = "%s-%d" % (scratch, n)
        os.mkdir(d)
        n += 1
        if len(todo) == 1:
            got[todo[0]] = import_alone(infrac, todo[0], os.path.join(d, "t.infra"))
            break
        rc, out, err = run([infrac, "import", "-o", d] + todo, timeout=20 + 2 * len(todo))
        if rc >= 124 or rc < 0:
            for i, t in enumerate(todo):
                got[t] = import_alone(infrac, t, os.path.join(d, "t%d.infra" % i))
            break
        wrote = dict(l.split(" -> ", 1) for l in out.splitlines() if " -> " in l)
        again = []
        for t in todo:
            mine = re.compile(r"(^|\s)%s:" % re.escape(t))
            lines = "".join(l for l in err.splitlines(True) if mine.search(l))
            if t in wrote:
                got[t] = (0, wrote[t], lines)
            elif "is imported there too" in lines:
                again.append(t)
            else:
                got[t] = (1, None, lines)
        todo = again
    return got


def check_and_plan(infrac, t, out):
    """The imported stack's check and its round trip: (crc, cout, cerr, prc, pout, perr)."""
    crc, cout, cerr = run([infrac, "check", out])
    prc, pout, perr = run([infrac, "plan", out, "--against", t, "--detailed-exitcode"])
    return crc, cout, cerr, prc, pout, perr


def do_chunk(infrac, chunk, scratch):
    """Everything for the templates of chunk: {template: (import, check and plan)}."""
    done = {}
    for t, (rc, out, err) in import_chunk(infrac, chunk, scratch).items():
        done[t] = ((rc, out, err), check_and_plan(infrac, t, out) if rc == 0 and out else None)
    return done


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--infrac", default="build/infrac")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="infrac processes at once (default: one per CPU)")
    ap.add_argument("--chunk", type=int, default=16, help="templates per `infrac import` process")
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
    start, cpu_before, self_before = time.time(), cpu(), time.process_time()
    global TMP, DIR
    DIR = os.path.join(a.dir, "")
    with tempfile.TemporaryDirectory() as tmp:
        TMP = os.path.join(tmp, "")
        # interleaved: a.json and a.yaml, side by side in the order, in two
        # chunks, so that a chunk seldom needs a second round for a NAME
        n = max(1, (len(templates) + a.chunk - 1) // a.chunk)
        chunks = [templates[k::n] for k in range(n)]
        results = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(a.jobs, 1)) as pool:
            for done in pool.map(lambda k: do_chunk(a.infrac, chunks[k], os.path.join(tmp, "c%d" % k)),
                                 range(len(chunks))):
                results.update(done)
        for t in templates:
            rel = os.path.relpath(t, a.dir)
            (rc, out, err), checked = results[t]
            transform = has_transform(t)
            tot["templates"] += 1
            tot["transform"] += transform
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
            crc, cout, cerr, prc, pout, perr = checked
            codes = sorted(set(re.findall(r"(?:error|warning)\[([EW]\d+)\]", cerr + cout)))
            check = " ".join(codes + ["%s (import note)" % n for n in notes]) or "clean"
            tot["findings"] += bool(codes or notes)
            for code in codes + notes:
                tot["finding " + code] += 1
            if crc >= 124 or crc < 0:
                tot["crash"] += 1
            if not codes:
                tot["clean"] += 1
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
    elapsed, job_cpu = time.time() - start, cpu() - cpu_before
    self_cpu = time.process_time() - self_before
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
    print("%.2f s wall for the whole job (import, check and round-trip plan of every template), "
          "%d infrac processes (%s), %d at a time; their CPU time %.2f s, of it process start-up "
          "about %.2f s (%.1f ms each, measured as `infrac --version`); this script's %.2f s" % (
              elapsed, runs, ", ".join("%s %d" % kv for kv in sorted(RUNS.items())), a.jobs,
              job_cpu, per_start * runs, per_start * 1000, self_cpu))

if __name__ == "__main__":
    sys.exit(main())
