"""Who bought: email addresses are replaced on reading by an HMAC of the address under a key derived from the
site's secret, so the same buyer matches across rows (in any case) and no address is kept."""

from __future__ import annotations

import hashlib
import hmac

KEY_DERIVATION = b"offer-architect/orders@1 buyer email"


def buyer_hash_key(secret: str | bytes) -> bytes:
    """The HMAC key for buyers' email addresses, derived from the site's secret (never the secret itself)."""
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, KEY_DERIVATION, hashlib.sha256).digest()


def hashed_email(key: bytes, address: str) -> str:
    """``email:`` and 32 hex digits: the same address (in any case) always gives the same id, and no address."""
    digest = hmac.digest(key, address.strip().lower().encode(), "sha256").hex()
    return f"email:{digest[:32]}"


class EmailHasher:
    """``hashed_email`` for one key, several times faster: HMAC-SHA256 (RFC 2104) with the key's inner and outer
    states computed once and copied for each address, instead of keying afresh each time. Same ids, exactly."""

    BLOCK = 64  # SHA-256's block size in bytes

    def __init__(self, key: bytes) -> None:
        if len(key) > self.BLOCK:
            key = hashlib.sha256(key).digest()
        padded = key.ljust(self.BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def __call__(self, address: str) -> str:
        inner = self._inner.copy()
        inner.update(address.strip().lower().encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return "email:" + outer.hexdigest()[:32]
