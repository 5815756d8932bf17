"""A small LSP client over a child process's stdin/stdout (stdlib only), for
the tests (tests/lsp/client.py) and the benchmark (bench/lsp_latency.py)."""
import json
import os
import select
import subprocess
import tempfile
import time


class Server:
    def __init__(self, cmd, env=None):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, env=env)
        self.buf = b""
        self.next_id = 1
        self.notes = []  # notifications read while waiting for something else

    # ---- writing ----
    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj).encode() if not isinstance(obj, bytes) else obj
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def request_async(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return rid

    def request(self, method, params=None, timeout=10):
        return self.response(self.request_async(method, params), timeout)

    # ---- reading ----
    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no message from the server in time")
        r, _, _ = select.select([self.proc.stdout], [], [], left)
        if not r:
            raise TimeoutError("no message from the server in time")
        chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
        if not chunk:
            raise EOFError("the server closed its output")
        self.buf += chunk

    def read(self, timeout=10):
        """The next message from the server, as a dict."""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        length = None
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None:
            raise ValueError("a message without Content-Length: %r" % head)
        self.buf = rest
        while len(self.buf) < length:
            self._fill(deadline)
        body, self.buf = self.buf[:length], self.buf[length:]
        return json.loads(body.decode("utf-8"))

    def response(self, rid, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            msg = self.read(max(0.01, deadline - time.monotonic()))
            if "method" not in msg and msg.get("id") == rid:
                return msg
            self.notes.append(msg)

    def notification(self, method, pred=lambda p: True, timeout=10):
        """The first notification `method` whose params satisfy pred, from
        those already read or the next ones."""
        for i, m in enumerate(self.notes):
            if m.get("method") == method and pred(m.get("params")):
                del self.notes[i]
                return m["params"]
        deadline = time.monotonic() + timeout
        while True:
            msg = self.read(max(0.01, deadline - time.monotonic()))
            if msg.get("method") == method and pred(msg.get("params")):
                return msg["params"]
            self.notes.append(msg)

    def diagnostics(self, uri, version=None, timeout=10):
        return self.notification(
            "textDocument/publishDiagnostics",
            lambda p: p["uri"] == uri and (version is None or p.get("version") == version),
            timeout)["diagnostics"]

    def quiet(self, wait=0.3):
        """Messages that arrive within `wait` seconds (nothing expected)."""
        got = list(self.notes)
        self.notes = []
        try:
            while True:
                got.append(self.read(wait))
        except TimeoutError:
            pass
        return got

    def wait(self, timeout=10):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        self.stderr.close()


def uri_of(path):
    return "file://" + os.path.abspath(path)


def initialize(server, root=None, options=None):
    params = {"processId": os.getpid(), "rootUri": uri_of(root) if root else None,
              "capabilities": {"textDocument": {"rename": {"prepareSupport": True}}}}
    if options is not None:
        params["initializationOptions"] = options
    r = server.request("initialize", params)
    server.notify("initialized", {})
    return r
