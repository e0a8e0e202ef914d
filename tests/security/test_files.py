"""Files and replicas: owner-only modes whatever the umask, no key beside a replica's copy,
restore that needs the key, and a restore that never loses a commit (not even one that sits
only in the WAL)."""

from __future__ import annotations

import asyncio
import os
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
from tests.support.core_state import START

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = "ana.secret-address@example.com"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def permissive_umask():
    """Prove the modes do not come from the umask: nothing is masked while the test runs."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(data_dir, replica dir, config file); the config names the replica."""
    data_dir, backup = tmp_path / "workspace", tmp_path / "replicas" / "backup-1"
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"replicas:\n  backup-1: {backup}\nreplica_sync_seconds: 0\n")
    return data_dir, backup, cfg


async def _populate(data_dir: Path, cfg: Path) -> tuple[str, str, str]:
    """A workspace with a replica, a contact channel (its address encrypted) and an incident."""
    async with open_core(data_dir, clock=FakeClock(START), config=cfg) as core:
        c = core.client()
        await c.call("CreateReplicationSet", {"regions": {"local": {}, "backup-1": {}}})
        plan = (await c.call("CreateResponsePlan", {"name": "db", "incidentTemplate": {"title": "DB", "impact": 2}}))["arn"]
        contact = (await c.call("CreateContact", {"Alias": "ana", "Type": "PERSONAL", "Plan": {"Stages": []}}))["ContactArn"]
        channel = (await c.call("CreateContactChannel", {
            "ContactId": contact, "Name": "mail", "Type": "EMAIL",
            "DeliveryAddress": {"SimpleAddress": ADDRESS}, "DeferActivation": True}))["ContactChannelArn"]
        incident = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
        await core.clock.advance(seconds=1)
    return plan, channel, incident


def restore(data_dir: Path, cfg: Path, *extra: str) -> int:
    return main(["--data-dir", str(data_dir), "--config", str(cfg), "restore", "--from", "backup-1", *extra])


async def test_every_file_is_owner_only_whatever_the_umask(workspace, permissive_umask):
    data_dir, backup, cfg = workspace
    async with open_core(data_dir, clock=FakeClock(START), config=cfg) as core:
        await core.client().call("CreateReplicationSet", {"regions": {"local": {}, "backup-1": {}}})
        await core.clock.advance(seconds=1)
        db = data_dir / "cockpit.db"
        files = [db, db.with_name("cockpit.db-wal"), db.with_name("cockpit.db-shm"),
                 data_dir / "keys" / "owned.key", backup / "cockpit.db"]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert {d.name: mode(d) for d in (data_dir, data_dir / "keys", backup)} == {
            d.name: 0o700 for d in (data_dir, data_dir / "keys", backup)}


async def test_a_replica_is_useless_without_the_key(workspace):
    data_dir, backup, cfg = workspace
    await _populate(data_dir, cfg)
    key = (data_dir / "keys" / "owned.key").read_bytes().strip()
    replica_files = [p for p in backup.parent.rglob("*") if p.is_file()]
    assert backup / "cockpit.db" in replica_files
    assert [p for p in replica_files if key in p.read_bytes()] == []  # the key is nowhere beside it
    assert [p for p in replica_files if ADDRESS.encode() in p.read_bytes()] == []  # nor the plain address


async def test_restore_takes_the_key_from_the_workspace_or_from_key_file(workspace, tmp_path, capsys):
    data_dir, backup, cfg = workspace
    _plan, channel, incident = await _populate(data_dir, cfg)
    saved = tmp_path / "saved.key"
    saved.write_bytes((data_dir / "keys" / "owned.key").read_bytes())
    wrong = tmp_path / "wrong.key"
    wrong.write_bytes(b"Yq3qzQmVJtY8kCXr9Yl5u5wqg8rN2kq0Z3pX7mC1vXo=\n")
    for path in sorted(data_dir.rglob("*"), reverse=True):  # the whole workspace is lost
        path.unlink() if path.is_file() else path.rmdir()

    assert restore(data_dir, cfg) == 1
    err = capsys.readouterr().err
    assert "does not hold that key" in err and "--key FILE" in err and "Traceback" not in err
    assert not (data_dir / "cockpit.db").exists()
    assert restore(data_dir, cfg, "--key", str(wrong)) == 1
    assert "is not the key this replica is encrypted with" in capsys.readouterr().err
    assert restore(data_dir, cfg, "--key", str(tmp_path / "missing.key")) == 1
    assert "not a readable file holding a Fernet key" in capsys.readouterr().err

    assert restore(data_dir, cfg, "--key", str(saved)) == 0
    assert mode(data_dir / "keys" / "owned.key") == 0o600 and mode(data_dir / "cockpit.db") == 0o600
    async with open_core(data_dir, clock=FakeClock(START), config=cfg) as core:
        c = core.client()
        assert (await c.call("GetIncidentRecord", {"arn": incident}))["incidentRecord"]["title"] == "DB"
        got = await c.call("GetContactChannel", {"ContactChannelId": channel})
        assert got["DeliveryAddress"]["SimpleAddress"] == ADDRESS


async def test_restore_over_a_workspace_holding_another_key_keeps_both(workspace, tmp_path, capsys):
    data_dir, backup, cfg = workspace
    _plan, channel, _incident = await _populate(data_dir, cfg)
    saved = tmp_path / "saved.key"
    saved.write_bytes((data_dir / "keys" / "owned.key").read_bytes())
    (data_dir / "keys" / "owned.key").unlink()  # the key is lost; a new one is made on the next start
    async with open_core(data_dir, clock=FakeClock(START), config=cfg) as core:
        core.cipher.encrypt("x")  # the workspace now holds another owned key
    newer = (data_dir / "keys" / "owned.key").read_bytes()

    assert restore(data_dir, cfg) == 1
    assert "does not hold that key" in capsys.readouterr().err
    assert restore(data_dir, cfg, "--key", str(saved)) == 0
    assert "cockpit.db.before-restore" in capsys.readouterr().out
    assert (data_dir / "keys" / "owned.key").read_bytes().strip() == saved.read_bytes().strip()
    assert (data_dir / "keys" / "owned.key.before-restore").read_bytes() == newer
    async with open_core(data_dir, clock=FakeClock(START), config=cfg) as core:
        got = await core.client().call("GetContactChannel", {"ContactChannelId": channel})
        assert got["DeliveryAddress"]["SimpleAddress"] == ADDRESS


CRASHING_WRITER = """
import asyncio, os, sys
from core import open_core

async def main(data_dir, plan):
    async with open_core(data_dir) as core:
        out = await core.client().call("StartIncident", {"responsePlanArn": plan, "title": "only in the WAL"})
        print(out["incidentRecordArn"], flush=True)
        os._exit(0)  # dies right after the commit: no checkpoint, no replica copy

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def _titles(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT json_extract(doc, '$.title') FROM incidents")}
    finally:
        conn.close()


def test_restore_never_loses_a_commit_that_sits_only_in_the_wal(workspace, tmp_path, capsys):
    data_dir, backup, cfg = workspace
    plan, _channel, _incident = asyncio.run(_populate(data_dir, cfg))
    (data_dir / "config.yaml").write_text(cfg.read_text())
    out = subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(data_dir), plan], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    wal = data_dir / "cockpit.db-wal"
    assert wal.stat().st_size > 0
    main_file_only = tmp_path / "main-file-only.db"
    main_file_only.write_bytes((data_dir / "cockpit.db").read_bytes())
    assert "only in the WAL" not in _titles(main_file_only)  # the commit is in the WAL alone
    assert "only in the WAL" not in _titles(backup / "cockpit.db")  # and the replica never got it

    assert restore(data_dir, cfg) == 0
    assert "kept as cockpit.db.before-restore" in capsys.readouterr().out
    assert "only in the WAL" not in _titles(data_dir / "cockpit.db")  # the replica's state is back
    kept = data_dir / "cockpit.db.before-restore"
    assert mode(kept) == 0o600
    assert "only in the WAL" in _titles(kept)  # and the commit is kept
    # a second restore keeps the first copy and adds another
    assert restore(data_dir, cfg) == 0
    assert "cockpit.db.before-restore.2" in capsys.readouterr().out
    assert "only in the WAL" in _titles(kept)


def test_the_cli_creates_the_data_directory_owner_only(tmp_path, permissive_umask):
    data_dir = tmp_path / "fresh"
    out = subprocess.run([sys.executable, "-m", "cockpit.cli", "--data-dir", str(data_dir), "call", "DescribeWorkspace"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert mode(data_dir) == 0o700
    assert {p.name: mode(p) for p in data_dir.iterdir() if p.is_file()} == {
        p.name: 0o600 for p in data_dir.iterdir() if p.is_file()}
    assert {"cockpit.db", "cockpit.log"} <= {p.name for p in data_dir.iterdir()}


async def test_restore_is_refused_while_a_core_holds_the_workspace(workspace, capsys):
    data_dir, backup, cfg = workspace
    await _populate(data_dir, cfg)
    async with open_core(data_dir, clock=FakeClock(START), config=cfg):
        assert restore(data_dir, cfg) == 1
        assert "in use by another core process" in capsys.readouterr().err
    assert not (data_dir / "cockpit.db.before-restore").exists()


async def test_restore_with_a_provided_key_needs_it_where_the_replica_names_it(workspace, tmp_path, capsys):
    data_dir, backup, cfg = workspace
    vault = tmp_path / "vault"
    vault.mkdir()
    key = vault / "prod.key"
    key.write_bytes(Fernet.generate_key())
    key.chmod(0o600)
    cfg.write_text(cfg.read_text() + f"keys:\n  allowed_dirs: [{vault}]\n")
    async with open_core(data_dir, clock=FakeClock(START), config=cfg) as core:
        await core.client().call("CreateReplicationSet", {"regions": {"local": {"sseKmsKeyId": str(key)}, "backup-1": {}}})
        await core.clock.advance(seconds=1)
    copy = tmp_path / "copy.key"
    copy.write_bytes(key.read_bytes())
    key.unlink()
    assert restore(data_dir, cfg) == 1
    assert f"sseKmsKeyId '{key}'" in capsys.readouterr().err
    assert restore(data_dir, cfg, "--key", str(copy)) == 1
    assert "put the key back there" in capsys.readouterr().err
    key.write_bytes(copy.read_bytes())
    assert restore(data_dir, cfg) == 0


@pytest.mark.parametrize("where", ["inside", "same", "parent"])
async def test_a_replica_directory_must_live_apart_from_the_workspace(tmp_path, where):
    data_dir = tmp_path / "ws"
    replica = {"inside": data_dir / "backup", "same": data_dir, "parent": tmp_path}[where]
    async with open_core(data_dir, clock=FakeClock(START), config={"replicas": {"backup-1": str(replica)}}) as core:
        with pytest.raises(ValidationException) as info:
            await core.client().call("CreateReplicationSet", {"regions": {"local": {}, "backup-1": {}}})
        assert info.value.fields[0]["name"] == "regions.backup-1"
        assert "apart from the workspace and its key" in info.value.message
        assert (await core.client().call("ListReplicationSets", {}))["replicationSetArns"] == []
