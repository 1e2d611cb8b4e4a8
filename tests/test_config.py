"""Settings come from defaults, then .env, then the environment, then explicit overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_schema.errors import ConfigError
from sheets_schema.settings import ENV_NAMES, Settings, load_settings


def test_defaults_use_the_local_backend(tmp_path):
    settings = load_settings({}, env_file=tmp_path / "none")
    assert settings == Settings()
    assert settings.resolved_backend == "local"


def test_google_is_chosen_when_both_google_settings_are_present(tmp_path):
    settings = load_settings({"HELPT_SPREADSHEET_ID": "abc", "GOOGLE_APPLICATION_CREDENTIALS": "/k.json"},
                             env_file=None)
    assert settings.resolved_backend == "google"


def test_environment_wins_over_env_file_and_overrides_win_over_both(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("HELPT_LANGUAGE=fr\nHELPT_PORT=9000\nHELPT_DATA_DIR=/srv/helpt\n")
    settings = load_settings({"HELPT_PORT": "9100"}, env_file=env_file, host="0.0.0.0")
    assert (settings.language, settings.port, settings.data_dir, settings.host) == (
        "fr", 9100, Path("/srv/helpt"), "0.0.0.0")


@pytest.mark.parametrize("environ, message", [
    ({"HELPT_BACKEND": "excel"}, "HELPT_BACKEND"),
    ({"HELPT_LANGUAGE": "de"}, "HELPT_LANGUAGE"),
    ({"HELPT_PORT": "eighty"}, "HELPT_PORT"),
    ({"HELPT_BACKEND": "google"}, "GOOGLE_APPLICATION_CREDENTIALS"),
    ({"HELPT_SHEETS_ATTEMPTS": "0"}, "HELPT_SHEETS_ATTEMPTS"),
])
def test_bad_settings_are_named(environ, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(environ, env_file=None)


def test_env_example_lists_every_setting():
    example = (Path(__file__).parent.parent / ".env.example").read_text()
    for name in ENV_NAMES.values():
        assert f"\n{name}=" in example, name


def test_a_bad_language_is_refused_the_same_way_by_every_process(tmp_path, monkeypatch, capsys):
    """The CLI, the gunicorn app (create_app without arguments) and so the flusher and the worker
    read the settings through one function: HELPT_LANGUAGE=de stops them all, with one message."""
    from helpt.cli import main
    from webhooks import create_app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HELPT_LANGUAGE", "de")
    monkeypatch.setenv("HELPT_DATA_DIR", str(tmp_path))
    with pytest.raises(ConfigError) as refused:
        create_app()
    assert main(["schema"]) == 1
    assert capsys.readouterr().err.strip() == f"helpt: {refused.value}"
    assert "HELPT_LANGUAGE must be one of nl, en, fr, not 'de'" in str(refused.value)


def test_the_matching_settings_change_the_suggestions(tmp_path, monkeypatch, capsys):
    """HELPT_MATCH_MAX_KM and HELPT_MATCH_CAPACITY reach the sync: a helper 2 km away is
    suggested within 5 km, not within 1 km."""
    import local_sheets
    from helpt.cli import main
    from sheets_schema.workbook import open_local

    from .conftest import FAST_RETRY
    from .sync_helpers import master, spreadsheet, submission

    server = local_sheets.start(tmp_path / "data")
    try:
        monkeypatch.chdir(tmp_path)
        for name, value in {"HELPT_DATA_DIR": str(tmp_path / "data"), "HELPT_SHEETS_URL": server.url,
                            "HELPT_SHEETS_TOKEN": server.token, "HELPT_SPREADSHEET_TITLE": "match"}.items():
            monkeypatch.setenv(name, value)
        workbook = open_local(server.url, token=server.token, title="match", retry=FAST_RETRY)
        spreadsheet(workbook, offers=[("nl", submission("S-1", "Vera Volunteer", phone="0470 10 10 10",
                                                        postcode="3001", tasks=["dog_walking"], profile_ok="Ja"))],
                    requests=[("nl", submission("S-2", "Rita Request", phone="016 10 10 10", postcode="3000",
                                                tasks=["dog_walking"]))])
        suggestions = {}
        for km in ("5", "1"):
            monkeypatch.setenv("HELPT_MATCH_MAX_KM", km)
            assert main(["sync"]) == 0
            [request] = master(workbook, "requests", matching=True).values()
            suggestions[km] = request["suggestion_1"] or request["no_match_reason"]
        assert suggestions["5"].startswith("V-000001 Vera V. · 2,0 km")
        assert suggestions["1"].endswith("de dichtstbijzijnde woont op 2,0 km (grens 1 km)")
    finally:
        server.stop()


def test_the_settings_page_holds_the_table_made_from_the_codes_own_list():
    from sheets_schema.settings import settings_table

    page = (Path(__file__).parent.parent / "docs" / "settings.md").read_text()
    assert settings_table() in page
