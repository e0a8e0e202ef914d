from __future__ import annotations

import pytest

from core import open_core
from core.errors import ValidationException


async def test_describe_workspace_before_and_after_setup(core, client):
    info = await client.call("DescribeWorkspace", {})
    assert info["region"] == core.region and info["replicationSetArn"] is None
    assert info["providers"]["EMAIL"]["name"] == "local"
    arn = (await client.call("CreateReplicationSet", {"regions": {core.region: {}}}))["arn"]
    assert (await client.call("DescribeWorkspace", {}))["replicationSetArn"] == arn
    with pytest.raises(ValidationException):
        await client.call("DescribeWorkspace", {"extra": 1})


async def test_describe_workspace_never_shows_provider_secrets(tmp_path, clock):
    config = {"paging": {"email": {"host": "smtp.example.com", "port": 587, "security": "starttls",
                                   "username": "pager", "password": "hunter2-secret", "from_address": "p@example.com"}}}
    async with open_core(tmp_path, clock=clock, config=config) as running:
        info = await running.client().call("DescribeWorkspace", {})
    assert info["providers"]["EMAIL"]["configured"] is True
    assert "hunter2-secret" not in repr(info)
