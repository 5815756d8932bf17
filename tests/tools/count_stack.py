#!/usr/bin/env python3
"""What a stack of tests/apply/net.infra's shape has on an AWS endpoint,
counted with describe calls by its infrac:stack tag (and its log group by
name), for the kill tests of apply: one line, "vpc=1 subnet=4 ...". With a
state file, also whether the IDs the state recorded are the ones found.

usage: count_stack.py ENDPOINT STACK [STATE]"""
import json
import sys

import boto3

url, stack = sys.argv[1], sys.argv[2]
ec2 = boto3.client("ec2", endpoint_url=url, region_name="ap-northeast-1")
logs = boto3.client("logs", endpoint_url=url, region_name="ap-northeast-1")
tag = [{"Name": "tag:infrac:stack", "Values": [stack]}]
vpcs = ec2.describe_vpcs(Filters=tag)["Vpcs"]
subnets = ec2.describe_subnets(Filters=tag)["Subnets"]
igws = ec2.describe_internet_gateways(Filters=tag)["InternetGateways"]
eips = ec2.describe_addresses(Filters=tag)["Addresses"]
# moto's DescribeNatGateways ignores tag filters: checked here
nats = [n for n in ec2.describe_nat_gateways(Filter=tag)["NatGateways"] if n["State"] != "deleted"
        and {"Key": "infrac:stack", "Value": stack} in n.get("Tags", [])]
rtbs = ec2.describe_route_tables(Filters=tag)["RouteTables"]
assocs = [a for t in rtbs for a in t.get("Associations", []) if a.get("SubnetId")]
routes = [r for t in rtbs for r in t.get("Routes", []) if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
sgs = ec2.describe_security_groups(Filters=tag)["SecurityGroups"]
perms = sum(len(g["IpPermissions"]) for g in sgs)
groups = logs.describe_log_groups(logGroupNamePrefix="/infrac/%s/" % stack)["logGroups"]
attached = sum(1 for g in igws for a in g.get("Attachments", []))
out = ("vpc=%d subnet=%d igw=%d attached=%d eip=%d nat=%d rtb=%d assoc=%d route=%d sg=%d rules=%d logs=%d"
       % (len(vpcs), len(subnets), len(igws), attached, len(eips), len(nats), len(rtbs), len(assocs),
          len(routes), len(sgs), perms, len(groups)))
if len(sys.argv) > 3:
    state = json.load(open(sys.argv[3]))
    ids = {"MainVpc": [v["VpcId"] for v in vpcs], "NatNatGateway": [n["NatGatewayId"] for n in nats],
           "IgwInternetGateway": [g["InternetGatewayId"] for g in igws]}
    for logical, found in ids.items():
        got = state["resources"].get(logical, {}).get("captures", {}).get("id")
        if [got] != found:
            out += " state:%s=%s,live=%s" % (logical, got, found)
print(out)
