#!/usr/bin/env python3
"""How long `infrac lsp` takes from a didChange on a 10,000-line document to
the publishDiagnostics of that version (the target: under 20 ms, docs/performance.md).

usage: bench/lsp_latency.py [INFRAC] [--runs N] [--lines N]

Each run sends one incremental change that breaks or mends a reference on
the last line (so the diagnostics alternate between one E101 and none), and
times the round trip as an editor sees it: write, compile, publish, read.
Then the same with full-text changes. Prints the median, p95 and worst case.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lsp"))
from lspclient import Server, initialize  # noqa: E402


def document(lines):
    """About `lines` lines: a stack, a VPC, then security groups (4 lines each)
    and one-line subnets, the last of which the benchmark edits."""
    out = ['stack bench {\n  region = "ap-northeast-1"\n}\n', "vpc main {\n  cidr = 10.0.0.0/16\n}\n"]
    n, i = 6, 0
    zones = ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]
    while n + 5 <= lines - 1:
        out.append("security_group sg%d {\n  vpc = main\n  ingress tcp 443 from 0.0.0.0/0\n}\n" % i)
        out.append('subnet s%d { vpc = main  cidr = 10.0.%d.%d/28  az = "%s" }\n'
                   % (i, i // 16, i % 16 * 16, zones[i % 3]))
        n += 5
        i += 1
    out.append('subnet last { vpc = main  cidr = 10.0.255.240/28  az = "ap-northeast-1a" }\n')
    return "".join(out)


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("infrac", nargs="?", default="build/infrac")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--lines", type=int, default=10000)
    args = ap.parse_args()
    text = document(args.lines)
    nlines = text.count("\n")
    last = nlines - 1
    col = text.split("\n")[last].index("main")
    uri = "file:///bench/bench.infra"
    s = Server([args.infrac, "lsp"])
    try:
        initialize(s)
        t0 = time.perf_counter()
        s.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "infra", "version": 1, "text": text}})
        d = s.diagnostics(uri, 1, timeout=30)
        open_ms = (time.perf_counter() - t0) * 1000
        if d:
            print("the benchmark document is not clean: %s" % d[:2], file=sys.stderr)
            return 1
        version = 1
        results = {}
        for mode in ("incremental", "full"):
            times = []
            for k in range(args.runs):
                version += 1
                word = "mian" if k % 2 == 0 else "main"
                if mode == "incremental":
                    change = {"range": {"start": {"line": last, "character": col},
                                        "end": {"line": last, "character": col + 4}},
                              "text": word}
                else:
                    change = {"text": text.replace("{ vpc = main  cidr = 10.0.255.240",
                                                   "{ vpc = %s  cidr = 10.0.255.240" % word)}
                t0 = time.perf_counter()
                s.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
                d = s.diagnostics(uri, version, timeout=30)
                times.append((time.perf_counter() - t0) * 1000)
                want = 1 if word == "mian" else 0
                if len(d) != want:
                    print("unexpected diagnostics: %s" % d[:2], file=sys.stderr)
                    return 1
            results[mode] = times
        s.request("shutdown")
        s.notify("exit")
        s.wait(10)
    finally:
        s.close()
    print("document: %d lines, %d bytes; didOpen to diagnostics: %.1f ms"
          % (nlines, len(text.encode()), open_ms))
    for mode, times in results.items():
        print("didChange (%s) to publishDiagnostics, %d runs: median %.2f ms, p95 %.2f ms, "
              "max %.2f ms" % (mode, len(times), statistics.median(times),
                               percentile(times, 95), max(times)))
    med = statistics.median(results["incremental"])
    print("target: under 20 ms: %s" % ("met" if med < 20 else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
