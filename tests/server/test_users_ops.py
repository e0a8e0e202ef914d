"""Users and access keys as operations: roles, contact links, the last admin, secrets kept
out of the audit trail and the event log, and the lookup the HTTP bindings authenticate with."""

from __future__ import annotations

import pytest

from core.errors import ConflictException, ResourceNotFoundException, ValidationException
from core.ops.users import resolve_access_key
from core.store import event_log


async def _user(client, name, role="admin"):
    await client.call("CreateUser", {"userName": name, "role": role})
    return (await client.call("CreateAccessKey", {"userName": name}))["accessKey"]


async def test_access_key_resolves_to_its_role_until_disabled_or_deleted(core, client):
    await _user(client, "root")
    key = await _user(client, "ann", "responder")
    principal, secret = await resolve_access_key(core, key["accessKeyId"])
    assert secret == key["secretAccessKey"]
    assert (principal.name, principal.role, principal.access_key_id) == ("ann", "responder", key["accessKeyId"])
    assert principal.may("ssm-incidents:StartIncident")
    assert not principal.may("ssm-incidents:DeleteResponsePlan")

    await client.call("UpdateUser", {"userName": "ann", "enabled": False})
    assert await resolve_access_key(core, key["accessKeyId"]) is None
    await client.call("UpdateUser", {"userName": "ann", "enabled": True, "role": "readonly"})
    principal, _ = await resolve_access_key(core, key["accessKeyId"])
    assert principal.role == "readonly"
    await client.call("DeleteAccessKey", {"userName": "ann", "accessKeyId": key["accessKeyId"]})
    assert await resolve_access_key(core, key["accessKeyId"]) is None
    assert await resolve_access_key(core, "CKIANOSUCHKEY0000000") is None


async def test_secret_is_stored_encrypted_and_never_audited_or_logged(core, client, data_dir):
    key = await _user(client, "root")
    raw = (data_dir / "cockpit.db").read_bytes()
    wal = data_dir / "cockpit.db-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    assert key["accessKeyId"].encode() in raw
    assert key["secretAccessKey"].encode() not in raw
    audit = await client.call("LookupAuditEvents", {})
    assert key["secretAccessKey"] not in repr(audit)
    assert key["secretAccessKey"] not in repr(await event_log.since(core.db, 0))


async def test_list_update_link_contact(ready, core):
    client, _ = ready
    contact = await client.call("CreateContact", {"Alias": "ann", "Type": "PERSONAL", "Plan": {"Stages": []}})
    await client.call("CreateUser", {"userName": "ann", "role": "responder", "contactArn": contact["ContactArn"]})
    await _user(client, "root")
    users = (await client.call("ListUsers", {}))["users"]
    assert [(u["userName"], u["role"], u.get("contactArn")) for u in users] == [
        ("ann", "responder", contact["ContactArn"]), ("root", "admin", None)]
    assert len(users[1]["accessKeys"]) == 1 and "secretAccessKey" not in repr(users)
    await client.call("UpdateUser", {"userName": "ann", "contactArn": ""})
    assert "contactArn" not in (await client.call("ListUsers", {"maxResults": 1}))["users"][0]
    page = await client.call("ListUsers", {"maxResults": 1})
    rest = await client.call("ListUsers", {"maxResults": 1, "nextToken": page["nextToken"]})
    assert rest["users"][0]["userName"] == "root" and "nextToken" not in rest


async def test_bad_requests_name_what_is_wrong(client):
    with pytest.raises(ValidationException) as err:
        await client.call("CreateUser", {"userName": "bob", "role": "superuser"})
    assert err.value.fields[0]["name"] == "role"
    with pytest.raises(ValidationException) as err:
        await client.call("CreateUser", {"userName": "no spaces", "role": "admin"})
    assert err.value.fields[0]["name"] == "userName"
    with pytest.raises(ValidationException):
        await client.call("CreateUser", {"userName": "local-admin", "role": "admin"})
    with pytest.raises(ResourceNotFoundException):
        await client.call("CreateUser", {"userName": "bob", "role": "admin", "contactArn": "arn:aws:ssm-contacts:x:1:contact/no"})
    await client.call("CreateUser", {"userName": "bob", "role": "admin"})
    with pytest.raises(ConflictException):
        await client.call("CreateUser", {"userName": "bob", "role": "readonly"})
    with pytest.raises(ResourceNotFoundException):
        await client.call("UpdateUser", {"userName": "nobody", "role": "admin"})


async def test_the_last_admin_is_kept_and_keys_are_limited(client):
    await _user(client, "root")
    for change in ({"enabled": False}, {"role": "readonly"}):
        with pytest.raises(ConflictException):
            await client.call("UpdateUser", {"userName": "root", **change})
    with pytest.raises(ConflictException):
        await client.call("DeleteUser", {"userName": "root"})
    await client.call("CreateAccessKey", {"userName": "root"})
    with pytest.raises(ConflictException):
        await client.call("CreateAccessKey", {"userName": "root"})
    await _user(client, "second")
    await client.call("DeleteUser", {"userName": "root"})
    assert [u["userName"] for u in (await client.call("ListUsers", {}))["users"]] == ["second"]
