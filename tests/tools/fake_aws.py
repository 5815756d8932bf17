#!/usr/bin/env python3
"""A stand-in for the AWS CLI (INFRAC_AWS), for tests of apply and destroy
that need no AWS emulator: it answers each operation of the small stacks in
tests/deploysafety with a made-up ID, and every other one (deletes, waits,
modify-*) with {}. FAKE_AWS_LOG: a file each call is appended to;
FAKE_AWS_SLEEP: seconds to wait before answering; FAKE_AWS_FAIL: an
operation that fails, with FAKE_AWS_FAIL_TEXT on stderr."""
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
op = next((a for a in args if not a.startswith("-") and a not in ("ec2", "logs", "wait")), "")
if os.environ.get("FAKE_AWS_LOG"):
    with open(os.environ["FAKE_AWS_LOG"], "a") as log:
        log.write(" ".join(args[:3]) + "\n")
time.sleep(float(os.environ.get("FAKE_AWS_SLEEP", "0")))
if op == os.environ.get("FAKE_AWS_FAIL"):
    sys.stderr.write(os.environ.get("FAKE_AWS_FAIL_TEXT", "An error occurred (Injected)") + "\n")
    sys.exit(254)
print(json.dumps(ANSWERS.get(op, {})))
