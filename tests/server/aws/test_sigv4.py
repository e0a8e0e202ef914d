"""SigV4 against a real `cockpit serve`: what boto3 signs verifies; a wrong secret, an unknown
key, a date more than 15 minutes off or a body changed after signing is refused as AWS
refuses it; any region is accepted; boto3's per-service endpoint variables work."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3
import botocore.auth
import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError


def _client(site, service, key_id, secret, region="us-east-1"):
    return boto3.client(service, endpoint_url=site.url, region_name=region, aws_access_key_id=key_id,
                        aws_secret_access_key=secret, config=Config(retries={"max_attempts": 1}))


def _refusal(call) -> dict:
    with pytest.raises(ClientError) as refused:
        call()
    return refused.value.response


def test_a_wrong_secret_is_an_invalid_signature(site, replication_set):
    admin = site.keys["admin"]
    error = _refusal(lambda: _client(site, "ssm-incidents", admin.access_key_id, admin.secret[:-1] + "x").list_response_plans())
    assert error["Error"]["Code"] == "InvalidSignatureException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "signature we calculated does not match" in error["Error"]["Message"]
    error = _refusal(lambda: _client(site, "ssm-contacts", admin.access_key_id, "wrong").list_contacts())
    assert error["Error"]["Code"] == "InvalidSignatureException"


def test_an_unknown_key_is_unrecognized(site, replication_set):
    error = _refusal(lambda: _client(site, "ssm-incidents", "CKIAUNKNOWNKEY000000", "secret").list_response_plans())
    assert error["Error"]["Code"] == "UnrecognizedClientException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403


@pytest.mark.parametrize("skew", [timedelta(minutes=-16), timedelta(minutes=16)])
def test_a_date_more_than_15_minutes_off_is_refused(site, replication_set, monkeypatch, skew):
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: datetime.now(UTC).replace(tzinfo=None) + skew)
    admin = site.keys["admin"]
    error = _refusal(lambda: _client(site, "ssm-incidents", admin.access_key_id, admin.secret).list_response_plans())
    assert error["Error"]["Code"] == "InvalidSignatureException"
    assert ("Signature expired" if skew < timedelta(0) else "Signature not yet current") in error["Error"]["Message"]


def test_a_date_within_15_minutes_is_accepted(site, replication_set, monkeypatch):
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=14))
    admin = site.keys["admin"]
    assert "responsePlanSummaries" in _client(site, "ssm-incidents", admin.access_key_id, admin.secret).list_response_plans()


def _signed(site, body: bytes, secret: str | None = None) -> AWSRequest:
    admin = site.keys["admin"]
    request = AWSRequest(method="POST", url=f"{site.url}/", data=body, headers={
        "X-Amz-Target": "SSMContacts.ListContacts", "Content-Type": "application/x-amz-json-1.1"})
    SigV4Auth(Credentials(admin.access_key_id, secret or admin.secret), "ssm-contacts", "us-east-1").add_auth(request)
    return request


def test_a_body_changed_after_signing_is_refused(site, replication_set):
    request = _signed(site, b'{"MaxResults": 1}')
    headers = dict(request.headers.items())
    sent = httpx.post(f"{site.url}/", content=b'{"MaxResults": 1}', headers=headers)
    assert sent.status_code == 200, sent.text  # the request as signed passes
    changed = httpx.post(f"{site.url}/", content=b'{"MaxResults": 2}', headers=headers)
    assert changed.status_code == 403
    assert changed.headers["x-amzn-ErrorType"] == "InvalidSignatureException"
    assert changed.json()["__type"] == "InvalidSignatureException"
    assert changed.headers["x-amzn-RequestId"]


@pytest.mark.parametrize("region", ["eu-central-1", "ap-southeast-2", "home-lab-1"])
def test_any_region_in_the_credential_scope_is_accepted(site, replication_set, region):
    admin = site.keys["admin"]
    assert _client(site, "ssm-contacts", admin.access_key_id, admin.secret, region=region).list_contacts()["Contacts"] is not None


def test_boto3_endpoint_environment_variables(site, replication_set, monkeypatch):
    admin = site.keys["admin"]
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM_INCIDENTS", site.url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM_CONTACTS", site.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", admin.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", admin.secret)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    session = boto3.session.Session()
    assert session.client("ssm-incidents").list_replication_sets()["replicationSetArns"] == [replication_set]
    assert "Contacts" in session.client("ssm-contacts").list_contacts()


def test_sigv4_signs_the_native_binding_too(site, replication_set):
    admin = site.keys["admin"]
    request = AWSRequest(method="POST", url=f"{site.url}/v1/ListReplicationSets", data=b"{}",
                         headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials(admin.access_key_id, admin.secret), "cockpit", "local").add_auth(request)
    response = httpx.post(request.url, content=b"{}", headers=dict(request.headers.items()))
    assert response.status_code == 200 and response.json() == {"replicationSetArns": [replication_set]}


@pytest.mark.parametrize(
    ("authorization", "code", "status"),
    [
        (None, "MissingAuthenticationTokenException", 403),
        ("AWS4-HMAC-SHA256 Credential=x", "IncompleteSignatureException", 400),
        ("Basic dXNlcjpwYXNz", "IncompleteSignatureException", 400),
        ("Bearer no-colon", "IncompleteSignatureException", 400),
    ],
)
def test_missing_or_malformed_credentials(site, authorization, code, status):
    headers = {"X-Amz-Target": "SSMContacts.ListContacts"}
    if authorization:
        headers["Authorization"] = authorization
    response = httpx.post(f"{site.url}/", content=json.dumps({}), headers=headers)
    assert response.status_code == status and response.json()["__type"] == code
    assert response.headers["x-amzn-ErrorType"] == code


def test_the_date_format_is_botocores():
    from core.server import sigv4

    assert sigv4.SIGV4_TIMESTAMP == botocore.auth.SIGV4_TIMESTAMP
