# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Unit tests of plugins/module_utils/machineconfig.py: one test per MCO rule."""

from __future__ import annotations

import base64
import copy
import gzip

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render import machineconfig as mc
from ansible_collections.clusternet.fabric.plugins.module_utils.runners import machineconfig as runner

UNIT = "[Unit]\nDescription=x\n\n[Service]\nType=oneshot\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n"


def spec(**kw):
    out = {"name": "99-worker-test", "role": "worker"}
    out.update(kw)
    return out


def render(**kw):
    return mc.render_machineconfig(spec(**kw), "4.14")


def fails(match, **kw):
    with pytest.raises(checks.InputError, match=match):
        render(**kw)


# -- Ignition version table ----------------------------------------------------

@pytest.mark.parametrize("version, ignition", [
    ("4.6", "3.1.0"), ("4.7", "3.2.0"), ("4.10.3", "3.2.0"), ("4.13", "3.2.0"), ("4.14", "3.4.0"),
    ("4.18.1", "3.4.0"), ("4.19", "3.5.0"), ("4.22", "3.5.0"), (None, "3.5.0"), ("", "3.5.0"),
])
def test_ignition_version_table(version, ignition):
    assert mc.ignition_version_for(version) == ignition


@pytest.mark.parametrize("version", ["4.5", "3.11", "four", "4"])
def test_ignition_version_refuses_unknown_release(version):
    with pytest.raises(checks.InputError, match="openshift_version is '%s'" % version):
        mc.ignition_version_for(version)


def test_rendered_object_shape():
    obj = render(files=[{"path": "/etc/motd", "contents": "hi\n"}],
                 units=[{"name": "a.service", "enabled": True, "contents": UNIT,
                         "dropins": [{"name": "10-a.conf", "contents": "[Service]\nEnvironment=A=1\n"}]}],
                 kernel_arguments=["nosmt"], kernel_type="realtime")
    assert obj["apiVersion"] == "machineconfiguration.openshift.io/v1"
    assert obj["kind"] == "MachineConfig"
    assert obj["metadata"] == {"name": "99-worker-test",
                               "labels": {"machineconfiguration.openshift.io/role": "worker"}}
    config = obj["spec"]["config"]
    assert config["ignition"] == {"version": "3.4.0"}
    assert config["storage"]["files"] == [{
        "path": "/etc/motd", "mode": 0o644, "overwrite": True,
        "contents": {"source": "data:text/plain;charset=utf-8;base64," + base64.b64encode(b"hi\n").decode()}}]
    assert config["systemd"]["units"][0]["dropins"] == [{"name": "10-a.conf", "contents": "[Service]\nEnvironment=A=1\n"}]
    assert obj["spec"]["kernelArguments"] == ["nosmt"]
    assert obj["spec"]["kernelType"] == "realtime"


def test_binary_contents_as_plain_data_url():
    obj = render(files=[{"path": "/etc/blob", "contents_base64": "AAEC"}])
    source = obj["spec"]["config"]["storage"]["files"][0]["contents"]["source"]
    assert source == "data:;base64,AAEC"
    assert mc.decode_data_url(source) == b"\x00\x01\x02"


def test_empty_sections_are_left_out():
    obj = render(kernel_arguments=["nosmt"])
    assert obj["spec"]["config"] == {"ignition": {"version": "3.4.0"}}


# -- MCO rules, one test each ------------------------------------------------------

@pytest.mark.parametrize("path", ["etc/motd", "relative"])
def test_rule_path_absolute(path):
    fails("not an absolute path", files=[{"path": path, "contents": "x"}])


@pytest.mark.parametrize("path", ["/etc/../motd", "/etc//motd", "/etc/motd/", "/etc/./motd", "//etc/motd", "/"])
def test_rule_path_clean(path):
    fails("not a clean path|a file path, not ./.", files=[{"path": path, "contents": "x"}])


@pytest.mark.parametrize("mode", [0o1777, 0o4755, 0o2755, "4755", "1644", 0o10000])
def test_rule_mode_no_special_bits(mode):
    fails("setuid, setgid and sticky", files=[{"path": "/etc/x", "contents": "x", "mode": mode}])


@pytest.mark.parametrize("mode, expected", [("0644", 0o644), ("755", 0o755), (0o600, 0o600), (420, 0o644), (None, 0o644), ("0o700", 0o700)])
def test_mode_forms(mode, expected):
    obj = render(files=[{"path": "/etc/x", "contents": "x", "mode": mode}])
    assert obj["spec"]["config"]["storage"]["files"][0]["mode"] == expected


@pytest.mark.parametrize("mode", ["rw-r--r--", "0899", True, "-1"])
def test_mode_malformed(mode):
    fails("mode", files=[{"path": "/etc/x", "contents": "x", "mode": mode}])


def test_rule_overwrite_needs_contents():
    fails(r"overwrite: true needs contents", files=[{"path": "/etc/x"}])
    fails(r"overwrite: true needs contents", files=[{"path": "/etc/x", "overwrite": True}])
    obj = render(files=[{"path": "/etc/x", "overwrite": False}])
    assert obj["spec"]["config"]["storage"]["files"][0] == {"path": "/etc/x", "mode": 0o644, "overwrite": False}


def test_rule_defaults_mode_0644_overwrite_true():
    item = render(files=[{"path": "/etc/x", "contents": ""}])["spec"]["config"]["storage"]["files"][0]
    assert (item["mode"], item["overwrite"]) == (0o644, True)


@pytest.mark.parametrize("name", ["hello", "hello.conf", "hello.servic", ".service", "a/b.service"])
def test_rule_unit_name_suffix(name):
    fails("unit name|without '/'", units=[{"name": name, "contents": UNIT}])


@pytest.mark.parametrize("name", ["a.service", "b.timer", "c.socket", "d.mount", "e.path", "f.target", "g.slice"])
def test_unit_name_suffix_accepted(name):
    render(units=[{"name": name, "contents": UNIT}])


@pytest.mark.parametrize("name", ["10-x", "10-x.service", ".conf", "a/b.conf"])
def test_rule_dropin_conf_suffix(name):
    fails("drop-in", units=[{"name": "a.service", "dropins": [{"name": name, "contents": "[Service]\nA=1\n"}]}])


@pytest.mark.parametrize("contents", [
    "ExecStart=/bin/true\n",                       # key before any section
    "[Unit\nDescription=x\n",                      # broken header
    "[Service]\nthis is not a key value\n",         # no '='
    "[Service]\n=value\n",                          # empty key
    "just text",                                    # no section at all
])
def test_rule_unit_contents_parse(contents):
    fails("unit file|section|Key=Value|bad key|outside", units=[{"name": "a.service", "contents": contents}])


def test_unit_contents_parse_accepts_comments_and_continuations():
    contents = "# comment\n; other\n[Service]\nExecStart=/bin/sh -c \\\n  'echo hi'\nEnvironment=A=1\n"
    render(units=[{"name": "a.service", "contents": contents}])


def test_rule_dropin_contents_parse():
    fails("line 1", units=[{"name": "a.service", "dropins": [{"name": "a.conf", "contents": "A=1\n"}]}])


def test_rule_no_file_at_unit_path_when_unit_has_contents():
    fails("also writes /etc/systemd/system/a.service",
          files=[{"path": "/etc/systemd/system/a.service", "contents": UNIT}],
          units=[{"name": "a.service", "contents": UNIT}])
    # Without unit contents (only enable a unit shipped as a file) it is fine.
    render(files=[{"path": "/etc/systemd/system/a.service", "contents": UNIT}],
           units=[{"name": "a.service", "enabled": True}])


def test_rule_no_file_at_dropin_path_when_dropin_has_contents():
    fails("also writes /etc/systemd/system/a.service.d/10.conf",
          files=[{"path": "/etc/systemd/system/a.service.d/10.conf", "contents": "[Service]\n"}],
          units=[{"name": "a.service", "dropins": [{"name": "10.conf", "contents": "[Service]\nA=1\n"}]}])


def test_rule_no_duplicate_paths():
    fails("duplicate path", files=[{"path": "/etc/x", "contents": "a"}, {"path": "/etc/x", "contents": "b"}])


def test_rule_no_duplicate_units():
    fails("duplicate unit", units=[{"name": "a.service", "contents": UNIT}, {"name": "a.service"}])


def test_rule_no_duplicate_dropins():
    fails("duplicate drop-in", units=[{"name": "a.service", "dropins": [
        {"name": "a.conf", "contents": "[Service]\n"}, {"name": "a.conf", "contents": "[Unit]\n"}]}])


@pytest.mark.parametrize("kernel_type", ["", "default", "realtime", "64k-pages"])
def test_rule_kernel_type_accepted(kernel_type):
    assert render(kernel_type=kernel_type)["spec"]["kernelType"] == kernel_type


def test_rule_kernel_type_refused():
    fails("kernel_type is 'rt'", kernel_type="rt")


def test_rule_labels_required():
    with pytest.raises(checks.InputError, match="needs labels"):
        mc.render_machineconfig({"name": "99-worker-x", "role": None})
    # Labels without role are allowed (custom selectors).
    obj = mc.render_machineconfig({"name": "99-x", "labels": {"custom/pool": "infra"}})
    assert obj["metadata"]["labels"] == {"custom/pool": "infra"}


@pytest.mark.parametrize("labels", [{"bad key!": "x"}, {"a": "x" * 64}, {"a": 3}, {"-a": "b"}])
def test_labels_validated(labels):
    fails("label", labels=labels)


def test_rule_naming_advice():
    objects, warnings = mc.render_machineconfigs([spec(name="routes"), spec(name="99-worker-ok"),
                                                  spec(name="50-master-x", role="master")])
    assert len(objects) == 3
    assert warnings == [mc.naming_advice("routes", "worker")]
    assert "99-worker-<something>" in warnings[0]


@pytest.mark.parametrize("name", ["Upper", "under_score", "", "-x", "x" * 254])
def test_name_is_a_kubernetes_name(name):
    with pytest.raises(checks.InputError, match="name"):
        mc.render_machineconfig(spec(name=name))


def test_rule_size_limit_per_object():
    big = "x" * (mc.MAX_RENDERED_BYTES)
    fails("larger than the MCO's 1572864-byte limit", files=[{"path": "/etc/big", "contents": big}])


def test_rule_size_limit_per_pool():
    half = "x" * 700000
    specs = [spec(name="99-worker-a", files=[{"path": "/a", "contents": half}]),
             spec(name="99-worker-b", files=[{"path": "/b", "contents": half}])]
    with pytest.raises(checks.InputError, match="pool worker"):
        mc.render_machineconfigs(specs)
    # Same sizes in different pools are fine.
    specs[1]["role"], specs[1]["name"] = "master", "99-master-b"
    assert len(mc.render_machineconfigs(specs)[0]) == 2


def test_duplicate_machineconfig_names():
    with pytest.raises(checks.InputError, match="duplicate MachineConfig name"):
        mc.render_machineconfigs([spec(), spec()])


def test_unknown_keys_refused():
    fails("unknown key", files=[{"path": "/etc/x", "contents": "x", "append": True}])
    with pytest.raises(checks.InputError, match="unknown key"):
        mc.render_machineconfig(spec(users=[]))


def test_contents_and_contents_base64_exclusive():
    fails("give only one", files=[{"path": "/etc/x", "contents": "x", "contents_base64": "eA=="}])


def test_bad_base64_refused():
    fails("not valid base64", files=[{"path": "/etc/x", "contents_base64": "!!!"}])


def test_kernel_arguments_validated():
    fails(r"kernel_arguments\[0\]", kernel_arguments=[" nosmt"])
    fails("kernel_arguments", kernel_arguments="nosmt")


def test_error_names_field_and_value():
    with pytest.raises(checks.InputError) as err:
        mc.render_machineconfigs([spec(), spec(name="99-worker-b", files=[{"path": "/etc/../x", "contents": ""}])])
    assert str(err.value).startswith("machineconfig 99-worker-b: files[0].path is '/etc/../x'")


# -- pool rollout -------------------------------------------------------------------

def pool(generation=2, observed=2, updated="True", machines=3, updated_machines=3, sources=("99-worker-a",), degraded="False"):
    return {
        "metadata": {"name": "worker", "generation": generation},
        "status": {
            "observedGeneration": observed, "machineCount": machines, "updatedMachineCount": updated_machines,
            "configuration": {"name": "rendered-worker-1", "source": [{"name": s} for s in sources]},
            "conditions": [{"type": "Updated", "status": updated}, {"type": "Degraded", "status": degraded}],
        },
    }


def test_pool_rollout_done():
    ok, summary = runner.pool_rollout(pool(), ["99-worker-a"], ["99-worker-gone"])
    assert ok and summary["updated"] and summary["rendered"] == "rendered-worker-1"


@pytest.mark.parametrize("kwargs, reason", [
    ({"observed": 1}, "has not observed generation 2"),
    ({"updated": "False"}, "Updated is not True"),
    ({"updated_machines": 1}, "1 of 3 machines updated"),
    ({"sources": ()}, "does not include 99-worker-a"),
    ({"sources": ("99-worker-a", "99-worker-gone")}, "still includes 99-worker-gone"),
    ({"degraded": "True", "updated": "False"}, "Degraded"),
])
def test_pool_rollout_not_done(kwargs, reason):
    ok, summary = runner.pool_rollout(pool(**kwargs), ["99-worker-a"], ["99-worker-gone"])
    assert not ok and reason in summary["reason"]


def test_pool_rollout_missing_pool():
    assert runner.pool_rollout(None) == (False, {"updated": False, "reason": "pool does not exist"})


# -- install_dir manifests ----------------------------------------------------------

def test_write_manifests(tmp_path):
    objects, _warnings = mc.render_machineconfigs([spec()])
    results, diffs = runner.write_manifests(objects, ["99-worker-test"], str(tmp_path), "present", check_mode=True)
    assert results[0]["action"] == "created" and not (tmp_path / "openshift").exists()
    results, diffs = runner.write_manifests(objects, ["99-worker-test"], str(tmp_path), "present", check_mode=False)
    path = tmp_path / "openshift" / "99_openshift-machineconfig_99-worker-test.yaml"
    assert results == [{"path": str(path), "action": "created"}] and path.exists()
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert "kind: MachineConfig" in path.read_text() and diffs[0]["after"] == path.read_text()
    results, diffs = runner.write_manifests(objects, ["99-worker-test"], str(tmp_path), "present", check_mode=False)
    assert results[0]["action"] == "unchanged" and diffs == []
    results, _warnings = runner.write_manifests([], ["99-worker-test"], str(tmp_path), "absent", check_mode=False)
    assert results[0]["action"] == "deleted" and not path.exists()
    results, _warnings = runner.write_manifests([], ["99-worker-test"], str(tmp_path), "absent", check_mode=False)
    assert results[0]["action"] == "absent"


def test_write_manifests_needs_install_dir(tmp_path):
    with pytest.raises(checks.InputError, match="install_dir"):
        runner.write_manifests([], ["x"], str(tmp_path / "nope"), "present", check_mode=False)


# -- compression: gzip -------------------------------------------------------

def compressed(text="hello\n" * 100, openshift_version="4.14"):
    obj = mc.render_machineconfig(spec(files=[{"path": "/etc/big", "contents": text, "compression": "gzip"}]),
                                  openshift_version)
    return obj["spec"]["config"]["storage"]["files"][0]["contents"]


def test_compression_gzip_gives_the_same_bytes_back_and_the_same_source_every_run():
    contents = compressed()
    assert contents["compression"] == "gzip"
    assert contents["source"].startswith(mc.BINARY_DATA_URL)
    assert mc.file_bytes(contents) == ("hello\n" * 100).encode()
    assert compressed() == contents
    # the MCO's limit counts what is stored: the compressed form
    assert len(contents["source"]) < len(mc.data_url("hello\n" * 100)) / 5


def test_compression_of_binary_contents():
    obj = render(files=[{"path": "/etc/bin", "contents_base64": base64.b64encode(b"\0\1\2").decode(),
                         "compression": "gzip"}])
    assert mc.file_bytes(obj["spec"]["config"]["storage"]["files"][0]["contents"]) == b"\0\1\2"


def test_uncompressed_files_have_no_compression_key():
    assert "compression" not in render(files=[{"path": "/etc/x", "contents": "x"}])["spec"]["config"]["storage"]["files"][0]["contents"]


@pytest.mark.parametrize("value", ["zstd", "GZIP", True])
def test_unknown_compression_refused(value):
    fails(r"files\[0\]\.compression is .*: one of gzip", files=[{"path": "/etc/x", "contents": "x", "compression": value}])


def test_compression_refused_before_openshift_4_10():
    with pytest.raises(checks.InputError, match=r"compression is 'gzip': .* from OpenShift 4.10 on; openshift_version is 4.9"):
        compressed(openshift_version="4.9")
    assert compressed(openshift_version="4.10")["compression"] == "gzip"


def test_compression_needs_contents():
    fails(r"compression is 'gzip': needs contents",
          files=[{"path": "/etc/x", "overwrite": False, "compression": "gzip"}])


def _with_source(obj, source):
    out = copy.deepcopy(obj)
    out["spec"]["config"]["storage"]["files"][0]["contents"]["source"] = source
    return out


def test_keep_live_encoding_when_another_zlib_compressed_the_same_text():
    ours = render(files=[{"path": "/etc/big", "contents": "x" * 1000, "compression": "gzip"}])
    theirs_source = mc.BINARY_DATA_URL + base64.b64encode(gzip.compress(b"x" * 1000, compresslevel=1, mtime=7)).decode()
    theirs = _with_source(ours, theirs_source)
    assert theirs_source != ours["spec"]["config"]["storage"]["files"][0]["contents"]["source"]
    kept = mc.keep_live_encoding(ours, theirs)
    assert kept["spec"]["config"]["storage"]["files"][0]["contents"]["source"] == theirs_source
    assert ours["spec"]["config"]["storage"]["files"][0]["contents"]["source"] != theirs_source  # not mutated


@pytest.mark.parametrize("live_source", [
    mc.BINARY_DATA_URL + base64.b64encode(gzip.compress(b"y" * 1000, mtime=0)).decode(),  # other text
    mc.BINARY_DATA_URL + "bm90IGd6aXA=",  # not gzip at all
])
def test_keep_live_encoding_sends_ours_when_the_node_would_get_other_bytes(live_source):
    ours = render(files=[{"path": "/etc/big", "contents": "x" * 1000, "compression": "gzip"}])
    assert mc.keep_live_encoding(ours, _with_source(ours, live_source)) is ours


def test_keep_live_encoding_without_a_live_object():
    ours = render(files=[{"path": "/etc/big", "contents": "x", "compression": "gzip"}])
    assert mc.keep_live_encoding(ours, None) is ours
    assert mc.keep_live_encoding(ours, {"spec": {}}) is ours


def test_readable_shows_text_for_the_diff_and_leaves_binary_and_the_object_alone():
    obj = render(files=[{"path": "/etc/big", "contents": "a\nb\n", "compression": "gzip"},
                        {"path": "/etc/plain", "contents": "c\n"},
                        {"path": "/etc/bin", "contents_base64": base64.b64encode(b"\xff\xfe").decode()}])
    files = mc.readable(obj)["spec"]["config"]["storage"]["files"]
    assert files[0]["contents"] == {"compression": "gzip", "source (decoded)": "a\nb\n"}
    assert files[1]["contents"] == {"source (decoded)": "c\n"}
    assert files[2]["contents"] == obj["spec"]["config"]["storage"]["files"][2]["contents"]
    assert "source" in obj["spec"]["config"]["storage"]["files"][0]["contents"]
