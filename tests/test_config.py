"""Settings come from defaults, then .env, then the environment, then explicit overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpt.config import ENV_NAMES, Settings, load_settings
from sheets_schema.errors import ConfigError


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
