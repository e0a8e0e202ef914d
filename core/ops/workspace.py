"""DescribeWorkspace: what this core is (site region, account, replicas, delivery providers),
for the cockpit's Settings screen and the Get prepared wizard. Never includes a secret."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from core.engine.context import Context
from core.ops.registry import OWN_SERVICE, operation


class DescribeWorkspaceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


@operation(
    "DescribeWorkspace", service=OWN_SERVICE, readonly=True, needs_replication_set=False,
    request=DescribeWorkspaceRequest,
)
async def describe_workspace(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """This site's region, the account id, the replica regions it may add, and each channel
    type's delivery provider with its status."""
    core = ctx.core
    ready = await ctx.tx.scalar("SELECT arn FROM replication_sets LIMIT 1")
    return {
        "region": core.region,
        "accountId": core.account_id,
        "replicationSetArn": ready,
        "replicaRegions": sorted(core.config.replicas),
        "providers": {
            channel: provider.describe() for channel, provider in sorted(core.outbox.providers.items())
        },
    }
