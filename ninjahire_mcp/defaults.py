"""Defaults shared by the client and the configuration, in a module that imports nothing."""

DEFAULT_BASE_URL = "https://api.ninjahire.co"
DEFAULT_TIMEOUT = 30.0
# Upstream connections the server opens at most (httpx2's own default), and how many of them one caller's
# key may hold at once when none is given: a quarter, so that four tenants' stalled requests fill the pool
# before a fifth must wait.
DEFAULT_MAX_CONNECTIONS = 100


def default_share(max_connections: int) -> int:
    return max(1, max_connections // 4)
