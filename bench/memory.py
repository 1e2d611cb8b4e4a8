"""The peak resident memory of this process, as the benchmarks report it.

getrusage's ru_maxrss survives exec: a child started by a benchmark that
already holds 100,000 generated rows starts with the parent's peak, and
reports it. The kernel's VmHWM belongs to the process image, and starts
afresh at exec.
"""

from __future__ import annotations

import resource
from pathlib import Path


def _status_mb(field: str) -> int | None:
    """One memory figure of /proc/self/status in MiB (kB / 1024); None where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def peak_mb() -> int:
    """Peak resident memory of this process in MiB (VmHWM; ru_maxrss where /proc is missing)."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def resident_mb() -> int:
    """Resident memory of this process now, in MiB (VmRSS; 0 where /proc is missing)."""
    return _status_mb("VmRSS") or 0
