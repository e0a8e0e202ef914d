"""The ``paging:`` section of the core configuration (``core.paging.providers`` builds from it).

```yaml
paging:
  public_url: https://cockpit.example.com     # optional: ack links and voice callbacks
  email:
    host: smtp.example.com
    port: 587
    security: starttls                        # none | starttls | tls
    username: pager@example.com               # optional, together with password
    password: "..."
    from_address: "Incident Cockpit <pager@example.com>"
  twilio:                                     # SMS and VOICE
    account_sid: AC0123456789abcdef0123456789abcdef
    auth_token: "..."
    from_number: "+15551234567"
    base_url: https://api.twilio.com          # optional
  webhook:                                    # WEBHOOK channel addresses are URLs
    secret: "at least 16 characters"
```

Every secret is a :class:`pydantic.SecretStr`: it prints as ``**********``. A mistake raises
:class:`core.errors.ConfigError` naming the field (``paging.email.port: ...``) without echoing
the value.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from core.errors import ConfigError

E164_RE = re.compile(r"^\+[1-9]\d{1,14}$")
ACCOUNT_SID_RE = re.compile(r"^AC[0-9a-fA-F]{32}$")
_ADDR_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL")
    if parts.username or parts.password:
        raise ValueError("must not carry credentials in the URL")
    return value.rstrip("/")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


class EmailConfig(_Section):
    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["none", "starttls", "tls"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    from_address: str
    timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    validate_certs: bool = True
    ca_file: Path | None = Field(default=None, description="PEM bundle for a private CA.")

    @field_validator("from_address")
    @classmethod
    def _from(cls, value: str) -> str:
        from email.utils import parseaddr

        _, addr = parseaddr(value)
        if not _ADDR_RE.match(addr or ""):
            raise ValueError("must be an email address, e.g. 'Pager <pager@example.com>'")
        return value

    @model_validator(mode="after")
    def _auth_pair(self) -> EmailConfig:
        if (self.username is None) != (self.password is None):
            raise ValueError("username and password must be given together")
        return self


class TwilioConfig(_Section):
    account_sid: str
    auth_token: SecretStr
    from_number: str
    base_url: str = "https://api.twilio.com"
    timeout_seconds: float = Field(default=15.0, gt=0, le=120)

    @field_validator("account_sid")
    @classmethod
    def _sid(cls, value: str) -> str:
        if not ACCOUNT_SID_RE.match(value):
            raise ValueError("must be 'AC' followed by 32 hexadecimal digits")
        return value

    @field_validator("auth_token")
    @classmethod
    def _token(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value():
            raise ValueError("must not be empty")
        return value

    @field_validator("from_number")
    @classmethod
    def _from(cls, value: str) -> str:
        if not E164_RE.match(value):
            raise ValueError("must be an E.164 number such as +15551234567")
        return value

    @field_validator("base_url")
    @classmethod
    def _base(cls, value: str) -> str:
        return _http_url(value)


class WebhookConfig(_Section):
    secret: SecretStr
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    page_urls: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="every page is also POSTed (signed) to these URLs, e.g. a chat bridge",
    )

    @field_validator("page_urls")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        return [_http_url(url) for url in value]

    @field_validator("secret")
    @classmethod
    def _secret(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return value


class PagingConfig(_Section):
    email: EmailConfig | None = None
    twilio: TwilioConfig | None = None
    webhook: WebhookConfig | None = None
    public_url: str | None = None

    @field_validator("public_url")
    @classmethod
    def _public(cls, value: str | None) -> str | None:
        return None if value is None else _http_url(value)


def parse_paging_config(raw: PagingConfig | dict[str, Any] | None) -> PagingConfig:
    """Validate the ``paging:`` mapping; ConfigError names each bad field, never its value."""
    if isinstance(raw, PagingConfig):
        return raw
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"paging: must be a mapping, not {type(raw).__name__}")
    try:
        return PagingConfig.model_validate(raw)
    except ValidationError as exc:
        parts = []
        for err in exc.errors(include_input=False, include_url=False):
            where = ".".join(str(p) for p in ("paging", *err["loc"]))
            msg = err["msg"].removeprefix("Value error, ")
            parts.append(f"{where}: {msg}")
        raise ConfigError("invalid paging configuration: " + "; ".join(parts)) from None
