"""Who is calling, and whether they may: deny by default.

A principal may perform exactly the actions its ``allowed_actions`` patterns match (IAM-style,
``ssm-incidents:Get*``, matched as IAM matches actions; ``*`` is every action). An empty set allows nothing. The roles users
are given (admin, responder, readonly) are in ``core.security.roles``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import AccessDeniedException
from core.security.policy import action_matches

EVERY_ACTION = "*"


@dataclass(frozen=True)
class Principal:
    """A caller. ``local`` marks the local administrator (``core.client()``) and the core
    itself: the only principals that resource policies (contact policies) do not bind.
    ``access_key_id`` is the key a remote caller signed with, for the audit trail."""

    arn: str
    name: str
    allowed_actions: frozenset[str] = field(default_factory=frozenset)
    role: str | None = None
    local: bool = False
    access_key_id: str | None = None

    @property
    def admin(self) -> bool:
        """May do everything (sees what only administrators see, e.g. outbox bodies)."""
        return EVERY_ACTION in self.allowed_actions

    def may(self, action: str) -> bool:
        return any(action_matches(pattern, action) for pattern in self.allowed_actions)


def denied(principal: Principal, action: str, reason: str | None = None) -> AccessDeniedException:
    because = f": {reason}" if reason else ""
    return AccessDeniedException(f"{principal.name} is not allowed to perform {action}{because}")


def local_admin(account_id: str, name: str = "local-admin") -> Principal:
    return Principal(
        arn=f"arn:aws:iam::{account_id}:user/{name}",
        name=name,
        allowed_actions=frozenset({EVERY_ACTION}),
        role="admin",
        local=True,
    )


def system_principal(account_id: str) -> Principal:
    """The core itself, for work its scheduler does (escalations, retries, replica sync)."""
    return Principal(
        arn=f"arn:aws:iam::{account_id}:role/incident-cockpit-core",
        name="core",
        allowed_actions=frozenset({EVERY_ACTION}),
        local=True,
    )
