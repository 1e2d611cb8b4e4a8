"""Hold local_sheets to what Google really answers: replay gspread's recorded
traffic (tests/data/google-recordings) and compare status and JSON bodies."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import local_sheets
from sheets_schema.transport import local_session

CASSETTES = sorted((Path(__file__).parent / "data" / "google-recordings").glob("*.json"))
ID_KEYS = {"id", "spreadsheetId", "sheetId", "protectedRangeId"}
IGNORED_KEYS = {"createdTime", "modifiedTime", "etag", "spreadsheetUrl"}


@pytest.fixture
def server(tmp_path):
    running = local_sheets.start(tmp_path)
    yield running
    running.stop()


def _learn_ids(recorded: Any, local: Any, ids: dict[str, str]) -> None:
    """Walk both answers side by side; each id Google gave maps to the one we gave."""
    if isinstance(recorded, dict) and isinstance(local, dict):
        for key, value in recorded.items():
            if key in ID_KEYS and key in local and not isinstance(value, (dict, list)):
                ids[str(value)] = str(local[key])
            elif key in local:
                _learn_ids(value, local[key], ids)
    elif isinstance(recorded, list) and isinstance(local, list):
        for a, b in zip(recorded, local):
            _learn_ids(a, b, ids)


def _map_ids(value: Any, ids: dict[str, str]) -> Any:
    """Recorded ids -> ours, in a request body (numbers stay numbers)."""
    if isinstance(value, dict):
        return {k: (_mapped_scalar(v, ids) if k in ID_KEYS else _map_ids(v, ids)) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_ids(v, ids) for v in value]
    return value


def _mapped_scalar(value: Any, ids: dict[str, str]) -> Any:
    if str(value) not in ids:
        return value
    mapped = ids[str(value)]
    return int(mapped) if isinstance(value, int) else mapped


def _normalise(value: Any, ids: dict[str, str]) -> Any:
    """Ids replaced by ours, timestamps and etags dropped, ids in URLs mapped."""
    if isinstance(value, dict):
        return {k: (_mapped_scalar(v, ids) if k in ID_KEYS else _normalise(v, ids))
                for k, v in value.items() if k not in IGNORED_KEYS}
    if isinstance(value, list):
        return [_normalise(v, ids) for v in value]
    if isinstance(value, str) and value.endswith(".iam.gserviceaccount.com"):
        return "<the service account>"  # the recorder's account, or the local stand-in
    return value


def _map_uri(uri: str, ids: dict[str, str]) -> str:
    return re.sub(r"[A-Za-z0-9_-]{25,}", lambda m: ids.get(m.group(0), m.group(0)), uri)


def _difference(expected: Any, actual: Any, path: str = "") -> str | None:
    """Where two JSON values first differ, as 'path: google X, local Y'."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual or key not in expected:
                return (f"{path}.{key}: google {json.dumps(expected.get(key))[:300]}, "
                        f"local {json.dumps(actual.get(key))[:300]}")
            found = _difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (a, b) in enumerate(zip(expected, actual)):
            found = _difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    if expected != actual:
        return f"{path}: google {json.dumps(expected)[:300]}, local {json.dumps(actual)[:300]}"
    return None


def replay(server, cassette: Path) -> tuple[int, list[str]]:
    """Replay every interaction; return (count, mismatch descriptions)."""
    session = local_session(server.url, server.token)
    ids: dict[str, str] = {}
    mismatches = []
    interactions = json.loads(cassette.read_text())["interactions"]
    for n, interaction in enumerate(interactions):
        request, response = interaction["request"], interaction["response"]
        body = request["body"]
        data = json.dumps(_map_ids(json.loads(body), ids)) if body else None
        got = session.request(request["method"], _map_uri(request["uri"], ids), data=data,
                              headers={"Content-Type": "application/json"} if body else {})
        where = f"#{n} {request['method']} {request['uri'][:120]}"
        if got.status_code != response["status"]["code"]:
            mismatches.append(f"{where}: status {got.status_code} != {response['status']['code']}: {got.text[:300]}")
            continue
        expected_text = response["body"]["string"]
        if not expected_text or "json" not in got.headers.get("Content-Type", ""):
            continue
        expected, actual = json.loads(expected_text), got.json()
        _learn_ids(expected, actual, ids)
        if _normalise(expected, ids) != _normalise(actual, ids):
            mismatches.append(f"{where}: {_difference(_normalise(expected, ids), _normalise(actual, ids))}")
    return len(interactions), mismatches


def _call_kinds() -> tuple[set[str], set[str]]:
    """Which API calls, and which :batchUpdate request kinds, the copied recordings hold."""
    calls, requests_ = set(), set()
    for cassette in CASSETTES:
        for interaction in json.loads(cassette.read_text())["interactions"]:
            request = interaction["request"]
            path = request["uri"].split("?", 1)[0]
            verb = re.search(r"(values:\w+|:\w+)$", path)
            host = "drive" if "/drive/" in path else "values" if "/values/" in path else "spreadsheets"
            calls.add(verb.group(1) if verb else f"{host} {request['method']}")
            if path.endswith(":batchUpdate") and "/values" not in path and request["body"]:
                requests_.update(next(iter(r)) for r in json.loads(request["body"])["requests"])
    return calls, requests_


def test_recordings_cover_the_calls_helpt_uses():
    calls, requests_ = _call_kinds()
    assert {"spreadsheets GET", "drive POST", "drive GET", "drive DELETE", "values GET", "values PUT",
            ":append", ":clear", "values:batchGet", "values:batchUpdate", "values:batchClear",
            ":batchUpdate"} <= calls
    assert {"addSheet", "deleteSheet", "updateSheetProperties", "insertDimension", "deleteDimension",
            "setDataValidation", "addProtectedRange", "deleteProtectedRange",
            "updateDimensionProperties"} <= requests_


@pytest.mark.parametrize("cassette", CASSETTES, ids=lambda p: p.stem)
def test_cassette_matches_google(server, cassette):
    total, mismatches = replay(server, cassette)
    assert total > 0
    assert not mismatches, "\n".join(mismatches[:5])
