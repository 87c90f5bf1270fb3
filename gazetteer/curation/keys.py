"""API keys of the HTTP service: made with the CLI, stored hashed, revocable, with a role."""
from __future__ import annotations

import hashlib
import secrets

from .errors import Refused
from .store import ApiKey, Store

ROLES = ("reader", "editor", "admin")  # reader: reads only; editor: changes; admin: imports too
KEY_PREFIX = "gzk_"
MAX_KEY_NAME = 100


def hash_key(secret: str) -> str:
    """Keys are 256 random bits: a plain SHA-256 cannot be reversed or guessed, so no slow
    password hash is needed (and a lookup by hash stays one index probe per request)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_key(store: Store, name: str, role: str) -> tuple[ApiKey, str]:
    """A new key: its record and the secret (shown once; only its hash is stored)."""
    if role not in ROLES:
        raise Refused("invalid", f"role must be one of {', '.join(ROLES)}, not {role!r}")
    name = (name or "").strip()
    if not name or len(name) > MAX_KEY_NAME or not name.isprintable():
        raise Refused("invalid", f"a key name is 1 to {MAX_KEY_NAME} printable characters")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    return store.add_key(name, role, hash_key(secret)), secret


def authenticate(store: Store, secret: str) -> ApiKey | None:
    """The live key with this secret, or None (unknown or revoked)."""
    key = store.key_by_hash(hash_key(secret))
    return key if key is not None and not key.revoked_at else None
