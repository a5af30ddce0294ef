# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""python3 lab-cni-attach.py ADD|DEL CONFIG NETNS IFNAME [ADDRESS/PREFIX]

Runs a secondary network's CNI config the way Multus does for a pod: the
plugin binary from /usr/lib/cni, the pod's network namespace (created on ADD,
deleted on DEL), the interface name, and the addresses the pod annotation asks
for as runtimeConfig "ips" (when the config has the ips capability).
Prints the plugin's result; exits with the plugin's status.
"""

import json
import os
import subprocess
import sys

CNI_PATH = "/usr/lib/cni"


def main():
    command, config_file, netns, ifname = sys.argv[1:5]
    address = sys.argv[5] if len(sys.argv) > 5 else None
    with open(config_file, encoding="utf-8") as handle:
        config = json.load(handle)
    if address and config.get("capabilities", {}).get("ips"):
        config["runtimeConfig"] = {"ips": [address]}
    netns_path = "/var/run/netns/" + netns
    if command == "ADD" and not os.path.exists(netns_path):
        subprocess.run(["ip", "netns", "add", netns], check=True)
    env = dict(os.environ, CNI_COMMAND=command, CNI_CONTAINERID="verify-" + netns,
               CNI_NETNS=netns_path, CNI_IFNAME=ifname, CNI_PATH=CNI_PATH)
    plugin = os.path.join(CNI_PATH, config["type"])
    result = subprocess.run([plugin], input=json.dumps(config), env=env, capture_output=True,
                            text=True, check=False)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if command == "DEL" and os.path.exists(netns_path):
        subprocess.run(["ip", "netns", "del", netns], check=True)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
