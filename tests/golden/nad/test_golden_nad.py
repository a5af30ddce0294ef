# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Golden files of the nad module's rendering, then the real consumer runs them.

Each case: input.yml (the module's `target` and `networks`, plus `pods`: the runtime
config each test pod passes, e.g. the ips of the pod annotation) beside expected.yaml
(NetworkAttachmentDefinitions) or expected.json (CNO additionalNetworks entries).
UPDATE_GOLDEN=1 rewrites them. Every rendered config is then executed by the real CNI
plugin from /usr/lib/cni (ADD, CHECK when cniVersion >= 0.4.0, DEL) in namespaces the
test creates, one pod namespace per `pods` entry, and the pods ping each other.
"""

from __future__ import annotations

import ipaddress
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import golden_files  # tests/golden/golden_files.py (conftest puts it on the path)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cniexec import Lab, addresses, link_exists, run_plugin, sh  # noqa: E402

from ansible_collections.clusternet.fabric.plugins.module_utils.render.nad import render_networks  # noqa: E402


class _Literal(yaml.SafeDumper):
    """Multi-line strings (the CNI JSON) as literal blocks, like `oc get -o yaml` readers expect."""


_Literal.add_representer(str, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:str", v, style="|" if "\n" in v else None))

CASES = sorted(p.name for p in HERE.iterdir() if (p / "input.yml").is_file())


def rendered(case):
    data = yaml.safe_load((HERE / case / "input.yml").read_text())
    return data, render_networks(data["networks"], target=data["target"])


@pytest.mark.parametrize("case", CASES)
def test_rendering_matches_golden(case):
    data, nets = rendered(case)
    objects = [n["object"] for n in nets]
    if data["target"] == "cno":
        path, text = HERE / case / "expected.json", json.dumps(objects, indent=2) + "\n"
    else:
        path, text = HERE / case / "expected.yaml", yaml.dump_all(objects, Dumper=_Literal, sort_keys=False)
    golden_files.check(path, text)


@pytest.mark.parametrize("case", CASES)
def test_real_plugin_runs_golden_config(case):
    data, nets = rendered(case)
    config = nets[0]["config"]  # the exact string the NAD / rawCNIConfig carries
    conf = json.loads(config)
    lab = Lab("g")
    results = []
    pods = []
    node = lab.ns("node")
    try:
        if conf.get("master"):
            # The seed's NIC name, created inside our node namespace only.
            lab.veth(node, conf["master"], "nadpeer")
        for i, runtime in enumerate(data["pods"]):
            pod = lab.ns("pod%d" % i)
            res = run_plugin("ADD", config, node, pod, runtime_config=runtime)
            pods.append((pod, runtime, res))
            got = addresses(pod, "net1")
            assert len(got) == 1, got
            if runtime.get("ips"):
                assert got == runtime["ips"]
            rng = conf["ipam"].get("ranges")
            if rng:
                r = rng[0][0]
                ip = ipaddress.ip_address(got[0].split("/")[0])
                assert ipaddress.ip_address(r["rangeStart"]) <= ip <= ipaddress.ip_address(r["rangeEnd"])
            results.append(got[0].split("/")[0])
            if conf["cniVersion"] >= "0.4.0":
                run_plugin("CHECK", config, node, pod, runtime_config=runtime, prev_result=res)
        # The pods reach each other over the rendered network.
        ping = sh("ip", "netns", "exec", pods[0][0], "ping", "-c", "2", "-W", "2", results[1], check=False)
        assert ping.returncode == 0, ping.stdout + ping.stderr
    finally:
        for pod, runtime, res in pods:
            run_plugin("DEL", config, node, pod, runtime_config=runtime, prev_result=res)
            assert not link_exists(pod, "net1")
        lab.close()
        if conf["ipam"]["type"] == "host-local":
            # host-local keeps its leases under /var/lib/cni/networks/<name>; DEL released them.
            leases = Path("/var/lib/cni/networks") / conf["name"]
            assert not [p for p in leases.glob("*") if p.name[0].isdigit()], list(leases.iterdir())
            subprocess.run(["rm", "-rf", str(leases)], check=False)
