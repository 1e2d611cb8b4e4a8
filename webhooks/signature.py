"""The intake API's signature: `X-Helpt-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.

Signing the timestamp with the body means a captured request cannot be
replayed after `TOLERANCE` seconds, and a changed body never verifies. The
header is read strictly (ASCII, bounded lengths) before any arithmetic, so a
hostile header is a 401, never a crash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass

HEADER = "X-Helpt-Signature"
TOLERANCE = 300  # seconds either way; Google's and the website's clocks are NTP-synchronised
_PART = re.compile(r"(t|v1)=([0-9a-fA-F]{1,64})", re.ASCII)


@dataclass(frozen=True)
class Check:
    """The outcome: `problem` is None when the signature holds; `digest` is its v1 value then."""

    problem: str | None
    digest: str = ""


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value for `body`, signed now (or at `timestamp`)."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def check(secret: str, header: str | None, body: bytes, now: float | None = None) -> Check:
    """Whether `header` signs `body`: "missing-signature", "bad-signature", "stale-signature", or None."""
    parts: dict[str, str] = {}
    for part in (header or "")[:200].split(","):
        found = _PART.fullmatch(part.strip())
        if found:
            parts[found.group(1)] = found.group(2)
    t, v1 = parts.get("t", ""), parts.get("v1", "").lower()
    if not t.isdigit() or len(t) > 12 or len(v1) != 64:
        return Check("missing-signature")
    expected = sign(secret, body, int(t)).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, v1):
        return Check("bad-signature")
    if abs((time.time() if now is None else now) - int(t)) > TOLERANCE:
        return Check("stale-signature")
    return Check(None, v1)
