#!/usr/bin/env python3
"""A mutation fuzzer of states, saved plans and templates against the real binary.

usage: mutate_state.py INFRAC SECONDS STACK.infra SEED... [--out DIR] [--timeout S]

Each round takes a seed (an infrac state, a saved plan or a deployed
CloudFormation template, JSON or YAML), mutates it (a member dropped, a
value of another type, a huge or negative number, a string with control
characters, a duplicate key, an anchor and its aliases, bytes flipped, cut
or repeated), writes it, and runs what reads it: `plan STACK --against FILE`,
`destroy --state FILE`, `apply --plan FILE` and `apply STACK --state FILE`,
with --auto-approve, --endpoint-url on a closed local port and INFRAC_AWS
set to tests/tools/fake_aws.py, so nothing reaches AWS. A finding is a run
killed by a signal, an exit status other than 0, 1 and 2, a sanitizer
report or a run over 10 s (--timeout); it is kept in DIR (default build/mutate) and
named on stdout. Exits 1 if there was any."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WEIRD = [None, True, 0, -1, 1e308, -1e308, 2**63, 1e-300, 3.5, "", "x" * 300, "\x1b[2J\x1b[H",
         "a\nb", "${param.x}", "../../etc/passwd", [], {}, [1, "a", None], {"": {}}, "\u202e"]


def mutate_tree(v, rnd):
    """A copy of v with one random change somewhere inside."""
    if isinstance(v, dict) and v and rnd.random() < 0.7:
        k = rnd.choice(list(v))
        w = dict(v)
        r = rnd.random()
        if r < 0.15:
            del w[k]
        elif r < 0.25:
            w[k + rnd.choice(["", "\x00", "\x1b", "X"])] = rnd.choice(WEIRD)
        else:
            w[k] = mutate_tree(v[k], rnd)
        return w
    if isinstance(v, list) and v and rnd.random() < 0.7:
        i = rnd.randrange(len(v))
        w = list(v)
        r = rnd.random()
        if r < 0.15:
            del w[i]
        elif r < 0.25:
            w.insert(i, w[i])
        else:
            w[i] = mutate_tree(v[i], rnd)
        return w
    return rnd.choice(WEIRD)


def mutate_bytes(b, rnd):
    b = bytearray(b)
    for _ in range(rnd.randint(1, 4)):
        r = rnd.random()
        i = rnd.randrange(len(b)) if b else 0
        if r < 0.3 and b:
            b[i] = rnd.randrange(256)
        elif r < 0.5:
            del b[i:i + rnd.randint(1, 64)]
        elif r < 0.7 and b:
            j = rnd.randrange(len(b))
            b[i:i] = b[j:j + rnd.randint(1, 200)]
        elif r < 0.85:
            b[i:i] = rnd.choice([b'"a": 1, "a": 2, ', b'<<: *a\n', b'&a ', b'*a', b'\n---\n', b'}',
                                 b'{' * 300, b'\\u0000', b'99999999999999999999', b'\x1b'])
        else:
            b = b[:i]
    return bytes(b)


def load_yaml(text):
    """The YAML document as plain data, or None (PyYAML missing, tags it
    does not know such as !Ref, or not YAML)."""
    try:
        import yaml
        return yaml.safe_load(text)
    except Exception:  # noqa: BLE001 - any failure: mutate the bytes instead
        return None


def dump_yaml(doc, rnd):
    """doc as YAML; shared subtrees become an anchor and aliases."""
    import yaml
    if isinstance(doc, dict) and len(doc) > 1 and rnd.random() < 0.5:
        keys = list(doc)
        doc[rnd.choice(keys)] = doc[rnd.choice(keys)]  # the same object twice: &id001 / *id001
    return yaml.safe_dump(doc, default_flow_style=rnd.choice([None, False, True])).encode()


def mutate(text, rnd):
    try:
        doc, as_yaml = json.loads(text), False
    except ValueError:
        doc = load_yaml(text)
        as_yaml = doc is not None
    if doc is not None and rnd.random() < 0.6:
        for _ in range(rnd.randint(1, 3)):
            doc = mutate_tree(doc, rnd)
        if as_yaml:
            out = dump_yaml(doc, rnd)
        else:
            out = json.dumps(doc, indent=rnd.choice([None, 1])).encode()
        return out if rnd.random() < 0.8 else mutate_bytes(out, rnd)
    return mutate_bytes(text, rnd)


def main():
    args = sys.argv[1:]
    out_dir, limit = "build/mutate", 10.0
    if "--out" in args:
        i = args.index("--out")
        out_dir = args[i + 1]
        del args[i:i + 2]
    if "--timeout" in args:
        i = args.index("--timeout")
        limit = float(args[i + 1])
        del args[i:i + 2]
    binary, seconds, stack, seeds = os.path.abspath(args[0]), float(args[1]), os.path.abspath(args[2]), args[3:]
    os.makedirs(out_dir, exist_ok=True)
    texts = [open(s, "rb").read() for s in seeds]
    rnd = random.Random(int(os.environ.get("SEED", time.time())))
    env = dict(os.environ, INFRAC_AWS=os.path.join(HERE, "fake_aws.py"), NO_COLOR="1",
               AWS_ACCESS_KEY_ID="none", AWS_SECRET_ACCESS_KEY="none")
    url = "http://127.0.0.1:9"  # discard: nothing listens there
    work = tempfile.mkdtemp()
    end = time.time() + seconds
    runs = findings = 0
    try:
        while time.time() < end:
            data = mutate(rnd.choice(texts), rnd)
            f = os.path.join(work, "input.json")
            with open(f, "wb") as fh:
                fh.write(data)
            copy = os.path.join(work, "copy.state")
            shutil.copy(f, copy)
            for cmd in ([binary, "plan", stack, "--against", f],
                        [binary, "destroy", "--state", copy, "--auto-approve", "--endpoint-url", url],
                        [binary, "apply", "--plan", f, "--state", os.path.join(work, "new.state"),
                         "--auto-approve", "--endpoint-url", url],
                        [binary, "apply", stack, "--state", copy, "--auto-approve", "--endpoint-url", url]):
                for p in ("new.state",):
                    if os.path.exists(os.path.join(work, p)):
                        os.unlink(os.path.join(work, p))
                shutil.copy(f, copy)
                runs += 1
                try:
                    r = subprocess.run(cmd, cwd=work, env=env, capture_output=True, timeout=limit)
                    bad = r.returncode not in (0, 1, 2) or b"Sanitizer" in r.stderr or b"runtime error" in r.stderr
                    why = "exit %d" % r.returncode
                except subprocess.TimeoutExpired:
                    bad, why, r = True, "timeout", None
                if bad:
                    findings += 1
                    name = os.path.join(out_dir, "finding-%d.json" % findings)
                    with open(name, "wb") as fh:
                        fh.write(data)
                    print("%s: %s: %s" % (name, why, " ".join(cmd[1:3])))
                    if r is not None:
                        sys.stdout.write(r.stderr.decode(errors="replace")[-2000:])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d runs, %d findings" % (runs, findings))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
