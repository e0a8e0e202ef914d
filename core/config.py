"""Core configuration: a YAML file in the data directory, overridable by ``COCKPIT_*``
environment variables (nested with ``__``, e.g. ``COCKPIT_REGION``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError

CONFIG_FILENAME = "config.yaml"
REGION_RE = re.compile(r"^[a-z0-9-]{1,20}$")


class KeysConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allowed_dirs: list[Path] = Field(
        default_factory=list,
        description="Directories whose files a replication set's sseKmsKeyId may name (absolute paths); "
        "keys in DATA_DIR/keys are always allowed.",
    )

    @field_validator("allowed_dirs")
    @classmethod
    def _absolute(cls, value: list[Path]) -> list[Path]:
        for path in value:
            if not path.is_absolute():
                raise ValueError(f"{path} must be an absolute path")
        return value


class RunbooksConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scripts_enabled: bool = Field(
        default=False, description="Run aws:executeScript steps (Python, in a separate process)."
    )
    commands_enabled: bool = Field(default=False, description="Run cockpit:runCommand steps.")
    allowed_commands: list[Path] = Field(
        default_factory=list,
        description="The programs cockpit:runCommand may run (absolute paths; a step names one by path or file name).",
    )

    @field_validator("allowed_commands")
    @classmethod
    def _absolute(cls, value: list[Path]) -> list[Path]:
        for path in value:
            if not path.is_absolute():
                raise ValueError(f"{path} must be an absolute path")
        return value


class IntakeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sns_cert_hosts: list[str] = Field(
        default_factory=lambda: ["sns.*.amazonaws.com"],
        description="Hosts (fnmatch patterns) SNS signing certificates and SubscribeURLs may come from, "
        "over https; a loopback address named here may be used over http (tests).",
    )
    wrong_tokens_per_minute: int = Field(
        default=10, ge=1, le=1000, description="Wrong intake tokens one address may send per minute before 429s."
    )


class CoreConfig(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="COCKPIT_", env_nested_delimiter="__", extra="forbid"
    )

    region: str = Field(
        default="local",
        description="Name of this site's region: the first region of the replication set.",
    )
    replicas: dict[str, Path] = Field(
        default_factory=dict,
        description="Replica regions: name -> directory that receives a copy of the database.",
    )
    replica_sync_seconds: float = Field(
        default=1.0,
        ge=0.0,
        le=5.0,
        description="Quiet time between replica copies; a commit reaches every replica within 5 s.",
    )
    paging: dict[str, Any] = Field(
        default_factory=dict, description="Delivery providers (see the README, 'Paging')."
    )
    keys: KeysConfig = Field(default_factory=KeysConfig, description="Where provided encryption keys may live.")
    intake: IntakeConfig = Field(default_factory=IntakeConfig, description="Alert intake (see the README, 'Alert intake').")
    runbooks: RunbooksConfig = Field(
        default_factory=RunbooksConfig, description="Which runbook steps that reach outside the core may run."
    )

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if not REGION_RE.match(value):
            raise ValueError("must be 1-20 characters of a-z, 0-9 and '-'")
        return value

    @field_validator("replicas")
    @classmethod
    def _replicas(cls, value: dict[str, Path]) -> dict[str, Path]:
        for name in value:
            if not REGION_RE.match(name):
                raise ValueError(f"replica name {name!r} must be 1-20 characters of a-z, 0-9 and '-'")
        return value


def _describe(exc: ValidationError, source: str) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"{where}: {err['msg']}")
    return f"invalid configuration in {source}: " + "; ".join(parts)


def load_config(data_dir: Path, given: CoreConfig | dict[str, Any] | Path | str | None) -> CoreConfig:
    """Build the configuration; every mistake is a ConfigError naming the file and the field."""
    if isinstance(given, CoreConfig):
        return given
    source = "the given settings"
    raw: Any = given
    if given is None or isinstance(given, str | Path):
        path = Path(given) if given is not None else Path(data_dir) / CONFIG_FILENAME
        source = str(path)
        if given is None and not path.exists():
            raw = {}
        else:
            try:
                raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except FileNotFoundError:
                raise ConfigError(f"the configuration file {path} does not exist") from None
            except yaml.YAMLError as exc:
                raise ConfigError(f"{path} is not valid YAML: {exc}") from None
            if not isinstance(raw, dict):
                raise ConfigError(f"{path} must hold a mapping of settings, not {type(raw).__name__}")
    try:
        return CoreConfig(**raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from None
