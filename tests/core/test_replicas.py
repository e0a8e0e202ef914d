"""Replica regions: copies within 5 s of a commit and on shutdown, restore, region rules,
deletion protection and the encryption choice."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from cockpit.cli import main
from core import FakeClock, open_core
from core.errors import ValidationException
from tests.support.core_state import START, snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    return tmp_path / "backup-1"


@pytest.fixture
def config(backup: Path) -> dict:
    return {"replicas": {"backup-1": str(backup)}}


def replica_arns(backup: Path) -> set[str]:
    conn = sqlite3.connect(backup / "cockpit.db")
    try:
        return {r[0] for r in conn.execute("SELECT arn FROM incidents")}
    finally:
        conn.close()


async def _setup(core) -> tuple[object, str, str]:
    c = core.client()
    rs = (await c.call("CreateReplicationSet", {"regions": {"local": {}, "backup-1": {}}}))["arn"]
    plan = (await c.call("CreateResponsePlan", {"name": "db", "incidentTemplate": {"title": "DB", "impact": 2}}))["arn"]
    return c, rs, plan


async def test_replica_is_current_within_5s_and_after_shutdown(data_dir, clock, config, backup):
    async with open_core(data_dir, clock=clock, config=config) as core:
        c, rs, plan = await _setup(core)
        started = set()
        for _ in range(5):
            started.add((await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"])
            await clock.advance(seconds=0.2)
        await clock.advance(seconds=5)
        assert replica_arns(backup) == started
        regions = (await c.call("GetReplicationSet", {"arn": rs}))["replicationSet"]["regionMap"]
        assert set(regions) == {"local", "backup-1"}
        last = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
        # no time passes: only the shutdown copy can carry the last one over
    assert last in replica_arns(backup)
    # the copy is owner-only, and the key that protects it never sits beside it
    assert stat.S_IMODE((backup / "cockpit.db").stat().st_mode) == 0o600
    key = (data_dir / "keys" / "owned.key").read_bytes().strip()
    assert [p for p in backup.rglob("*") if p.is_file() and key in p.read_bytes()] == []


async def test_restore_brings_back_a_deleted_database(data_dir, clock, config, backup, tmp_path):
    async with open_core(data_dir, clock=clock, config=config) as core:
        c, rs, plan = await _setup(core)
        arn = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    for name in ("cockpit.db", "cockpit.db-wal", "cockpit.db-shm"):
        (data_dir / name).unlink(missing_ok=True)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"replicas:\n  backup-1: {backup}\n")
    assert main(["--data-dir", str(data_dir), "--config", str(cfg), "restore", "--from", "backup-1"]) == 0
    async with open_core(data_dir, clock=FakeClock(START), config=config) as core:
        record = await core.client().call("GetIncidentRecord", {"arn": arn})
        assert record["incidentRecord"]["title"] == "DB"


async def _one_incident(data_dir: Path, clock: FakeClock) -> str:
    async with open_core(data_dir, clock=clock) as core:
        c, rs, plan = await _setup(core)
        return (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]


def test_restore_as_a_subprocess_after_damage(data_dir, clock, backup):
    data_dir.mkdir(parents=True)
    (data_dir / "config.yaml").write_text(f"replicas:\n  backup-1: {backup}\n")
    arn = asyncio.run(_one_incident(data_dir, clock))
    (data_dir / "cockpit.db").write_bytes(b"\x00damaged" * 1000)
    cli = [sys.executable, "-m", "cockpit.cli", "--data-dir", str(data_dir)]
    broken = subprocess.run([*cli, "call", "GetIncidentRecord", f'{{"arn": "{arn}"}}'],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    out = subprocess.run([*cli, "restore", "--from", "backup-1"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "restored" in out.stdout
    assert (data_dir / "cockpit.db.before-restore").exists()
    got = subprocess.run([*cli, "call", "GetIncidentRecord", f'{{"arn": "{arn}"}}'],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert got.returncode == 0, got.stderr
    assert arn in got.stdout


def test_restore_from_an_unknown_region_fails_cleanly(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "restore", "--from", "nowhere"]) == 1
    assert "no replica region named 'nowhere'" in capsys.readouterr().err


async def test_a_region_can_be_deleted_only_after_24_hours(data_dir, clock, config):
    async with open_core(data_dir, clock=clock, config=config) as core:
        c, rs, plan = await _setup(core)
        delete = {"arn": rs, "actions": [{"deleteRegionAction": {"regionName": "backup-1"}}]}
        await clock.advance(hours=23, minutes=59)
        before = await snapshot(core)
        with pytest.raises(ValidationException) as info:
            await c.call("UpdateReplicationSet", delete)
        assert "24 hours" in info.value.message and "backup-1" in info.value.message
        # durations written the one way (widgets' tiles and tables too): not "23h59m", "0h01m"
        assert "was added 23h 59m ago" in info.value.message and "(in 1m 00s)" in info.value.message
        assert await snapshot(core) == before
        await clock.advance(minutes=1)
        await c.call("UpdateReplicationSet", delete)
        regions = (await c.call("GetReplicationSet", {"arn": rs}))["replicationSet"]["regionMap"]
        assert set(regions) == {"local"}
        # and added back again
        await c.call("UpdateReplicationSet", {"arn": rs, "actions": [{"addRegionAction": {"regionName": "backup-1"}}]})


async def test_deletion_protection_and_deleting_everything(data_dir, clock, config, backup):
    async with open_core(data_dir, clock=clock, config=config) as core:
        c, rs, plan = await _setup(core)
        arn = (await c.call("StartIncident", {"responsePlanArn": plan, "clientToken": "t1"}))["incidentRecordArn"]
        await c.call("UpdateDeletionProtection", {"arn": rs, "deletionProtected": True})
        assert (await c.call("GetReplicationSet", {"arn": rs}))["replicationSet"]["deletionProtected"] is True
        before = await snapshot(core)
        with pytest.raises(ValidationException) as info:
            await c.call("DeleteReplicationSet", {"arn": rs})
        assert "deletion protection" in info.value.message
        assert await snapshot(core) == before

        await c.call("UpdateDeletionProtection", {"arn": rs, "deletionProtected": False})
        await c.call("DeleteReplicationSet", {"arn": rs})
        async with core.db.transaction() as tx:
            for table in ("incidents", "timeline_events", "response_plans", "regions", "replication_sets",
                          "tags", "idempotency"):
                assert await tx.scalar(f"SELECT COUNT(*) FROM {table}") == 0, table  # noqa: S608
            assert await tx.scalar("SELECT COUNT(*) FROM audit") > 0  # the trail survives
        assert (await c.call("ListReplicationSets", {}))["replicationSetArns"] == []
        with pytest.raises(ValidationException) as info:
            await c.call("GetIncidentRecord", {"arn": arn})
        assert "replication set" in info.value.message
        await clock.advance(seconds=5)
        assert replica_arns(backup) == set()  # the replica does not keep the deleted data
        # set up again: the old clientToken does not bring back the deleted record
        _, _, plan = await _setup(core)
        again = await c.call("StartIncident", {"responsePlanArn": plan, "clientToken": "t1"})
        assert again["incidentRecordArn"] != arn


async def test_the_default_key_is_generated_owner_only(data_dir, clock):
    async with open_core(data_dir, clock=clock) as core:
        c = core.client()
        rs = (await c.call("CreateReplicationSet", {"regions": {"local": {"sseKmsKeyId": "DefaultKey"}}}))["arn"]
        region = (await c.call("GetReplicationSet", {"arn": rs}))["replicationSet"]["regionMap"]["local"]
        assert region["sseKmsKeyId"] == "DefaultKey"
    key = data_dir / "keys" / "owned.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    Fernet(key.read_bytes().strip())


async def test_a_provided_key_is_recorded(data_dir, clock, tmp_path):
    vault = tmp_path / "vault"
    vault.mkdir()
    key = vault / "my.key"
    key.write_bytes(Fernet.generate_key())
    key.chmod(0o600)
    async with open_core(data_dir, clock=clock, config={"keys": {"allowed_dirs": [str(vault)]}}) as core:
        c = core.client()
        rs = (await c.call("CreateReplicationSet", {"regions": {"local": {"sseKmsKeyId": str(key)}}}))["arn"]
        region = (await c.call("GetReplicationSet", {"arn": rs}))["replicationSet"]["regionMap"]["local"]
        assert region["sseKmsKeyId"] == str(key)
        assert core.cipher.decrypt(core.cipher.encrypt("555-0100")) == "555-0100"
        assert core.cipher.key_id == str(key)


@pytest.mark.parametrize("bad", ["/nonexistent/key", "not-a-key-file"])
async def test_a_bad_key_is_refused(data_dir, clock, tmp_path, bad):
    if bad == "not-a-key-file":
        (tmp_path / bad).write_text("hunter2")
        bad = str(tmp_path / bad)
    async with open_core(data_dir, clock=clock) as core:
        before = await snapshot(core)
        with pytest.raises(ValidationException) as info:
            await core.client().call("CreateReplicationSet", {"regions": {"local": {"sseKmsKeyId": bad}}})
        assert [f["name"] for f in info.value.fields] == ["regions.local.sseKmsKeyId"]
        assert await snapshot(core) == before


async def test_an_unconfigured_region_is_refused(data_dir, clock):
    # a configuration that names the site pins it (unpinned, the first region named is the site)
    async with open_core(data_dir, clock=clock, config={"region": "local"}) as core:
        with pytest.raises(ValidationException) as info:
            await core.client().call("CreateReplicationSet", {"regions": {"local": {}, "backup-9": {}}})
        assert info.value.fields[0]["name"] == "regions.backup-9"
        assert "replicas" in info.value.message
        with pytest.raises(ValidationException) as info:
            await core.client().call("CreateReplicationSet", {"regions": {"backup-9": {}}})
        assert "first region" in info.value.message
        assert (await core.client().call("ListReplicationSets", {}))["replicationSetArns"] == []
