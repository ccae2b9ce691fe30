"""Who may do what: join codes, signed identity cookies, Origin and Host checks, rate limits.

* The join code is compared in constant time (:func:`hmac.compare_digest`).
* The cookie holds the session id, the member id and the name, signed with
  HMAC-SHA256 under the session's cookie key (kept in the store). It is
  HttpOnly and SameSite=Strict. The server trusts the name in the cookie, and
  only after checking the member in the store; it never reads a name from a form.
* Every POST must carry an ``Origin`` that is this server; the event stream
  refuses a foreign ``Origin`` too. The ``Host`` header must be one we serve, so
  a DNS-rebinding page cannot talk to a server on 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "COOKIE_NAME",
    "Identity",
    "RateLimit",
    "allowed_origin",
    "code_matches",
    "sign_identity",
    "verify_identity",
]

COOKIE_NAME = "peeragogy_session"


@dataclass(frozen=True)
class Identity:
    """What a valid cookie says: this browser is member ``member_id`` of ``session_id``."""

    session_id: int
    member_id: int
    name: str


def code_matches(given: str | None, expected: str) -> bool:
    """True if ``given`` is the join code (constant-time comparison)."""
    if not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def _mac(key: str, payload: bytes) -> str:
    digest = hmac.new(key.encode("ascii"), payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def sign_identity(identity: Identity, key: str) -> str:
    """The cookie value: ``<payload>.<signature>``, both URL-safe base64."""
    body = json.dumps(
        {"s": identity.session_id, "m": identity.member_id, "n": identity.name},
        ensure_ascii=True,
        separators=(",", ":"),
    ).encode("ascii")
    payload = base64.urlsafe_b64encode(body).decode("ascii").rstrip("=")
    return f"{payload}.{_mac(key, payload.encode('ascii'))}"


def verify_identity(value: str | None, key: str) -> Identity | None:
    """The identity in a cookie value, or ``None`` if it is missing, malformed or forged."""
    if not value or value.count(".") != 1 or len(value) > 1024:
        return None
    payload, signature = value.split(".")
    if not hmac.compare_digest(_mac(key, payload.encode("ascii", "replace")), signature):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return Identity(int(data["s"]), int(data["m"]), str(data["n"]))
    except (ValueError, KeyError, TypeError):
        return None


def allowed_origin(origin: str | None, hosts: Iterable[str], *, required: bool) -> bool:
    """True if ``origin`` is ``http://`` one of ``hosts`` (``host:port``); a missing one passes
    only when not ``required``."""
    if origin is None:
        return not required
    return any(hmac.compare_digest(origin, f"http://{host}") for host in hosts)


@dataclass
class RateLimit:
    """At most ``limit`` actions per ``seconds`` for each key (a sliding window, in memory)."""

    limit: int
    seconds: float
    _seen: dict[object, deque[float]] = field(default_factory=dict)

    def full(self, key: object, now: float | None = None) -> bool:
        """True if ``key`` has used up its actions for now (nothing is recorded)."""
        moment = time.monotonic() if now is None else now
        window = self._seen.get(key)
        return window is not None and sum(1 for at in window if at > moment - self.seconds) >= self.limit

    def allow(self, key: object, now: float | None = None) -> bool:
        """Record one action for ``key``; False if it is over the limit (then nothing is recorded)."""
        moment = time.monotonic() if now is None else now
        window = self._seen.setdefault(key, deque())
        while window and window[0] <= moment - self.seconds:
            window.popleft()
        if len(window) >= self.limit:
            return False
        window.append(moment)
        return True
