"""Run claims: a run being answered by a live process belongs to that process.

Two windows (or eight piped ``exercise run`` processes) on one exercise must
never write into one run: that merges their answers and overwrites some. So
each run being answered has a row in ``run_claims``: the owner's random token,
its pid and host, and a lease expiry. The row is taken and renewed *in the same
transaction* as every answer, draft and position (``BEGIN IMMEDIATE``), so a
write either happens under a valid claim or not at all.

A claim is **live** while its lease has not expired and, when the owner is on
this host, its pid still runs. Anything else is stale and may be taken over,
so a SIGKILLed owner never blocks a run: on this host its dead pid frees the
run at once; elsewhere its lease runs out. Owners renew the lease with
:meth:`RunClaims.renew_claim` every :data:`HEARTBEAT_SECONDS`.

Time comes from the store's injectable clock, so tests can expire a lease.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.store.base import Clock
    from peeragogy_tui.core.store.database import Database

__all__ = [
    "HEARTBEAT_SECONDS",
    "LEASE_SECONDS",
    "ClaimHolder",
    "Claimant",
    "RunClaimedError",
    "RunClaims",
    "hold",
    "pid_alive",
    "take",
]

LEASE_SECONDS = 60.0
"""How long a claim stays live without a heartbeat (a frozen or remote owner)."""
HEARTBEAT_SECONDS = 15.0
"""How often an owner renews its lease (well inside :data:`LEASE_SECONDS`)."""


@dataclass(frozen=True)
class Claimant:
    """Who claims runs: a random token (one per window or command), this pid, this host."""

    token: str
    pid: int
    host: str

    @classmethod
    def here(cls) -> Claimant:
        """A new claimant for this process."""
        return cls(uuid.uuid4().hex, os.getpid(), socket.gethostname())


@dataclass(frozen=True)
class ClaimHolder:
    """The live owner of a run that someone else wanted."""

    run_id: int
    pid: int
    host: str

    def describe(self) -> str:
        """``run #3 is open in another window (pid 4242)`` (the host is named when it is not this one)."""
        where = f"pid {self.pid}"
        if self.host != socket.gethostname():
            where += f" on {self.host}"
        return f"run #{self.run_id} is open in another window ({where})"


class RunClaimedError(PeeragogyError):
    """A write into a run that another live process owns; nothing was written."""

    def __init__(self, holder: ClaimHolder) -> None:
        super().__init__(
            f"{holder.describe()}; nothing was written into it",
            hint="finish or close it there, or start a new run (peeragogy exercise run ID --new)",
        )
        self.holder = holder


def pid_alive(pid: int) -> bool:
    """True if process ``pid`` runs on this host (a zombie, killed but not reaped, counts as dead)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    except OSError:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return True  # no /proc (macOS): the signal said it exists
    state = stat.rsplit(b")", 1)[-1].split()[:1]
    return state not in ([b"Z"], [b"X"])


def _live(row: sqlite3.Row, now: float) -> bool:
    if float(row["lease_until"]) <= now:
        return False
    if row["host"] == socket.gethostname():
        return pid_alive(int(row["pid"]))
    return True


def take(
    conn: sqlite3.Connection, run_id: int, claimant: Claimant, now: float
) -> ClaimHolder | None:
    """Claim (or renew) ``run_id`` inside the caller's write transaction.

    Returns ``None`` when ``claimant`` holds the run now, or the live other
    holder (and claims nothing) when someone else does.
    """
    row = conn.execute(
        "SELECT owner, pid, host, lease_until FROM run_claims WHERE run_id = ?", (run_id,)
    ).fetchone()
    if row is not None and row["owner"] != claimant.token and _live(row, now):
        return ClaimHolder(run_id, int(row["pid"]), str(row["host"]))
    conn.execute(
        "INSERT INTO run_claims (run_id, owner, pid, host, lease_until) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (run_id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid,"
        " host = excluded.host, lease_until = excluded.lease_until",
        (run_id, claimant.token, claimant.pid, claimant.host, now + LEASE_SECONDS),
    )
    return None


def hold(conn: sqlite3.Connection, run_id: int, claimant: Claimant | None, now: float) -> None:
    """Make sure ``claimant`` holds ``run_id`` before a write in this transaction (no-op for ``None``).

    Raises:
        RunClaimedError: another live process owns the run.
    """
    if claimant is None:
        return
    holder = take(conn, run_id, claimant, now)
    if holder is not None:
        raise RunClaimedError(holder)


class RunClaims:
    """The claim operations of :class:`~.answers.AnswerStore` (a mixin on its database and clock)."""

    db: Database
    clock: Clock

    def _epoch(self) -> float:
        return self.clock().timestamp()

    def claim_run(self, run_id: int, claimant: Claimant) -> ClaimHolder | None:
        """Claim ``run_id``; ``None`` if it is ours now, else its live holder (nothing changed)."""
        now = self._epoch()
        return self.db.write(lambda conn: take(conn, run_id, claimant, now))

    def renew_claim(self, run_id: int, claimant: Claimant) -> ClaimHolder | None:
        """The heartbeat: extend our lease. Returns the holder if another process took the run."""
        return self.claim_run(run_id, claimant)

    def release_claim(self, run_id: int, claimant: Claimant) -> None:
        """Give the run up (only if we hold it)."""
        self.db.write(
            lambda conn: conn.execute(
                "DELETE FROM run_claims WHERE run_id = ? AND owner = ?", (run_id, claimant.token)
            )
        )

    def discard_if_empty(self, run_id: int, claimant: Claimant) -> bool:
        """Delete our run if it holds no answer and no draft (a run opened and left); True if deleted.

        Nothing happens when another live process holds the run.
        """
        now = self._epoch()

        def work(conn: sqlite3.Connection) -> bool:
            if take(conn, run_id, claimant, now) is not None:
                return False
            for query in (
                "SELECT 1 FROM answers WHERE run_id = ? LIMIT 1",
                "SELECT 1 FROM drafts WHERE run_id = ? AND text != '' LIMIT 1",
            ):
                if conn.execute(query, (run_id,)).fetchone():
                    return False
            return conn.execute("DELETE FROM runs WHERE id = ?", (run_id,)).rowcount > 0

        return self.db.write(work)

    def reset_exercise(self, exercise_id: str) -> int:
        """Delete every run of ``exercise_id`` (answers and drafts too); return how many.

        Raises:
            RunClaimedError: a run is open in a live window; nothing is deleted.
        """
        now = self._epoch()

        def work(conn: sqlite3.Connection) -> int:
            for row in conn.execute(
                "SELECT c.run_id, c.owner, c.pid, c.host, c.lease_until FROM run_claims c"
                " JOIN runs r ON r.id = c.run_id WHERE r.exercise_id = ? AND r.status != 'done'",
                (exercise_id,),
            ).fetchall():
                if _live(row, now):
                    raise RunClaimedError(ClaimHolder(int(row["run_id"]), int(row["pid"]), str(row["host"])))
            return conn.execute("DELETE FROM runs WHERE exercise_id = ?", (exercise_id,)).rowcount

        return self.db.write(work)

    def claim_holder(self, run_id: int) -> ClaimHolder | None:
        """The live holder of ``run_id``, if any (read-only)."""
        rows = self.db.read(
            "SELECT owner, pid, host, lease_until FROM run_claims WHERE run_id = ?", (run_id,)
        )
        if not rows or not _live(rows[0], self._epoch()):
            return None
        return ClaimHolder(run_id, int(rows[0]["pid"]), str(rows[0]["host"]))

    def claim_unfinished(
        self, exercise_id: str, claimant: Claimant
    ) -> tuple[int | None, ClaimHolder | None]:
        """Claim the newest unfinished run of ``exercise_id`` that no live process holds.

        One transaction, so two processes never both get one run. Returns
        ``(run_id, None)`` when claimed; ``(None, holder)`` when every
        unfinished run is held (``holder`` is the newest); ``(None, None)``
        when there is none.
        """
        now = self._epoch()

        def work(conn: sqlite3.Connection) -> tuple[int | None, ClaimHolder | None]:
            rows = conn.execute(
                "SELECT id FROM runs WHERE exercise_id = ? AND status != 'done'"
                " ORDER BY started_at DESC, id DESC",
                (exercise_id,),
            ).fetchall()
            first_holder: ClaimHolder | None = None
            for row in rows:
                holder = take(conn, int(row["id"]), claimant, now)
                if holder is None:
                    return int(row["id"]), None
                first_holder = first_holder or holder
            return None, first_holder

        return self.db.write(work)
