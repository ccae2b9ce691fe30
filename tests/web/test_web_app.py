"""The participant app in process (Starlette's TestClient): joining, identity, privacy, limits."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install '.[web]'")
pytest.importorskip("httpx", reason="httpx (in the test extra) is needed for TestClient")

from session_support import exercise  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402
from web_support import SECRET, served_session  # noqa: E402

from peeragogy_tui.core.sessions import open_session_store  # noqa: E402
from peeragogy_tui.core.sessions.participation import Participation  # noqa: E402
from peeragogy_tui.web.app import MAX_BODY, create_web_app  # noqa: E402
from peeragogy_tui.web.security import COOKIE_NAME, RateLimit  # noqa: E402

ORIGIN = {"Origin": "http://testserver"}


@pytest.fixture
def served():
    return served_session()


def client_for(served, **options) -> TestClient:
    app = create_web_app(served.path, served.session_id, hosts=["testserver"], **options)
    return TestClient(app, base_url="http://testserver", headers=ORIGIN)


def joined(client: TestClient, served, name: str = "Ana"):
    response = client.post("/api/join", json={"code": served.code, "name": name})
    assert response.status_code == 201, response.text
    return response


def test_join_sets_a_signed_httponly_strict_cookie_and_shows_the_step(served) -> None:
    with client_for(served) as client:
        roster = client.get("/api/roster", params={"code": served.code})
        assert roster.json()["names"] == ["Ana", "Ben", "Chi", "Dee"]
        response = joined(client, served)
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE_NAME}=")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
        view = client.get("/api/state").json()
        assert view["you"]["name"] == "Ana" and view["joined"] == 1
        assert view["step"]["title"] == "Welcome" and view["clock"]["phase"] == "ready"
        assert view["you"]["group"]["people"] and "Ana" in view["you"]["group"]["people"]
        assert "Ana" not in client.get("/api/roster", params={"code": served.code}).json()["names"]


def test_a_wrong_code_is_refused_with_403(served) -> None:
    with client_for(served) as client:
        assert client.post("/api/join", json={"code": served.code + "x", "name": "Ana"}).status_code == 403
        assert client.post("/api/join", json={"name": "Ana"}).status_code == 403
        assert client.get("/api/roster", params={"code": "nope"}).status_code == 403
        assert client.get("/api/state").status_code == 401
    with open_session_store() as store:
        assert store.load(served.session_id).members == []


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://testserver.evil.example"])
def test_a_foreign_origin_is_refused_with_403_on_every_post_and_the_event_stream(served, origin) -> None:
    with client_for(served) as client:
        joined(client, served)
        foreign = {"Origin": origin}
        assert client.post("/api/join", json={"code": served.code, "name": "Ben"}, headers=foreign).status_code == 403
        assert client.post("/api/entries", json={"text": "x"}, headers=foreign).status_code == 403
        assert client.post("/api/entries/1/vote", headers=foreign).status_code == 403
        assert client.get("/api/events", headers=foreign).status_code == 403
    with open_session_store() as store:
        state = store.load(served.session_id)
    assert state.members == ["Ana"] and len(state.entries) == 1


def test_a_post_without_origin_and_an_unknown_host_are_refused(served) -> None:
    with client_for(served) as client:
        joined(client, served)
        bare = TestClient(client.app, base_url="http://testserver", cookies=client.cookies)
        assert bare.post("/api/entries", json={"text": "x"}).status_code == 403
        rebinding = {"Host": "attacker.example", "Origin": "http://attacker.example"}
        assert client.get("/api/state", headers=rebinding).status_code == 403
        assert client.post("/api/entries", json={"text": "x"}, headers=rebinding).status_code == 403


def test_the_cookie_identity_beats_a_forged_name_field(served) -> None:
    with client_for(served) as client:
        joined(client, served, "Ana")
        forged = {"kind": "note", "text": "who wrote me?", "name": "Ben", "participant": "Ben", "by": "Ben"}
        assert client.post("/api/entries", json=forged).status_code == 201
        tampered = client.cookies[COOKIE_NAME].replace(".", "x.", 1)
        client.cookies.set(COOKIE_NAME, tampered)
        assert client.post("/api/entries", json={"text": "forged cookie"}).status_code == 401
    with open_session_store() as store:
        public = store.load(served.session_id).public_entries()
    assert [(entry.text, entry.participant) for entry in public] == [("who wrote me?", "Ana")]


def test_private_entries_and_facilitator_notes_are_in_no_participant_response(served) -> None:
    notes = exercise("knowledge-cafe")
    with client_for(served) as client:
        bodies = [client.get("/api/roster", params={"code": served.code}).text, joined(client, served).text]
        mine = client.post("/api/entries", json={"text": "MINE-PRIVATE", "private": True})
        assert mine.status_code == 201 and mine.json() == {"id": mine.json()["id"], "private": True}
        client.post("/api/entries", json={"kind": "question", "text": "shared question"})
        bodies += [mine.text, client.get("/api/state").text, client.get("/").text]
        with client.stream("GET", "/api/events") as stream:
            for line in stream.iter_lines():
                if line.startswith("data: {"):
                    bodies.append(line)
                    break
    everything = "\n".join(bodies)
    assert "shared question" in everything
    assert SECRET not in everything and "MINE-PRIVATE" not in everything
    assert notes.facilitator_notes.split("\n")[0] not in everything
    assert notes.steps[0].facilitator not in everything
    with open_session_store() as store:
        assert [e.text for e in store.load(served.session_id).entries if e.private] == [SECRET, "MINE-PRIVATE"]


def test_oversized_entries_names_and_bodies_are_refused(served) -> None:
    with client_for(served) as client:
        too_long_name = client.post("/api/join", json={"code": served.code, "name": "N" * 61})
        assert too_long_name.status_code == 409 and "too long" in too_long_name.json()["error"]
        joined(client, served)
        long_text = client.post("/api/entries", json={"text": "x" * 2001})
        assert long_text.status_code == 400 and "at most 2000" in long_text.json()["error"]
        huge = client.post("/api/entries", content=b'{"text": "' + b"y" * MAX_BODY + b'"}',
                           headers={"Content-Type": "application/json"})
        assert huge.status_code == 413
        assert client.post("/api/entries", json={"text": "x" * 2000}).status_code == 201
    with open_session_store() as store:
        assert [len(e.text) for e in store.load(served.session_id).public_entries()] == [2000]


def test_posting_is_rate_limited_per_participant(served) -> None:
    with client_for(served, post_limit=RateLimit(limit=3, seconds=60)) as client:
        joined(client, served)
        codes = [client.post("/api/entries", json={"text": f"n{i}"}).status_code for i in range(5)]
    assert codes == [201, 201, 201, 429, 429]


def test_participants_have_no_facilitator_powers(served) -> None:
    with client_for(served) as client:
        joined(client, served)
        before = client.get("/api/state").json()
        for path in ("/api/advance", "/api/next", "/api/timer", "/api/regroup", "/api/report",
                     "/api/entries/1", "/api/entries/1/delete", "/api/steps"):
            assert client.post(path, json={}).status_code in (404, 405), path
        assert client.delete("/api/entries/1").status_code in (404, 405)
        after = client.get("/api/state").json()
    assert before["step"] == after["step"] and before["clock"] == after["clock"]


def test_votes_count_once_per_participant_and_only_on_questions(served) -> None:
    with client_for(served) as ana:
        ben = TestClient(ana.app, base_url="http://testserver", headers=ORIGIN)  # same server
        joined(ana, served, "Ana")
        joined(ben, served, "Ben")
        question = ana.post("/api/entries", json={"kind": "question", "text": "why?"}).json()["id"]
        note = ana.post("/api/entries", json={"kind": "note", "text": "because"}).json()["id"]
        assert ben.post(f"/api/entries/{question}/vote").json()["voted"] is True
        assert ana.post(f"/api/entries/{question}/vote").json()["voted"] is True
        assert ben.post(f"/api/entries/{note}/vote").status_code == 400
        assert ben.post("/api/entries/1/vote").status_code == 400, "the private entry is not votable"
        entry = next(e for e in ben.get("/api/state").json()["harvest"] if e["id"] == question)
        assert entry["votes"] == 2 and entry["voted"] is True
        assert ben.post(f"/api/entries/{question}/vote").json()["voted"] is False
    with open_session_store() as store:
        assert store.load(served.session_id).votes == {question: ["Ana"]}


def test_reopening_the_link_resumes_the_same_identity_and_a_taken_name_is_refused(served) -> None:
    with client_for(served) as first:
        joined(first, served, "Ana")
        cookie = first.cookies[COOKIE_NAME]
        other = TestClient(first.app, base_url="http://testserver", headers=ORIGIN)
        again = other.post("/api/join", json={"code": served.code, "name": "Ana"})
        assert again.status_code == 409 and "already joined" in again.json()["error"]
    with client_for(served) as restarted:  # a new server process, same store
        restarted.cookies.set(COOKIE_NAME, cookie)
        assert restarted.get("/api/state").json()["you"]["name"] == "Ana"


def test_a_new_code_stops_new_joins_and_a_removed_participant_is_let_go(served) -> None:
    with client_for(served) as ana, client_for(served) as ben:
        joined(ana, served, "Ana")
        joined(ben, served, "Ben")
        with open_session_store() as store:
            participation = Participation(store)
            new_code = participation.rotate_code(served.session_id)
            assert participation.remove_member(served.session_id, "Ben")
        assert ana.post("/api/join", json={"code": served.code, "name": "Chi"}).status_code == 403
        assert ana.post("/api/join", json={"code": new_code, "name": "Chi"}).status_code == 201
        assert ben.get("/api/state").status_code == 403
        assert ben.post("/api/entries", json={"text": "still here?"}).status_code == 403
        assert ana.get("/api/state").status_code == 200
