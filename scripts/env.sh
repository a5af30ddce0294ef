# shellcheck shell=bash
# Source me: puts the project's venv and collections in front.
CLUSTERNET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTERNET_CACHE="${CLUSTERNET_CACHE:-$HOME/.cache/clusternet-fabric}"
export CLUSTERNET_ROOT CLUSTERNET_CACHE
export PATH="$CLUSTERNET_CACHE/venv/bin:$PATH"
# The shared path holds the dependencies and a link to the checkout that bootstrapped
# first. This checkout's own link comes before it, so a CI run in a clone (or a second
# checkout) always loads its own code, and deleting the clone breaks nothing here.
CLUSTERNET_OWN_COLLECTIONS="$CLUSTERNET_CACHE/checkouts/$(printf %s "$CLUSTERNET_ROOT" | sha1sum | cut -c1-12)"
mkdir -p "$CLUSTERNET_OWN_COLLECTIONS/ansible_collections/clusternet"
ln -sfn "$CLUSTERNET_ROOT" "$CLUSTERNET_OWN_COLLECTIONS/ansible_collections/clusternet/fabric"
export CLUSTERNET_OWN_COLLECTIONS
export ANSIBLE_COLLECTIONS_PATH="$CLUSTERNET_OWN_COLLECTIONS:$CLUSTERNET_CACHE/collections"
export ANSIBLE_CONFIG="$CLUSTERNET_ROOT/ansible.cfg"
export CLUSTERNET_BASE_IMAGE="${CLUSTERNET_BASE_IMAGE:-localhost/clusternet-base:bookworm}"
