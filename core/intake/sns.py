"""Amazon SNS HTTP(S) deliveries: the envelope, its signature (versions 1 and 2), and the
subscription confirmation.

SNS posts JSON with ``Content-Type: text/plain``. Every message is signed: the canonical
string of its fields (``string_to_sign``) is signed with the key of the X.509 certificate at
``SigningCertURL``, with SHA1 (``SignatureVersion`` 1) or SHA256 (2). The certificate is
fetched only from an allowed host (``intake.sns_cert_hosts``, default ``sns.*.amazonaws.com``
over https; a loopback host may be named for tests, over http) and cached by URL. A
SubscriptionConfirmation is confirmed by fetching its ``SubscribeURL``, under the same host
rule.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import ipaddress
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from core.intake.alerts import PayloadError

TYPES = ("Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation")
NOTIFICATION_KEYS = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
CONFIRMATION_KEYS = ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type")
HASHES = {"1": hashes.SHA1, "2": hashes.SHA256}
CERT_TIMEOUT_S = 5.0
_certificates: dict[str, rsa.RSAPublicKey] = {}


class SignatureError(ValueError):
    """The message's signature does not verify, or its certificate cannot be used."""


def envelope(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise PayloadError("an SNS message is a JSON object")
    kind = payload.get("Type")
    if kind not in TYPES:
        raise PayloadError(f"'Type' must be one of {', '.join(TYPES)}, not {str(kind)[:40]!r}")
    keys = NOTIFICATION_KEYS if kind == "Notification" else CONFIRMATION_KEYS
    for key in (*keys, "Signature", "SignatureVersion", "SigningCertURL"):
        if key == "Subject":
            continue
        if not isinstance(payload.get(key), str):
            raise PayloadError(f"the SNS {kind} has no '{key}' string")
    if payload["SignatureVersion"] not in HASHES:
        raise PayloadError(f"'SignatureVersion' must be 1 or 2, not {payload['SignatureVersion'][:10]!r}")
    return payload


def string_to_sign(message: dict[str, Any]) -> bytes:
    keys = NOTIFICATION_KEYS if message["Type"] == "Notification" else CONFIRMATION_KEYS
    parts = []
    for key in keys:
        if key in message and message[key] is not None:
            parts.append(f"{key}\n{message[key]}\n")
    return "".join(parts).encode("utf-8")


def allowed_url(url: str, hosts: list[str]) -> bool:
    """https on a host matching one of ``hosts`` (fnmatch), or http on a loopback host named there."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or not any(fnmatch.fnmatch(host, pattern.lower()) for pattern in hosts):
        return False
    if parts.scheme == "https":
        return True
    try:
        return parts.scheme == "http" and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _http_get(url: str) -> bytes:
    import httpx  # noqa: PLC0415 (lazy: httpx costs 0.18 s at every core start)

    try:
        async with httpx.AsyncClient(timeout=CERT_TIMEOUT_S, follow_redirects=False) as client:
            response = await client.get(url)
    except httpx.HTTPError as exc:
        raise SignatureError(f"{urlsplit(url).hostname} could not be reached: {type(exc).__name__}") from None
    if response.status_code != 200:
        raise SignatureError(f"{urlsplit(url).hostname} answered {response.status_code}")
    return response.content


async def _public_key(url: str, hosts: list[str]) -> rsa.RSAPublicKey:
    if not allowed_url(url, hosts):
        raise SignatureError(
            f"SigningCertURL host {urlsplit(url).hostname!r} is not an allowed certificate host (intake.sns_cert_hosts)"
        )
    key = _certificates.get(url)
    if key is None:
        pem = await _http_get(url)
        from cryptography import x509  # here, not at the top: ~0.04 s at every server start

        try:
            found = x509.load_pem_x509_certificate(pem).public_key()
        except ValueError:
            raise SignatureError("SigningCertURL does not hold a PEM certificate") from None
        if not isinstance(found, rsa.RSAPublicKey):
            raise SignatureError("the signing certificate's key is not RSA")
        key = _certificates[url] = found
    return key


async def verify(message: dict[str, Any], hosts: list[str]) -> None:
    """Raise SignatureError unless ``message`` (a checked envelope) is signed by SNS."""
    try:
        signature = base64.b64decode(message["Signature"], validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError("'Signature' is not base64") from None
    key = await _public_key(message["SigningCertURL"], hosts)
    digest = HASHES[message["SignatureVersion"]]()
    try:
        key.verify(signature, string_to_sign(message), padding.PKCS1v15(), digest)
    except InvalidSignature:
        raise SignatureError("the SNS signature does not match the message") from None


async def confirm_subscription(message: dict[str, Any], hosts: list[str]) -> str:
    """Fetch the SubscribeURL; returns what happened, for the intake log."""
    url = message["SubscribeURL"]
    if not allowed_url(url, hosts):
        raise SignatureError(f"SubscribeURL host {urlsplit(url).hostname!r} is not an allowed SNS host")
    await _http_get(url)
    return f"subscription to {message['TopicArn']} confirmed"
