# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared option docs for modules that talk to the Kubernetes API."""

from __future__ import annotations


class ModuleDocFragment:

    # Connection options: plugins/module_utils/k8s/client.py AUTH_ARG_SPEC.
    DOCUMENTATION = r"""
options:
  kubeconfig:
    description:
      - Path to a kubeconfig file.
      - Without O(kubeconfig) and O(host), V($KUBECONFIG) or V(~/.kube/config) is used, then the in-cluster service account.
      - Can also be set with the E(K8S_AUTH_KUBECONFIG) environment variable.
    type: path
  context:
    description:
      - Context of the kubeconfig to use (default its current context).
      - Can also be set with E(K8S_AUTH_CONTEXT).
    type: str
  host:
    description:
      - URL of the Kubernetes API server, for example V(https://api.test.example.local:6443).
      - Given alone (with O(api_key) and O(ca_cert)) no kubeconfig is read; given with O(kubeconfig) it overrides the kubeconfig's server.
      - A plain V(http://) URL is refused when a token would be sent over it.
      - Can also be set with E(K8S_AUTH_HOST).
    type: str
  api_key:
    description:
      - Bearer token to authenticate with (for example a service account token or C(oc whoami -t)).
      - Can also be set with E(K8S_AUTH_API_KEY).
    type: str
  ca_cert:
    description:
      - Path to the CA certificate (PEM) that signed the API server's certificate.
      - Can also be set with E(K8S_AUTH_SSL_CA_CERT).
    type: path
  validate_certs:
    description:
      - Verify the API server's TLS certificate.
      - When not set, the kubeconfig decides (C(insecure-skip-tls-verify)); without a kubeconfig certificates are verified.
      - Can also be set with E(K8S_AUTH_VERIFY_SSL).
    type: bool
  request_timeout:
    description:
      - Seconds to wait for each answer of the API server (the connect timeout is this, at most 10).
        A request that gets no answer in time counts as a transient failure.
    type: float
    default: 30
  request_retries:
    description:
      - How many times a request is repeated after a transient failure (no answer, a reset connection,
        HTTP 429, 500, 502, 503, 504), with exponential backoff (0.5 s, 1 s, 2 s, ... at most 8 s) or the
        server's C(Retry-After) (at most 30 s). V(0) fails at the first.
      - Every request of this collection can be repeated safely (reads, deletes, server-side apply,
        writes carrying the read C(resourceVersion)).
    type: int
    default: 4
requirements:
  - kubernetes >= 12.0.0 (Python library)
"""

    # Apply options: plugins/module_utils/k8s/apply.py APPLY_ARG_SPEC.
    APPLY = r"""
options:
  field_manager:
    description:
      - Field manager name for server-side apply; the fields this module sends are owned by it.
    type: str
    default: clusternet.fabric
  force_conflicts:
    description:
      - Take ownership of fields another field manager owns instead of failing with the conflict.
      - Without it a conflict fails the task naming the other manager(s) and the fields.
    type: bool
    default: false
  force:
    description:
      - Replace or delete an existing object of the same name that this collection does not manage
        (it lacks the label C(app.kubernetes.io/managed-by=clusternet.fabric)).
      - Without it such an object is left alone and the task fails, before any write, naming it.
      - Pruning never touches such objects, with or without O(force).
    type: bool
    default: false
"""
