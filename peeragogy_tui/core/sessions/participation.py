"""Browser participants of a session: join code, members, their entries and +1 votes.

This is the part of the store the web server uses; it never imports a web
library. Every change goes through :meth:`SessionStore.change`, so it bumps the
session's revision and every window and browser sees it within a poll.

* The join code (``secrets.token_urlsafe``) is what the facilitator reads out;
  it can be rotated. The cookie key signs participants' cookies; it stays in
  the store, so a restarted server (``session resume``) still knows everyone.
* A member's name is checked once, when they join. Later posts take the name
  from the member record (the web layer finds it from the signed cookie),
  never from the request.
* Participants never get facilitator powers: there is nothing here to move
  steps, change timers or groups, delete, or read private entries.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from peeragogy_tui.core.sessions.entries import entry_kind, entry_text, optional_text
from peeragogy_tui.core.sessions.rows import dump_json, iso, storable
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.sessions.store import SessionStore

__all__ = [
    "MAX_NAME",
    "MAX_TEXT",
    "Member",
    "Participation",
    "WebAccess",
    "new_join_code",
]

MAX_NAME = 60
"""Longest participant (or owner) name, in characters."""
MAX_TEXT = 2000
"""Longest entry a participant can post, in characters."""


def new_join_code() -> str:
    """A fresh, unguessable join code that is short enough to read out (11 characters)."""
    return secrets.token_urlsafe(8)


@dataclass(frozen=True)
class WebAccess:
    """How browsers reach a session: the join code, the cookie key, where it was last served."""

    session_id: int
    join_code: str
    cookie_key: str
    port: int | None
    lan: bool


@dataclass(frozen=True)
class Member:
    """Someone who joined from a browser."""

    id: int
    session_id: int
    name: str
    removed: bool


def _limited(value: str, limit: int, what: str) -> str:
    if len(value) > limit:
        raise PeeragogyError(
            f"the {what} is too long ({len(value)} characters; at most {limit})",
            hint=f"shorten the {what}",
        )
    return value


def _name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise PeeragogyError("give your name to join", hint="type the name people know you by")
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise PeeragogyError("a name cannot hold control characters", hint="type it again")
    return storable(_limited(name.strip(), MAX_NAME, "name"))


def _access_from(row: sqlite3.Row) -> WebAccess:
    return WebAccess(
        session_id=int(row["session_id"]),
        join_code=row["join_code"],
        cookie_key=row["cookie_key"],
        port=row["port"],
        lan=bool(row["lan"]),
    )


def _member_from(row: sqlite3.Row) -> Member:
    return Member(
        id=int(row["id"]),
        session_id=int(row["session_id"]),
        name=row["name"],
        removed=row["removed_at"] is not None,
    )


class Participation:
    """The browser side of the sessions in one store."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store

    # -- access ----------------------------------------------------------------

    def access(self, session_id: int) -> WebAccess | None:
        """The session's join code and cookie key, or ``None`` if it was never served."""
        rows = self.store.db.read("SELECT * FROM session_web WHERE session_id = ?", (session_id,))
        return _access_from(rows[0]) if rows else None

    def open_access(self, session_id: int, *, port: int | None = None, lan: bool = False) -> WebAccess:
        """The session's access, created on first use (the code survives restarts).

        With ``port``, records where it is served (and whether on the LAN), so
        ``session resume`` can serve it again at the same address.

        Raises:
            PeeragogyError: there is no such session.
        """

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> WebAccess:
            conn.execute(
                "INSERT INTO session_web (session_id, join_code, cookie_key, port, lan, created_at,"
                " rotated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE"
                " SET port = coalesce(excluded.port, port),"
                " lan = CASE WHEN excluded.port IS NULL THEN lan ELSE excluded.lan END",
                (session_id, new_join_code(), secrets.token_hex(32), port, int(lan), iso(now), iso(now)),
            )
            found = conn.execute("SELECT * FROM session_web WHERE session_id = ?", (session_id,))
            return _access_from(found.fetchone())

        return self.store.change(session_id, work)

    def rotate_code(self, session_id: int) -> str:
        """A new join code; the old one stops working (members who joined stay in).

        Raises:
            PeeragogyError: the session was never served.
        """
        code = new_join_code()

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> str:
            changed = conn.execute(
                "UPDATE session_web SET join_code = ?, rotated_at = ? WHERE session_id = ?",
                (code, iso(now), session_id),
            )
            if changed.rowcount == 0:
                raise PeeragogyError(
                    f"session #{session_id} is not served to browsers",
                    hint=f"start it with: peeragogy session serve {session_id}",
                )
            return code

        return self.store.change(session_id, work)

    # -- members -----------------------------------------------------------------

    def join(self, session_id: int, name: str) -> Member:
        """Add a member; a name not on the roster is added to the session's participants.

        Raises:
            PeeragogyError: the session is finished, the name is empty, too long,
                already taken by someone who joined, or was removed by the facilitator.
        """
        clean = _name(name)

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> Member:
            found = conn.execute(
                "SELECT * FROM session_members WHERE session_id = ? AND name = ?",
                (session_id, clean),
            ).fetchone()
            if found is not None:
                why = "was removed by the facilitator" if found["removed_at"] else "has already joined"
                raise PeeragogyError(
                    f"'{clean}' {why}",
                    hint="join with another name, or ask the facilitator"
                    if found["removed_at"] is None
                    else "ask the facilitator",
                )
            cursor = conn.execute(
                "INSERT INTO session_members (session_id, name, joined_at) VALUES (?, ?, ?)",
                (session_id, clean, iso(now)),
            )
            people = list(json.loads(row["participants_json"]))
            if clean not in people:
                conn.execute(
                    "UPDATE sessions SET participants_json = ? WHERE id = ?",
                    (dump_json([*people, clean]), session_id),
                )
            return Member(int(cursor.lastrowid or 0), session_id, clean, False)

        return self.store.change(session_id, work, running=True)

    def member(self, member_id: int) -> Member | None:
        """A member by id (removed ones too, marked), or ``None``."""
        rows = self.store.db.read("SELECT * FROM session_members WHERE id = ?", (member_id,))
        return _member_from(rows[0]) if rows else None

    def remove_member(self, session_id: int, name: str) -> bool:
        """Take a member out: their cookie stops working, their entries stay. False if not a member."""

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> bool:
            changed = conn.execute(
                "UPDATE session_members SET removed_at = ? WHERE session_id = ? AND name = ?"
                " AND removed_at IS NULL",
                (iso(now), session_id, name),
            )
            return changed.rowcount > 0

        return self.store.change(session_id, work)

    # -- what members do ---------------------------------------------------------------

    def _active(self, conn: sqlite3.Connection, member: Member) -> None:
        found = conn.execute(
            "SELECT removed_at FROM session_members WHERE id = ? AND session_id = ?",
            (member.id, member.session_id),
        ).fetchone()
        if found is None or found[0] is not None:
            raise PeeragogyError("you are no longer in this session", hint="ask the facilitator")

    def post(
        self, member: Member, *, kind: str, text: str, owner: str | None = None, private: bool = False
    ) -> int:
        """Record a member's note, question or action on the current step; return its id.

        The name on the entry is the member's own. Raises:
            PeeragogyError: the session is finished, the member was removed, or a value does not fit.
        """
        values = (
            entry_kind(kind),
            entry_text(_limited(text, MAX_TEXT, "entry") if isinstance(text, str) else text),
            optional_text(_limited(owner, MAX_NAME, "owner") if isinstance(owner, str) else owner, "owner")
            if kind == "action"
            else None,
            int(bool(private)),
        )

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> int:
            self._active(conn, member)
            step = conn.execute(
                "SELECT step_key FROM session_steps WHERE session_id = ? AND step_index = ?",
                (member.session_id, int(row["current_index"])),
            ).fetchone()
            cursor = conn.execute(
                "INSERT INTO session_entries (session_id, step_key, kind, text, participant,"
                " group_name, owner, private, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)",
                (member.session_id, step[0], values[0], values[1], member.name, values[2], values[3],
                 iso(now), iso(now)),
            )
            return int(cursor.lastrowid or 0)

        return self.store.change(member.session_id, work, running=True)

    def toggle_vote(self, member: Member, entry_id: int) -> bool:
        """Give (or take back) a +1 on a shared question of the member's session; True if now voted.

        Raises:
            PeeragogyError: no such shared question in this session, or the member was removed.
        """

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> bool:
            self._active(conn, member)
            entry = conn.execute(
                "SELECT 1 FROM session_entries WHERE id = ? AND session_id = ? AND kind = 'question'"
                " AND private = 0",
                (entry_id, member.session_id),
            ).fetchone()
            if entry is None:
                raise PeeragogyError("there is no such question to +1", hint="reload the page")
            removed = conn.execute(
                "DELETE FROM session_votes WHERE entry_id = ? AND member_id = ?", (entry_id, member.id)
            )
            if removed.rowcount:
                return False
            conn.execute(
                "INSERT INTO session_votes (entry_id, member_id, created_at) VALUES (?, ?, ?)",
                (entry_id, member.id, iso(now)),
            )
            return True

        return self.store.change(member.session_id, work)
