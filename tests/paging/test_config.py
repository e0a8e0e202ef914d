from __future__ import annotations

import logging

import pytest

from core.config import load_config
from core.errors import ConfigError
from core.paging import OutboundMessage, Provider, build_providers, parse_paging_config
from core.paging.email import SmtpProvider
from core.paging.local import LocalProvider
from core.paging.twilio import TwilioProvider
from core.paging.webhook import WebhookProvider
from tests.paging.servers import ACCOUNT_SID, AUTH_TOKEN, SECRETS, SMTP_PASSWORD, WEBHOOK_SECRET


def full() -> dict:
    return {
        "email": {
            "host": "smtp.example.com",
            "port": 587,
            "security": "starttls",
            "username": "pager@example.com",
            "password": SMTP_PASSWORD,
            "from_address": "Incident Cockpit <pager@example.com>",
        },
        "twilio": {
            "account_sid": ACCOUNT_SID,
            "auth_token": AUTH_TOKEN,
            "from_number": "+15551230000",
        },
        "webhook": {"secret": WEBHOOK_SECRET},
        "public_url": "https://cockpit.example.com/",
    }


def test_nothing_configured_means_local_outbox_for_every_channel(now):
    providers = build_providers({})
    assert set(providers) == {"EMAIL", "SMS", "VOICE", "WEBHOOK"}
    for channel, prov in providers.items():
        assert isinstance(prov, LocalProvider) and isinstance(prov, Provider)
        assert prov.describe()["channel"] == channel
        assert prov.describe()["name"] == "local"


async def test_local_provider_returns_the_idempotency_key(now):
    msg = OutboundMessage("k-1", "SMS", "+15551234567", "page", "s", "b", "sb")
    result = await build_providers(None)["SMS"].send(msg, now)
    assert (result.provider, result.provider_message_id) == ("local", "k-1")


def test_full_config_builds_each_provider():
    providers = build_providers(full())
    assert isinstance(providers["EMAIL"], SmtpProvider)
    assert isinstance(providers["SMS"], TwilioProvider) and providers["SMS"].channel == "SMS"
    assert isinstance(providers["VOICE"], TwilioProvider) and providers["VOICE"].channel == "VOICE"
    assert isinstance(providers["WEBHOOK"], WebhookProvider)
    cfg = parse_paging_config(full())
    assert cfg.public_url == "https://cockpit.example.com"
    assert cfg.twilio.base_url == "https://api.twilio.com"
    assert providers["SMS"].describe()["target"] == "https://api.twilio.com"


def test_partial_config_leaves_the_rest_local():
    providers = build_providers({"webhook": {"secret": WEBHOOK_SECRET}})
    assert isinstance(providers["WEBHOOK"], WebhookProvider)
    assert all(isinstance(providers[c], LocalProvider) for c in ("EMAIL", "SMS", "VOICE"))


def test_paging_section_from_the_core_config(tmp_path):
    core_cfg = load_config(tmp_path, {"paging": full()})
    assert isinstance(build_providers(core_cfg.paging)["EMAIL"], SmtpProvider)


@pytest.mark.parametrize(
    ("patch", "field", "absent"),
    [
        ({"email": {"port": 70000}}, "paging.email.port:", None),
        ({"email": {"port": "smtp"}}, "paging.email.port:", None),
        ({"email": {"security": "ssl"}}, "paging.email.security:", None),
        ({"email": {"hots": "x"}}, "paging.email.hots: Extra inputs are not permitted", None),
        (
            {"email": {"from_address": "nobody"}},
            "paging.email.from_address: must be an email address",
            None,
        ),
        (
            {"email": {"username": None}},
            "paging.email: username and password must be given together",
            SMTP_PASSWORD,
        ),
        (
            {"twilio": {"from_number": "555-1234"}},
            "paging.twilio.from_number: must be an E.164 number",
            None,
        ),
        (
            {"twilio": {"account_sid": "AC123"}},
            "paging.twilio.account_sid: must be 'AC' followed by 32",
            None,
        ),
        ({"twilio": {"auth_token": ""}}, "paging.twilio.auth_token: must not be empty", None),
        (
            {"twilio": {"base_url": "https://user:pw@api.twilio.com"}},
            "paging.twilio.base_url: must not carry credentials",
            "user:pw",
        ),
        (
            {"webhook": {"secret": "tooShort-s3cr3t"}},
            "paging.webhook.secret: must be at least 16 characters",
            "tooShort-s3cr3t",
        ),
        (
            {"webhook": {"secret": 12345678901234567890}},
            "paging.webhook.secret:",
            "12345678901234567890",
        ),
        ({"sms": {}}, "paging.sms: Extra inputs are not permitted", None),
        ({"public_url": "cockpit.example.com"}, "paging.public_url: must be an http", None),
    ],
)
def test_bad_config_names_the_field_and_never_echoes_values(patch, field, absent):
    raw = full()
    for section, values in patch.items():
        if isinstance(values, dict) and isinstance(raw.get(section), dict):
            for key, value in values.items():
                if value is None:
                    raw[section].pop(key)
                else:
                    raw[section][key] = value
        else:
            raw[section] = values
    with pytest.raises(ConfigError) as info:
        build_providers(raw)
    text = str(info.value)
    assert field in text
    for secret in SECRETS:
        assert secret not in text
    if absent:
        assert absent not in text


def test_missing_required_fields_are_named():
    with pytest.raises(ConfigError) as info:
        parse_paging_config({"twilio": {"account_sid": ACCOUNT_SID}})
    assert "paging.twilio.auth_token: Field required" in str(info.value)
    assert "paging.twilio.from_number: Field required" in str(info.value)


def test_paging_must_be_a_mapping():
    with pytest.raises(ConfigError, match="paging: must be a mapping"):
        parse_paging_config(["email"])  # type: ignore[arg-type]


def test_secrets_never_appear_in_repr_str_describe_or_logs(caplog):
    caplog.set_level(logging.DEBUG)
    cfg = parse_paging_config(full())
    providers = build_providers(cfg)
    texts = [repr(cfg), str(cfg), cfg.model_dump_json(), repr(cfg.model_dump())]
    for prov in providers.values():
        texts += [repr(prov), str(prov), repr(prov.describe()), str(vars(prov).keys())]
        logging.getLogger("core.paging").info("provider %r: %s", prov, prov.describe())
    texts.append(caplog.text)
    joined = "\n".join(texts)
    for secret in SECRETS:
        assert secret not in joined
    assert "**********" in repr(cfg)
    assert providers["EMAIL"].describe()["authentication"] is True
