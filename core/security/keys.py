"""The workspace's data-encryption key choice (the replication set's ``sseKmsKeyId``).

``DefaultKey`` (or no key) means an owned key: random key material generated once in the
data directory (``keys/owned.key``, mode 0600). Any other value names a key the user
provides: a path to a file holding a Fernet key. Later areas use ``fernet_for`` to encrypt
contact addresses and provider secrets at rest.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet

from core.errors import ValidationException

OWNED = "DefaultKey"


def owned_key_path(data_dir: Path) -> Path:
    return Path(data_dir) / "keys" / "owned.key"


def ensure_owned_key(data_dir: Path) -> Path:
    path = owned_key_path(data_dir)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(Fernet.generate_key())
    return path


def check_key_choice(data_dir: Path, key_id: str | None, field: str) -> str:
    """Validate a key choice and prepare it; returns the value to record."""
    if not key_id or key_id == OWNED:
        ensure_owned_key(data_dir)
        return OWNED
    path = Path(key_id)
    try:
        Fernet(path.read_bytes().strip())
    except (OSError, ValueError):
        raise ValidationException(
            f"{field} must be 'DefaultKey' or the path of a readable file holding a Fernet key",
            fields=[{"name": field, "message": "not DefaultKey or a readable key file"}],
        ) from None
    return key_id


def fernet_for(data_dir: Path, key_id: str) -> Fernet:
    path = owned_key_path(data_dir) if key_id == OWNED else Path(key_id)
    return Fernet(path.read_bytes().strip())


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
