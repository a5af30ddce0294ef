# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fail over the pair and measure it, from the controller (podman exec).

A prober in the client container dials https://VIP:6443/readyz every 0.2 s
for the whole test; HAProxy is stopped on the VIP's holder; the VIP must move
to the other jump host and the prober must be served again; then HAProxy
comes back on the first host and the VIP must stay (nopreempt). Prints one
JSON object with what happened and how long it took.

usage: failover.py VIP CLIENT JUMP [JUMP ...]
"""

import json
import subprocess
import sys
import time

VIP, CLIENT, JUMPS = sys.argv[1], sys.argv[2], sys.argv[3:]
LOG = "/tmp/kalv-probe.log"
PROBE = """
import http.client, ssl, sys, time
ctx = ssl._create_unverified_context()
end = time.time() + float(sys.argv[2])
with open(sys.argv[3], "w", buffering=1) as log:
    while time.time() < end:
        start = time.time()
        try:
            c = http.client.HTTPSConnection(sys.argv[1], 6443, context=ctx, timeout=1)
            c.request("GET", "/readyz")
            ok = c.getresponse().status == 200
        except OSError:
            ok = False
        log.write("%.3f %d\\n" % (start, ok))
        time.sleep(max(0.0, 0.2 - (time.time() - start)))
"""


def sh(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def holders():
    return [j for j in JUMPS if sh("podman", "exec", j, "ip", "-o", "-4", "addr", "show", "to", VIP + "/32").stdout.strip()]


def wait_for(predicate, timeout):
    end = time.time() + timeout
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return None


first = wait_for(lambda: holders() if len(holders()) == 1 else None, 30)
result = {"holder_before": first[0] if first else None}
if first:
    sh("podman", "exec", "-d", CLIENT, "python3", "-c", PROBE, VIP, "30", LOG)
    time.sleep(3)  # some answers before the failure
    stopped = time.time()
    sh("podman", "exec", result["holder_before"], "systemctl", "stop", "haproxy.service")
    moved = wait_for(lambda: [h for h in holders() if h != result["holder_before"]], 20)
    result["holder_after"] = moved[0] if moved else None
    result["vip_moved_seconds"] = round(time.time() - stopped, 2) if moved else None
    time.sleep(5)
    sh("podman", "exec", result["holder_before"], "systemctl", "start", "haproxy.service")
    time.sleep(8)  # longer than the checks' rise and a few adverts
    result["holders_after_return"] = holders()
    time.sleep(2)
    lines = sh("podman", "exec", CLIENT, "cat", LOG).stdout.split()
    probes = [(float(t), ok == "1") for t, ok in zip(lines[::2], lines[1::2])]
    before = [ok for t, ok in probes if t < stopped]
    after = [t for t, ok in probes if t >= stopped and ok]
    failed = [t for t, ok in probes if not ok]
    result.update({
        "probes": len(probes),
        "served_before_stop": all(before) and len(before) > 0,
        "served_after_move": len(after) > 0 and bool(moved) and all(ok for t, ok in probes if t > stopped + result["vip_moved_seconds"] + 1),
        "failed_probes": len(failed),
        "client_outage_seconds": round(max(failed) - min(failed) + 0.2, 2) if failed else 0.0,
    })
print(json.dumps(result))
