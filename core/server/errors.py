"""Errors only the HTTP bindings answer: authentication, framing and routing, named as AWS
names them (so boto3 and the AWS CLI report them the way they report AWS's own)."""

from __future__ import annotations

from core.errors import ServiceError


class MissingAuthenticationTokenException(ServiceError):
    code = "MissingAuthenticationTokenException"
    http_status = 403


class UnrecognizedClientException(ServiceError):
    """An access key the core does not know (or a user that is disabled)."""

    code = "UnrecognizedClientException"
    http_status = 403


class InvalidSignatureException(ServiceError):
    """A wrong secret, a changed request, or a date more than 15 minutes off."""

    code = "InvalidSignatureException"
    http_status = 403


class IncompleteSignatureException(ServiceError):
    """An ``Authorization`` header that is not a well-formed SigV4 or Bearer credential."""

    code = "IncompleteSignatureException"
    http_status = 400


class RequestEntityTooLargeException(ServiceError):
    code = "RequestEntityTooLargeException"
    http_status = 413


class SerializationException(ServiceError):
    """A request body that is not the JSON object the operation takes."""

    code = "SerializationException"
    http_status = 400


class UnknownOperationException(ServiceError):
    code = "UnknownOperationException"
    http_status = 404


class UnsupportedOperationException(ServiceError):
    """An AWS operation Incident Cockpit does not implement (findings, resource policies)."""

    code = "UnsupportedOperationException"
    http_status = 501
