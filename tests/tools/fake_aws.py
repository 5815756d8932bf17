#!/usr/bin/env python3
"""A stand-in for the AWS CLI (INFRAC_AWS), for tests of apply and destroy
that need no AWS emulator: it answers each operation of the small stacks in
tests/deploysafety with a made-up ID, and every other one (deletes, waits,
modify-*) with {}. FAKE_AWS_LOG: a file each call is appended to;
FAKE_AWS_SLEEP: seconds to wait before answering; FAKE_AWS_FAIL: an
operation that fails, with FAKE_AWS_FAIL_TEXT on stderr; FAKE_AWS_SSM_VALUE:
the value ssm get-parameter answers. FAKE_AWS_INPUT_LOG: a file each call
appends a JSON line to, of what a secret could leak through: where its
--cli-input-json came from and what it held, the INFRAC_PARAM_ variables it
inherited, its core file size limit, infrac's arguments as the process list shows
them, and whether /proc/PPID/environ of infrac could be read (not when
infrac is not dumpable)."""
import json
import os
import sys
import time

ANSWERS = {
    "create-vpc": {"Vpc": {"VpcId": "vpc-0f00000000000001"}},
    "create-subnet": {"Subnet": {"SubnetId": "subnet-0f00000000000001"}},
    "create-security-group": {"GroupId": "sg-0f00000000000001"},
    "create-internet-gateway": {"InternetGateway": {"InternetGatewayId": "igw-0f00000000000001"}},
}

args = sys.argv[1:]
op = args[2] if args[1:2] == ["wait"] else args[1] if len(args) > 1 else ""
if os.environ.get("FAKE_AWS_LOG"):
    with open(os.environ["FAKE_AWS_LOG"], "a") as log:
        log.write(" ".join(args[:3]) + "\n")
if os.environ.get("FAKE_AWS_SSM_VALUE") is not None:
    ANSWERS["get-parameter"] = {"Parameter": {"Value": os.environ["FAKE_AWS_SSM_VALUE"]}}
if os.environ.get("FAKE_AWS_INPUT_LOG"):
    src = args[args.index("--cli-input-json") + 1] if "--cli-input-json" in args else ""
    with open(src[len("file://"):]) if src.startswith("file://") else open(os.devnull) as f:
        body = f.read()
    with open("/proc/self/limits") as f:
        core = next(line for line in f if line.startswith("Max core file size")).split()[4]
    with open("/proc/%d/cmdline" % os.getppid(), "rb") as f:
        parent_argv = f.read().decode(errors="replace").split("\0")
    try:
        with open("/proc/%d/environ" % os.getppid(), "rb") as f:
            f.read()
        parent_readable = True
    except OSError:
        parent_readable = False
    with open(os.environ["FAKE_AWS_INPUT_LOG"], "a") as log:
        log.write(json.dumps({"op": op, "input": src, "body": body, "core": core,
                              "env": sorted(k for k in os.environ if k.startswith("INFRAC_PARAM_")),
                              "parent_readable": parent_readable,
                              "parent_argv": parent_argv}) + "\n")
time.sleep(float(os.environ.get("FAKE_AWS_SLEEP", "0")))
if op == os.environ.get("FAKE_AWS_FAIL"):
    sys.stderr.write(os.environ.get("FAKE_AWS_FAIL_TEXT", "An error occurred (Injected)") + "\n")
    sys.exit(254)
print(json.dumps(ANSWERS.get(op, {})))
