"""How long `helpt --help` and `helpt schema` take to answer, and their peak memory.

    .venv/bin/python bench/startup.py [--runs 10]

Each command runs --runs times in a fresh process (the installed `helpt`
script of this virtual environment); reported: the median and the worst
wall time, and the peak resident memory, as a person typing it meets them.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HELPT = Path(sys.executable).parent / "helpt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    for command in (["--help"], ["schema"], ["sync", "--help"]):
        seconds = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([str(HELPT), *command], check=True, stdout=subprocess.DEVNULL)
            seconds.append(time.perf_counter() - started)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(f"helpt {' '.join(command):<12} median {statistics.median(seconds):.3f} s, worst {max(seconds):.3f} s, "
              f"peak so far {peak} MiB ({args.runs} runs)")


if __name__ == "__main__":
    main()
