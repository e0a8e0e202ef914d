"""A script written for AWS names its region: the first region of CreateReplicationSet becomes
this site's region name, unless the configuration pins it or names that region as a replica."""

from __future__ import annotations

import pytest

from core import open_core
from core.errors import ConfigError, ValidationException


async def test_the_first_region_named_becomes_the_site_and_survives_a_restart(data_dir, clock):
    async with open_core(data_dir, clock=clock) as core:
        assert core.region == "local"
        await core.client().call("CreateReplicationSet", {"regions": {"us-east-1": {}}})
        assert core.region == "us-east-1"
        contact = await core.client().call("CreateContact", {"Alias": "ann", "Type": "PERSONAL", "Plan": {"Stages": []}})
        assert contact["ContactArn"].startswith("arn:aws:ssm-contacts:us-east-1:")
    async with open_core(data_dir, clock=clock) as core:
        assert core.region == "us-east-1"
        rs = (await core.client().call("ListReplicationSets", {}))["replicationSetArns"][0]
        got = await core.client().call("GetReplicationSet", {"arn": rs})
        assert list(got["replicationSet"]["regionMap"]) == ["us-east-1"]
        await core.client().call("DeleteReplicationSet", {"arn": rs})
        assert core.region == "local"  # deleting the set frees the name
    async with open_core(data_dir, clock=clock) as core:
        assert core.region == "local"


async def test_a_pinned_or_replica_region_cannot_be_the_site(data_dir, tmp_path, clock):
    async with open_core(data_dir, clock=clock, config={"region": "home"}) as core:
        with pytest.raises(ValidationException) as pinned:
            await core.client().call("CreateReplicationSet", {"regions": {"us-east-1": {}}})
        assert "names this site 'home'" in pinned.value.message
    replicas = {"replicas": {"backup-1": str(tmp_path / "replica")}}
    async with open_core(data_dir, clock=clock, config=replicas) as core:
        with pytest.raises(ValidationException) as replica:
            await core.client().call("CreateReplicationSet", {"regions": {"backup-1": {}}})
        assert "is a replica region" in replica.value.message
        assert (await core.client().call("ListReplicationSets", {}))["replicationSetArns"] == []


async def test_a_configuration_that_contradicts_the_recorded_site_is_refused(data_dir, clock):
    async with open_core(data_dir, clock=clock) as core:
        await core.client().call("CreateReplicationSet", {"regions": {"eu-west-1": {}}})
    with pytest.raises(ConfigError) as refused:
        async with open_core(data_dir, clock=clock, config={"region": "local"}):
            pass
    assert "'eu-west-1'" in str(refused.value)
    async with open_core(data_dir, clock=clock) as core:  # the refusal left the directory usable
        assert core.region == "eu-west-1"
