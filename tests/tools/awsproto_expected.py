#!/usr/bin/env python3
"""Writes tests/unit/data/awsproto_botocore.json: botocore's serialisation of
requests like those of infrac's API plans (one or more per protocol), and its
parse of responses, for tests/unit/test_awsproto.c to compare with.

Run: python3 tests/tools/awsproto_expected.py > tests/unit/data/awsproto_botocore.json"""
import json

import botocore.session
from botocore import parsers, serialize

REQUESTS = [
    ("ec2", "CreateVpc", {"CidrBlock": "10.0.0.0/16", "TagSpecifications": [
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "net-main"}]}]}),
    ("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": "sg-1", "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
         "UserIdGroupPairs": [{"GroupId": "sg-2"}]}]}),
    ("ec2", "ModifyVpcAttribute", {"VpcId": "vpc-1", "EnableDnsHostnames": {"Value": True}}),
    ("iam", "CreateRole", {"RoleName": "web", "AssumeRolePolicyDocument": "{\"a\": 1}",
                           "Tags": [{"Key": "k", "Value": "v w"}]}),
    ("elbv2", "CreateLoadBalancer", {"Name": "alb", "Subnets": ["subnet-1", "subnet-2"],
                                     "SecurityGroups": ["sg-1"], "Scheme": "internet-facing"}),
    ("rds", "CreateDBInstance", {"DBInstanceIdentifier": "db", "DBInstanceClass": "db.t3.micro",
                                 "Engine": "postgres", "AllocatedStorage": 20, "MultiAZ": True,
                                 "VpcSecurityGroupIds": ["sg-1", "sg-2"],
                                 "MasterUserPassword": "p&ss=word"}),
    ("ecs", "CreateCluster", {"clusterName": "main", "tags": [{"key": "a", "value": "b"}]}),
    ("logs", "PutRetentionPolicy", {"logGroupName": "/x", "retentionInDays": 7}),
    ("route53", "ChangeResourceRecordSets", {"HostedZoneId": "/hostedzone/Z1", "ChangeBatch": {
        "Changes": [{"Action": "CREATE", "ResourceRecordSet": {
            "Name": "api.example.com.", "Type": "A", "AliasTarget": {
                "HostedZoneId": "Z2", "DNSName": "alb.example.com.",
                "EvaluateTargetHealth": False}}}]}}),
    ("route53", "ListHostedZonesByName", {"DNSName": "example.com.", "MaxItems": "1"}),
    ("route53", "DeleteHostedZone", {"Id": "/hostedzone/Z1"}),
]

RESPONSES = [
    ("ec2", "CreateVpc", """<CreateVpcResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
<requestId>r</requestId><vpc><vpcId>vpc-1</vpcId><state>pending</state>
<cidrBlock>10.0.0.0/16</cidrBlock><isDefault>false</isDefault>
<tagSet><item><key>Name</key><value>net-main</value></item></tagSet></vpc></CreateVpcResponse>"""),
    ("ec2", "DescribeInstances", """<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
<reservationSet><item><reservationId>r-1</reservationId><instancesSet><item>
<instanceId>i-1</instanceId><instanceState><code>16</code><name>running</name></instanceState>
<groupSet><item><groupId>sg-1</groupId></item><item><groupId>sg-2</groupId></item></groupSet>
</item></instancesSet></item></reservationSet></DescribeInstancesResponse>"""),
    ("elbv2", "CreateLoadBalancer", """<CreateLoadBalancerResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
<CreateLoadBalancerResult><LoadBalancers><member><LoadBalancerArn>arn:lb</LoadBalancerArn>
<DNSName>alb.example.com</DNSName><CanonicalHostedZoneId>Z2</CanonicalHostedZoneId>
<State><Code>provisioning</Code></State><AvailabilityZones><member><ZoneName>a</ZoneName>
<SubnetId>subnet-1</SubnetId></member></AvailabilityZones></member></LoadBalancers>
</CreateLoadBalancerResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata>
</CreateLoadBalancerResponse>"""),
    ("iam", "CreateRole", """<CreateRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
<CreateRoleResult><Role><Path>/</Path><RoleName>web</RoleName><RoleId>AROA</RoleId>
<Arn>arn:aws:iam::123456789012:role/web</Arn><MaxSessionDuration>3600</MaxSessionDuration>
</Role></CreateRoleResult></CreateRoleResponse>"""),
    ("route53", "CreateHostedZone", """<?xml version="1.0" encoding="UTF-8"?>
<CreateHostedZoneResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZone>
<Id>/hostedzone/Z1</Id><Name>example.com.</Name><CallerReference>c</CallerReference>
<Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount>
</HostedZone><DelegationSet><NameServers><NameServer>ns1</NameServer><NameServer>ns2</NameServer>
</NameServers></DelegationSet></CreateHostedZoneResponse>"""),
]


def main():
    session = botocore.session.get_session()
    out = {"requests": [], "responses": []}
    for svc, op, params in REQUESTS:
        model = session.get_service_model(svc)
        om = model.operation_model(op)
        sent = params
        if svc == "route53":  # botocore's fix_route53_ids, before serialising
            for k in ("HostedZoneId", "Id"):
                if k in sent:
                    sent = dict(sent, **{k: sent[k].replace("/hostedzone/", "")})
        r = serialize.create_serializer(model.metadata["protocol"]).serialize_to_request(sent, om)
        body = r["body"]
        if isinstance(body, dict):
            body = sorted(f"{k}={v}" for k, v in body.items())
        elif isinstance(body, bytes):
            body = body.decode()
        qs = r["query_string"] or {}
        query = sorted(f"{k}={v}" for k, v in qs.items())
        out["requests"].append({"service": svc, "operation": op, "params": params,
                                "method": r["method"], "path": r["url_path"], "query": query,
                                "body": body})
    for svc, op, xml in RESPONSES:
        model = session.get_service_model(svc)
        om = model.operation_model(op)
        parsed = parsers.create_parser(model.metadata["protocol"]).parse(
            {"body": xml.encode(), "headers": {}, "status_code": 200}, om.output_shape)
        parsed.pop("ResponseMetadata", None)
        out["responses"].append({"service": svc, "operation": op, "body": xml, "parsed": parsed})
    print(json.dumps(out, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
