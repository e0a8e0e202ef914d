"""Which core to reach and as whom, for `cockpit attach` and the `--endpoint` commands.

Credentials come from, in order: ``--profile NAME`` (a ``[profiles.NAME]`` table in the UI
settings file, ui.toml), the environment (``COCKPIT_ACCESS_KEY_ID`` and
``COCKPIT_SECRET_ACCESS_KEY``), or a prompt on the terminal. The secret is never printed.

    [profiles.prod]
    url = "https://cockpit.example.com"
    access_key_id = "CKIA..."
    secret_access_key = "..."
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field

from cockpit.settings import CockpitSettings

ENV_KEY_ID = "COCKPIT_ACCESS_KEY_ID"
ENV_SECRET = "COCKPIT_SECRET_ACCESS_KEY"


class CredentialsError(Exception):
    """No usable endpoint or credentials (the message says what to give)."""


@dataclass(frozen=True)
class Credentials:
    url: str
    access_key_id: str
    secret_access_key: str = field(repr=False)


def _url(given: str | None, from_profile: str | None) -> str:
    url = given or from_profile
    if not url:
        raise CredentialsError("name the core to reach: a URL (https://HOST:PORT), or a profile with a url")
    if not url.startswith(("http://", "https://")):
        raise CredentialsError(f"{url!r} is not an http:// or https:// URL")
    return url.rstrip("/")


def resolve_credentials(url: str | None, profile: str | None, settings: CockpitSettings) -> Credentials:
    if profile is not None:
        found = settings.profiles.get(profile)
        if found is None:
            known = ", ".join(sorted(settings.profiles)) or "none"
            raise CredentialsError(f"no profile {profile!r} in the settings file (profiles: {known})")
        return Credentials(_url(url, found.url), found.access_key_id, found.secret_access_key.get_secret_value())
    target = _url(url, None)
    key_id, secret = os.environ.get(ENV_KEY_ID), os.environ.get(ENV_SECRET)
    if key_id and secret:
        return Credentials(target, key_id, secret)
    if not sys.stdin.isatty():
        raise CredentialsError(
            f"no credentials for {target}: use --profile NAME, or set {ENV_KEY_ID} and {ENV_SECRET}"
        )
    key_id = key_id or input(f"Access key id for {target}: ").strip()
    secret = secret or getpass.getpass("Secret access key: ").strip()
    if not key_id or not secret:
        raise CredentialsError("an access key id and its secret are both needed")
    return Credentials(target, key_id, secret)
