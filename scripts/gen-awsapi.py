#!/usr/bin/env python3
"""Generates backends/awsapi_data.c: what infrac needs of botocore's models
to make the AWS calls of its API plans itself (backends/awscall.c).

Exactly the operations backends/apiplan*.c, apply.c, awsread.c and
awsdiscover.c name (their string literals that are operations of the
services they name), the operations of the waiters it
names (snake_case, as the AWS CLI's `wait` subcommands), and the shapes
these reach: for each service the endpoint prefix, signing name, protocol,
API version and JSON target prefix; for each operation its idempotency
token member (filled with a fresh UUID when the plan gives none); for each shape how the protocol writes
and reads it (member names, locationName, queryName, flattened lists, the
REST location of a member); the waiters' acceptors; and the partitions and
global endpoints of botocore's endpoints.json.

Run: python3 scripts/gen-awsapi.py > backends/awsapi_data.c
(botocore installed: pip install botocore; the output names its version)."""
import glob
import json
import os
import re

import botocore
import botocore.session

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PROTOCOLS = {"query": "AWS_QUERY", "ec2": "AWS_EC2", "json": "AWS_JSON",
             "rest-xml": "AWS_REST_XML"}
TYPES = {"structure": "AT_STRUCT", "list": "AT_LIST", "map": "AT_MAP", "string": "AT_STRING",
         "integer": "AT_INT", "long": "AT_INT", "boolean": "AT_BOOL", "double": "AT_DOUBLE",
         "float": "AT_DOUBLE", "timestamp": "AT_TIME", "blob": "AT_BLOB"}
LOCATIONS = {None: "AL_BODY", "uri": "AL_URI", "querystring": "AL_QUERY", "header": "AL_HEADER",
             "headers": "AL_HEADER", "statusCode": "AL_STATUS"}
STATES = {"success": "AW_SUCCESS", "failure": "AW_FAILURE", "retry": "AW_RETRY"}
MATCHERS = {"path": "AM_PATH", "pathAll": "AM_PATH_ALL", "pathAny": "AM_PATH_ANY",
            "error": "AM_ERROR", "status": "AM_STATUS"}


def c(s):
    return "NULL" if s is None else json.dumps(s)


def snake(name):
    return botocore.xform_name(name)


def main():
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    src = "".join(open(os.path.join(ROOT, f)).read()
                  for f in sorted(glob.glob(os.path.join(ROOT, "backends", "apiplan*.c")))
                  + ["backends/apply.c", "backends/awsread.c", "backends/awsdiscover.c"])
    literals = set(re.findall(r'"([A-Za-z0-9_-]+)"', src))
    services = sorted(literals & set(session.get_available_services()))

    shapes, shape_index, members = [], {}, []
    service_rows, op_rows, waiter_rows, acceptor_rows = [], [], [], []

    def shape(model, name):
        key = (model["metadata"]["endpointPrefix"], name)
        if key in shape_index:
            return shape_index[key]
        shape_index[key] = len(shapes)
        row = {}
        shapes.append(row)
        s = model["shapes"][name]
        row["type"] = TYPES[s["type"]]
        row["name"] = name
        if s["type"] == "structure":
            mine = []
            for mname, m in s.get("members", {}).items():
                mine.append((mname, shape(model, m["shape"]), m.get("locationName"),
                             m.get("queryName"), LOCATIONS[m.get("location")],
                             bool(m.get("flattened") or model["shapes"][m["shape"]].get(
                                 "flattened"))))
            row["first"], row["n"] = len(members), len(mine)
            members.extend(mine)
        elif s["type"] == "list":
            row["member"] = shape(model, s["member"]["shape"])
            row["member_loc"] = s["member"].get("locationName")
            row["flattened"] = bool(s.get("flattened"))
        elif s["type"] == "map":
            row["key"] = shape(model, s["key"]["shape"])
            row["value"] = shape(model, s["value"]["shape"])
        return row and shape_index[key]

    for si, svc in enumerate(services):
        model = loader.load_service_model(svc, "service-2")
        md = model["metadata"]
        service_rows.append((svc, md["endpointPrefix"], md.get("signingName",
                             md["endpointPrefix"]), PROTOCOLS[md["protocol"]], md["apiVersion"],
                             md.get("targetPrefix"), md.get("jsonVersion")))
        try:
            waiters = loader.load_service_model(svc, "waiters-2")["waiters"]
        except Exception:
            waiters = {}
        used_waiters = {w: spec for w, spec in waiters.items() if snake(w) in literals}
        ops = sorted((set(model["operations"]) & literals) |
                     {spec["operation"] for spec in used_waiters.values()})
        for op in ops:
            o = model["operations"][op]
            inp, out = o.get("input"), o.get("output")
            takes = model["shapes"][inp["shape"]].get("members", {}) if inp else {}
            token = next((k for k, m in takes.items() if m.get("idempotencyToken")), None)
            op_rows.append((si, op, o["http"]["method"], o["http"]["requestUri"],
                            shape(model, inp["shape"]) if inp else -1,
                            shape(model, out["shape"]) if out else -1,
                            out.get("resultWrapper") if out else None,
                            inp.get("locationName") if inp else None,
                            (inp.get("xmlNamespace") or {}).get("uri") if inp else None,
                            token))
        for w, spec in sorted(used_waiters.items()):
            op_i = next(i for i, r in enumerate(op_rows) if r[0] == si and r[1] == spec["operation"])
            first = len(acceptor_rows)
            for a in spec["acceptors"]:
                acceptor_rows.append((STATES[a["state"]], MATCHERS[a["matcher"]],
                                      a.get("argument"), json.dumps(a["expected"])))
            waiter_rows.append((svc, snake(w), op_i, spec["delay"], spec["maxAttempts"], first,
                                len(acceptor_rows) - first))

    endpoints = loader.load_data("endpoints")
    partitions, globals_ = [], []
    for part in endpoints["partitions"]:
        partitions.append((part["partition"], part["dnsSuffix"], sorted(part["regions"])))
        for svc, spec in part["services"].items():
            if svc in {r[1] for r in service_rows} and spec.get("isRegionalized") is False:
                ep = spec["partitionEndpoint"]
                e = spec["endpoints"][ep]
                host = e.get("hostname") or f"{svc}.{part['dnsSuffix']}"
                globals_.append((part["partition"], svc, host,
                                 e.get("credentialScope", {}).get("region", ep)))

    out = []
    w = out.append
    w(f"/* Generated by scripts/gen-awsapi.py from botocore {botocore.__version__}: do not edit. */")
    w('#include "awsapi.h"\n')
    w("const AwsService aws_services[] = {")
    for r in service_rows:
        w("    {%s}," % ", ".join([c(r[0]), c(r[1]), c(r[2]), r[3], c(r[4]), c(r[5]), c(r[6])]))
    w("};")
    w(f"const int aws_nservices = {len(service_rows)};\n")
    w("const AwsApiShape aws_shapes[] = {")
    for s in shapes:
        w("    {%s, %s, %d, %d, %d, %s, %d, %d, %d}," % (
            s["type"], c(s["name"]), s.get("first", 0), s.get("n", 0), s.get("member", -1),
            c(s.get("member_loc")), int(s.get("flattened", False)), s.get("key", -1),
            s.get("value", -1)))
    w("};\n")
    w("const AwsMember aws_members[] = {")
    for m in members:
        w("    {%s, %d, %s, %s, %s, %d}," % (c(m[0]), m[1], c(m[2]), c(m[3]), m[4], int(m[5])))
    w("};\n")
    w("const AwsOperation aws_operations[] = {")
    for r in op_rows:
        w("    {%d, %s, %s, %s, %d, %d, %s, %s, %s, %s}," % (
            r[0], c(r[1]), c(r[2]), c(r[3]), r[4], r[5], c(r[6]), c(r[7]), c(r[8]), c(r[9])))
    w("};")
    w(f"const int aws_noperations = {len(op_rows)};\n")
    w("const AwsAcceptor aws_acceptors[] = {")
    for r in acceptor_rows:
        w("    {%s, %s, %s, %s}," % (r[0], r[1], c(r[2]), c(r[3])))
    w("};\n")
    w("const AwsWaiter aws_waiters[] = {")
    for r in waiter_rows:
        w("    {%s, %s, %d, %d, %d, %d, %d}," % (c(r[0]), c(r[1]), r[2], r[3], r[4], r[5], r[6]))
    w("};")
    w(f"const int aws_nwaiters = {len(waiter_rows)};\n")
    w("static const char *const regions_of[][%d] = {" % (1 + max(len(p[2]) for p in partitions)))
    for p in partitions:
        w("    {%s, NULL}," % ", ".join(c(r) for r in p[2]))
    w("};")
    w("const AwsPartition aws_partitions[] = {")
    for i, p in enumerate(partitions):
        w("    {%s, %s, regions_of[%d]}," % (c(p[0]), c(p[1]), i))
    w("};")
    w(f"const int aws_npartitions = {len(partitions)};\n")
    w("const AwsGlobalEndpoint aws_globals[] = {")
    for g in globals_:
        w("    {%s}," % ", ".join(c(x) for x in g))
    w("};")
    w(f"const int aws_nglobals = {len(globals_)};")
    print("\n".join(out))


if __name__ == "__main__":
    main()
