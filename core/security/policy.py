"""Resource policies (a contact's ``PutContactPolicy`` document): parsing and evaluation.

A policy is an IAM JSON policy document. The supported subset:

- top level: ``Version`` ("2012-10-17" or "2008-10-17"), ``Id``, ``Statement`` (one statement
  object or a non-empty list of them);
- a statement: ``Sid``, ``Effect`` (Allow or Deny), ``Principal``, ``Action`` and optionally
  ``Resource`` (absent means every resource the policy covers);
- ``Principal``: ``"*"`` (anyone), or ``{"AWS": ...}`` holding ``"*"``, 12-digit account ids,
  account roots (``arn:aws:iam::123456789012:root``: every principal of that account) or exact
  principal ARNs, as one string or a list;
- ``Action``: ``service:Name`` patterns (``ssm-contacts:Get*``) or ``"*"``, matched without
  regard to case as IAM does;
- ``Resource``: ARN patterns, where ``*`` matches any run of characters and ``?`` one.

``NotAction``, ``NotPrincipal``, ``NotResource`` and ``Condition`` (and any other element) are
refused when the policy is put, so a stored policy never means less than it says.

Evaluation follows IAM within one account: an explicit Deny wins; otherwise the call is
allowed when the principal's role or the policy allows it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

Decision = Literal["Allow", "Deny"]
VERSIONS = ("2012-10-17", "2008-10-17")
TOP_LEVEL = ("Version", "Id", "Statement")
ELEMENTS = ("Sid", "Effect", "Principal", "Action", "Resource")
REQUIRED = ("Effect", "Principal", "Action")
ACTION_RE = re.compile(r"^(\*|[a-z0-9*?-]+:[A-Za-z0-9*?]+)$")
ACCOUNT_RE = re.compile(r"^\d{12}$")
PRINCIPAL_ARN_RE = re.compile(r"^arn:aws:(iam|sts)::(?P<account>\d{12}):(?P<resource>.+)$")


class PolicyError(ValueError):
    """A policy document outside the supported subset; the message says where and why."""


@dataclass(frozen=True)
class Statement:
    effect: Decision
    principals: tuple[str, ...]  # "*", account ids, account roots, principal ARNs
    actions: tuple[str, ...]
    resources: tuple[str, ...]

    def applies(self, principal_arn: str, action: str, resource: str) -> bool:
        return (
            any(_principal_matches(p, principal_arn) for p in self.principals)
            and any(action_matches(a, action) for a in self.actions)
            and any(_wildcard(r).match(resource) for r in self.resources)
        )


@dataclass(frozen=True)
class Policy:
    statements: tuple[Statement, ...]

    def evaluate(self, principal_arn: str, action: str, resource: str) -> Decision | None:
        """Deny if any statement denies, else Allow if one allows, else None (no opinion)."""
        matching = {s.effect for s in self.statements if s.applies(principal_arn, action, resource)}
        if "Deny" in matching:
            return "Deny"
        return "Allow" if "Allow" in matching else None


def parse_policy(text: str) -> Policy:
    """Parse and check a policy document; PolicyError names the element that is wrong."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise PolicyError(f"is not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise PolicyError("must be a JSON object with a Statement list")
    _only(doc, TOP_LEVEL, "")
    if "Version" in doc and doc["Version"] not in VERSIONS:
        raise PolicyError(f"Version must be one of {', '.join(VERSIONS)}")
    if "Id" in doc and not isinstance(doc["Id"], str):
        raise PolicyError("Id must be a string")
    statements = doc.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise PolicyError("must hold a non-empty Statement list")
    return Policy(tuple(_statement(s, f"Statement[{i}]") for i, s in enumerate(statements)))


def _statement(raw: Any, where: str) -> Statement:
    if not isinstance(raw, dict):
        raise PolicyError(f"{where} must be an object")
    _only(raw, ELEMENTS, where + ".")
    for name in REQUIRED:
        if name not in raw:
            raise PolicyError(f"{where}.{name} is required")
    if raw["Effect"] not in ("Allow", "Deny"):
        raise PolicyError(f"{where}.Effect must be Allow or Deny")
    if "Sid" in raw and not isinstance(raw["Sid"], str):
        raise PolicyError(f"{where}.Sid must be a string")
    actions = _strings(raw["Action"], f"{where}.Action")
    for action in actions:
        if not ACTION_RE.match(action):
            raise PolicyError(f"{where}.Action {action!r} must be '*' or service:Name (wildcards * and ?)")
    resources = _strings(raw.get("Resource", "*"), f"{where}.Resource")
    return Statement(raw["Effect"], _principals(raw["Principal"], f"{where}.Principal"), actions, resources)


def _principals(raw: Any, where: str) -> tuple[str, ...]:
    if raw == "*":
        return ("*",)
    if not isinstance(raw, dict) or set(raw) != {"AWS"}:
        raise PolicyError(f'{where} must be "*" or {{"AWS": ...}} (other principal types are not supported)')
    values = _strings(raw["AWS"], f"{where}.AWS")
    for value in values:
        if value != "*" and not ACCOUNT_RE.match(value) and not PRINCIPAL_ARN_RE.match(value):
            raise PolicyError(f"{where}.AWS {value!r} must be '*', an account id or an IAM principal ARN")
    return values


def _strings(raw: Any, where: str) -> tuple[str, ...]:
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
        raise PolicyError(f"{where} must be a non-empty string or list of non-empty strings")
    return tuple(values)


def _only(raw: dict[str, Any], supported: tuple[str, ...], prefix: str) -> None:
    for name in raw:
        if name not in supported:
            raise PolicyError(f"{prefix}{name} is not supported (supported: {', '.join(supported)})")


def _principal_matches(pattern: str, principal_arn: str) -> bool:
    if pattern in ("*", principal_arn):
        return True
    m = PRINCIPAL_ARN_RE.match(principal_arn)
    if m is None:
        return False
    return pattern in (m["account"], f"arn:aws:iam::{m['account']}:root")


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: wildcards, and no regard to case."""
    return _wildcard(pattern.lower()).match(action.lower()) is not None


@lru_cache(maxsize=1024)
def _wildcard(pattern: str) -> re.Pattern[str]:
    """IAM wildcards: ``*`` any run, ``?`` one character; everything else literal."""
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern) + r"\Z")
