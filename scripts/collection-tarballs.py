# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collection tarballs for an offline install: this collection built from the
checkout, and every collection galaxy.yml depends on packed from the ones the
tooling installed (scripts/env.sh), plus a requirements file naming them.

  python3 scripts/collection-tarballs.py OUT [PREFIX]

writes OUT/<namespace>-<name>-<version>.tar.gz and OUT/requirements.yml whose
entries are PREFIX/<tarball> (type file; PREFIX defaults to OUT): what
ansible-galaxy collection install --offline -r requirements.yml reads, and the
execution environment's build (scripts/build-ee) copies into the image.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def installed_collections():
    """Where the checkout's tooling installed the dependencies (scripts/env.sh)."""
    return os.path.join(os.environ.get("CLUSTERNET_CACHE") or os.path.expanduser("~/.cache/clusternet-fabric"),
                        "collections")


def dependency_tarball(fqcn, out):
    """A collection artifact of an installed collection: its files, with FILES.json (and
    MANIFEST.json's checksum of it) listing only those present (the ansible wheel the
    collections come from leaves some out, such as CI definitions). ansible-galaxy
    collection build needs a galaxy.yml, which an installed collection has not."""
    namespace, name = fqcn.split(".")
    source = os.path.join(installed_collections(), "ansible_collections", namespace, name)
    with open(os.path.join(source, "MANIFEST.json")) as f:
        manifest = json.load(f)
    with open(os.path.join(source, "FILES.json")) as f:
        files = json.load(f)
    files["files"] = [e for e in files["files"] if e["name"] == "." or os.path.lexists(os.path.join(source, e["name"]))]
    files_json = json.dumps(files, indent=4).encode()
    manifest["file_manifest_file"]["chksum_sha256"] = hashlib.sha256(files_json).hexdigest()
    manifest_json = json.dumps(manifest, indent=4).encode()
    version = manifest["collection_info"]["version"]
    path = os.path.join(out, "%s-%s-%s.tar.gz" % (namespace, name, version))
    with tarfile.open(path, "w:gz") as tar:
        for arcname, data in (("MANIFEST.json", manifest_json), ("FILES.json", files_json)):
            info = tarfile.TarInfo(arcname)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
        for entry in files["files"]:
            if entry["name"] != ".":
                tar.add(os.path.join(source, entry["name"]), arcname=entry["name"], recursive=False)
    return path


def own_tarball(out):
    """This collection, built from the checkout as the release would be."""
    for old in glob.glob(os.path.join(out, "clusternet-fabric-*.tar.gz")):
        os.remove(old)
    subprocess.run(["ansible-galaxy", "collection", "build", "--force", "--output-path", out, ROOT],
                   check=True, stdout=subprocess.DEVNULL)
    (path,) = glob.glob(os.path.join(out, "clusternet-fabric-*.tar.gz"))
    return path


def main(out, prefix=None):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(ROOT, "galaxy.yml")) as f:
        galaxy = yaml.safe_load(f)
    paths = [dependency_tarball(fqcn, out) for fqcn in sorted(galaxy["dependencies"])] + [own_tarball(out)]
    entries = [{"name": os.path.join(prefix or out, os.path.basename(p)), "type": "file"} for p in paths]
    with open(os.path.join(out, "requirements.yml"), "w") as f:
        yaml.safe_dump({"collections": entries}, f, sort_keys=False)
    for path in paths:
        print(path)


if __name__ == "__main__":
    main(*sys.argv[1:3])
