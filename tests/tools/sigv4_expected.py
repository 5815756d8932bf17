#!/usr/bin/env python3
"""Writes tests/unit/data/sigv4_botocore.txt: botocore's canonical request,
string to sign and signature for requests like those infrac sends (one per
protocol), at a fixed time, for tests/unit/test_sigv4.c to compare with.

Each case: a line "case NAME", the request's fields one per line
(method, path, query, region, service, then "header NAME: VALUE" lines and
"payload" followed by the body's length and the body), then botocore's
"canonical", "sts" (each as a length and the text) and "signature" lines.
Run: python3 tests/tools/sigv4_expected.py > tests/unit/data/sigv4_botocore.txt"""
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AMZ_DATE = "20150830T123600Z"
CREDS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

CASES = [
    ("ec2-query", "POST", "https://ec2.us-east-1.amazonaws.com/", "", "us-east-1", "ec2",
     [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
     "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16"
     "&TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=Name"
     "&TagSpecification.1.Tag.1.Value=main"),
    ("iam-query", "POST", "https://iam.amazonaws.com/", "", "us-east-1", "iam",
     [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
     "Action=CreateRole&Version=2010-05-08&RoleName=web"
     "&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22%7D"),
    ("ecs-json", "POST", "https://ecs.eu-west-1.amazonaws.com/", "", "eu-west-1", "ecs",
     [("Content-Type", "application/x-amz-json-1.1"),
      ("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.CreateCluster")],
     '{"clusterName": "main"}'),
    ("route53-rest-xml-get", "GET",
     "https://route53.amazonaws.com/2013-04-01/hostedzonesbyname?dnsname=example.com.&maxitems=1",
     "dnsname=example.com.&maxitems=1", "us-east-1", "route53", [], ""),
    ("route53-rest-xml-post", "POST",
     "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset/", "",
     "us-east-1", "route53", [],
     '<?xml version="1.0" encoding="UTF-8"?>\n<ChangeResourceRecordSetsRequest '
     'xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change>'
     '<Action>CREATE</Action></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>'),
    ("session-token", "POST", "https://logs.cn-north-1.amazonaws.com.cn/", "", "cn-north-1",
     "logs",
     [("Content-Type", "application/x-amz-json-1.1"),
      ("X-Amz-Target", "Logs_20140328.CreateLogGroup"),
      ("X-Amz-Security-Token", "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==")],
     '{"logGroupName": "/infrac/web"}'),
]


def text(out, tag, s):
    data = s.encode()
    out.write(f"{tag} {len(data)}\n")
    out.write(s)
    out.write("\n")


def main():
    out = sys.stdout
    for name, method, url, query, region, service, headers, body in CASES:
        host = url.split("/")[2]
        req = AWSRequest(method=method, url=url, data=body.encode())
        req.headers["Host"] = host
        for k, v in headers:
            req.headers[k] = v
        req.headers["X-Amz-Date"] = AMZ_DATE
        req.context["timestamp"] = AMZ_DATE
        auth = SigV4Auth(CREDS, service, region)
        canonical = auth.canonical_request(req)
        sts = auth.string_to_sign(req, canonical)
        sig = auth.signature(sts, req)
        path = url.split(host, 1)[1].split("?", 1)[0]
        out.write(f"case {name}\n{method}\n{path}\n{query}\n{region}\n{service}\n")
        for k, v in list(headers) + [("Host", host), ("X-Amz-Date", AMZ_DATE)]:
            out.write(f"header {k}: {v}\n")
        text(out, "payload", body)
        text(out, "canonical", canonical)
        text(out, "sts", sts)
        out.write(f"signature {sig}\n")


if __name__ == "__main__":
    main()
