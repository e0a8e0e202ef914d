"""Where `cockpit attach` and `--endpoint` take their credentials from: a profile in ui.toml,
then the environment, then a prompt (never without a terminal); each mistake named."""

from __future__ import annotations

import pytest

from cockpit.remote.credentials import CredentialsError, resolve_credentials
from cockpit.settings import load_settings

UI_TOML = """
[profiles.prod]
url = "https://cockpit.example.com/"
access_key_id = "CKIAPRODPRODPRODPROD"
secret_access_key = "prod-secret"

[profiles.nourl]
access_key_id = "CKIANOURLNOURLNOURL0"
secret_access_key = "x"
"""


@pytest.fixture
def settings(tmp_path, monkeypatch):
    path = tmp_path / "ui.toml"
    path.write_text(UI_TOML)
    monkeypatch.setenv("COCKPIT_UI_CONFIG_FILE", str(path))
    monkeypatch.delenv("COCKPIT_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("COCKPIT_SECRET_ACCESS_KEY", raising=False)
    return load_settings()


def test_profile_then_environment(settings, monkeypatch):
    creds = resolve_credentials(None, "prod", settings)
    assert (creds.url, creds.access_key_id, creds.secret_access_key) == (
        "https://cockpit.example.com", "CKIAPRODPRODPRODPROD", "prod-secret")
    assert "prod-secret" not in repr(creds)
    assert resolve_credentials("http://127.0.0.1:9", "nourl", settings).url == "http://127.0.0.1:9"
    monkeypatch.setenv("COCKPIT_ACCESS_KEY_ID", "CKIAENVENVENVENVENV0")
    monkeypatch.setenv("COCKPIT_SECRET_ACCESS_KEY", "env-secret")
    creds = resolve_credentials("http://127.0.0.1:8080", None, settings)
    assert (creds.access_key_id, creds.secret_access_key) == ("CKIAENVENVENVENVENV0", "env-secret")


def test_each_mistake_is_named(settings, monkeypatch):
    with pytest.raises(CredentialsError, match="no profile 'staging'.*prod"):
        resolve_credentials(None, "staging", settings)
    with pytest.raises(CredentialsError, match="a profile with a url"):
        resolve_credentials(None, "nourl", settings)
    with pytest.raises(CredentialsError, match="not an http"):
        resolve_credentials("cockpit.example.com", None, settings)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CredentialsError, match="COCKPIT_ACCESS_KEY_ID"):
        resolve_credentials("http://127.0.0.1:8080", None, settings)
