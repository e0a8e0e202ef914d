"""Who is calling, and whether they may."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from core.errors import AccessDeniedException


@dataclass(frozen=True)
class Principal:
    """A caller. ``allowed_actions`` holds IAM-style action patterns (``ssm-incidents:Get*``);
    None means every action (the local administrator)."""

    arn: str
    name: str
    admin: bool = False
    allowed_actions: frozenset[str] | None = field(default=None)

    def may(self, action: str) -> bool:
        if self.admin or self.allowed_actions is None:
            return True
        return any(fnmatch.fnmatchcase(action, pattern) for pattern in self.allowed_actions)


def authorize(principal: Principal, action: str) -> None:
    if not principal.may(action):
        raise AccessDeniedException(f"{principal.name} is not allowed to perform {action}")


def local_admin(account_id: str, name: str = "local-admin") -> Principal:
    return Principal(arn=f"arn:aws:iam::{account_id}:user/{name}", name=name, admin=True)


def system_principal(account_id: str) -> Principal:
    """The core itself, for work its scheduler does (escalations, retries, replica sync)."""
    return Principal(arn=f"arn:aws:iam::{account_id}:role/incident-cockpit-core", name="core", admin=True)
