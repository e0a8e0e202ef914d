"""AWS Signature Version 4, verified by recomputing it with botocore's own signer.

The request is rebuilt as botocore's ``AWSRequest`` from what arrived (method, the raw path and
query as sent, the headers the client says it signed, the body) and signed again with the
user's secret by ``botocore.auth.SigV4Auth``, at the date the client signed. The canonical
request is botocore's, so whatever boto3 or the AWS CLI signs verifies the same way here.

A self-hosted endpoint has no regional routing: any region (and service) in the credential
scope is accepted; both are part of the signature, so they cannot be changed in transit.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.server.errors import IncompleteSignatureException, InvalidSignatureException

ALGORITHM = "AWS4-HMAC-SHA256"
SIGV4_TIMESTAMP = "%Y%m%dT%H%M%SZ"  # botocore.auth.SIGV4_TIMESTAMP
MAX_SKEW = timedelta(minutes=15)
_PART = re.compile(r"\s*(Credential|SignedHeaders|Signature)\s*=\s*([^,\s]*)\s*")


@dataclass(frozen=True)
class SigV4Credential:
    access_key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> SigV4Credential:
    """Read ``AWS4-HMAC-SHA256 Credential=.../date/region/service/aws4_request,
    SignedHeaders=a;b, Signature=hex``."""
    parts: dict[str, str] = {}
    for chunk in value[len(ALGORITHM):].split(","):
        match = _PART.fullmatch(chunk)
        if match is None:
            raise IncompleteSignatureException(f"the Authorization header has a malformed part {chunk.strip()!r}")
        parts[match.group(1)] = match.group(2)
    missing = [name for name in ("Credential", "SignedHeaders", "Signature") if not parts.get(name)]
    if missing:
        raise IncompleteSignatureException(
            f"the Authorization header lacks {', '.join(missing)}: sign with SigV4 "
            "(Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=...)"
        )
    scope = parts["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request" or not all(scope):
        raise IncompleteSignatureException(
            f"the credential {parts['Credential']!r} must be KEY/DATE/REGION/SERVICE/aws4_request"
        )
    signed = tuple(parts["SignedHeaders"].lower().split(";"))
    if "host" not in signed:
        raise IncompleteSignatureException("SignedHeaders must include host")
    return SigV4Credential(scope[0], scope[1], scope[2], scope[3], signed, parts["Signature"])


def _signing_time(headers: dict[str, list[str]], credential: SigV4Credential, now: datetime) -> str:
    values = headers.get("x-amz-date")
    if not values:
        raise IncompleteSignatureException("a SigV4 request needs an X-Amz-Date header")
    stamp = values[0]
    try:
        signed_at = datetime.strptime(stamp, SIGV4_TIMESTAMP).replace(tzinfo=UTC)
    except ValueError:
        raise IncompleteSignatureException(f"X-Amz-Date {stamp!r} is not YYYYMMDD'T'HHMMSS'Z'") from None
    if credential.date != stamp[:8]:
        raise InvalidSignatureException(
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{credential.date}' != '{stamp[:8]}'"
        )
    fmt = SIGV4_TIMESTAMP
    if signed_at < now - MAX_SKEW:
        raise InvalidSignatureException(
            f"Signature expired: {stamp} is now earlier than {(now - MAX_SKEW).strftime(fmt)} "
            f"({now.strftime(fmt)} - 15 min.)"
        )
    if signed_at > now + MAX_SKEW:
        raise InvalidSignatureException(
            f"Signature not yet current: {stamp} is still later than {(now + MAX_SKEW).strftime(fmt)} "
            f"({now.strftime(fmt)} + 15 min.)"
        )
    return stamp


def verify(
    credential: SigV4Credential,
    secret: str,
    *,
    method: str,
    raw_path: str,
    query: str,
    headers: dict[str, list[str]],
    body: bytes,
    now: datetime,
) -> None:
    """Raise InvalidSignatureException unless the request was signed with ``secret``."""
    stamp = _signing_time(headers, credential, now)
    declared = headers.get("x-amz-content-sha256")
    if declared and declared[0] != hashlib.sha256(body).hexdigest():
        raise InvalidSignatureException("The provided X-Amz-Content-SHA256 does not match the request body.")
    signed: list[tuple[str, str]] = []
    for name in credential.signed_headers:
        if name not in headers:
            raise InvalidSignatureException(f"the signed header {name!r} is not in the request")
        signed.extend((name, value) for value in headers[name])
    # botocore is imported on the first signed request, not at start (a tenth of a second)
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    url = f"http://{headers['host'][0]}{raw_path}" + (f"?{query}" if query else "")
    request = AWSRequest(method=method, url=url, data=body)
    for name, value in signed:
        request.headers[name] = value
    request.context["timestamp"] = stamp
    signer = SigV4Auth(
        Credentials(credential.access_key_id, secret), credential.service, credential.region
    )
    expected = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    if not hmac.compare_digest(expected, credential.signature):
        raise InvalidSignatureException(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
        )
