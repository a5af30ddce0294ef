# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""The thin module: its argument spec matches the renderer's keys and the docs."""

from __future__ import annotations

import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils.render import machineconfig as mc
from ansible_collections.clusternet.fabric.plugins.module_utils.runners import machineconfig as runner
from ansible_collections.clusternet.fabric.plugins.modules import machineconfig as module


def test_item_options_are_the_renderer_keys():
    spec = module.argument_spec()
    assert set(spec["machineconfigs"]["options"]) == set(mc.MC_KEYS)
    assert set(mc.MC_KEYS) - {"name"} <= set(spec)


def test_documented_options_match_the_argument_spec():
    doc = yaml.safe_load(module.DOCUMENTATION)["options"]
    spec = module.argument_spec()
    assert set(spec) == set(doc)
    for name in ("files", "units", "routes", "machineconfigs"):
        assert set(spec[name]["options"]) == set(doc[name]["suboptions"])


def test_specs_from_params_single_and_many():
    params = {"name": "99-worker-a", "role": "worker", "labels": None, "files": None, "units": None,
              "kernel_arguments": None, "kernel_type": None, "routes": None, "machineconfigs": None}
    assert runner.specs_from_params(params) == [{k: params[k] for k in mc.MC_KEYS}]
    many = dict(params, name=None, machineconfigs=[{"name": "99-worker-b", "role": "worker", "files": None}])
    assert runner.specs_from_params(many) == [{"name": "99-worker-b", "role": "worker", "files": None}]
