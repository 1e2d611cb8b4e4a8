"""Run `helpt serve` as its own process, the way a person starts the desk, and find its address."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

# Settings of the machine running the tests that must not leak into a desk under test.
_FOREIGN = ("HELPT_SPREADSHEET_ID", "GOOGLE_APPLICATION_CREDENTIALS", "HELPT_BACKEND", "DATABASE_URL",
            "PYTHONPATH")


def desk_environment(settings: Mapping[str, str]) -> dict[str, str]:
    """This environment without foreign helpt settings, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN}
    return {**env, "PYTHONUNBUFFERED": "1", **settings}


def start_desk(command: Sequence[str], cwd: Path, settings: Mapping[str, str]) -> tuple[subprocess.Popen, str]:
    """Start `command` (a `helpt serve`), wait until it says it is ready; the process and the desk's URL."""
    desk = subprocess.Popen(list(command), cwd=cwd, env=desk_environment(settings),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    printed = []
    assert desk.stdout is not None
    for line in desk.stdout:  # blocks until the desk has said each line
        printed.append(line)
        if "Press Ctrl+C" in line:
            break
    match = re.search(r"desk \(forms and intake API\): (\S+)", "".join(printed))
    if not match:
        desk.kill()
        raise AssertionError("the desk did not start:\n" + "".join(printed))
    return desk, match.group(1)
