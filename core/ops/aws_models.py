"""botocore's service models for ssm-incidents and ssm-contacts, read lazily and cheaply.

The models are the spec for every AWS-named operation. They are read straight from the
``service-2.json.gz`` files that botocore ships (a few milliseconds), without importing
botocore itself (which costs a fifth of a second at start). A service's file is read the first
time one of its operations is looked up, and each shape is resolved once, when first used.

``Shape`` carries what validation needs, with botocore's attribute names: ``name``,
``type_name``, ``metadata`` (min, max, pattern, union), ``members``, ``required_members``,
``enum``, ``member``, ``key`` and ``value``.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SERVICES = ("ssm-incidents", "ssm-contacts")
_METADATA = ("min", "max", "pattern", "union")  # the traits validation reads


def _data_dir() -> Path:
    spec = importlib.util.find_spec("botocore")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("botocore is not installed: its service models are the API spec")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@functools.cache
def _document(service: str) -> dict[str, Any]:
    versions = sorted(p for p in (_data_dir() / service).iterdir() if (p / "service-2.json.gz").exists())
    if not versions:
        raise RuntimeError(f"botocore has no service model for {service}")
    with gzip.open(versions[-1] / "service-2.json.gz") as f:
        return json.load(f)


class Shape:
    """One shape of a service model; its member shapes are resolved on first use."""

    def __init__(self, service: str, name: str, body: dict[str, Any]) -> None:
        self.service = service
        self.name = name
        self.type_name: str = body["type"]
        self.metadata: dict[str, Any] = {k: body[k] for k in _METADATA if k in body}
        self.enum: list[str] = body.get("enum", [])
        self.required_members: list[str] = body.get("required", [])
        self._body = body

    @functools.cached_property
    def members(self) -> dict[str, Shape]:
        return {k: shape(self.service, ref["shape"]) for k, ref in self._body.get("members", {}).items()}

    @functools.cached_property
    def locations(self) -> dict[str, tuple[str, str]]:
        """Members bound outside the JSON body (rest-json): member -> (location, wire name),
        where location is ``uri``, ``querystring`` or ``header``."""
        return {
            k: (ref["location"], ref.get("locationName", k))
            for k, ref in self._body.get("members", {}).items()
            if "location" in ref
        }

    @functools.cached_property
    def member(self) -> Shape:
        return shape(self.service, self._body["member"]["shape"])

    @functools.cached_property
    def key(self) -> Shape:
        return shape(self.service, self._body["key"]["shape"])

    @functools.cached_property
    def value(self) -> Shape:
        return shape(self.service, self._body["value"]["shape"])

    def __repr__(self) -> str:
        return f"<Shape {self.service}:{self.name} {self.type_name}>"


@functools.cache
def shape(service: str, name: str) -> Shape:
    return Shape(service, name, _document(service)["shapes"][name])


@dataclass(frozen=True)
class OperationModel:
    service: str
    name: str
    input_shape: Shape | None
    output_shape: Shape | None
    error_shapes: tuple[Shape, ...]
    http: dict[str, Any]  # rest-json routing: method, requestUri, responseCode

    @property
    def error_codes(self) -> frozenset[str]:
        return frozenset(e.name for e in self.error_shapes)


def metadata(service: str) -> dict[str, Any]:
    """The model's metadata: protocol, targetPrefix (JSON 1.1), signingName..."""
    return _document(service)["metadata"]


def operation_names(service: str) -> list[str]:
    return sorted(_document(service)["operations"])


@functools.cache
def operation_model(service: str, name: str) -> OperationModel | None:
    body = _document(service)["operations"].get(name)
    if body is None:
        return None

    def ref(key: str) -> Shape | None:
        return shape(service, body[key]["shape"]) if key in body else None

    return OperationModel(
        service=service,
        name=name,
        input_shape=ref("input"),
        output_shape=ref("output"),
        error_shapes=tuple(shape(service, e["shape"]) for e in body.get("errors", [])),
        http=dict(body.get("http", {})),
    )
