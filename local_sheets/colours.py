"""Colours as Google stores and prints them."""

from __future__ import annotations

import math
import struct
from typing import Any


def _float32_text(x: float) -> float | int:
    """A colour component as Google prints it: the shortest float32 decimal, 1.0 as 1."""
    exact = struct.unpack("f", struct.pack("f", x))[0]
    for digits in range(1, 10):
        short = float(f"{x:.{digits}g}")
        if struct.unpack("f", struct.pack("f", short))[0] == exact:
            return int(short) if short.is_integer() else short
    return x


def colour(rgb: dict[str, Any]) -> dict[str, Any]:
    """Google keeps 8 bits per component (cut, not rounded) and omits the zero ones."""
    out = {}
    for key in ("red", "green", "blue", "alpha"):
        level = math.floor(float(rgb.get(key) or 0) * 255 + 1e-9)
        if level:
            out[key] = _float32_text(level / 255)
    return out


