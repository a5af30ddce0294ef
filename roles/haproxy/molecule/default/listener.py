# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Stand-in for the OpenShift nodes behind the load balancer. On each node
# address of the map (bound one by one: every server is its own listener),
# 6443 and 22623 speak HTTPS (/readyz -> 200 "ok"), 443 HTTPS and 80 HTTP.
# Every response names the node whose address was dialled, so a test can see
# which server HAProxy picked.
import json
import socket
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAMES = json.load(open(sys.argv[1]))  # {"10.231.77.21": "master-0", ...}
CERT, KEY = sys.argv[2], sys.argv[3]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        node = NAMES.get(self.connection.getsockname()[0], "unknown")
        body = ("ok" if self.path == "/readyz" else node).encode() + b"\n"
        self.send_response(200)
        self.send_header("X-Node", node)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def serve(address, port, tls):
    server = (Server6 if ":" in address else ThreadingHTTPServer)((address, port), Handler)
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(CERT, KEY)
        # Handshake in the handler thread, not in accept(): a stuck client blocks nothing.
        server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    server.serve_forever()


threads = [threading.Thread(target=serve, args=(a, p, t), daemon=True)
           for a in NAMES for p, t in ((6443, True), (22623, True), (443, True), (80, False))]
for t in threads:
    t.start()
for t in threads:
    t.join()
