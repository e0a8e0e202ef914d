"""Users and their access keys (our own operations): who may call the core from outside.

A user has a role (core.security.roles: admin, responder, readonly), may be linked to a
PERSONAL contact (so "my engagements" and direct acknowledgement work for them), and holds up
to two access keys. A key's secret is stored encrypted with the workspace key, because SigV4
verification needs it in clear; it is shown once, in CreateAccessKey's response, and never in
the audit trail (redacted), an event or a log line.

``resolve_access_key`` is what the HTTP bindings authenticate with.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Annotated, Any
from weakref import WeakKeyDictionary

from cryptography.fernet import InvalidToken
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from core.engine.context import Context
from core.errors import ConflictException, ResourceNotFoundException, ValidationException
from core.model.events import USER_CHANGED
from core.ops import pagination
from core.ops.registry import OWN_SERVICE, operation
from core.security.principals import Principal
from core.security.roles import ROLES, principal_for_role
from core.timeutil import from_us, to_us

if TYPE_CHECKING:
    from core.runtime import Core

KEYS_PER_USER = 2
KEY_PREFIX = "CKIA"  # as AWS's long-term keys start with AKIA
_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
RESERVED_NAMES = frozenset({"local-admin", "core"})
UserName = Field(pattern=r"^[A-Za-z0-9+=,.@_-]{1,64}$", description="letters, digits and +=,.@_-")


def _known_role(value: str) -> str:
    if value not in ROLES:
        raise ValueError(f"must be one of {', '.join(ROLES)}")
    return value


Role = Annotated[str, AfterValidator(_known_role)]

# access key id -> (principal, secret), per running core; emptied whenever a user changes
_resolved: WeakKeyDictionary[Core, dict[str, tuple[Principal, str]]] = WeakKeyDictionary()


def user_arn(account_id: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:user/{name}"


def _new_access_key_id() -> str:
    return KEY_PREFIX + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16))


def _new_secret() -> str:
    return secrets.token_urlsafe(30)  # 40 characters, like AWS's


async def resolve_access_key(core: Core, access_key_id: str) -> tuple[Principal, str] | None:
    """The principal an access key acts as, and its secret; None if the key is unknown or
    deleted, or its user disabled."""
    cache = _resolved.setdefault(core, {})
    found = cache.get(access_key_id)
    if found is not None:
        return found
    async with core.db.transaction() as tx:
        row = await tx.fetchone(
            "SELECT k.secret_enc, u.name, u.arn, u.role FROM access_keys k"
            " JOIN users u ON u.name = k.user_name WHERE k.access_key_id = ? AND u.enabled = 1",
            (access_key_id,),
        )
    if row is None:
        return None
    try:
        secret = core.cipher.decrypt(row["secret_enc"])
    except InvalidToken:
        # encrypted under a key this workspace no longer uses: the key cannot authenticate
        return None
    found = (principal_for_role(row["arn"], row["name"], row["role"], access_key_id), secret)
    cache[access_key_id] = found
    return found


async def linked_contact(ctx: Context, principal_arn: str) -> str | None:
    """The PERSONAL contact a user is linked to (None: not a user, or not linked)."""
    return await ctx.tx.scalar("SELECT contact_arn FROM users WHERE arn = ?", (principal_arn,))


def _changed(ctx: Context, name: str, change: str) -> None:
    core = ctx.core
    ctx.tx.after_commit(lambda: _resolved.pop(core, None))
    ctx.emit(USER_CHANGED, user_arn(ctx.account_id, name), userName=name, change=change)


async def _load_user(ctx: Context, name: str) -> Any:
    row = await ctx.tx.fetchone("SELECT * FROM users WHERE name = ?", (name,))
    if row is None:
        raise ResourceNotFoundException(f"user {name!r} does not exist", "USER", name)
    return row


async def _check_contact(ctx: Context, arn: str) -> None:
    kind = await ctx.tx.scalar("SELECT type FROM contacts WHERE arn = ?", (arn,))
    if kind is None:
        raise ResourceNotFoundException(f"contact {arn} does not exist", "CONTACT", arn)
    if kind != "PERSONAL":
        raise ValidationException(
            f"a user links to a PERSONAL contact, and {arn} is an {kind} contact",
            fields=[{"name": "contactArn", "message": "must be a PERSONAL contact"}],
        )


async def _keep_an_admin(ctx: Context, name: str, what: str) -> None:
    """Refuse to leave the workspace without an enabled admin user (remote administration)."""
    others = await ctx.tx.scalar(
        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND enabled = 1 AND name != ?", (name,)
    )
    if not others:
        raise ConflictException(
            f"{what} {name!r} would leave no enabled admin user; make another admin first"
        )


async def _view(ctx: Context, row: Any) -> dict[str, Any]:
    keys = await ctx.tx.fetchall(
        "SELECT access_key_id, created_us FROM access_keys WHERE user_name = ? ORDER BY created_us, access_key_id",
        (row["name"],),
    )
    out = {
        "userName": row["name"],
        "userArn": row["arn"],
        "role": row["role"],
        "enabled": bool(row["enabled"]),
        "createTime": from_us(row["created_us"]),
        "updateTime": from_us(row["updated_us"]),
        "accessKeys": [{"accessKeyId": k["access_key_id"], "createTime": from_us(k["created_us"])} for k in keys],
    }
    if row["contact_arn"]:
        out["contactArn"] = row["contact_arn"]
    return out


class CreateUserRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    userName: str = UserName
    role: Role
    contactArn: str | None = Field(default=None, min_length=1, max_length=2048, description="a PERSONAL contact")
    withAccessKey: bool = Field(default=False, description="also create its first access key, in one step")


@operation("CreateUser", service=OWN_SERVICE, request=CreateUserRequest)
async def create_user(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Create a user with a role (admin, responder or readonly), and with ``withAccessKey`` its
    first access key (otherwise CreateAccessKey gives it one)."""
    name = req["userName"]
    if name in RESERVED_NAMES:
        raise ValidationException(
            f"the user name {name!r} is reserved", fields=[{"name": "userName", "message": "reserved"}]
        )
    if await ctx.tx.scalar("SELECT 1 FROM users WHERE name = ?", (name,)):
        raise ConflictException(f"user {name!r} already exists")
    if req.get("contactArn"):
        await _check_contact(ctx, req["contactArn"])
    arn = user_arn(ctx.account_id, name)
    await ctx.tx.execute(
        "INSERT INTO users (name, arn, role, contact_arn, enabled, created_us, updated_us) VALUES (?, ?, ?, ?, 1, ?, ?)",
        (name, arn, req["role"], req.get("contactArn"), to_us(ctx.now), to_us(ctx.now)),
    )
    ctx.resource_arn = arn
    _changed(ctx, name, "created")
    row = await _load_user(ctx, name)
    key = await _new_key(ctx, row) if req.get("withAccessKey") else None
    return {"user": await _view(ctx, row), **({"accessKey": key} if key else {})}


class ListUsersRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    maxResults: int | None = Field(default=None, ge=1, le=100)
    nextToken: str | None = Field(default=None, max_length=2000)


@operation("ListUsers", service=OWN_SERVICE, readonly=True, request=ListUsersRequest)
async def list_users(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List the users, by name, with their roles, linked contacts and access key ids."""
    after = pagination.decode(req.get("nextToken"), scope="users")
    limit = pagination.page_size(req.get("maxResults"))
    rows = await ctx.tx.fetchall(
        "SELECT * FROM users WHERE name > ? ORDER BY name LIMIT ?", ((after or {}).get("n", ""), limit + 1)
    )
    out: dict[str, Any] = {"users": [await _view(ctx, r) for r in rows[:limit]]}
    if len(rows) > limit:
        out["nextToken"] = pagination.encode({"s": "users", "n": rows[limit - 1]["name"]})
    return out


class UpdateUserRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    userName: str = UserName
    role: Role | None = None
    enabled: bool | None = None
    contactArn: str | None = Field(
        default=None, max_length=2048, description="a PERSONAL contact; the empty string unlinks"
    )


@operation("UpdateUser", service=OWN_SERVICE, request=UpdateUserRequest)
async def update_user(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Change a user's role, enable or disable it (a disabled user's keys stop working), or
    link it to a contact (the empty string unlinks)."""
    row = await _load_user(ctx, req["userName"])
    name = row["name"]
    role = req.get("role", row["role"])
    enabled = req.get("enabled", bool(row["enabled"]))
    if row["role"] == "admin" and row["enabled"] and (role != "admin" or not enabled):
        await _keep_an_admin(ctx, name, "disabling" if not enabled else "demoting")
    contact = row["contact_arn"]
    if "contactArn" in req:
        contact = req["contactArn"] or None
        if contact:
            await _check_contact(ctx, contact)
    await ctx.tx.execute(
        "UPDATE users SET role = ?, enabled = ?, contact_arn = ?, updated_us = ? WHERE name = ?",
        (role, int(enabled), contact, to_us(ctx.now), name),
    )
    ctx.resource_arn = row["arn"]
    _changed(ctx, name, "updated")
    return {"user": await _view(ctx, await _load_user(ctx, name))}


class UserNameRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    userName: str = UserName


@operation("DeleteUser", service=OWN_SERVICE, request=UserNameRequest)
async def delete_user(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete a user and its access keys."""
    row = await _load_user(ctx, req["userName"])
    if row["role"] == "admin" and row["enabled"]:
        await _keep_an_admin(ctx, row["name"], "deleting")
    await ctx.tx.execute("DELETE FROM users WHERE name = ?", (row["name"],))
    ctx.resource_arn = row["arn"]
    _changed(ctx, row["name"], "deleted")
    return {}


@operation("CreateAccessKey", service=OWN_SERVICE, request=UserNameRequest)
async def create_access_key(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Give a user a new access key; the response is the only time its secret is shown."""
    row = await _load_user(ctx, req["userName"])
    ctx.resource_arn = row["arn"]
    _changed(ctx, row["name"], "key-created")
    return {"accessKey": await _new_key(ctx, row)}


async def _new_key(ctx: Context, row: Any) -> dict[str, Any]:
    count = await ctx.tx.scalar("SELECT COUNT(*) FROM access_keys WHERE user_name = ?", (row["name"],))
    if count >= KEYS_PER_USER:
        raise ConflictException(
            f"user {row['name']!r} already has {KEYS_PER_USER} access keys; delete one first"
            " (RotateAccessKey, `cockpit user rotate-key`, replaces them)"
        )
    key_id, secret = _new_access_key_id(), _new_secret()
    await ctx.tx.execute(
        "INSERT INTO access_keys (access_key_id, user_name, secret_enc, created_us) VALUES (?, ?, ?, ?)",
        (key_id, row["name"], ctx.core.cipher.encrypt(secret), to_us(ctx.now)),
    )
    return {"userName": row["name"], "accessKeyId": key_id, "secretAccessKey": secret, "createTime": ctx.now}


@operation("RotateAccessKey", service=OWN_SERVICE, request=UserNameRequest)
async def rotate_access_key(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Give a user a new access key and delete its old ones, in one step; the response is the
    only time the new secret is shown."""
    row = await _load_user(ctx, req["userName"])
    await ctx.tx.execute("DELETE FROM access_keys WHERE user_name = ?", (row["name"],))
    ctx.resource_arn = row["arn"]
    _changed(ctx, row["name"], "key-rotated")
    return {"accessKey": await _new_key(ctx, row)}


class DeleteAccessKeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    userName: str = UserName
    accessKeyId: str = Field(pattern=r"^[A-Z0-9]{16,128}$")


@operation("DeleteAccessKey", service=OWN_SERVICE, request=DeleteAccessKeyRequest)
async def delete_access_key(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete one of a user's access keys; calls signed with it are refused from then on."""
    row = await _load_user(ctx, req["userName"])
    deleted = await ctx.tx.execute(
        "DELETE FROM access_keys WHERE access_key_id = ? AND user_name = ?", (req["accessKeyId"], row["name"])
    )
    if not deleted:
        raise ResourceNotFoundException(
            f"user {row['name']!r} has no access key {req['accessKeyId']}", "ACCESS_KEY", req["accessKeyId"]
        )
    ctx.resource_arn = row["arn"]
    _changed(ctx, row["name"], "key-deleted")
    return {}


class GetCallerIdentityRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


@operation("GetCallerIdentity", service=OWN_SERVICE, readonly=True, request=GetCallerIdentityRequest)
async def get_caller_identity(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Who this client acts as: the principal, its role, its access key and linked contact."""
    p = ctx.principal
    out: dict[str, Any] = {"arn": p.arn, "name": p.name, "role": p.role or ("admin" if p.admin else "custom")}
    if p.access_key_id:
        out["accessKeyId"] = p.access_key_id
    contact = await linked_contact(ctx, p.arn)
    if contact:
        out["contactArn"] = contact
    return out
