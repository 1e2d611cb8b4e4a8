"""Shared fixtures: a running local Sheets server on a free loopback port, and Workbooks on it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import settings

import local_sheets
from sheets_schema.workbook import RetryPolicy, Workbook, open_local

from . import servers

# Property tests draw the same examples on every run, so a red CI always means a change broke
# something, never that a random draw found an old bug that day. To look for new failing
# examples, run them with HYPOTHESIS_PROFILE=explore (random draws, more of them).
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", max_examples=2_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# Quick retries, so tests that exercise them stay fast; the waits are still real backoff.
FAST_RETRY = RetryPolicy(attempts=4, first_delay=0.01, max_delay=0.05, timeout=10)


@pytest.fixture(scope="session")
def sheets_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[local_sheets.RunningServer]:
    server = local_sheets.start(tmp_path_factory.mktemp("sheets"))
    yield server
    server.stop()


@pytest.fixture
def server(sheets_server: local_sheets.RunningServer) -> Iterator[local_sheets.RunningServer]:
    """The session's server, with any faults a test injected cleared afterwards."""
    yield sheets_server
    sheets_server.faults.clear()


@pytest.fixture
def workbook(server: local_sheets.RunningServer) -> Workbook:
    """A Workbook on a brand-new spreadsheet of its own."""
    return open_local(server.url, token=server.token, title=f"test-{uuid.uuid4().hex[:8]}", retry=FAST_RETRY)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server for the session (Debian's, started in a temporary folder)."""
    with servers.postgres() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """The URL of a brand-new, empty database on the session's PostgreSQL server."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return postgres_server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium (Debian's), one per test module."""
    from .browser import start_chromium

    driver = start_chromium(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()
