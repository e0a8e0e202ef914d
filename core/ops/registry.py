"""The operation registry: every action a person or a machine can take, in one table.

An operation has a name, a request shape (botocore's model for AWS-named operations, a
pydantic model for our own), a response shape, an authorization action and an async handler.
Every binding (in-process, native HTTP, AWS-compatible HTTP, the CLI) calls ``dispatch``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from core.errors import InternalServerException, ServiceError, ValidationException, closest_listed
from core.ops import shapes
from core.ops.aws_models import OperationModel, Shape, operation_model
from core.ops.pattern_words import pattern_words

Handler = Callable[..., Awaitable[dict[str, Any]]]

OWN_SERVICE = "cockpit"


@dataclass
class Operation:
    name: str
    service: str
    handler: Handler
    readonly: bool
    needs_replication_set: bool
    request_model: type[BaseModel] | None = None
    summary: str = ""
    secret_members: frozenset[str] = field(default_factory=frozenset)

    @property
    def action(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def key(self) -> str:
        return f"{self.service}:{self.name}"

    # read at every call, built at the first (the models load lazily): cached on the operation

    @cached_property
    def model(self) -> OperationModel | None:
        """botocore's model of the operation (None for our own operations)."""
        return operation_model(self.service, self.name) if self.service != OWN_SERVICE else None

    @cached_property
    def input_shape(self) -> Shape | None:
        return self.model.input_shape if self.model else None

    @cached_property
    def output_shape(self) -> Shape | None:
        return self.model.output_shape if self.model else None

    @cached_property
    def token_member(self) -> str | None:
        """The idempotency member: ``clientToken`` (ssm-incidents) or ``IdempotencyToken``."""
        shape = self.input_shape
        if shape is None or self.readonly:
            return None
        for name in ("clientToken", "IdempotencyToken"):
            if name in shape.members:
                return name
        return None

    def validate(self, params: Any) -> dict[str, Any]:
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise ValidationException(
                f"the request for {self.name} must be a JSON object, not {type(params).__name__}",
                fields=[{"name": "(request)", "message": "must be an object"}],
            )
        if self.request_model is not None:
            try:
                model = self.request_model.model_validate(params)
            except PydanticValidationError as exc:
                errors = [
                    {
                        "name": ".".join(str(p) for p in err["loc"]) or "(request)",
                        "message": _message(err),
                    }
                    for err in exc.errors()
                ]
                raise shapes.validation_error(errors) from None
            return model.model_dump(exclude_none=True)
        return shapes.check_input(self.input_shape, params)

    def shape_output(self, result: dict[str, Any]) -> dict[str, Any]:
        """The response as boto3 would return it; a response that breaks the model's output
        shape is a defect of the core, answered as InternalServerException naming the member."""
        if self.service == OWN_SERVICE:
            return result
        out = shapes.shape_output(self.output_shape, result) or {}
        if errors := shapes.check_output(self.output_shape, out):
            detail = "; ".join(f"'{e['name']}' {e['message']}" for e in errors[:5])
            raise InternalServerException(f"the core built a response to {self.name} that breaks its model: {detail}")
        return out

    def listed_error(self, err: ServiceError) -> ServiceError:
        """``err`` if the model lists its class for this operation, else the closest listed one
        (our own operations may raise any)."""
        if self.model is None or err.code in self.model.error_codes:
            return err
        return closest_listed(err, self.model.error_codes)


class Registry:
    def __init__(self) -> None:
        self._ops: dict[str, Operation] = {}
        self._by_name: dict[str, list[Operation]] = {}

    def add(self, op: Operation) -> None:
        if op.service != OWN_SERVICE and operation_model(op.service, op.name) is None:
            raise RuntimeError(f"{op.service} has no operation {op.name} in botocore's model")
        if op.key in self._ops:
            raise RuntimeError(f"operation {op.key} registered twice")
        self._ops[op.key] = op
        self._by_name.setdefault(op.name, []).append(op)

    def all(self) -> list[Operation]:
        return sorted(self._ops.values(), key=lambda o: (o.service, o.name))

    def resolve(self, name: str, params: Any = None) -> Operation:
        """Find an operation by ``Name`` or ``service:Name``.

        Three names exist in both AWS services (TagResource, UntagResource,
        ListTagsForResource); the request's member casing picks the service, as the member
        names differ (``resourceArn`` versus ``ResourceARN``).
        """
        if name in self._ops:
            return self._ops[name]
        candidates = self._by_name.get(name, [])
        if not candidates:
            near = difflib.get_close_matches(name.rsplit(":", 1)[-1], self._by_name, n=3, cutoff=0.6)
            hint = f"did you mean {' or '.join(near)}? " if near else ""
            # no field: the operation's name is not a member of the request
            raise ValidationException(f"unknown operation {name!r}; {hint}`cockpit ops` lists the operations")
        if len(candidates) == 1:
            return candidates[0]
        if isinstance(params, dict) and params:
            pascal = any(k[:1].isupper() for k in params)
            for op in candidates:
                if (op.service == "ssm-contacts") == pascal:
                    return op
        return candidates[0]


REGISTRY = Registry()


def _message(err: Any) -> str:
    """A pydantic error's words; a name that breaks its pattern is told the form it should have."""
    if err["type"] == "string_pattern_mismatch" and isinstance(err.get("input"), str):
        return pattern_words(str(err["ctx"]["pattern"]), err["input"]) or err["msg"]
    return err["msg"]


def first_sentence(doc: str) -> str:
    """The first sentence of a docstring's first paragraph, on one line."""
    paragraph = " ".join(doc.strip().split("\n\n", 1)[0].split())
    end = re.search(r"[.!?](?=\s+[A-Z(`]|$)", paragraph)
    return paragraph[: end.end()] if end else paragraph


def operation(
    name: str,
    *,
    service: str,
    readonly: bool = False,
    needs_replication_set: bool | None = None,
    request: type[BaseModel] | None = None,
    secrets: frozenset[str] | set[str] = frozenset(),
) -> Callable[[Handler], Handler]:
    """Register ``handler(ctx, req) -> dict`` as an operation.

    A ``request`` model is declared ``ConfigDict(extra="forbid", defer_build=True)``: pydantic
    builds its validator at the operation's first call, not at every import of the core."""

    def register(handler: Handler) -> Handler:
        needs = needs_replication_set
        if needs is None:
            needs = service in ("ssm-incidents", "ssm-contacts")
        REGISTRY.add(
            Operation(
                name=name,
                service=service,
                handler=handler,
                readonly=readonly,
                needs_replication_set=needs,
                request_model=request,
                summary=first_sentence(handler.__doc__ or ""),
                secret_members=frozenset(secrets),
            )
        )
        return handler

    return register
