"""Defaults shared by the client and the configuration, in a module that imports nothing."""

DEFAULT_BASE_URL = "https://api.ninjahire.co"
DEFAULT_TIMEOUT = 30.0
