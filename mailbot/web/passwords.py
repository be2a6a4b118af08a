"""Password hashing for staff accounts: argon2id with the library's current parameters."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs the same time
# as a wrong password and response times do not reveal which accounts exist.
_DUMMY_HASH = _HASHER.hash("mailbot-no-such-user")
MIN_LENGTH = 10


class WeakPassword(ValueError):
    """A password too short to protect personal data of participants."""


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"le mot de passe doit compter au moins {MIN_LENGTH} caractères")
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
