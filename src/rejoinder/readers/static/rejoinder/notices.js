// The bell in the box. Without this script it is a link to the notices page; with it, a
// button that opens the list in place (a disclosure: aria-expanded, Escape closes and gives
// focus back to the button), and "Mark all read" works without leaving the page.
import { send } from "./requests.js";

function enhance(scope) {
  for (const link of scope.querySelectorAll("a.rj-bell")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `${link.className} rj-button`;
    for (const name of ["data-rj-notices", "data-rj-none", "aria-controls"]) {
      button.setAttribute(name, link.getAttribute(name));
    }
    button.setAttribute("aria-expanded", "false");
    button.append(...link.childNodes);
    link.replaceWith(button);
  }
}

function popoverOf(button) {
  return document.getElementById(button.getAttribute("aria-controls"));
}

function close(button, { focus = true } = {}) {
  popoverOf(button).hidden = true;
  button.setAttribute("aria-expanded", "false");
  if (focus) button.focus();
}

async function open(button) {
  const response = await send(button.dataset.rjNotices);
  if (!response.ok) return;
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  const popover = popoverOf(button);
  popover.replaceChildren(...doc.body.childNodes);
  popover.hidden = false;
  button.setAttribute("aria-expanded", "true");
  popover.querySelector("a, button")?.focus();
}

async function markRead(form) {
  const popover = form.closest(".rj-notices-popover");
  const button = document.querySelector(`.rj-bell[aria-controls="${popover.id}"]`);
  const response = await send(form.action, { method: "POST", body: new FormData(form) });
  if (!response.ok) return;
  button.querySelector(".rj-bell-label").textContent = button.dataset.rjNone;
  for (const item of popover.querySelectorAll(".rj-notice-unread")) {
    item.classList.remove("rj-notice-unread");
    item.querySelector(".rj-notice-new")?.remove();
  }
  form.remove();
  (popover.querySelector("a") || button).focus();
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button.rj-bell");
  if (button) {
    if (button.getAttribute("aria-expanded") === "true") close(button);
    else open(button);
    return;
  }
  for (const shown of document.querySelectorAll('button.rj-bell[aria-expanded="true"]')) {
    if (!popoverOf(shown).contains(event.target)) close(shown, { focus: false });
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest(".rj-notices-popover .rj-notices-read");
  if (!form) return;
  event.preventDefault();
  markRead(form);
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const popover = event.target.closest?.(".rj-notices-popover");
  const button = popover
    ? document.querySelector(`.rj-bell[aria-controls="${popover.id}"]`)
    : event.target.closest?.('button.rj-bell[aria-expanded="true"]');
  if (button && button.getAttribute("aria-expanded") === "true") {
    event.preventDefault();
    close(button);
  }
});

enhance(document);
document.addEventListener("rj:enhance", (event) => enhance(event.target));
