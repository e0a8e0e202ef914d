"""sseKmsKeyId names a key in the workspace's key directory or a file under keys.allowed_dirs;
any other path is refused with one message, whether or not the file exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from core import FakeClock, open_core
from core.errors import ValidationException
from tests.support.core_state import START, snapshot


def key_file(path: Path, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(Fernet.generate_key())
    path.chmod(mode)
    return path


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
async def core(data_dir: Path, vault: Path):
    async with open_core(data_dir, clock=FakeClock(START), config={"keys": {"allowed_dirs": [str(vault)]}}) as running:
        yield running


async def _choose(core, key_id: str) -> str:
    rs = (await core.client().call("CreateReplicationSet", {"regions": {"local": {"sseKmsKeyId": key_id}}}))["arn"]
    region = (await core.client().call("GetReplicationSet", {"arn": rs}))["replicationSet"]["regionMap"]["local"]
    return region["sseKmsKeyId"]


async def test_a_key_in_the_workspace_key_directory(core, data_dir):
    key_file(data_dir / "keys" / "team.key")
    assert await _choose(core, "team.key") == "team.key"
    assert core.cipher.decrypt(core.cipher.encrypt("555-0100")) == "555-0100"


async def test_a_key_under_an_allowed_directory(core, vault):
    key = key_file(vault / "site" / "prod.key")
    assert await _choose(core, str(key)) == str(key)


async def _refusal(core, key_id: str) -> tuple[str, list]:
    before = await snapshot(core)
    with pytest.raises(ValidationException) as info:
        await core.client().call("CreateReplicationSet", {"regions": {"local": {"sseKmsKeyId": key_id}}})
    assert await snapshot(core) == before
    return info.value.message, info.value.fields


async def test_a_path_outside_is_refused_without_saying_whether_it_exists(core, tmp_path, vault, data_dir):
    existing = key_file(tmp_path / "elsewhere" / "real.key")
    (vault).mkdir(parents=True, exist_ok=True)
    (vault / "link.key").symlink_to(existing)  # a link cannot lead out of an allowed directory
    refusals = {
        name: await _refusal(core, key_id)
        for name, key_id in {
            "existing": str(existing),
            "missing": str(tmp_path / "elsewhere" / "nothing.key"),
            "escape": "../cockpit.db",  # relative names stay inside the key directory
            "link": str(vault / "link.key"),
            "the allowed directory itself": str(vault),
        }.items()
    }
    first = refusals["existing"]
    assert "keys.allowed_dirs" in first[0] and first[1][0]["name"] == "regions.local.sseKmsKeyId"
    assert all(r == first for r in refusals.values()), refusals


async def test_inside_the_allowed_places_the_file_must_be_an_owner_only_key(core, vault):
    not_a_key = vault / "notes.txt"
    vault.mkdir(parents=True)
    not_a_key.write_text("hunter2")
    message, _ = await _refusal(core, str(not_a_key))
    assert "readable file holding a Fernet key" in message and "hunter2" not in message
    shared = key_file(vault / "shared.key", mode=0o644)
    message, _ = await _refusal(core, str(shared))
    assert "owner-only" in message and "644" in message
