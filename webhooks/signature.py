"""The intake API's signature: `X-Helpt-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.

Signing the timestamp with the body means a captured request cannot be
replayed after `TOLERANCE` seconds, and a changed body never verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "X-Helpt-Signature"
TOLERANCE = 300  # seconds either way; Google's and the website's clocks are NTP-synchronised


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value for `body`, signed now (or at `timestamp`)."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def problem(secret: str, header: str | None, body: bytes, now: float | None = None) -> str | None:
    """Why the signature does not hold ("missing-signature", "bad-signature", "stale-signature"), or None."""
    parts = dict(p.strip().split("=", 1) for p in (header or "").split(",") if "=" in p)
    t, v1 = parts.get("t", ""), parts.get("v1", "")
    if not t.isdigit() or not v1:
        return "missing-signature"
    expected = sign(secret, body, int(t)).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, v1.lower()):
        return "bad-signature"
    if abs((time.time() if now is None else now) - int(t)) > TOLERANCE:
        return "stale-signature"
    return None
