# shellcheck shell=bash
# Source me: puts the project's venv and collections in front.
CLUSTERNET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTERNET_CACHE="${CLUSTERNET_CACHE:-$HOME/.cache/clusternet-fabric}"
export CLUSTERNET_ROOT CLUSTERNET_CACHE
export PATH="$CLUSTERNET_CACHE/venv/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$CLUSTERNET_CACHE/collections"
export ANSIBLE_CONFIG="$CLUSTERNET_ROOT/ansible.cfg"
export CLUSTERNET_BASE_IMAGE="${CLUSTERNET_BASE_IMAGE:-localhost/clusternet-base:bookworm}"
