"""How gspread reaches the local Sheets server: an HTTP session that sends
Google's API hosts to a local address, so gspread itself runs unchanged.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

# The hosts gspread 6 talks to (Sheets v4 and Drive v3).
GOOGLE_API_HOSTS = ("https://sheets.googleapis.com/", "https://www.googleapis.com/")


class LocalRouteAdapter(HTTPAdapter):
    """Rewrites https://<google host>/<path> to <base_url>/<path> before sending."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        parts = urlsplit(base_url.rstrip("/"))
        self._scheme, self._netloc, self._prefix = parts.scheme, parts.netloc, parts.path

    def send(self, request, **kwargs):  # type: ignore[override]
        parts = urlsplit(request.url)
        request.url = urlunsplit(
            (self._scheme, self._netloc, self._prefix + parts.path, parts.query, "")
        )
        return super().send(request, **kwargs)


def local_session(base_url: str, token: str) -> requests.Session:
    """A requests session on which Google's API URLs land on the local server at base_url, with its token."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    adapter = LocalRouteAdapter(base_url)
    for host in GOOGLE_API_HOSTS:
        session.mount(host, adapter)
    return session
