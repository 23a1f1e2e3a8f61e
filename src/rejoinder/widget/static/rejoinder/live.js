// Live updates of the discussion box, for each box that offers a stream (data-rj-live). A module
// of its own, beside discussion.js, so that the embed's budget does not carry it: the embed
// loads it once its box is shown, and starts it on the box in its shadow root. Counts, votes, edits and removals change in place; new comments and replies
// wait behind a "New comments: N — show" button in a polite live region and are inserted only
// when the reader asks. Unsent text, open forms, focus and scroll are never touched. The
// markup comes from the server (rendered once per event by the box's own templates).
// Where EventSource is missing or keeps failing, the same endpoint is polled (?once=1).

import { parseDocument, resolve, send } from "./requests.js";

const HIDDEN_STOP_MS = 5 * 60_000; // a tab hidden this long closes its stream
const POLL_MS = 15_000;
const MAX_BACKOFF_MS = 60_000;

function parseOne(html, csrf) {
  const doc = parseDocument(html.replaceAll("__rj_csrf_token__", csrf));
  return doc.body.firstElementChild;
}

// A comment the reader is working in: a form open in it, or the focus inside it (in the
// embed's shadow root, the document only knows that the focus is somewhere in the box).
function busy(el) {
  if (!el) return false;
  if (el.contains(el.getRootNode().activeElement)) return true;
  return Array.from(el.querySelectorAll("textarea")).some((t) => t.value.trim() !== "");
}

export function start(root) {
  const button = root.querySelector(".rj-live-show");
  if (!root.dataset.rjLive || !button || !root.isConnected) return () => {};
  const url = resolve(root.dataset.rjLive); // on an embed, Rejoinder's origin
  let version = Number(root.dataset.rjVersion || 0);
  let lastId = "";
  let source = null;
  let timer = 0;
  let hiddenTimer = 0;
  let failures = 0;
  let polling = !("EventSource" in window);
  let stopped = false;
  const waiting = new Map(); // comment id -> {parent, html}
  let stale = false;

  const csrf = () => root.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  const item = (id) => root.querySelector(`#comment-${CSS.escape(String(id))}`);

  function showButton() {
    // A comment put in place meanwhile (the reader's own, posted from this box) waits no more.
    for (const id of waiting.keys()) if (item(id)) waiting.delete(id);
    if (stale) {
      button.textContent = button.dataset.rjStale;
    } else if (waiting.size) {
      button.textContent = button.dataset.rjNew.replace("{n}", String(waiting.size));
    }
    button.hidden = !stale && waiting.size === 0;
  }

  function updateCounts(data) {
    if (typeof data.version === "number") version = Math.max(version, data.version);
    const counts = data.counts;
    if (!counts) return;
    for (const total of root.querySelectorAll(".rj-comment-total")) total.textContent = String(counts.comments);
    const summary = root.querySelector(".rj-rating-summary");
    if (summary && counts.rating) {
      const fresh = parseOne(counts.rating, "");
      if (fresh) summary.replaceWith(fresh);
    }
  }

  function onComment(data) {
    if (item(data.id) || waiting.has(data.id)) return;
    // A reply whose comment is not shown here (another page of the thread) waits for a reload.
    if (data.parent && !item(data.parent)) return;
    waiting.set(data.id, data);
    showButton();
  }

  function onEdit(data) {
    const inner = item(data.id)?.querySelector(":scope > .rj-comment-inner");
    // The reader's own comment keeps its own controls (their Edit and Delete links).
    if (!inner || busy(inner) || inner.querySelector("[data-rj-edit], [data-rj-delete]")) return;
    const fresh = parseOne(data.html, csrf());
    if (fresh) inner.replaceWith(fresh);
  }

  function onVotes(data) {
    const form = item(data.id)?.querySelector(":scope > .rj-comment-inner .rj-votes");
    const fresh = parseOne(data.html, csrf());
    if (!form || !fresh) return;
    for (const kind of ["rj-up", "rj-down"]) {
      const now = form.querySelector(`.${kind}`);
      const then = fresh.querySelector(`.${kind}`);
      if (!now || !then) continue;
      now.setAttribute("aria-label", then.getAttribute("aria-label") || "");
      const count = now.querySelector(".rj-count");
      if (count) count.textContent = then.querySelector(".rj-count")?.textContent || "0";
    }
  }

  function onRemove(data) {
    waiting.delete(data.id);
    showButton();
    const el = item(data.id);
    if (!el || busy(el)) return;
    if (data.html) {
      const inner = el.querySelector(":scope > .rj-comment-inner");
      const fresh = parseOne(data.html, csrf());
      if (inner && fresh) inner.replaceWith(fresh);
    } else if (!el.querySelector(".rj-comment")) {
      el.remove();
    }
  }

  // The reader asked: insert what waits where it belongs, then go to the first of it.
  async function insertWaiting() {
    if (stale) {
      await reloadThread();
      return;
    }
    let first = null;
    const newestFirst = root.querySelector(".rj-sort-link[aria-current='true']")?.dataset.rjSort === "newest";
    for (const data of waiting.values()) {
      if (item(data.id)) continue;
      const fresh = parseOne(data.html, csrf());
      if (!fresh) continue;
      if (data.parent) {
        const parent = item(data.parent);
        if (!parent) continue;
        let list = parent.querySelector(":scope > .rj-replies");
        if (!list) {
          list = document.createElement("ol");
          list.className = "rj-replies";
          const more = parent.querySelector(":scope > .rj-more-replies");
          parent.insertBefore(list, more);
        }
        list.append(fresh);
      } else {
        const thread = root.querySelector(".rj-thread");
        if (!thread) continue;
        thread.querySelector(":scope > .rj-empty")?.remove();
        if (newestFirst) thread.prepend(fresh);
        else thread.append(fresh);
      }
      first ||= fresh;
    }
    waiting.clear();
    showButton();
    root.dispatchEvent(new CustomEvent("rj:enhance", { bubbles: true })); // wire the new forms
    const inner = first?.querySelector(":scope > .rj-comment-inner");
    if (inner) {
      inner.setAttribute("tabindex", "-1");
      inner.focus();
    }
  }
  button.addEventListener("click", insertWaiting);

  // Too much was missed (the stream's log no longer reaches back): the thread is read again,
  // unless the reader is writing in it; the form above it is left as it is.
  async function reloadThread() {
    const container = root.querySelector(".rj-thread-container");
    if (!container || busy(container)) return;
    const response = await send(url.replace(/events$/, "box"));
    if (!response.ok) return;
    const fresh = parseDocument(await response.text()).querySelector(".rj-discussion");
    const thread = fresh?.querySelector(".rj-thread-container");
    if (!thread) return;
    container.replaceWith(thread);
    version = Number(fresh.dataset.rjVersion || version);
    lastId = "";
    stale = false;
    waiting.clear();
    showButton();
    root.dispatchEvent(new CustomEvent("rj:enhance", { bubbles: true }));
    connect();
  }

  const handlers = { comment: onComment, edit: onEdit, votes: onVotes, remove: onRemove, rating: () => {} };

  function handle(kind, id, text) {
    if (kind === "reload") {
      stale = true;
      showButton();
      stop();
      return;
    }
    let data;
    try { data = JSON.parse(text); } catch { return; }
    if (id) lastId = id;
    handlers[kind]?.(data);
    updateCounts(data);
  }

  function query(extra) {
    const params = new URLSearchParams(extra);
    if (lastId) params.set("last", lastId);
    else params.set("version", String(version));
    return `${url}?${params}`;
  }

  function retryLater() {
    failures += 1;
    const wait = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 6)) * (0.5 + Math.random() / 2);
    timer = setTimeout(connect, wait);
  }

  async function poll() {
    try {
      const response = await fetch(query({ once: "1" }), { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      for (const block of (await response.text()).split("\n\n")) {
        const fields = {};
        for (const line of block.split("\n")) {
          const at = line.indexOf(":");
          if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1).replace(/^ /, "");
        }
        if (fields.event) handle(fields.event, fields.id || "", fields.data || "{}");
      }
      failures = 0;
      if (!stopped && !stale) timer = setTimeout(connect, POLL_MS);
    } catch {
      if (!stopped) retryLater();
    }
  }

  function connect() {
    clearTimeout(timer);
    if (stopped || stale) return;
    if (polling) { poll(); return; }
    source = new EventSource(query({}));
    source.onopen = () => { failures = 0; };
    for (const kind of [...Object.keys(handlers), "reload"]) {
      source.addEventListener(kind, (event) => handle(kind, event.lastEventId, event.data));
    }
    source.onerror = () => {
      // The browser retries a dropped stream by itself; a refused one, or one that keeps
      // failing (a proxy that blocks streams), is retried here with a growing pause, and
      // after a few failures the box polls instead.
      if (source.readyState === EventSource.CONNECTING && failures < 3) { failures += 1; return; }
      source.close();
      source = null;
      if (failures >= 6) polling = true;
      retryLater();
    };
  }

  function stop() {
    clearTimeout(timer);
    source?.close();
    source = null;
  }

  function onVisibility() {
    if (document.hidden) {
      hiddenTimer = setTimeout(stop, HIDDEN_STOP_MS);
    } else {
      clearTimeout(hiddenTimer);
      if (!source && !stale && !stopped) connect();
    }
  }
  function end() {
    stopped = true;
    stop();
    document.removeEventListener("visibilitychange", onVisibility);
    gone?.disconnect();
  }
  // In the embed's shadow root, the box is replaced (another page of the thread) or unmounted
  // by replacing the root's children: its stream ends with it.
  const home = root.getRootNode();
  const gone = home === document ? null : new MutationObserver(() => { if (!root.isConnected) end(); });
  gone?.observe(home, { childList: true });
  document.addEventListener("visibilitychange", onVisibility);
  connect();
  return end;
}

for (const root of document.querySelectorAll(".rj-discussion[data-rj-live]")) start(root);
