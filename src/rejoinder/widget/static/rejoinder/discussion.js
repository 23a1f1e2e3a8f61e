// Progressive enhancement of the discussion box. Every control is a real form that works
// without this script; with it, actions happen in place. Markup always comes from the
// server (fragments rendered by the same templates); this script never builds HTML strings.

import "./report.js";
import { FRAGMENT, parseDocument, problemDetail, submitForm } from "./requests.js";

function parseFragment(html) {
  const doc = parseDocument(html);
  return Array.from(doc.body.children);
}

function statusOf(root) {
  return root.querySelector(".rj-status");
}

function announce(root, message) {
  const status = statusOf(root);
  if (status) status.textContent = message;
}

function showError(form, message) {
  const slot = form.querySelector(".rj-form-error");
  if (slot) slot.textContent = message;
  else announce(form.closest(".rj-discussion"), message);
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
  const response = await submitForm(form);
  if (!response.ok) {
    showError(form, await problemDetail(response));
    form.querySelector("textarea")?.focus();
    return;
  }
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
  }
  updateCount(root, response);
  enhance(root, item);
  const notice = response.headers.get("X-Rejoinder-Notice");
  const posted = root.dataset.rjPostedMessage || "Your comment was posted.";
  announce(root, notice ? `${posted} ${decodeURIComponent(notice)}` : posted);
  item.querySelector(".rj-comment-inner")?.setAttribute("tabindex", "-1");
  item.querySelector(".rj-comment-inner")?.focus();
  root.dispatchEvent(new CustomEvent("rj:posted", { bubbles: true, detail: { form, item } }));
}

async function onReplace(root, form, submitter) {
  const response = await submitForm(form, submitter);
  if (!response.ok) {
    announce(root, await problemDetail(response));
    return;
  }
  const [fresh] = parseFragment(await response.text());
  form.replaceWith(fresh);
  enhance(root, fresh);
  fresh.querySelector("[aria-pressed=true], input:checked")?.focus();
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
  form.closest(".rj-comment").querySelector(":scope > .rj-comment-inner").replaceWith(inner);
  form.remove();
  enhance(root, inner);
}

async function openEditor(root, link) {
  const item = link.closest(".rj-comment");
  if (item.querySelector(":scope > .rj-edit-form")) return;
  const response = await fetch(link.href, { credentials: "same-origin" });
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
  const confirmText = root.dataset.rjConfirmDelete || "Delete your comment?";
  if (!window.confirm(confirmText)) return;
  const token = root.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  const body = new FormData();
  body.set("csrfmiddlewaretoken", token);
  const response = await fetch(link.href, { method: "POST", body, headers: FRAGMENT, credentials: "same-origin" });
  if (!response.ok) {
    announce(root, await problemDetail(response));
    return;
  }
  if (response.status === 204) {
    item.remove();
  } else {
    const [placeholder] = parseFragment(await response.text());
    item.querySelector(":scope > .rj-comment-inner").replaceWith(placeholder);
    item.classList.add("rj-removed");
  }
  updateCount(root, response);
  announce(root, root.dataset.rjDeletedMessage || "Your comment was deleted.");
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
    el.setAttribute("aria-describedby", `${el.getAttribute("aria-describedby")}-${suffix}`);
  }
  form.querySelector("input[name=parent]").value = suffix;
  item.querySelector(":scope > .rj-comment-inner").after(box);
  wireForm(root, form);
  form.querySelector("textarea").focus();
}

async function loadMore(root, link) {
  link.setAttribute("aria-busy", "true");
  const response = await fetch(link.dataset.rjFragment, { credentials: "same-origin" });
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
    (item) => item.matches(".rj-comment") && !document.getElementById(item.id),
  );
  const first = added[0];
  thread.append(...added);
  link.closest(".rj-more").replaceWith(...(more ? [more] : []));
  enhance(root, root);
  first?.querySelector(".rj-comment-inner")?.setAttribute("tabindex", "-1");
  first?.querySelector(".rj-comment-inner")?.focus();
}

function wireForm(root, form) {
  if (form.dataset.rjWired) return;
  form.dataset.rjWired = "1";
  const action = form.dataset.rjAction;
  if (action === "post") keepDrafts(form);
  if (action === "rate") {
    form.addEventListener("change", () => form.requestSubmit());
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    form.setAttribute("aria-busy", "true");
    try {
      if (action === "post") await onPost(root, form);
      else if (action === "vote") await onReplace(root, form, event.submitter);
      else if (action === "rate") await onRate(root, form);
      else if (action === "edit") await onEdit(root, form);
      else if (action === "subscribe") await onSubscribe(root, form);
    } catch {
      showError(form, root.dataset.rjNetworkMessage || "The connection failed; your text is kept. Try again.");
    } finally {
      form.removeAttribute("aria-busy");
    }
  });
}

function relativeTimes(scope) {
  const format = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: "auto" });
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
  relativeTimes(scope);
}

function init(root) {
  root.classList.add("rj-js");
  root.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link || !root.contains(link)) return;
    if (link.dataset.rjReply) { event.preventDefault(); openReply(root, link); }
    else if (link.dataset.rjEdit) { event.preventDefault(); openEditor(root, link); }
    else if (link.dataset.rjDelete) { event.preventDefault(); onDelete(root, link); }
    else if (link.dataset.rjFragment) { event.preventDefault(); loadMore(root, link); }
  });
  enhance(root, root);
  setInterval(() => relativeTimes(root), 60_000);
}

for (const root of document.querySelectorAll(".rj-discussion[data-rj-page]")) init(root);
// Boxes added later (a passage's comments opened beside the article) ask to be enhanced.
document.addEventListener("rj:enhance", (event) => {
  if (event.target.classList.contains("rj-js")) enhance(event.target, event.target);
  else init(event.target);
});
