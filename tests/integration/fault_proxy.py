# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fault-injecting HTTPS proxy in front of the test kube-apiserver (tests only).

It listens on 127.0.0.1 with the API server's own certificate (valid for
127.0.0.1), so a client trusts it with the same CA file, and forwards every
request to the real server, except those a rule picks:

    proxy.add("503", method="PATCH", path="/machineconfigs/", nth=2, times=1)

``fault``: "503", "500", "429" (with ``retry_after`` seconds), "reset" (the
connection is closed with a TCP RST, no answer), "stall" (no answer for
``stall`` seconds, then the connection is closed), "gone" (the proxy stops
listening: every later connection is refused, as if the API server had
stopped; the matching request itself is reset), "forward" (forwarded as
usual, after ``action``).  ``action``: a callable run when the rule fires,
before its fault (e.g. stop the real API server).  ``nth``: the first
matching request that faults (1 = the first); ``times``: how many in a row
(None = all later ones).  ``dry_run``: True/False to match only dry runs or
only real writes.  ``log`` records (method, path, dry_run, outcome).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import struct
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = ("connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "content-length")


class Rule:
    def __init__(self, fault, method=None, path=None, dry_run=None, nth=1, times=1, retry_after=None, stall=60.0,
                 action=None):
        self.fault, self.method, self.path, self.dry_run, self.action = fault, method, path, dry_run, action
        self.nth, self.times, self.retry_after, self.stall = nth, times, retry_after, stall
        self.seen = 0
        self.fired = 0

    def matches(self, method, path, dry_run):
        if self.method and method != self.method:
            return False
        if self.path and self.path not in path:
            return False
        if self.dry_run is not None and dry_run != self.dry_run:
            return False
        self.seen += 1
        if self.seen < self.nth or (self.times is not None and self.fired >= self.times):
            return False
        self.fired += 1
        return True


class FaultProxy:
    def __init__(self, upstream, certfile, keyfile, cafile):
        parsed = urllib.parse.urlsplit(upstream)
        self.upstream = (parsed.hostname, parsed.port)
        self.upstream_ctx = ssl.create_default_context(cafile=cafile)
        self.server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server_ctx.load_cert_chain(certfile, keyfile)
        self.rules, self.log = [], []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = None
        self.thread = None
        self.port = None

    @property
    def host(self):
        return "https://127.0.0.1:%d" % self.port

    def add(self, fault, **kw):
        with self.lock:
            self.rules.append(Rule(fault, **kw))

    def clear(self):
        with self.lock:
            self.rules, self.log = [], []

    def start(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _any(self):
                proxy.handle(self)

            do_GET = do_PATCH = do_PUT = do_POST = do_DELETE = do_HEAD = _any

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def get_request(self):
                sock, addr = self.socket.accept()
                return proxy.server_ctx.wrap_socket(sock, server_side=True), addr

            def handle_error(self, request, client_address):  # resets and stalls end connections rudely
                pass

        self.server = Server(("127.0.0.1", self.port or 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        self.stopping.clear()

    # -- one request -------------------------------------------------------
    def handle(self, h):
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else None
        parsed = urllib.parse.urlsplit(h.path)
        query = urllib.parse.parse_qs(parsed.query)
        dry_run = query.get("dryRun") == ["All"] or (body is not None and b'"dryRun"' in body and b'"All"' in body)
        with self.lock:
            rule = next((r for r in self.rules if r.matches(h.command, parsed.path, dry_run)), None)
        outcome = rule.fault if rule else "forwarded"
        with self.lock:
            self.log.append((h.command, parsed.path, dry_run, outcome))
        if rule is not None and rule.action is not None:
            rule.action()
        if rule is None or rule.fault == "forward":
            return self.forward(h, body)
        if rule.fault in ("503", "500", "429"):
            payload = b'{"kind":"Status","apiVersion":"v1","status":"Failure","message":"injected %s","code":%s}' % (
                rule.fault.encode(), rule.fault.encode())
            h.send_response(int(rule.fault))
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(payload)))
            if rule.retry_after is not None:
                h.send_header("Retry-After", str(rule.retry_after))
            h.end_headers()
            h.wfile.write(payload)
            return None
        if rule.fault == "stall":
            self.stopping.wait(rule.stall)
        if rule.fault == "gone":
            threading.Thread(target=self.stop, daemon=True).start()
        # reset (and the end of a stall, and gone): close with RST, no answer
        return self.reset(h)

    @staticmethod
    def reset(h):
        h.close_connection = True
        try:
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
        except OSError:
            pass
        return None

    def forward(self, h, body):
        conn = http.client.HTTPSConnection(self.upstream[0], self.upstream[1], context=self.upstream_ctx, timeout=60)
        headers = {k: v for k, v in h.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            conn.request(h.command, h.path, body=body, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
        except OSError:
            # the server is not there (refused, reset): the client's connection is reset,
            # as a TCP load balancer in front of the API (HAProxy on the jump host) does
            return self.reset(h)
        finally:
            conn.close()
        h.send_response(resp.status, resp.reason)
        for key, value in resp.getheaders():
            if key.lower() not in HOP_BY_HOP:
                h.send_header(key, value)
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)
