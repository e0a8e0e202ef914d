"""A local stand-in for SNS: an RSA key, its certificate served on 127.0.0.1, messages signed
the way SNS signs them (SignatureVersion 1: SHA1, 2: SHA256), and a SubscribeURL that records
being fetched."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.intake.sns import string_to_sign

TOPIC = "arn:aws:sns:eu-west-1:111122223333:cloudwatch-alarms"
ALARM_ARN = "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:api-5xx"


def _certificate(key: rsa.RSAPrivateKey) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.local.test")])
    now = datetime(2026, 1, 1, tzinfo=UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


class FakeSNS:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.pem = _certificate(self.key)
        self.confirmed: list[str] = []
        self.url = ""  # set once served
        self.app = Starlette(routes=[
            Route("/cert.pem", self._cert), Route("/confirm", self._confirm),
        ])

    async def _cert(self, request: Request) -> Response:
        return Response(self.pem, media_type="application/x-pem-file")

    async def _confirm(self, request: Request) -> Response:
        self.confirmed.append(request.query_params.get("Token", ""))
        return Response("<ConfirmSubscriptionResponse/>", media_type="text/xml")

    def sign(self, message: dict[str, Any], version: str = "1") -> dict[str, Any]:
        message = {**message, "SignatureVersion": version, "SigningCertURL": f"{self.url}/cert.pem"}
        digest = hashes.SHA1() if version == "1" else hashes.SHA256()
        signature = self.key.sign(string_to_sign(message), padding.PKCS1v15(), digest)
        return {**message, "Signature": base64.b64encode(signature).decode()}

    def subscription(self) -> dict[str, Any]:
        return self.sign({
            "Type": "SubscriptionConfirmation", "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
            "Token": "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
            "TopicArn": TOPIC,
            "Message": f"You have chosen to subscribe to the topic {TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
            "SubscribeURL": f"{self.url}/confirm?Action=ConfirmSubscription&TopicArn={TOPIC}&Token=abc",
            "Timestamp": "2026-03-02T09:00:00.000Z",
        })

    def alarm(self, state: str, version: str = "1", when: str = "2026-03-02T09:00:00.000+0000") -> dict[str, Any]:
        alarm = {
            "AlarmName": "api-5xx", "AlarmDescription": "API 5xx rate above 5%", "AWSAccountId": "111122223333",
            "AlarmConfigurationUpdatedTimestamp": "2026-02-01T10:00:00.000+0000", "NewStateValue": state,
            "NewStateReason": "Threshold Crossed: 1 datapoint [12.5] was greater than the threshold (5.0).",
            "StateChangeTime": when, "Region": "EU (Ireland)", "AlarmArn": ALARM_ARN,
            "OldStateValue": "OK" if state == "ALARM" else "ALARM",
            "Trigger": {"MetricName": "5XXError", "Namespace": "AWS/ApiGateway", "StatisticType": "Statistic",
                        "Statistic": "AVERAGE", "Period": 60, "EvaluationPeriods": 1,
                        "ComparisonOperator": "GreaterThanThreshold", "Threshold": 5.0},
        }
        return self.sign({
            "Type": "Notification", "MessageId": f"msg-{state}-{version}", "TopicArn": TOPIC,
            "Subject": f'{state}: "api-5xx" in EU (Ireland)', "Message": json.dumps(alarm),
            "Timestamp": "2026-03-02T09:00:01.000Z",
            "UnsubscribeURL": f"{self.url}/unsubscribe",
        }, version)
