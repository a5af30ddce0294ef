# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A lean client for the Kubernetes API.

Why not ``kubernetes.dynamic.DynamicClient``: it discovers every API group of
the server before the first request, which costs more than applying dozens of
objects.  Here an ``apiVersion``/``kind`` pair is resolved with ONE discovery
request for its group/version, cached for the life of the process, and every
call goes through ``ApiClient.call_api`` returning plain JSON dicts (no model
deserialisation).

Errors are raised as :class:`K8sError` with a message a user can act on:
unreachable API, authentication/authorisation failure, missing CRD/kind.

Every request has a connect and a read timeout, and a transient failure (no
answer, a reset or timed-out connection, 429, 500, 502, 503, 504) is retried
with exponential backoff, honouring ``Retry-After``, up to ``request_retries``
times.  Every call this collection makes may be repeated: GET, DELETE,
server-side apply (the same body gives the same object) and PUT carrying a
``resourceVersion`` (a replay conflicts and the caller reads again).
"""

from __future__ import annotations

import functools
import json
import os
import time
import traceback
from types import SimpleNamespace

from ansible.module_utils.basic import env_fallback


@functools.lru_cache(maxsize=None)
def kubernetes_library():
    """The ``kubernetes`` library (and urllib3 under it), imported on first use.

    Its import costs about a quarter of a second (every API and model class);
    a module in rendered mode, or one that fails its checks, never talks to
    the API and so never pays it.  Raises ImportError when it is missing.
    """
    import kubernetes.client
    import kubernetes.config
    import urllib3.exceptions
    from kubernetes.client.rest import ApiException

    return SimpleNamespace(client=kubernetes.client, config=kubernetes.config, ApiException=ApiException,
                           urllib3_errors=urllib3.exceptions)


#: Connection options shared by every module talking to the API
#: (documented by the ``clusternet.fabric.k8s_auth`` doc fragment).
AUTH_ARG_SPEC = dict(
    kubeconfig=dict(type="path", fallback=(env_fallback, ["K8S_AUTH_KUBECONFIG"])),
    context=dict(type="str", fallback=(env_fallback, ["K8S_AUTH_CONTEXT"])),
    host=dict(type="str", fallback=(env_fallback, ["K8S_AUTH_HOST"])),
    api_key=dict(type="str", no_log=True, fallback=(env_fallback, ["K8S_AUTH_API_KEY"])),
    ca_cert=dict(type="path", fallback=(env_fallback, ["K8S_AUTH_SSL_CA_CERT"])),
    # No default: a kubeconfig's insecure-skip-tls-verify must be able to decide.
    validate_certs=dict(type="bool", fallback=(env_fallback, ["K8S_AUTH_VERIFY_SSL"])),
    request_timeout=dict(type="float", default=30.0),
    request_retries=dict(type="int", default=4),
)

#: answers worth asking again: too many requests, and the server (or a proxy in front) failing
RETRY_STATUSES = (429, 500, 502, 503, 504)
#: first backoff and its ceiling, in seconds (0.5, 1, 2, 4, 8, 8, ...)
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 8.0
#: the longest Retry-After we honour; a server asking for more gets this
RETRY_AFTER_MAX = 30.0
CONNECT_TIMEOUT_MAX = 10.0

AUTH_PARAMS = tuple(AUTH_ARG_SPEC)


class K8sError(Exception):
    """A Kubernetes API problem, with a message meant for the user.

    ``status`` is the HTTP status (0 when the server was not reached),
    ``body`` the decoded Status object when the server sent one.
    """

    def __init__(self, msg, status=0, body=None, transient=False, retry_after=None):
        super().__init__(msg)
        self.msg = msg
        self.status = status
        self.body = body or {}
        #: worth retrying: no answer, or an answer in RETRY_STATUSES
        self.transient = transient
        #: seconds the server asked us to wait (Retry-After), or None
        self.retry_after = retry_after


class K8sMissingLibrary(K8sError):
    """The ``kubernetes`` Python library is not installed."""


def require_kubernetes(module):
    """Fail the module with ``missing_required_lib`` when ``kubernetes`` is absent."""
    try:
        kubernetes_library()
    except ImportError:
        from ansible.module_utils.basic import missing_required_lib

        module.fail_json(msg=missing_required_lib("kubernetes"), exception=traceback.format_exc())


def build_api_client(params):
    """Return a ``kubernetes.client.ApiClient`` from module params.

    Precedence: ``host`` (+ ``api_key``, ``ca_cert``, ``validate_certs``) when
    given; otherwise ``kubeconfig`` (default ``$KUBECONFIG`` or
    ``~/.kube/config``) with ``context``; otherwise the in-cluster service
    account.  ``host``/``api_key``/``ca_cert``/``validate_certs`` given together
    with a kubeconfig override what the kubeconfig says.
    """
    try:
        kubernetes = kubernetes_library()
    except ImportError:
        raise K8sMissingLibrary("the Python library 'kubernetes' is required")
    params = params or {}
    host = params.get("host")
    kubeconfig = params.get("kubeconfig")
    context = params.get("context")
    configuration = kubernetes.client.Configuration()
    if host and not kubeconfig:
        configuration.host = host
    else:
        path = kubeconfig or os.environ.get("KUBECONFIG", "").split(os.pathsep)[0] or os.path.expanduser("~/.kube/config")
        if os.path.exists(path):
            try:
                kubernetes.config.load_kube_config(config_file=path, context=context, client_configuration=configuration, persist_config=False)
            except Exception as e:  # the loader raises ConfigException and friends
                raise K8sError("cannot load kubeconfig %s%s: %s" % (path, " (context %s)" % context if context else "", e))
        elif kubeconfig:
            raise K8sError("kubeconfig %s does not exist" % kubeconfig)
        else:
            try:
                kubernetes.config.load_incluster_config(client_configuration=configuration)
            except Exception:
                raise K8sError("no Kubernetes credentials: give host and api_key, or kubeconfig (none at %s)" % path)
        if host:
            configuration.host = host
    token = params.get("api_key") or (configuration.api_key or {}).get("authorization")
    if token and str(configuration.host or "").lower().startswith("http://"):
        # a bearer token over plain HTTP is readable by anyone on the path
        raise K8sError("host is %r: plain http:// with a token sends it in clear text; use https://" % configuration.host)
    if params.get("api_key"):
        configuration.api_key = {"authorization": "Bearer " + params["api_key"]}
    if params.get("ca_cert"):
        configuration.ssl_ca_cert = params["ca_cert"]
    if params.get("validate_certs") is not None:
        configuration.verify_ssl = bool(params["validate_certs"])
    # A refused connection is an answer: do not retry it three times.
    configuration.retries = False
    return kubernetes.client.ApiClient(configuration)


class Resource:
    """One REST resource: what a ``apiVersion``/``kind`` maps to."""

    __slots__ = ("api_version", "kind", "plural", "namespaced", "prefix")

    def __init__(self, api_version, kind, plural, namespaced):
        self.api_version = api_version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
        self.prefix = "/api/v1" if api_version == "v1" else "/apis/" + api_version

    def path(self, name=None, namespace=None):
        """URL path of the collection (``name`` None) or of one object.

        ``namespace`` None on a namespaced resource means all namespaces
        (valid for list only).
        """
        parts = [self.prefix]
        if self.namespaced and namespace:
            parts.append("/namespaces/" + namespace)
        parts.append("/" + self.plural)
        if name:
            parts.append("/" + name)
        return "".join(parts)

    def __repr__(self):
        return "Resource(%s %s -> %s%s)" % (self.api_version, self.kind, self.plural, ", namespaced" if self.namespaced else "")


def missing_kind_message(kind, api_version):
    return "the API server has no %s (%s): is this an OpenShift cluster / is the CRD installed?" % (kind, api_version)


class KubeClient:
    """JSON-in, JSON-out access to one API server, with cached discovery.

    ``request`` is the single transport seam (tests replace it with a fake).
    """

    def __init__(self, api_client, timeout=30.0, retries=4, sleep=time.sleep):
        self.api_client = api_client
        self.host = getattr(api_client.configuration, "host", "?")
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self.sleep = sleep
        self._groups = {}  # api_version -> {kind: Resource} (None: group/version absent)

    @classmethod
    def from_params(cls, params):
        params = params or {}
        timeout = params.get("request_timeout")
        retries = params.get("request_retries")
        if timeout is not None and not timeout > 0:
            raise K8sError("request_timeout is %r: must be a number of seconds above 0" % timeout)
        if retries is not None and retries < 0:
            raise K8sError("request_retries is %r: must be 0 or more" % retries)
        return cls(build_api_client(params), timeout=30.0 if timeout is None else timeout,
                   retries=4 if retries is None else retries)

    # -- transport ---------------------------------------------------------
    def request(self, method, path, query=None, body=None, content_type=None):
        """Send one request, retrying transient failures; return the decoded JSON body (or None)."""
        attempt = 0
        while True:
            try:
                return self._send(method, path, query, body, content_type)
            except K8sError as e:
                if not e.transient or attempt >= self.retries:
                    if attempt:
                        e.msg = "%s (%d attempts)" % (e.msg, attempt + 1)
                        e.args = (e.msg,)
                    raise
                if e.retry_after is not None:
                    delay = min(e.retry_after, RETRY_AFTER_MAX)
                else:
                    delay = min(BACKOFF_FIRST * 2 ** attempt, BACKOFF_MAX)
                self.sleep(delay)
                attempt += 1

    def _send(self, method, path, query, body, content_type):
        headers = {"Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        lib = kubernetes_library()
        try:
            resp = self.api_client.call_api(
                path,
                method,
                query_params=list((query or {}).items()),
                header_params=headers,
                body=body,
                auth_settings=["BearerToken"],
                _preload_content=False,
                _return_http_data_only=True,
                _request_timeout=(min(self.timeout, CONNECT_TIMEOUT_MAX), self.timeout),
            )
        except lib.ApiException as e:
            raise self._api_error(e, method, path)
        except lib.urllib3_errors.NewConnectionError as e:  # a subclass of the timeout error in urllib3
            raise K8sError("cannot reach the Kubernetes API at %s: %s" % (self.host, _root_cause(e)), transient=True)
        except lib.urllib3_errors.TimeoutError as e:
            raise K8sError("no answer from the Kubernetes API at %s within %ss (%s %s): %s"
                           % (self.host, self.timeout, method, path, _root_cause(e)), transient=True)
        except lib.urllib3_errors.HTTPError as e:
            raise K8sError("cannot reach the Kubernetes API at %s: %s" % (self.host, _root_cause(e)), transient=True)
        except OSError as e:
            raise K8sError("cannot reach the Kubernetes API at %s: %s" % (self.host, e), transient=True)
        data = resp.data
        return json.loads(data) if data else None

    def _api_error(self, e, method, path):
        body = {}
        if e.body:
            try:
                body = json.loads(e.body)
            except (ValueError, TypeError):
                body = {}
        status = e.status or 0
        server_msg = body.get("message") if isinstance(body, dict) else None
        if status == 0:  # the library reports TLS failures as status 0: asking again will not help
            reason = " ".join(str(e.reason or e).split())
            return K8sError("cannot reach the Kubernetes API at %s: %s" % (self.host, reason))
        if status == 401:
            msg = "authentication failed at the Kubernetes API %s (401 Unauthorized): check api_key/kubeconfig credentials" % self.host
        elif status == 403:
            msg = "not allowed by the Kubernetes API %s (403 Forbidden): %s" % (self.host, server_msg or "%s %s" % (method, path))
        else:
            msg = "%s %s: %s %s" % (method, path, status, server_msg or e.reason or "")
        return K8sError(msg.strip(), status=status, body=body if isinstance(body, dict) else {},
                        transient=status in RETRY_STATUSES, retry_after=_retry_after(e))

    # -- discovery ---------------------------------------------------------
    def resource(self, api_version, kind):
        """Resolve ``apiVersion``/``kind`` to a :class:`Resource` (cached)."""
        kinds = self._groups.get(api_version, False)
        if kinds is False:
            kinds = self._discover(api_version)
            self._groups[api_version] = kinds
        if not kinds or kind not in kinds:
            raise K8sError(missing_kind_message(kind, api_version), status=404)
        return kinds[kind]

    def invalidate(self, api_version=None):
        """Forget discovery (after installing a CRD)."""
        if api_version is None:
            self._groups.clear()
        else:
            self._groups.pop(api_version, None)

    def _discover(self, api_version):
        path = "/api/v1" if api_version == "v1" else "/apis/" + api_version
        try:
            doc = self.request("GET", path)
        except K8sError as e:
            if e.status == 404:
                return None
            raise
        kinds = {}
        for r in (doc or {}).get("resources", []):
            if "/" in r["name"]:  # subresources (status, scale, ...)
                continue
            kinds.setdefault(r["kind"], Resource(api_version, r["kind"], r["name"], r.get("namespaced", False)))
        return kinds


def _retry_after(e):
    """Seconds of a ``Retry-After: <seconds>`` header (the HTTP-date form is rare here: ignored)."""
    headers = getattr(e, "headers", None) or {}
    try:
        value = headers.get("Retry-After")
    except AttributeError:
        return None
    try:
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def _root_cause(e):
    reason = getattr(e, "reason", None)
    while reason is not None and getattr(reason, "reason", None) is not None and reason is not reason.reason:
        reason = reason.reason
    return str(reason or e)
