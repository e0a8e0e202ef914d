"""The workspace's data-encryption key choice (the replication set's ``sseKmsKeyId``).

``DefaultKey`` (or no key) means an owned key: random key material generated once in the
workspace's key directory (``DATA_DIR/keys/owned.key``, 0600, in a 0700 directory). Any other
value names a key the user provides, a file holding a Fernet key:

- a relative name is a file in the workspace's key directory (``team.key``);
- an absolute path must lie under one of the configuration's ``keys.allowed_dirs``.

Any other path is refused before the file is looked at, with one message whether or not it
exists, so the refusal never tells a caller what is on the disk. Keys never travel with replica
copies: a replica is useless without its key (``cockpit restore`` asks for it).

``key_fingerprint`` identifies a key without revealing it (an HMAC of a fixed text under the
key). The workspace records which key it encrypts with and that key's fingerprint
(``workspace_key_record``, kept in ``meta``), so a restore can tell which key a replica needs
and whether a key file is that key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from pathlib import Path

from cryptography.fernet import Fernet

from core.errors import ValidationException
from core.store.files import private_dir, write_private

OWNED = "DefaultKey"
KEY_DIRNAME = "keys"
OWNED_FILENAME = "owned.key"
FINGERPRINT_TEXT = b"incident-cockpit workspace key"
WORKSPACE_KEY = "workspace_key"  # the meta row naming the workspace key and its fingerprint


def key_dir(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_DIRNAME


def owned_key_path(data_dir: Path) -> Path:
    return key_dir(data_dir) / OWNED_FILENAME


def key_path(data_dir: Path, key_id: str) -> Path:
    """Where the key ``key_id`` (DefaultKey, a name in the key directory, or a path) lives."""
    if not key_id or key_id == OWNED:
        return owned_key_path(data_dir)
    path = Path(key_id)
    return path if path.is_absolute() else key_dir(data_dir) / path


def ensure_owned_key(data_dir: Path) -> Path:
    path = owned_key_path(data_dir)
    if not path.exists():
        private_dir(path.parent)
        write_private(path, Fernet.generate_key())
    return path


def read_key(path: Path) -> bytes:
    """The key material in ``path``; ValueError when it is not a Fernet key."""
    material = Path(path).read_bytes().strip()
    Fernet(material)
    return material


def key_fingerprint(material: bytes) -> str:
    return hmac.new(material, FINGERPRINT_TEXT, hashlib.sha256).hexdigest()


def workspace_key_record(data_dir: Path, key_id: str) -> str:
    """The ``meta`` value recording the workspace key: its id and fingerprint, as JSON."""
    fingerprint = key_fingerprint(read_key(key_path(data_dir, key_id)))
    return json.dumps({"id": key_id, "fingerprint": fingerprint}, sort_keys=True)


def install_key(path: Path, material: bytes) -> Path:
    """Write key material to ``path`` in the workspace's key directory, owner-only."""
    private_dir(path.parent)
    return write_private(path, material)


def check_key_choice(data_dir: Path, key_id: str | None, field: str, allowed_dirs: Iterable[Path] = ()) -> str:
    """Validate a key choice and prepare it; returns the value to record."""
    if not key_id or key_id == OWNED:
        ensure_owned_key(data_dir)
        return OWNED
    path = key_path(data_dir, key_id)
    roots = [key_dir(data_dir).resolve(), *(Path(d).resolve() for d in allowed_dirs)]
    where = path.resolve()  # '..' and symlinks resolved first: a link cannot lead outside
    if not any(where != root and where.is_relative_to(root) for root in roots):
        raise ValidationException(
            f"{field} must be 'DefaultKey', the name of a key file in the workspace's key directory, "
            "or a path under one of the configuration's keys.allowed_dirs",
            fields=[{"name": field, "message": "not DefaultKey, a key in the key directory or an allowed path"}],
        )
    try:
        read_key(path)
    except (OSError, ValueError):
        raise ValidationException(
            f"{field} must name a readable file holding a Fernet key",
            fields=[{"name": field, "message": "not a readable key file"}],
        ) from None
    mode = path.stat().st_mode & 0o077
    if mode:
        raise ValidationException(
            f"{field}: the key file is readable or writable by others (mode {path.stat().st_mode & 0o777:o}); "
            "make it owner-only (chmod 600)",
            fields=[{"name": field, "message": "key file is not owner-only"}],
        )
    return key_id


def fernet_for(data_dir: Path, key_id: str) -> Fernet:
    return Fernet(read_key(key_path(data_dir, key_id)))


class Cipher:
    """Encrypts values at rest (contact addresses, provider secrets) with the workspace key:
    the key chosen for this site's region, or the owned key before a replication set exists."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = Path(data_dir)
        self._fernet: Fernet | None = None
        self.key_id = OWNED

    def use(self, key_id: str) -> None:
        self.key_id = key_id or OWNED
        self._fernet = None

    def _get(self) -> Fernet:
        if self._fernet is None:
            if self.key_id == OWNED:
                ensure_owned_key(self._data_dir)
            self._fernet = fernet_for(self._data_dir, self.key_id)
        return self._fernet

    def encrypt(self, text: str) -> str:
        return self._get().encrypt(text.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self._get().decrypt(token.encode()).decode()
