#!/usr/bin/env python3
"""A slow way to an AWS endpoint, for the kill tests of apply: listens on a
free loopback port (printed on stdout), forwards each request to UPSTREAM
at once and holds its answer DELAY seconds, so that a kill lands during
calls: after AWS has done what was asked, before the caller knows.
GET /__busy answers how many requests are on their way upstream: a test
waits for 0 before it resumes a killed run, as AWS would have done by then
what that run asked.

With ACTION N CODE, the first N requests of the (query or ec2 protocol)
action ACTION are answered with the EC2 error CODE instead (400), as a
resource made a moment ago that the endpoint cannot see yet. With CODE
`incomplete`, the first N answers to the (json protocol) operation ACTION
come without their "ResourceRecord" members, as ACM's DescribeCertificate
answers before it has made a certificate's DNS validation record.

usage: slow_proxy.py UPSTREAM DELAY [ACTION N CODE]"""
import http.client
import json
import http.server
import sys
import threading
import time
import urllib.parse

UP = urllib.parse.urlparse(sys.argv[1])
DELAY = float(sys.argv[2])
FAIL = sys.argv[3:6]
failed = [0]
busy = [0]
lock = threading.Lock()


def without(v, key):
    """v with every member named key left out, at any depth."""
    if isinstance(v, dict):
        return {k: without(x, key) for k, x in v.items() if k != key}
    if isinstance(v, list):
        return [without(x, key) for x in v]
    return v


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        if self.path == "/__busy":
            data = str(busy[0]).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        with lock:
            busy[0] += 1
        try:
            self.forward_counted()
        finally:
            with lock:
                busy[0] -= 1

    def forward_counted(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        target = self.headers.get("X-Amz-Target", "")
        strip = False
        if FAIL and FAIL[2] == "incomplete" and target.endswith("." + FAIL[0]):
            with lock:
                strip = failed[0] < int(FAIL[1])
                failed[0] += strip
        elif FAIL and ("Action=%s&" % FAIL[0]).encode() in body + b"&" and failed[0] < int(FAIL[1]):
            failed[0] += 1
            err = ("<Response><Errors><Error><Code>%s</Code><Message>injected</Message></Error>"
                   "</Errors><RequestID>x</RequestID></Response>" % FAIL[2]).encode()
            self.send_response(400)
            self.send_header("Content-Length", str(len(err)))
            self.end_headers()
            self.wfile.write(err)
            return
        conn = http.client.HTTPConnection(UP.hostname, UP.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        headers["Host"] = self.headers.get("Host", "")
        conn.request(self.command, self.path, body, headers)
        r = conn.getresponse()
        data = r.read()
        if strip:
            data = json.dumps(without(json.loads(data), "ResourceRecord")).encode()
        time.sleep(DELAY)
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "content-length", "connection"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = forward


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a caller killed mid-answer: nothing to say


srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
