"""Logging the Python way, configured once at every entry point (the command line, gunicorn's app).

Level from HELPT_LOG_LEVEL (INFO), lines on stderr with time, level and the
logger's name, or one JSON object a line with HELPT_LOG_FORMAT=json for
platforms that collect logs. Only helpt's own loggers ("helpt.*") are set up:
gunicorn and the libraries keep theirs. No line carries personal data: jobs
log counts and ids, never a name, a phone number or an answer.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
FORMATS = ("text", "json")


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    """Send helpt's log lines to stderr, replacing any handler an earlier call set."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonLines() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("helpt")
    for old in list(logger.handlers):
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
