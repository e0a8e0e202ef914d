"""First-run checks and the replication set, shared by the wizard and Settings (no widgets)."""

from __future__ import annotations

import re
from typing import Any

from core.client.base import Client
from core.errors import ServiceError

DEFAULT_REGION = "local"


async def has_replication_set(client: Client) -> bool:
    listed = await client.call("ListReplicationSets", {})
    return bool(listed.get("replicationSetArns"))


async def create_replication_set(client: Client) -> dict[str, Any]:
    """Create the replication set with this site's region only. The client does not say which
    region this site is, so try the default and, if the core names another, use that one."""
    try:
        return await client.call("CreateReplicationSet", {"regions": {DEFAULT_REGION: {}}})
    except ServiceError as error:
        found = re.search(r"this site's region '([^']+)'", error.message)
        if error.code != "ValidationException" or not found:
            raise
        return await client.call("CreateReplicationSet", {"regions": {found.group(1): {}}})
