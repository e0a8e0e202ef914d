"""Service errors, named and shaped like the AWS errors of ssm-incidents and ssm-contacts.

Every binding maps these the same way: in-process callers catch the class, the HTTP bindings
send ``code`` and ``message`` (and ``fields`` for validation) in AWS's error envelope.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base of every error an operation may answer with."""

    code: str = "ServiceError"
    http_status: int = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        out.update({k: v for k, v in self.details.items() if v is not None})
        return out

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ValidationException(ServiceError):
    code = "ValidationException"

    def __init__(self, message: str, fields: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or []
        if self.fields:
            self.details["fields"] = self.fields


class ResourceNotFoundException(ServiceError):
    code = "ResourceNotFoundException"
    http_status = 404

    def __init__(
        self, message: str, resource_type: str | None = None, resource_id: str | None = None
    ) -> None:
        super().__init__(message, resourceType=resource_type, resourceIdentifier=resource_id)
        self.resource_type = resource_type
        self.resource_id = resource_id


class ConflictException(ServiceError):
    code = "ConflictException"
    http_status = 409

    def __init__(
        self, message: str, dependent_entities: list[dict[str, Any]] | None = None, **details: Any
    ) -> None:
        super().__init__(message, DependentEntities=dependent_entities, **details)
        self.dependent_entities = dependent_entities or []


class AccessDeniedException(ServiceError):
    code = "AccessDeniedException"
    http_status = 403


class ServiceQuotaExceededException(ServiceError):
    code = "ServiceQuotaExceededException"
    http_status = 402


class ThrottlingException(ServiceError):
    code = "ThrottlingException"
    http_status = 429


class InternalServerException(ServiceError):
    code = "InternalServerException"
    http_status = 500


class DataEncryptionException(ServiceError):
    code = "DataEncryptionException"


class StoreError(Exception):
    """The data directory cannot be used (a newer schema, a locked or corrupt file)."""


class ConfigError(Exception):
    """The configuration file or environment is invalid; the message names what is wrong."""


BY_CODE: dict[str, type[ServiceError]] = {
    cls.code: cls
    for cls in (
        ValidationException,
        ResourceNotFoundException,
        ConflictException,
        AccessDeniedException,
        ServiceQuotaExceededException,
        ThrottlingException,
        InternalServerException,
        DataEncryptionException,
    )
}


# For an error class an operation's model does not list, the listed classes that come closest,
# best first: a missing or conflicting resource is the caller's request at fault, a failed
# decryption the core's.
_CLOSEST: dict[str, tuple[str, ...]] = {
    "DataEncryptionException": ("InternalServerException",),
    "InternalServerException": (),
}


def closest_listed(err: ServiceError, listed: frozenset[str]) -> ServiceError:
    """The error among ``listed`` (an operation model's error codes) that comes closest to
    ``err``, carrying its message: ValidationException for a request at fault, else
    InternalServerException."""
    for code in (*_CLOSEST.get(err.code, ("ValidationException",)), "InternalServerException"):
        if code not in listed:
            continue
        if code == "ValidationException":
            name = err.details.get("resourceType") or "(request)"
            return ValidationException(err.message, fields=[{"name": str(name), "message": err.message}])
        return BY_CODE[code](err.message)
    return err


def from_dict(data: dict[str, Any]) -> ServiceError:
    """Rebuild a ServiceError sent over the wire (RemoteClient uses this)."""
    code = data.get("code", "InternalServerException")
    message = data.get("message", "")
    cls = BY_CODE.get(code, InternalServerException)
    if cls is ValidationException:
        return ValidationException(message, fields=data.get("fields"))
    if cls is ResourceNotFoundException:
        return ResourceNotFoundException(
            message, data.get("resourceType"), data.get("resourceIdentifier")
        )
    if cls is ConflictException:
        return ConflictException(message, data.get("DependentEntities"))
    err = cls(message, **({"RetryAfterSeconds": data["RetryAfterSeconds"]} if "RetryAfterSeconds" in data else {}))
    err.code = code
    return err
