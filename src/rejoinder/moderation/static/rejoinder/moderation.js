// The moderation page, enhanced. Every action is a real form that works without this script
// (post, redirect back); with it, actions happen in place, counts refresh on their own and
// the keyboard drives the queue. Markup comes from the server; no HTML is built from strings.

import { FRAGMENT, problemDetail, submitForm } from "./requests.js";

const body = document.body;

function announce(message) {
  const region = document.querySelector(".rj-mod-announcer");
  if (!region) return;
  region.textContent = "";
  // A fresh text node after clearing makes screen readers repeat an identical message.
  requestAnimationFrame(() => { region.textContent = message; });
}

// Queue items and the keyboard focus among them.

function items() {
  return Array.from(document.querySelectorAll(".rj-mod-list > .rj-mod-item"));
}

let lastItem = null;

function currentItem() {
  const active = document.activeElement?.closest?.(".rj-mod-item");
  if (active) return active;
  return lastItem && lastItem.isConnected ? lastItem : null;
}

function focusItem(item) {
  if (!item) return;
  for (const other of items()) other.classList.toggle("rj-mod-current", other === item);
  lastItem = item;
  item.focus();
  item.scrollIntoView({ block: "nearest" });
}

function move(step) {
  const all = items();
  if (!all.length) return;
  const index = all.indexOf(currentItem());
  const next = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
  focusItem(all[next]);
}

function focusAfterRemoval(index) {
  const all = items();
  if (all.length) {
    focusItem(all[Math.min(index, all.length - 1)]);
    return;
  }
  const empty = document.getElementById("rj-mod-empty-template");
  const list = document.querySelector(".rj-mod-list");
  if (list && empty) list.replaceWith(empty.content.cloneNode(true));
  document.getElementById("rj-mod-title")?.focus();
}

// Counts in the tabs: from every action's answer, and polled while the tab is visible.

function showCounts(counts) {
  if (!counts) return;
  const changed = [];
  for (const badge of document.querySelectorAll("[data-rj-count]")) {
    const value = counts[badge.dataset.rjCount];
    if (value === undefined || String(value) === badge.textContent) continue;
    badge.textContent = String(value);
    changed.push(`${badge.parentElement.firstChild.textContent.trim()}: ${value}`);
  }
  return changed;
}

async function pollCounts() {
  if (document.hidden || !body.dataset.rjCounts) return;
  try {
    const response = await fetch(body.dataset.rjCounts, { headers: FRAGMENT, credentials: "same-origin" });
    if (!response.ok) return;
    const changed = showCounts((await response.json()).counts);
    if (changed?.length) announce(changed.join(", "));
  } catch {
    // Offline for a moment: the next round tries again.
  }
}

// The site's live stream (rejoinder/live) brings the counts as they change; while it is open
// the counts are polled only once a minute, as a safety net (reports do not come through it).
let liveOpen = false;
function startLive() {
  if (!body.dataset.rjLive || !("EventSource" in window)) return;
  const source = new EventSource(body.dataset.rjLive);
  source.onopen = () => { liveOpen = true; };
  source.onerror = () => {
    liveOpen = false;
    if (source.readyState === EventSource.CLOSED) setTimeout(startLive, 30_000);
  };
  source.addEventListener("counts", (event) => {
    const changed = showCounts(JSON.parse(event.data).counts);
    if (changed?.length) announce(changed.join(", "));
  });
  source.addEventListener("handled", (event) => showHandled(JSON.parse(event.data)));
}

// Another moderator acted on comments of this list: each leaves it, with a note of who did
// what in its place (one's own actions are answered by their own response).
function showHandled({ ids, action, by, name, counts }) {
  showCounts(counts);
  const template = document.getElementById("rj-mod-handled-template");
  if (!template || String(by) === template.dataset.rjMe) return;
  const wording = template.content.querySelector(`[data-rj-handled="${action}"]`);
  if (!wording) return;
  const note = wording.textContent.trim().replace("{name}", name);
  const all = items();
  const handled = all.filter((item) => ids.map(String).includes(item.dataset.rjItem));
  if (!handled.length) return;
  const hadFocus = handled.some((item) => item.contains(document.activeElement));
  const first = all.indexOf(handled[0]);
  for (const item of handled) {
    const placeholder = template.content.firstElementChild.cloneNode(false);
    placeholder.textContent = note;
    item.replaceWith(placeholder);
  }
  announce(note);
  if (hadFocus) focusAfterRemoval(first);
}

function startPolling() {
  if (!body.dataset.rjCounts) return;
  const seconds = Math.max(1, Number(body.dataset.rjPollSeconds) || 10);
  let rounds = 0;
  setInterval(() => {
    rounds += 1;
    if (!liveOpen || rounds % Math.max(1, Math.round(60 / seconds)) === 0) pollCounts();
  }, seconds * 1000);
  startLive();
  document.addEventListener("visibilitychange", () => { if (!document.hidden) pollCounts(); });
}

// The list, re-read from the server after an undo or a ban.

async function refreshList() {
  const wrap = document.querySelector(".rj-mod-list-wrap");
  if (!wrap) return;
  const response = await fetch(location.href, { headers: FRAGMENT, credentials: "same-origin" });
  if (!response.ok) return;
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  wrap.replaceChildren(...doc.body.childNodes);
  wireList();
}

// Toasts with an Undo button.

function toast(message, undoIds) {
  const region = document.querySelector(".rj-mod-toasts");
  const template = document.getElementById("rj-mod-toast-template");
  if (!region || !template) return;
  const fresh = template.content.firstElementChild.cloneNode(true);
  fresh.querySelector(".rj-mod-toast-text").textContent = message;
  const form = fresh.querySelector("form");
  if (undoIds && undoIds.length) {
    for (const id of undoIds) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "entry_ids";
      input.value = String(id);
      form.append(input);
    }
    wireForm(form);
  } else {
    form.remove();
  }
  region.replaceChildren(fresh);
}

// Actions.

async function onAct(form, submitter) {
  const response = await submitForm(form, submitter);
  if (!response.ok) {
    toast(await problemDetail(response));
    return;
  }
  const answer = await response.json();
  const done = new Set((answer.done || []).map(String));
  const all = items();
  const first = all.findIndex((item) => done.has(item.dataset.rjItem));
  for (const item of all) if (done.has(item.dataset.rjItem)) item.remove();
  const selectAll = document.getElementById("rj-mod-select-all");
  if (selectAll) selectAll.checked = false;
  showCounts(answer.counts);
  toast(answer.message, answer.undo);
  focusAfterRemoval(Math.max(0, first));
}

async function onUndo(form) {
  const response = await submitForm(form);
  if (!response.ok) {
    toast(await problemDetail(response));
    return;
  }
  const answer = await response.json();
  showCounts(answer.counts);
  toast(answer.message);
  await refreshList();
  focusItem(items()[0]);
}

async function onBan(form) {
  const response = await submitForm(form);
  const error = form.querySelector(".rj-mod-error");
  if (!response.ok) {
    error.textContent = await problemDetail(response);
    return;
  }
  error.textContent = "";
  const answer = await response.json();
  const index = items().indexOf(lastItem);
  form.closest("dialog")?.close();
  showCounts(answer.counts);
  toast(answer.message);
  await refreshList();
  // The list is new: the focus goes to the comment banned, else to the one now in its place.
  const same = lastItem && document.getElementById(lastItem.id);
  if (same) focusItem(same);
  else focusAfterRemoval(Math.max(0, index));
}

// What had the focus when the ban dialog opened (its Ban link, or the item for the "b" key).
let banOpener = null;

function openBan(link) {
  const dialog = document.getElementById("rj-mod-ban-dialog");
  if (!dialog) {
    location.href = link.href;
    return;
  }
  const form = dialog.querySelector("form");
  form.reset();
  form.setAttribute("action", link.href.split("?")[0]);
  form.querySelector(".rj-mod-error").textContent = "";
  dialog.querySelector(".rj-mod-ban-name").textContent = link.dataset.rjBanName || "";
  lastItem = link.closest(".rj-mod-item") || lastItem;
  banOpener = document.activeElement;
  dialog.showModal();
  (form.querySelector("input[name=duration]:checked") || form.querySelector("input[name=duration]"))?.focus();
}

function wireForm(form) {
  if (form.dataset.rjWired) return;
  form.dataset.rjWired = "1";
  const kind = form.dataset.rjMod;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    form.setAttribute("aria-busy", "true");
    try {
      if (kind === "act") await onAct(form, event.submitter);
      else if (kind === "undo") await onUndo(form);
      else if (kind === "ban") await onBan(form);
    } catch {
      toast("The connection failed. Try again.");
    } finally {
      form.removeAttribute("aria-busy");
    }
  });
}

function wireList() {
  for (const form of document.querySelectorAll("form[data-rj-mod=act], form[data-rj-mod=undo], form[data-rj-mod=ban]")) {
    wireForm(form);
  }
}

// Keyboard shortcuts on the queue.

function typing(target) {
  return target instanceof Element && Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]"));
}

function press(item, key) {
  const control = item?.querySelector(`[data-rj-key="${key}"]`);
  if (!control) return;
  if (control.matches("a")) openBan(control);
  else control.form.requestSubmit(control);
}

// Single-key shortcuts can be turned off (WCAG 2.1.4), in the shortcuts dialog; the choice is
// kept in this browser.
const KEYS_OFF = "rj-mod-keys-off";

function keysOff() {
  try {
    return localStorage.getItem(KEYS_OFF) === "1";
  } catch {
    return false;
  }
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target) || keysOff()) return;
  if (document.querySelector("dialog[open]")) return;
  const item = currentItem();
  switch (event.key) {
    case "j": move(1); break;
    case "k": move(-1); break;
    case "a": case "r": case "s": case "b": press(item, event.key); break;
    case "x": {
      const box = item?.querySelector("input[type=checkbox]");
      if (box) box.checked = !box.checked;
      break;
    }
    case "?": document.getElementById("rj-mod-help")?.showModal(); break;
    default: return;
  }
  event.preventDefault();
}

function init() {
  body.classList.add("rj-mod-js");
  wireList();
  for (const form of document.querySelectorAll("form[data-rj-mod=undo]")) wireForm(form);
  const selectAll = document.getElementById("rj-mod-select-all");
  if (selectAll) {
    selectAll.closest("label").hidden = false;
    selectAll.addEventListener("change", () => {
      for (const box of document.querySelectorAll(".rj-mod-list input[name=comment_ids][type=checkbox]")) {
        box.checked = selectAll.checked;
      }
    });
  }
  const keysOn = document.getElementById("rj-mod-keys-on");
  if (keysOn) {
    keysOn.checked = !keysOff();
    keysOn.addEventListener("change", () => {
      try {
        if (keysOn.checked) localStorage.removeItem(KEYS_OFF);
        else localStorage.setItem(KEYS_OFF, "1");
      } catch {
        // Storage refused (a private window's quota): the switch holds for this page only.
        keysOn.checked = !keysOn.checked;
      }
    });
  }
  const help = document.querySelector("[data-rj-mod=help]");
  if (help) {
    help.hidden = false;
    help.addEventListener("click", () => document.getElementById("rj-mod-help")?.showModal());
  }
  document.addEventListener("click", (event) => {
    const ban = event.target.closest?.("a[data-rj-ban]");
    if (ban) {
      event.preventDefault();
      openBan(ban);
      return;
    }
    const close = event.target.closest?.("[data-rj-mod=close]");
    if (close) close.closest("dialog")?.close();
  });
  document.getElementById("rj-mod-ban-dialog")?.addEventListener("close", () => {
    if (banOpener?.isConnected && banOpener !== document.body) banOpener.focus();
    else focusItem(lastItem);
  });
  document.addEventListener("focusin", (event) => {
    const item = event.target.closest?.(".rj-mod-item");
    if (item) lastItem = item;
  });
  if (document.querySelector(".rj-mod-list-wrap")) document.addEventListener("keydown", onKey);
  startPolling();
}

init();
