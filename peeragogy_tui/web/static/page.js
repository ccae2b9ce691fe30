// The participant page. Everything a participant or the server sends is put in the page
// with textContent (never innerHTML), so a name or a note can never become markup.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const KIND = { note: "Note", question: "Question", action: "Action" };
  const PHASE = {
    ready: "Not started yet", running: "Running", paused: "Paused", over: "Time's up",
    untimed: "No timer for this step", finished: "The session has ended",
  };
  let view = null;
  let clockBase = null; // {remaining, at}
  let source = null;
  const match = location.pathname.match(/^\/j\/([A-Za-z0-9_-]+)$/);
  const code = match ? match[1] : null;

  function text(el, value) { el.textContent = value == null ? "" : String(value); }
  function status(message) { text($("connection"), message); }

  async function api(method, path, data) {
    const options = { method, headers: {}, credentials: "same-origin" };
    if (data !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(data);
    }
    let response;
    try {
      response = await fetch(path, options);
    } catch (error) {  // the server is away (restarting): say so, the caller retries
      return { ok: false, status: 0, body: { error: "no connection to the session" } };
    }
    let body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    return { ok: response.ok, status: response.status, body };
  }

  function fmt(seconds) {
    const over = seconds < 0;
    const s = Math.floor(Math.abs(seconds) + (over ? 0 : 0.999));
    const m = Math.floor(s / 60), r = s % 60;
    return (over ? "+" : "") + m + ":" + String(r).padStart(2, "0");
  }

  function drawClock() {
    if (!view) return;
    const clock = view.clock;
    text($("clock-word"), PHASE[clock.phase] || clock.phase);
    if (clock.remaining == null) { text($("clock-digits"), ""); return; }
    let remaining = clock.remaining;
    if (clock.ticking && clockBase) remaining -= (Date.now() - clockBase) / 1000;
    text($("clock-digits"), fmt(remaining));
  }

  function harvestItem(entry) {
    const li = document.createElement("li");
    const kind = document.createElement("span");
    kind.className = "kind";
    text(kind, KIND[entry.kind] + ": ");
    const words = document.createElement("span");
    words.className = "words";
    text(words, entry.text);
    const meta = document.createElement("span");
    meta.className = "meta";
    const who = [entry.step, entry.by, entry.owner ? "owner: " + entry.owner : ""].filter(Boolean);
    text(meta, " (" + who.join(", ") + ")");
    li.append(kind, words, meta);
    if (entry.kind === "question") {
      const button = document.createElement("button");
      button.type = "button";
      button.setAttribute("aria-pressed", entry.voted ? "true" : "false");
      text(button, "+1 (" + entry.votes + ")" + (entry.voted ? " voted" : ""));
      button.setAttribute("aria-label", (entry.voted ? "Take back your +1: " : "+1 this question: ") + entry.text);
      button.addEventListener("click", async () => {
        const result = await api("POST", "/api/entries/" + entry.id + "/vote");
        if (!result.ok) status(result.body.error || "Could not vote");
        else refresh();
      });
      li.append(button);
    }
    return li;
  }

  function draw(next) {
    // Answers can arrive out of order (a slow /api/state after a newer event): never go back.
    if (view && next.revision < view.revision) return;
    view = next;
    clockBase = Date.now();
    $("join").hidden = true;
    $("live").hidden = false;
    text($("title"), view.title);
    document.title = view.title + " · Peeragogy";
    const step = view.step;
    text($("step-heading"), "Step " + step.number + " of " + step.count + ": " + step.title);
    text($("prompt"), step.prompt);
    text($("hint"), step.asks_answers ? (step.hint ? step.hint + " " : "") + "This step asks for answers: add each one below." : step.hint);
    const group = view.you.group;
    text($("group"), group ? "Your group (" + group.number + "): " + group.people.join(", ") : "No groups right now.");
    text($("you"), "You are " + view.you.name + " · " + view.joined + " joined");
    const list = $("harvest");
    list.replaceChildren(...view.harvest.map(harvestItem));
    text($("harvest-count"), view.harvest.length ? view.harvest.length + " entries, newest first" : "Nothing yet.");
    drawClock();
  }

  async function refresh() {
    const result = await api("GET", "/api/state");
    if (result.ok) draw(result.body);
    return result;
  }

  function listen() {
    if (source) source.close();
    source = new EventSource("/api/events");
    source.addEventListener("open", () => status("Live: changes appear as they happen."));
    source.addEventListener("state", (event) => { draw(JSON.parse(event.data)); status("Live: changes appear as they happen."); });
    source.addEventListener("removed", () => { source.close(); status("The facilitator took you out of this session."); $("live").hidden = true; });
    source.addEventListener("error", () => {
      status("Connection lost; reconnecting by itself…");
      if (source.readyState === EventSource.CLOSED) setTimeout(start, 2000);
    });
  }

  async function showJoin() {
    $("join").hidden = false;
    $("live").hidden = true;
    if (!code) { status("Open the join link the facilitator gave you."); $("join").hidden = true; return; }
    status("Not joined yet.");
    const roster = await api("GET", "/api/roster?code=" + encodeURIComponent(code));
    if (!roster.ok) { text($("join-error"), roster.body.error || "This link is not valid."); return; }
    text($("title"), roster.body.title);
    const list = $("roster");
    list.replaceChildren(...roster.body.names.map((name) => { const o = document.createElement("option"); o.value = name; return o; }));
    text($("roster-help"), roster.body.names.length ? "Pick your name from the list, or type it." : "");
    $("join-name").focus();
  }

  async function start() {
    const result = await refresh();
    if (result.ok) {
      if (code) history.replaceState(null, "", "/");
      listen();
      return;
    }
    if (result.status === 401 || result.status === 403) { await showJoin(); return; }
    status("The session is not reachable; trying again…");
    setTimeout(start, 2000);
  }

  $("join-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    text($("join-error"), "");
    const result = await api("POST", "/api/join", { code, name: $("join-name").value });
    if (!result.ok) { text($("join-error"), (result.body.error || "Could not join") + (result.body.hint ? " (" + result.body.hint + ")" : "")); return; }
    history.replaceState(null, "", "/");
    draw(result.body);
    listen();
  });

  function chosenKind() { return document.querySelector("input[name=kind]:checked").value; }
  document.querySelectorAll("input[name=kind]").forEach((radio) => radio.addEventListener("change", () => {
    const kind = chosenKind();
    $("owner-row").hidden = kind !== "action";
    text($("entry-label"), "Your " + KIND[kind].toLowerCase());
  }));

  $("entry-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const kind = chosenKind();
    const data = { kind, text: $("entry-text").value, private: $("entry-private").checked };
    if (kind === "action") data.owner = $("entry-owner").value;
    const result = await api("POST", "/api/entries", data);
    if (!result.ok) { text($("entry-status"), "Not added: " + (result.body.error || result.status)); return; }
    $("entry-text").value = "";
    $("entry-owner").value = "";
    $("entry-private").checked = false;
    text($("entry-status"), result.body.private ? "Added privately: only the facilitator sees it." : "Added.");
    $("entry-text").focus();
    refresh();
  });

  setInterval(drawClock, 1000);
  start();
})();
