"""The cockpit's own settings (the core has its config.yaml; these are about the UI).

Sources, strongest first: constructor arguments (tests), ``COCKPIT_UI_*`` environment variables,
then ``ui.toml`` in the platform's config directory (``COCKPIT_UI_CONFIG_FILE`` names another).

    theme = "ansi-dark"
    timezone = "Europe/Paris"        # timeline times; default: the system's local zone
    read_only = false
    animations = false                # tab underline and scroll animations
    [keymap]                          # binding id -> key(s)
    start-incident = "n"
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import BaseModel, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def default_config_file() -> Path:
    override = os.environ.get("COCKPIT_UI_CONFIG_FILE")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("incident-cockpit", appauthor=False)) / "ui.toml"


class Profile(BaseModel):
    """A remote core and the access key to reach it with (`cockpit attach --profile NAME`)."""

    url: str | None = None
    access_key_id: str
    secret_access_key: SecretStr


class CockpitSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COCKPIT_UI_", extra="ignore")

    theme: str | None = None
    """A registered theme name; None picks cockpit-dark (ansi-dark under NO_COLOR)."""
    keymap: dict[str, str] = {}
    """Binding id -> key, for example {"start-incident": "n"} (see `?` for the ids)."""
    timezone: str | None = None
    """Zone for times shown to people; None is the system's local zone."""
    read_only: bool = False
    """Hide and refuse every action that changes something."""
    page_size: int = 50
    """Incidents fetched per page from the core."""
    bell: bool = True
    """Ring the terminal bell when an impact 1 or 2 incident starts."""
    cursor_blink: bool = True
    animations: bool = False
    """Animate the tab underline and scrolling. Off by default: each frame of an animation is
    sent to the terminal (over SSH too), and a key's answer waits behind them."""
    profiles: dict[str, Profile] = {}
    """Remote cores by name: [profiles.NAME] with url, access_key_id, secret_access_key."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("page_size")
    @classmethod
    def _page(cls, value: int) -> int:
        if not 1 <= value <= 100:
            raise ValueError("page_size must be between 1 and 100 (the core's page limit)")
        return value

    @property
    def zone(self) -> ZoneInfo | None:
        return ZoneInfo(self.timezone) if self.timezone else None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=default_config_file()),
        )


def load_settings(**overrides: object) -> CockpitSettings:
    return CockpitSettings(**overrides)
