"""The Ninjahire API client: one connection pool for the server's life, one attribute per API area."""

from __future__ import annotations

import urllib.request
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from types import TracebackType

import anyio
import httpx2

from .. import __version__
from ..defaults import DEFAULT_BASE_URL, DEFAULT_MAX_CONNECTIONS, DEFAULT_TIMEOUT, default_share
from ._requester import Requester
from ._retry import RetryPolicy
from ._shares import KeyShares, key_digest
from .applications import Applications
from .calls import Calls
from .candidates import Candidates
from .jobs import Jobs
from .questions import Questions
from .webhooks import Webhooks

# Opening a connection that takes longer than this will not succeed by waiting more.
MAX_CONNECT_TIMEOUT = 10.0
# Callers' keys whose client views are kept (a shared deployment's tenants); the least recent goes first.
MAX_KEYED_VIEWS = 256
# Idle connections kept open for reuse (httpx2's default), never more than the pool holds.
MAX_KEEPALIVE = 20
# The environment variables through which httpx2 routes requests via a proxy (NO_PROXY only narrows them).
_PROXY_SCHEMES = ("http", "https", "all")
USER_AGENT = f"ninjahire-mcp/{__version__} python-httpx2/{httpx2.__version__}"


class LazyNetworkTransport(httpx2.AsyncBaseTransport):
    """httpx2's network transport, made on the first request rather than at start-up.

    Making it loads the system's CA certificates into a TLS context (tens of milliseconds): a server
    that a host starts only to list its tools should not pay that before it can answer.
    """

    def __init__(self, make: Callable[[], httpx2.AsyncBaseTransport] = httpx2.AsyncHTTPTransport) -> None:
        self._make = make
        self._network: httpx2.AsyncBaseTransport | None = None

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self._network is None:  # no await before the assignment: concurrent first requests share one
            self._network = self._make()
        return await self._network.handle_async_request(request)

    async def aclose(self) -> None:
        if self._network is not None:
            await self._network.aclose()


def network_transport(limits: httpx2.Limits | None = None) -> httpx2.AsyncBaseTransport | None:
    """The lazy transport (its pool sized by `limits`), unless the environment names a proxy: httpx2 routes
    through HTTP(S)_PROXY and ALL_PROXY (minding NO_PROXY) only when it makes its transports itself (None;
    the client's own `limits` then size them). The standard library reads those variables the way httpx2
    does (either case, the lower case first)."""
    proxies = urllib.request.getproxies_environment()
    if any(proxies.get(scheme) for scheme in _PROXY_SCHEMES):
        return None
    if limits is None:
        return LazyNetworkTransport()
    return LazyNetworkTransport(lambda: httpx2.AsyncHTTPTransport(limits=limits))


def pool_limits(max_connections: int) -> httpx2.Limits:
    return httpx2.Limits(max_connections=max_connections, max_keepalive_connections=min(MAX_KEEPALIVE, max_connections))


class NinjahireClient:
    """Async client of the Ninjahire API. Use as an async context manager, or call `aclose()`.

    Its pool opens at most `max_connections` connections. A view made by `with_api_key` (a caller's own
    key) holds at most `max_connections_per_key` of them at once (a quarter of the pool when not given),
    so that one tenant's slow requests leave the rest to the others; the client's own key, the only
    tenant of a server that holds one, may use them all.
    """

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx2.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_connections_per_key: int | None = None,
    ) -> None:
        per_key = max_connections_per_key or default_share(max_connections)
        if not 1 <= per_key <= max_connections:
            raise ValueError(
                f"max_connections_per_key ({per_key}) must be between 1 and max_connections ({max_connections})"
            )
        limits = pool_limits(max_connections)
        http = httpx2.AsyncClient(
            base_url=base_url,
            timeout=httpx2.Timeout(timeout, connect=min(timeout, MAX_CONNECT_TIMEOUT)),
            transport=transport or network_transport(limits),
            limits=limits,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            # A redirect is not part of the documented API; following one could carry the key elsewhere.
            follow_redirects=False,
        )
        self._http = http
        self._retry = retry
        self._sleep = sleep
        # A caller waits for its key's share no longer than for a pooled connection.
        self.shares = KeyShares(per_key, wait=http.timeout.pool)
        self._views: OrderedDict[str, NinjahireClient] = OrderedDict()  # by key_digest, never the key
        self._bind(Requester(http, api_key=api_key, retry=retry, sleep=sleep))

    def _bind(self, requester: Requester) -> None:
        self.requester = requester
        self.jobs = Jobs(requester)
        self.candidates = Candidates(requester)
        self.applications = Applications(requester)
        self.questions = Questions(requester)
        self.calls = Calls(requester)
        self.webhooks = Webhooks(requester)

    def with_api_key(self, api_key: str) -> NinjahireClient:
        """A view that sends another key over the same connection pool (closing it closes the pool), on
        no more of its connections at once than the key's share.

        Views are kept per key (the most recent MAX_KEYED_VIEWS), so that a shared deployment's
        callers do not each build a client on every call. The share is the key's own, not the view's: a
        view dropped from the table and made again counts against the same slots.
        """
        digest = key_digest(api_key)
        view = self._views.get(digest)
        if view is None:
            view = object.__new__(NinjahireClient)
            view._http, view._retry, view._sleep, view.shares = self._http, self._retry, self._sleep, self.shares
            view._views = OrderedDict()
            share = self.shares.share(api_key)
            view._bind(Requester(self._http, api_key=api_key, retry=self._retry, sleep=self._sleep, share=share))
            self._views[digest] = view
            if len(self._views) > MAX_KEYED_VIEWS:
                self._views.popitem(last=False)
        else:
            self._views.move_to_end(digest)
        return view

    def __repr__(self) -> str:
        return f"NinjahireClient({self.requester!r})"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> NinjahireClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
