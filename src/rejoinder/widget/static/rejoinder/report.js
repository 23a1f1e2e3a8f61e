// Reporting a comment to the moderators, in place. The form is the one the no-JS report page
// shows, fetched from it; the answer ("thanks" or why not) comes from the server too.

import { parseDocument, problemDetail, send as request } from "./requests.js";

function announce(root, message) {
  const status = root.querySelector(".rj-status");
  if (status) status.textContent = message;
}

async function send(form, link) {
  const error = form.querySelector(".rj-form-error");
  const response = await request(form.getAttribute("action"), { method: "POST", body: new FormData(form) });
  if (!response.ok) {
    error.textContent = await problemDetail(response);
    return;
  }
  const done = parseDocument(await response.text()).querySelector(".rj-report-done");
  form.replaceWith(done);
  link.remove();
  done.focus();
}

async function openReport(root, link) {
  const item = link.closest(".rj-comment");
  const open = item.querySelector(":scope > .rj-report-form");
  if (open) {
    open.querySelector("input")?.focus();
    return;
  }
  const response = await request(link.getAttribute("href"));
  const doc = parseDocument(await response.text());
  const form = doc.querySelector(".rj-report-form");
  if (!response.ok || !form) {
    announce(root, doc.querySelector(".rj-form-error")?.textContent || response.statusText);
    return;
  }
  const cancel = form.querySelector(".rj-report-cancel");
  cancel.hidden = false;
  const close = () => {
    form.remove();
    link.focus();
  };
  cancel.addEventListener("click", close);
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    event.preventDefault(); // handled: an open passage panel stays open
    close();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    form.setAttribute("aria-busy", "true");
    try {
      await send(form, link);
    } catch {
      form.querySelector(".rj-form-error").textContent = root.dataset.rjNetworkMessage;
    } finally {
      form.removeAttribute("aria-busy");
    }
  });
  item.querySelector(":scope > .rj-comment-inner").after(form);
  form.querySelector("input[name=reason]")?.focus();
}

export function initReports(root) {
  root.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-rj-report]");
    if (!link || !root.contains(link)) return;
    event.preventDefault();
    openReport(root, link).catch(() => announce(root, root.dataset.rjNetworkMessage || ""));
  });
}
