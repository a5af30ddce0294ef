"""Stand-ins for what a cluster node serves behind the jump host's HAProxy.

6443 answers GET /readyz with 200 over TLS (the API health check), 22623 and
443 speak TLS (machine-config server, ingress), 80 plain HTTP. Each reply names
the node, so a client sees which backend HAProxy picked.
"""
import http.server
import os
import socket
import ssl
import subprocess
import threading

CERT = "/etc/lab-listeners.pem"


class Reply(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("ok\n" if self.path == "/readyz" else "%s\n" % socket.gethostname()).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(port, tls):
    server = http.server.ThreadingHTTPServer(("", port), Reply)
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(CERT)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if not os.path.exists(CERT):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
         "-subj", "/CN=%s" % socket.gethostname(), "-keyout", CERT, "-out", CERT],
        check=True, capture_output=True)
threads = [threading.Thread(target=serve, args=args, daemon=True)
           for args in ((6443, True), (22623, True), (443, True), (80, False))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
