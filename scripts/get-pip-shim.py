# Stand-in for the get-pip.py bootstrap that ansible-test downloads from a host
# outside the package registries: install pip from the interpreter's bundled
# wheel (ensurepip), then let that pip install what ansible-test asked for
# from the package index with the machine's pip configuration.
import os
import subprocess
import sys

# ensurepip in a child: in-process it points PIP_CONFIG_FILE at /dev/null for us too.
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check"] + args, env=os.environ))
