"""policy_moto.py INFRAC EXAMPLE... : `infrac policy` proven against moto.

moto enforces IAM when told INITIAL_NO_AUTH_ACTION_COUNT: after that many
calls, every call must be signed by a user whose policies allow its action.
Two moto servers (free loopback ports, stopped by their PIDs) take the cases
in turn; each case resets its server (state, and the count through
/moto-api/reset-auth), makes a user `deployer` with a policy in the first
three calls, and runs `infrac apply` with the deployer's keys:

- for every EXAMPLE, the policy `infrac policy EXAMPLE` writes: apply succeeds;
- for the first EXAMPLE, that policy without each statement in turn: apply
  fails, AccessDenied, at a step that needs the statement;
- tests/apply/net.infra applied (IAM not enforced yet), then
  `infrac policy --against STATE tests/apply/net2.infra`: the change (a
  subnet, a rule, a log group deleted) applies with exactly that policy,
  which has no call that creates the VPC;
- examples/network.infra applied (IAM not enforced yet), then `plan --refresh`
  with exactly `infrac policy --refresh --against STATE`: it reads everything
  and finds no drift; with the policy without --refresh, it is denied.

moto checks the action of each call, not its resource (it matches statements
against "*", except for calls on roles that already exist) and not
conditions, and it does not authorize what AWS checks besides a call (tags
given at creation, iam:PassRole, service-linked roles). So the policy is
given to moto with every Resource "*" and no Condition, and a statement is
expected to be needed only when it holds an action that apply calls: a
step's operation or its waiter's (from botocore's models, not from infrac).
The others are reported as skipped, with that reason. Prints "ok NAME",
"FAIL NAME" (and indented detail) or "skip NAME (why)" per case.
"""
import concurrent.futures
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

import boto3
import botocore.session
from botocore import xform_name

INFRAC = os.path.abspath(sys.argv[1])
EXAMPLES = sys.argv[2:]
SECRET = "Very-secret-1"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_moto(workdir):
    port = free_port()
    env = dict(os.environ, MOTO_ACM_VALIDATION_WAIT="0", MOTO_IAM_LOAD_MANAGED_POLICIES="true")
    log = open(os.path.join(workdir, "moto-%d.log" % port), "w")
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc, "http://127.0.0.1:%d" % port


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def post(url, data=b""):
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/octet-stream"})
    urllib.request.urlopen(req, timeout=30).read()


SERVERS = queue.Queue()


def moto_form(policy):
    """The policy as moto can check it: every Resource "*", no Condition."""
    out = {"Version": policy["Version"], "Statement": []}
    for st in policy["Statement"]:
        st = {k: v for k, v in st.items() if k != "Condition"}
        st["Resource"] = "*"
        out["Statement"].append(st)
    return out


def deployer_env(url, policy, user="deployer"):
    """Makes user deployer (or user) with policy in the three calls before
    IAM is enforced; the environment of an infrac run with its keys."""
    post(url + "/moto-api/reset-auth", b"3")
    iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    iam.create_user(UserName=user)
    if policy["Statement"]:  # IAM refuses an empty policy: no policy is the same
        iam.put_user_policy(UserName=user, PolicyName="infrac",
                            PolicyDocument=json.dumps(moto_form(policy)))
    else:
        iam.get_user(UserName=user)  # the third call all the same
    key = iam.create_access_key(UserName=user)["AccessKey"]
    env = dict(os.environ, AWS_ACCESS_KEY_ID=key["AccessKeyId"],
               AWS_SECRET_ACCESS_KEY=key["SecretAccessKey"],
               AWS_DEFAULT_REGION="ap-northeast-1", INFRAC_PARAM_db_password=SECRET)
    env.pop("AWS_PROFILE", None)
    env.pop("AWS_SESSION_TOKEN", None)
    return env


def apply(example, state, url, env):
    r = subprocess.run([INFRAC, "apply", example, "--state", state, "--endpoint-url", url,
                        "--auto-approve"], capture_output=True, text=True, env=env, timeout=300)
    return r.returncode, r.stdout + r.stderr


def apply_with(policy, example, workdir):
    """Apply example with a deployer allowed exactly policy; (status, output)."""
    url = SERVERS.get()
    try:
        post(url + "/moto-api/reset")
        env = deployer_env(url, policy)
        return apply(example, os.path.join(workdir, "state"), url, env)
    finally:
        SERVERS.put(url)


def infrac_json(*args):
    r = subprocess.run([INFRAC, *args], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("infrac %s: %s" % (" ".join(args), r.stderr))
    return json.loads(r.stdout)


_session = botocore.session.get_session()


def step_actions(step):
    """The IAM actions apply calls for a step: its operation and its waiter's."""
    model = _session.get_service_model(step["service"])
    prefix = model.signing_name
    acts = {"%s:%s" % (prefix, step["operation"])}
    if step.get("wait"):
        waiters = _session.get_waiter_model(step["service"])
        name = next(n for n in waiters.waiter_names if xform_name(n) == step["wait"])
        acts.add("%s:%s" % (prefix, waiters.get_waiter(name).operation))
    return acts


def listed(v):
    return v if isinstance(v, list) else [v]


def report(name, ok, detail=""):
    if ok:
        print("ok " + name)
    else:
        print("FAIL " + name)
        for line in detail.strip().splitlines()[-30:]:
            print("     " + line)
    sys.stdout.flush()


def case_full(example):
    name = "policy: %s applies with exactly its policy (IAM enforced)" % example
    with tempfile.TemporaryDirectory() as d:
        policy = infrac_json("policy", example)
        status, out = apply_with(policy, example, d)
        report(name, status == 0, out)


def case_without(example, policy, sid, steps):
    name = "policy: %s without statement %s fails at a step that needs it" % (example, sid)
    kept = dict(policy, Statement=[s for s in policy["Statement"] if s["Sid"] != sid])
    removed = next(s for s in policy["Statement"] if s["Sid"] == sid)
    needing = [s["resource"] for s in steps if step_actions(s) & set(listed(removed["Action"]))]
    with tempfile.TemporaryDirectory() as d:
        status, out = apply_with(kept, example, d)
    denied = "AccessDenied" in out or "not authorized" in out
    named = any(r in out for r in needing)
    report(name, status != 0 and denied and named,
           "status %d, expected AccessDenied at one of %s\n%s" % (status, needing, out))


def apply_unchecked(example, state, url, region):
    """Apply example on a fresh server with IAM not enforced (what is deployed
    before the case starts)."""
    post(url + "/moto-api/reset")
    post(url + "/moto-api/reset-auth", b"inf")
    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_DEFAULT_REGION=region)
    return apply(example, state, url, env)


def case_update():
    name = "policy --against STATE: the change applies with exactly its policy"
    url = SERVERS.get()
    try:
        with tempfile.TemporaryDirectory() as d:
            state = os.path.join(d, "state")
            status, out = apply_unchecked("tests/apply/net.infra", state, url, "ap-northeast-1")
            if status != 0:
                return report(name, False, "the first apply failed\n" + out)
            policy = infrac_json("policy", "--against", state, "tests/apply/net2.infra")
            actions = {a for st in policy["Statement"] for a in listed(st["Action"])}
            if "ec2:CreateVpc" in actions or "ec2:CreateSubnet" not in actions:
                return report(name, False, "unexpected actions: %s" % sorted(actions))
            status, out = apply("tests/apply/net2.infra", state, url, deployer_env(url, policy))
            report(name, status == 0, out)
    finally:
        SERVERS.put(url)


def plan_refresh(example, state, url, env):
    r = subprocess.run([INFRAC, "plan", "--refresh", "--against", state, "--endpoint-url", url,
                        example], capture_output=True, text=True, env=env, timeout=300)
    return r.returncode, r.stdout + r.stderr


def case_refresh():
    name = "policy --refresh: plan --refresh reads with exactly its policy, and not without it"
    example = "examples/network.infra"
    url = SERVERS.get()
    try:
        with tempfile.TemporaryDirectory() as d:
            state = os.path.join(d, "state")
            status, out = apply_unchecked(example, state, url, "eu-central-1")
            if status != 0:
                return report(name, False, "the first apply failed\n" + out)
            with_reads = infrac_json("policy", "--refresh", "--against", state, example)
            status, out = plan_refresh(example, state, url, deployer_env(url, with_reads))
            if status != 0 or "No changes" not in out:
                return report(name, False, "plan --refresh with the policy of --refresh\n" + out)
            without = infrac_json("policy", "--against", state, example)
            status, out = plan_refresh(example, state, url, deployer_env(url, without, "reader"))
            denied = "AccessDenied" in out or "not authorized" in out
            report(name, status != 0 and denied,
                   "plan --refresh without the reads: status %d\n%s" % (status, out))
    finally:
        SERVERS.put(url)


def main():
    cases = [(case_full, (e,)) for e in EXAMPLES] + [(case_update, ()), (case_refresh, ())]
    first = EXAMPLES[0]
    policy = infrac_json("policy", first)
    steps = infrac_json("build", "--emit=api-plan", first)["steps"]
    called = set().union(*(step_actions(s) for s in steps))
    for st in policy["Statement"]:
        if called & set(listed(st["Action"])):
            cases.append((case_without, (first, policy, st["Sid"], steps)))
        else:
            print("skip policy: %s without statement %s (moto does not authorize %s: AWS checks "
                  "it besides the calls)" % (first, st["Sid"], ", ".join(listed(st["Action"]))))
    with tempfile.TemporaryDirectory() as logs:
        procs = []
        for _ in range(2):
            proc, url = start_moto(logs)
            procs.append(proc)
            SERVERS.put(url)
        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
                for (fn, args), f in [(c, pool.submit(c[0], *c[1])) for c in cases]:
                    try:
                        f.result()
                    except Exception:  # a case that breaks is a failure, with why
                        report("policy: %s%s raised" % (fn.__name__, args[:1]), False,
                               traceback.format_exc())
        finally:
            for proc in procs:
                stop(proc)


main()
