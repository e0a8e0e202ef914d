"""First-run checks and the replication set, shared by the wizard and Settings (no widgets).

``DescribeWorkspace`` tells which region this site is and whether the replication set exists,
so nothing here guesses."""

from __future__ import annotations

from typing import Any

from core.client.base import Client


async def describe_workspace(client: Client) -> dict[str, Any]:
    return await client.call("DescribeWorkspace", {})


async def has_replication_set(client: Client) -> bool:
    return bool((await describe_workspace(client)).get("replicationSetArn"))


async def create_replication_set(client: Client) -> dict[str, Any]:
    """Create the replication set with this site's region only."""
    region = (await describe_workspace(client))["region"]
    return await client.call("CreateReplicationSet", {"regions": {region: {}}})
