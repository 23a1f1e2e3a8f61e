// Progressive enhancement of the discussion box. Every control is a real form that works
// without this script; with it, actions happen in place. Markup always comes from the
// server (fragments rendered by the same templates); this script never builds HTML strings.

import { initReports } from "./report.js";
import { parseDocument, problemDetail, readProblem, send, session, submitForm } from "./requests.js";

function parseFragment(html) {
  const doc = parseDocument(html);
  return Array.from(doc.body.children);
}

function announce(root, message) {
  const status = root.querySelector(".rj-status");
  if (status) status.textContent = message;
}

// Messages come translated from the box's root (box.html, passage_panel.html: data-rj-*-message).
function showError(form, message) {
  const slot = form.querySelector(".rj-form-error");
  if (slot) slot.textContent = message;
  else announce(form.closest(".rj-discussion"), message);
}

// ---- Focus: after an action the focus stays where the reader is, never on the page body ----

function focusComment(item) {
  const inner = item?.querySelector(":scope > .rj-comment-inner");
  if (!inner) return false;
  inner.setAttribute("tabindex", "-1");
  inner.focus();
  return true;
}

function focusHeading(root) {
  const heading = root.querySelector(".rj-heading, .rj-panel-heading");
  if (!heading) return;
  heading.setAttribute("tabindex", "-1");
  heading.focus();
}

// The comment to go to once `item` is gone: the next one, else the one before, else its parent.
function neighbourOf(item) {
  const sibling = (direction) => {
    for (let el = item[direction]; el; el = el[direction]) if (el.matches(".rj-comment")) return el;
    return null;
  };
  return sibling("nextElementSibling") || sibling("previousElementSibling") || item.parentElement?.closest(".rj-comment");
}

// ---- Field errors: every refused field is marked at once, the first one gets the focus ----

// A field's message goes in the error line of its own .rj-field (ids differ in cloned forms).
function errorSlot(field) {
  const slot = field.closest(".rj-field")?.querySelector(".rj-field-error");
  return slot?.id ? slot : null;
}

function describedBy(field, id, on) {
  const ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && x !== id);
  if (on) ids.unshift(id);
  if (ids.length) field.setAttribute("aria-describedby", ids.join(" "));
  else field.removeAttribute("aria-describedby");
}

function clearFieldErrors(form) {
  for (const field of form.querySelectorAll("[aria-invalid=true]")) {
    field.removeAttribute("aria-invalid");
    const slot = errorSlot(field);
    if (slot) {
      slot.textContent = "";
      describedBy(field, slot.id, false);
    }
  }
}

// Mark the fields a refusal names; return the first marked one in the form's order, or null.
function markFieldErrors(form, errors) {
  const marked = new Set();
  for (const { field, detail } of errors) {
    const input = form.querySelector(`[name="${CSS.escape(field)}"]:not([type=hidden])`);
    const slot = input && errorSlot(input);
    if (!slot) continue;
    input.setAttribute("aria-invalid", "true");
    slot.textContent = detail;
    describedBy(input, slot.id, true);
    marked.add(input);
  }
  return Array.from(form.elements).find((el) => marked.has(el)) || null;
}

// ---- The length counter: shown from 80% of the limit; the live line speaks only when the text
// crosses a threshold (80%, 95%, over the limit), not on every keystroke ----

const counters = new WeakMap();

function watchLength(form) {
  const area = form.querySelector("textarea[data-rj-limit]");
  const counter = form.querySelector(".rj-counter");
  if (!area || !counter) return;
  const live = form.querySelector(".rj-counter-live");
  const limit = Number(area.dataset.rjLimit);
  const number = new Intl.NumberFormat(langOf(form));
  let level = "";
  const update = () => {
    // Counted as the server counts: code points of the trimmed text.
    const length = Array.from(area.value.trim()).length;
    const over = length > limit;
    let text = "";
    if (over) text = counter.dataset.rjOver.replace("{n}", number.format(length - limit));
    else if (length >= limit * 0.8) text = counter.dataset.rjLeft.replace("{n}", number.format(limit - length));
    counter.textContent = text;
    counter.classList.toggle("rj-counter-over", over);
    const now = over ? "over" : length >= limit * 0.95 ? "close" : text ? "near" : "";
    if (now !== level && live) live.textContent = text;
    level = now;
    if (!over && area.hasAttribute("data-rj-too-long")) {
      area.removeAttribute("data-rj-too-long");
      area.removeAttribute("aria-invalid");
    }
    return over;
  };
  area.addEventListener("input", update);
  update();
  counters.set(form, update);
}

// Refuse over-long text before sending it: the counter says by how much; the text stays.
function refuseTooLong(form) {
  const over = counters.get(form)?.();
  if (!over) return false;
  const area = form.querySelector("textarea[data-rj-limit]");
  clearFieldErrors(form);
  showError(form, "");
  area.setAttribute("data-rj-too-long", "");
  area.setAttribute("aria-invalid", "true");
  area.focus();
  return true;
}

function draftKey(form) {
  const parent = form.querySelector("input[name=parent]");
  return `rj-draft:${location.pathname}:${form.action}:${parent ? parent.value : ""}`;
}

function keepDrafts(form) {
  const area = form.querySelector("textarea[name=body]");
  if (!area) return;
  const key = draftKey(form);
  if (!area.value) area.value = sessionStorage.getItem(key) || "";
  area.addEventListener("input", () => sessionStorage.setItem(key, area.value));
  for (const field of ["name", "email", "website"]) {
    const input = form.querySelector(`input[name=${field}]`);
    if (!input) continue;
    if (!input.value) input.value = localStorage.getItem(`rj-${field}`) || "";
    input.addEventListener("change", () => localStorage.setItem(`rj-${field}`, input.value));
  }
}

function updateCount(root, response) {
  const count = response.headers.get("X-Rejoinder-Comment-Count");
  const label = root.querySelector(".rj-comment-total");
  if (count !== null && label) label.textContent = count;
  // The discussion changed: inline feedback refreshes its highlights on this.
  if (count !== null) root.dispatchEvent(new CustomEvent("rj:changed", { bubbles: true }));
}

async function onPost(root, form) {
  if (refuseTooLong(form)) return;
  const response = await submitForm(form);
  if (!response.ok) {
    const problem = await readProblem(response);
    clearFieldErrors(form);
    const first = markFieldErrors(form, problem.errors);
    // Marked fields carry their own messages; the form's alert is for the rest.
    showError(form, first ? "" : problem.detail);
    (first || form.querySelector("textarea"))?.focus();
    return;
  }
  clearFieldErrors(form);
  const [item] = parseFragment(await response.text());
  const parentId = form.querySelector("input[name=parent]").value;
  sessionStorage.removeItem(draftKey(form));
  item.classList.add("rj-new");
  if (parentId) {
    // Past the site's maximum depth the server attaches the reply higher up (quoting whom it
    // answers); the fragment's depth says where, so climb to the ancestor one level above it.
    let parent = root.querySelector(`#comment-${CSS.escape(parentId)}`);
    while (parent && Number(parent.dataset.rjDepth) >= Number(item.dataset.rjDepth)) {
      parent = parent.parentElement.closest(".rj-comment");
    }
    let list = parent?.querySelector(":scope > .rj-replies");
    if (parent && !list) {
      list = document.createElement("ol");
      list.className = "rj-replies";
      parent.append(list);
    }
    (list || root.querySelector(".rj-thread")).append(item);
    form.closest(".rj-reply-box")?.remove();
  } else {
    root.querySelector(".rj-thread .rj-empty")?.remove();
    root.querySelector(".rj-thread").prepend(item);
    form.reset();
    form.querySelector(".rj-form-error").textContent = "";
    keepDrafts(form);
    counters.get(form)?.();
  }
  updateCount(root, response);
  enhance(root, item);
  const notice = response.headers.get("X-Rejoinder-Notice");
  const posted = root.dataset.rjPostedMessage;
  announce(root, notice ? `${posted} ${decodeURIComponent(notice)}` : posted);
  focusComment(item);
  root.dispatchEvent(new CustomEvent("rj:posted", { bubbles: true, detail: { form, item } }));
}

async function onReplace(root, form, submitter) {
  const response = await submitForm(form, submitter);
  if (!response.ok) {
    announce(root, await problemDetail(response));
    return;
  }
  const [fresh] = parseFragment(await response.text());
  // The focus stays on the button pressed, whether the vote was cast or withdrawn.
  const pressed = Array.from(form.querySelectorAll("button")).indexOf(submitter);
  form.replaceWith(fresh);
  enhance(root, fresh);
  (fresh.querySelectorAll("button")[pressed] || fresh.querySelector("[aria-pressed=true]"))?.focus();
}

async function onRate(root, form) {
  // Arrow keys move through the stars, one change (and one request) per step; a change made
  // while a request is in flight must not be lost, so the latest choice is sent afterwards.
  const chosen = () => form.querySelector("input[name=stars]:checked")?.value;
  const sent = chosen();
  const response = await submitForm(form);
  if (!response.ok) {
    // Nothing changed on the server: show the stars it has, and say why.
    form.reset();
    announce(root, await problemDetail(response));
    return;
  }
  const [fresh] = parseFragment(await response.text());
  const latest = chosen();
  form.closest(".rj-rating").replaceWith(fresh);
  enhance(root, fresh);
  const star = fresh.querySelector(`input[name=stars][value="${CSS.escape(latest || "")}"]`);
  if (!star) return;
  star.focus();
  if (latest !== sent) {
    star.checked = true;
    star.form.requestSubmit();
  }
}

async function onSubscribe(root, form) {
  const response = await submitForm(form);
  if (!response.ok) {
    showError(form, await problemDetail(response));
    return;
  }
  form.querySelector(".rj-form-error").textContent = "";
  form.querySelector(".rj-notify-result").replaceChildren(...parseFragment(await response.text()));
}

async function onEdit(root, form) {
  const response = await submitForm(form);
  if (!response.ok) {
    showError(form, await problemDetail(response));
    return;
  }
  const [inner] = parseFragment(await response.text());
  const item = form.closest(".rj-comment");
  item.querySelector(":scope > .rj-comment-inner").replaceWith(inner);
  form.remove();
  enhance(root, inner);
  focusComment(item);
}

async function openEditor(root, link) {
  const item = link.closest(".rj-comment");
  if (item.querySelector(":scope > .rj-edit-form")) return;
  const response = await send(link.getAttribute("href"));
  if (!response.ok) {
    announce(root, await problemDetail(response));
    return;
  }
  const doc = parseDocument(await response.text());
  const form = doc.querySelector(".rj-edit-form");
  if (!form) return;
  form.querySelector("a")?.remove();
  item.querySelector(":scope > .rj-comment-inner").after(form);
  wireForm(root, form);
  form.querySelector("textarea").focus();
}

async function onDelete(root, link) {
  const item = link.closest(".rj-comment");
  const confirmText = root.dataset.rjConfirmDelete;
  if (!window.confirm(confirmText)) return;
  const token = root.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  const body = new FormData();
  body.set("csrfmiddlewaretoken", token);
  const response = await send(link.getAttribute("href"), { method: "POST", body });
  if (!response.ok) {
    announce(root, await problemDetail(response));
    return;
  }
  if (response.status === 204) {
    const next = neighbourOf(item);
    item.remove();
    if (!focusComment(next)) focusHeading(root);
  } else {
    // Its replies stay, under a placeholder that keeps the focus.
    const [placeholder] = parseFragment(await response.text());
    item.querySelector(":scope > .rj-comment-inner").replaceWith(placeholder);
    item.classList.add("rj-removed");
    focusComment(item);
  }
  updateCount(root, response);
  announce(root, root.dataset.rjDeletedMessage);
}

function openReply(root, link) {
  const item = link.closest(".rj-comment");
  const existing = item.querySelector(":scope > .rj-reply-box");
  if (existing) {
    existing.querySelector("textarea")?.focus();
    return;
  }
  const template = root.querySelector("template.rj-reply-template");
  if (!template) return;
  const box = document.createElement("div");
  box.className = "rj-reply-box";
  box.id = `reply-${item.dataset.rjComment}`;
  box.append(template.content.cloneNode(true));
  const form = box.querySelector("form");
  const suffix = item.dataset.rjComment;
  for (const el of form.querySelectorAll("[id]")) el.id = `${el.id}-${suffix}`;
  for (const el of form.querySelectorAll("label[for]")) el.htmlFor = `${el.htmlFor}-${suffix}`;
  for (const el of form.querySelectorAll("[aria-describedby]")) {
    const ids = el.getAttribute("aria-describedby").split(/\s+/).filter(Boolean);
    el.setAttribute("aria-describedby", ids.map((id) => `${id}-${suffix}`).join(" "));
  }
  form.querySelector("input[name=parent]").value = suffix;
  const cancel = form.querySelector("[data-rj-reply-cancel]");
  const permalink = item.querySelector(":scope > .rj-comment-inner a.rj-link");
  if (cancel && permalink) cancel.href = permalink.href;
  item.querySelector(":scope > .rj-comment-inner").after(box);
  wireForm(root, form);
  form.querySelector("textarea").focus();
}

// Close a reply form (Cancel, Escape) and give the focus back to the comment's Reply link.
// Its text stays in the draft the form keeps, and comes back if the reader replies again.
function closeReply(box) {
  const item = box.closest(".rj-comment");
  box.remove();
  const opener = item?.querySelector(":scope > .rj-comment-inner [data-rj-reply]");
  if (opener) opener.focus();
  else focusComment(item);
}

async function loadMore(root, link) {
  link.setAttribute("aria-busy", "true");
  const response = await send(link.dataset.rjFragment);
  if (!response.ok) {
    link.removeAttribute("aria-busy");
    announce(root, await problemDetail(response));
    return;
  }
  const nodes = parseFragment(await response.text());
  const list = nodes.find((n) => n.matches(".rj-thread"));
  const more = nodes.find((n) => n.matches(".rj-more"));
  const thread = root.querySelector(".rj-thread");
  // The next page follows a cursor, so it never repeats a comment; a comment this reader posted
  // in place may still come back in it, so skip any already shown.
  const added = Array.from(list?.children || []).filter(
    (item) => item.matches(".rj-comment") && !root.querySelector(`#${CSS.escape(item.id)}`),
  );
  const first = added[0];
  thread.append(...added);
  link.closest(".rj-more").replaceWith(...(more ? [more] : []));
  enhance(root, root);
  focusComment(first);
}

// "N more replies": the next replies of a comment go into its list, the link moves after them.
async function loadReplies(root, link) {
  link.setAttribute("aria-busy", "true");
  const response = await send(link.dataset.rjReplies);
  if (!response.ok) {
    link.removeAttribute("aria-busy");
    announce(root, await problemDetail(response));
    return;
  }
  const nodes = parseFragment(await response.text());
  const more = nodes.find((n) => n.matches(".rj-more-replies"));
  const holder = link.closest(".rj-more-replies");
  const list = holder.parentElement.querySelector(":scope > .rj-replies");
  // A reply this reader posted in place may come back in the batch: skip any already shown.
  const added = Array.from(nodes.find((n) => n.matches(".rj-replies"))?.children || []).filter(
    (item) => item.matches(".rj-comment") && !document.getElementById(item.id),
  );
  list.append(...added);
  holder.replaceWith(...(more ? [more] : []));
  enhance(root, root);
  focusComment(added[0]);
}

function wireForm(root, form) {
  if (form.dataset.rjWired) return;
  form.dataset.rjWired = "1";
  const action = form.dataset.rjAction;
  if (action === "post") {
    keepDrafts(form);
    watchLength(form);
  }
  if (action === "rate") {
    form.addEventListener("change", () => form.requestSubmit());
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    form.setAttribute("aria-busy", "true");
    try {
      if (action === "post") await onPost(root, form);
      else if (action === "replace") await onReplace(root, form, event.submitter);
      else if (action === "rate") await onRate(root, form);
      else if (action === "edit") await onEdit(root, form);
      else if (action === "subscribe") await onSubscribe(root, form);
    } catch {
      showError(form, root.dataset.rjNetworkMessage);
    } finally {
      form.removeAttribute("aria-busy");
    }
  });
}

// The language the box speaks (its lang attribute: on an embed the host page may speak another).
const langOf = (el) => el.closest("[lang]")?.lang || undefined;

function relativeTimes(root, scope = root) {
  const format = new Intl.RelativeTimeFormat(langOf(root), { numeric: "auto" });
  const now = Date.now();
  for (const el of scope.querySelectorAll("[data-rj-relative]")) {
    const seconds = Math.round((Date.parse(el.dataset.rjRelative) - now) / 1000);
    const steps = [[60, "second"], [60, "minute"], [24, "hour"], [30, "day"], [12, "month"], [Infinity, "year"]];
    let value = seconds;
    for (const [size, unit] of steps) {
      if (Math.abs(value) < size) {
        el.textContent = format.format(value, unit);
        break;
      }
      value = Math.round(value / size);
    }
  }
}

function enhance(root, scope) {
  for (const form of scope.querySelectorAll("form[data-rj-action]")) wireForm(root, form);
  if (scope.matches?.("form[data-rj-action]")) wireForm(root, scope);
  relativeTimes(root, scope);
}

// Enhance a box; return what stops it (its clock), for a box that is taken away (embed.js).
export function init(root) {
  root.classList.add("rj-js");
  // The box was asked for in a language (the page's `lang`): so is everything it loads.
  if (root.dataset.rjLang) session.lang = root.dataset.rjLang;
  initReports(root);
  root.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link || !root.contains(link)) return;
    if (link.hasAttribute("data-rj-reply-cancel") && link.closest(".rj-reply-box")) {
      event.preventDefault();
      closeReply(link.closest(".rj-reply-box"));
    } else if (link.dataset.rjReply) { event.preventDefault(); openReply(root, link); }
    else if (link.dataset.rjEdit) { event.preventDefault(); openEditor(root, link); }
    else if (link.dataset.rjDelete) { event.preventDefault(); onDelete(root, link); }
    else if (link.dataset.rjFragment) { event.preventDefault(); loadMore(root, link); }
    else if (link.dataset.rjReplies) { event.preventDefault(); loadReplies(root, link); }
  });
  root.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented || !(event.target instanceof Element)) return;
    const box = event.target.closest(".rj-reply-box");
    if (!box || !root.contains(box)) return;
    event.preventDefault(); // handled: an open passage panel stays open
    closeReply(box);
  });
  enhance(root, root);
  const clock = setInterval(() => relativeTimes(root), 60_000);
  return () => clearInterval(clock);
}

for (const root of document.querySelectorAll(".rj-discussion[data-rj-page]")) init(root);
// Boxes added later (a passage's comments opened beside the article) ask to be enhanced.
document.addEventListener("rj:enhance", (event) => {
  if (event.target.classList.contains("rj-js")) enhance(event.target, event.target);
  else init(event.target);
});
