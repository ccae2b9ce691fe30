"""The participant web page of a live session: Starlette app, uvicorn server, live updates.

Optional: install it with ``pip install 'peeragogy[web]'``. It never imports
textual, and the core never imports it (import-linter contracts in
``pyproject.toml``, run by the test suite).

* :mod:`.security` join codes, signed cookies, Origin and Host checks, limits.
* :mod:`.hub` one poller of the session store per server, fanning changes out
  to every open event stream.
* :mod:`.app` the Starlette application (page, JSON API, server-sent events).
* :mod:`.server` uvicorn on a socket we bind (127.0.0.1 unless ``--lan``).
* :mod:`.qr` the join link as a QR code drawn with half blocks (segno).

All shared state goes through the session store (SQLite): a change made in the
facilitator's terminal, or in another process, reaches every browser through
the session's revision.
"""

from __future__ import annotations

__all__: list[str] = []
