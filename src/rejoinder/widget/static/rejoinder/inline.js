// Inline feedback on the article body. Without this script every paragraph has a plain link
// that opens the comment form with the paragraph quoted, and highlights are server-rendered
// marks. With it, a reader can quote any selection, and a highlight opens its comments beside
// the text. Markup always comes from the server; this script only moves it and fills fields.

import { setQuote, hasQuote } from "./quote.js";
import { FRAGMENT, parseDocument } from "./requests.js";

// HTML whitespace, as the server collapses it (not the no-break space).
const WHITESPACE = /[ \t\n\r\f]/;
const LINE_BREAK = /[\n\r]/;
const BLOCK_TAGS = new Set([
  "P", "LI", "H1", "H2", "H3", "H4", "H5", "H6", "PRE", "TH", "TD", "DT", "DD", "CAPTION", "FIGCAPTION",
]);

// ---- The article's text, exactly as the server extracts it (inline/text.py) ---------------
// Blocks (marked data-rj-block by the server) in document order, joined by a blank line. A
// block's text is its text nodes with whitespace runs collapsed to one space and the ends
// trimmed (a <pre> keeps its text, less leading and trailing line breaks); a <br> and a nested
// block read as whitespace, and a nested block's text is its own. Our own controls carry
// data-rj-skip and are not text.

function rawPieces(block, pre) {
  const pieces = [];
  const walk = (element) => {
    for (const child of element.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        pieces.push([child, child.data]);
      } else if (child.nodeType === Node.ELEMENT_NODE && !child.hasAttribute("data-rj-skip")) {
        if (BLOCK_TAGS.has(child.tagName)) pieces.push([null, "  "]);
        else if (child.tagName === "BR") pieces.push([null, pre ? "\n" : " "]);
        else walk(child);
      }
    }
  };
  walk(block);
  return pieces;
}

// Collapse a block's raw text; return it with map[i] = the text offset of raw character i.
function collapse(raw, pre) {
  const map = new Array(raw.length + 1);
  if (pre) {
    let lead = 0;
    while (lead < raw.length && LINE_BREAK.test(raw[lead])) lead += 1;
    let end = raw.length;
    while (end > lead && LINE_BREAK.test(raw[end - 1])) end -= 1;
    for (let i = 0; i <= raw.length; i += 1) map[i] = Math.min(Math.max(i - lead, 0), end - lead);
    return { text: raw.slice(lead, end), map };
  }
  let out = "";
  let pendingSpace = false;
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i];
    map[i] = out.length;
    if (WHITESPACE.test(ch)) {
      if (out.length) pendingSpace = true;
      continue;
    }
    if (pendingSpace) {
      out += " ";
      pendingSpace = false;
      map[i] = out.length;
    }
    out += ch;
  }
  map[raw.length] = out.length;
  return { text: out, map };
}

// Return { text, points, blocks }: points maps each counted text node to the text offset of
// each of its characters (and of its end); blocks maps a block index to its [start, end].
function textModel(body) {
  let text = "";
  const points = new Map();
  const blocks = new Map();
  for (const block of body.querySelectorAll("[data-rj-block]")) {
    if (block.closest("[data-rj-skip]")) continue;
    const pre = Boolean(block.closest("pre"));
    const pieces = rawPieces(block, pre);
    const raw = pieces.map(([, data]) => data).join("");
    const { text: own, map } = collapse(raw, pre);
    if (!own) continue;
    if (text.length) text += "\n\n";
    const start = text.length;
    let at = 0;
    for (const [node, data] of pieces) {
      if (node) points.set(node, Array.from({ length: data.length + 1 }, (_, i) => start + map[at + i]));
      at += data.length;
    }
    text += own;
    blocks.set(block.dataset.rjBlock, [start, text.length]);
  }
  return { body, text, points, blocks };
}

// Convert a boundary point (container, offset) of a range to a text offset, or null. A point
// between text nodes maps to the start of the next counted text for a range's start, and to the
// end of the previous one for its end (a nested block's text sits inside its parent's).
function offsetOf(model, container, offset, isEnd) {
  if (container.nodeType === Node.TEXT_NODE) {
    const map = model.points.get(container);
    if (map) return map[Math.min(offset, map.length - 1)];
  }
  const point = document.createRange();
  point.setStart(container, offset);
  const walker = document.createTreeWalker(model.body, NodeFilter.SHOW_TEXT);
  let before = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const map = model.points.get(node);
    if (!map) continue;
    if (point.comparePoint(node, 0) >= 0) {
      if (!isEnd || !before) return map[0];
      break;
    }
    before = map;
  }
  return before ? before[before.length - 1] : null;
}

// Describe text[start:end] the W3C way: the exact words, 32 characters either side, and the
// position as a hint. Counted in code points, as the server counts (an emoji is one).
function selectorOf(model, start, end) {
  while (start < end && WHITESPACE.test(model.text[start])) start += 1;
  while (end > start && WHITESPACE.test(model.text[end - 1])) end -= 1;
  if (end <= start) return null;
  const before = Array.from(model.text.slice(0, start));
  const exact = model.text.slice(start, end);
  const after = Array.from(model.text.slice(end, end + 64)).slice(0, 32);
  return {
    exact,
    prefix: before.slice(Math.max(0, before.length - 32)).join(""),
    suffix: after.join(""),
    start: before.length,
    end: before.length + Array.from(exact).length,
  };
}

// A paragraph longer than a quote may be stands for itself by its opening words, cut at a
// word break, as the server's anchoring.quotable_span does (lengths in code points).
function quotableEnd(model, start, end) {
  const maxQuote = Number(document.querySelector("[data-rj-max-quote]")?.dataset.rjMaxQuote || 2000);
  const chars = Array.from(model.text.slice(start, end));
  if (chars.length <= maxQuote) return end;
  const head = chars.slice(0, maxQuote + 1).join("");
  const space = head.lastIndexOf(" ");
  return start + (space > 0 ? space : chars.slice(0, maxQuote).join("").length);
}

// ---- The comment form ---------------------------------------------------------------------

// ---- Wiring -------------------------------------------------------------------------------

function init(body) {
  const root = document.querySelector(`.rj-discussion[data-rj-page="${CSS.escape(body.dataset.rjPage)}"]`);
  const form = root?.querySelector("#rj-form-top");
  const maxQuote = Number(body.dataset.rjMaxQuote || 2000);
  const phone = window.matchMedia(`(max-width: ${Number(body.dataset.rjPhoneWidth || 700)}px)`);
  let returnTo = null;
  let panel = null;
  let panelOpener = null;

  // The floating "Comment on this" button, and the message shown instead of it.
  const floating = document.createElement("div");
  floating.className = "rj-select-tools";
  floating.setAttribute("data-rj-skip", "");
  floating.hidden = true;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "rj-button rj-select-comment";
  button.textContent = body.dataset.rjCommentLabel || "Comment on this";
  const message = document.createElement("p");
  message.className = "rj-select-message";
  message.setAttribute("role", "status");
  floating.append(button, message);
  document.body.append(floating);
  let pending = null;

  function hideFloating() {
    floating.hidden = true;
    pending = null;
  }

  function placeFloating(range) {
    const rect = range.getBoundingClientRect();
    floating.hidden = false;
    floating.style.top = `${window.scrollY + rect.bottom + 6}px`;
    const left = window.scrollX + Math.max(8, Math.min(rect.left, window.innerWidth - floating.offsetWidth - 8));
    floating.style.left = `${left}px`;
  }

  function showMessage(range, text) {
    pending = null;
    button.hidden = true;
    message.textContent = text;
    placeFloating(range);
  }

  function checkSelection() {
    const selection = window.getSelection();
    if (!form || !selection || selection.rangeCount === 0 || selection.isCollapsed) {
      if (!floating.contains(document.activeElement)) hideFloating();
      return;
    }
    const range = selection.getRangeAt(0);
    // Our own controls and an open panel are in the article's markup but not its text.
    const ours = (node) => (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest("[data-rj-skip]");
    if (ours(range.startContainer) && ours(range.endContainer)) {
      hideFloating();
      return;
    }
    const startsIn = body.contains(range.startContainer) && !ours(range.startContainer);
    const endsIn = body.contains(range.endContainer) && !ours(range.endContainer);
    if (!startsIn && !endsIn) {
      // A selection elsewhere that encloses the whole article also reaches outside it.
      if (range.intersectsNode(body)) showMessage(range, body.dataset.rjOutside);
      else hideFloating();
      return;
    }
    if (!startsIn || !endsIn) {
      showMessage(range, body.dataset.rjOutside);
      return;
    }
    const model = textModel(body);
    const start = offsetOf(model, range.startContainer, range.startOffset, false);
    const end = offsetOf(model, range.endContainer, range.endOffset, true);
    const selector = start !== null && end !== null ? selectorOf(model, start, end) : null;
    if (!selector) {
      hideFloating();
      return;
    }
    if (selector.end - selector.start > maxQuote) {
      showMessage(range, body.dataset.rjTooLong);
      return;
    }
    pending = selector;
    button.hidden = false;
    message.textContent = "";
    placeFloating(range);
  }

  // A selection made with a pointer is judged once the pointer is released; one made with
  // the keyboard, once it stops changing.
  let timer = 0;
  let dragging = false;
  document.addEventListener("pointerdown", (event) => {
    if (!floating.contains(event.target)) dragging = true;
  });
  document.addEventListener("pointerup", () => {
    if (!dragging) return;
    dragging = false;
    clearTimeout(timer);
    timer = setTimeout(checkSelection, 0);
  });
  document.addEventListener("selectionchange", () => {
    if (dragging) return;
    clearTimeout(timer);
    timer = setTimeout(checkSelection, 120);
  });

  function openForm(selector, prompt, opener) {
    if (!form) return;
    returnTo = opener || null;
    setQuote(form, selector, prompt);
    form.closest("#comment-form")?.scrollIntoView({ block: "start" });
    form.querySelector("textarea[name=body]").focus();
  }

  button.addEventListener("click", () => {
    if (!pending) return;
    const selector = pending;
    hideFloating();
    window.getSelection()?.removeAllRanges();
    openForm(selector, null, null);
  });

  form?.querySelector("[data-rj-quote-cancel]")?.addEventListener("click", (event) => {
    event.preventDefault();
    setQuote(form, null, null);
    const target = returnTo && document.contains(returnTo) ? returnTo : form.querySelector("textarea[name=body]");
    returnTo = null;
    target.focus();
  });

  // ---- Highlights and their panel ----

  // A passage split over several elements is one control: its first piece (the one with the id).
  function prepareMarks() {
    for (const mark of body.querySelectorAll("mark[data-rj-passage][id]")) {
      mark.tabIndex = 0;
      mark.setAttribute("role", "button");
      mark.setAttribute("aria-haspopup", "dialog");
    }
  }

  // With the script, the paragraph and answer links act in place: buttons to assistive tech.
  // The paragraph links are one stop in the Tab order (the last one used), not one per
  // paragraph; the arrow keys, Home and End move between them.
  function prepareControls() {
    for (const link of body.querySelectorAll("a[data-rj-para], a[data-rj-answer]")) link.setAttribute("role", "button");
    const links = paragraphLinks();
    const hint = body.dataset.rjParaKeys;
    links.forEach((link, i) => {
      link.tabIndex = i === 0 ? 0 : -1;
      if (hint && document.getElementById(hint)) link.setAttribute("aria-describedby", hint);
    });
  }

  function paragraphLinks() {
    return Array.from(body.querySelectorAll("a[data-rj-para]")).filter((link) => !link.closest(".rj-passage-panel"));
  }

  body.addEventListener("focusin", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[data-rj-para]") : null;
    if (!link) return;
    for (const other of paragraphLinks()) other.tabIndex = other === link ? 0 : -1;
  });

  body.addEventListener("keydown", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[data-rj-para]") : null;
    if (!link || event.altKey || event.ctrlKey || event.metaKey) return;
    const links = paragraphLinks();
    const at = links.indexOf(link);
    const to = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1, Home: 0, End: links.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    links[Math.max(0, Math.min(links.length - 1, to))].focus();
  });

  function firstPiece(mark) {
    return document.getElementById(`passage-${mark.dataset.rjPassage}`) || mark;
  }

  function closePanel({ restoreFocus = true } = {}) {
    if (!panel) return;
    panel.remove();
    panel = null;
    document.documentElement.classList.remove("rj-panel-open");
    for (const mark of body.querySelectorAll("mark.rj-passage-open")) mark.classList.remove("rj-passage-open");
    if (restoreFocus && panelOpener && document.contains(panelOpener)) panelOpener.focus();
    panelOpener = null;
  }

  async function openPanel(mark) {
    const key = mark.dataset.rjPassage;
    const [start, end] = key.split("-");
    closePanel({ restoreFocus: false });
    const url = `${body.dataset.rjPanel}?${new URLSearchParams({ start, end })}`;
    const response = await fetch(url, { credentials: "same-origin", headers: FRAGMENT });
    if (!response.ok) {
      const status = root?.querySelector(".rj-status");
      if (status) status.textContent = body.dataset.rjPanelError;
      return;
    }
    const doc = parseDocument(await response.text());
    const fresh = doc.querySelector(".rj-passage-panel");
    if (!fresh) return;
    fresh.setAttribute("data-rj-skip", "");
    panel = document.adoptNode(fresh);
    panelOpener = firstPiece(mark);
    for (const part of body.querySelectorAll(`mark[data-rj-passage="${CSS.escape(key)}"]`)) part.classList.add("rj-passage-open");
    if (phone.matches) {
      // Below the paragraph on small screens; inside list items and cells, at their end.
      panel.classList.add("rj-panel-below");
      let block = mark.closest("[data-rj-block]");
      while (block?.parentElement?.closest("[data-rj-block]")) block = block.parentElement.closest("[data-rj-block]");
      if (!block) mark.after(panel);
      else if (block.matches("li, td, th")) block.append(panel);
      else {
        // After the paragraph's own controls and questions, which follow it.
        let last = block;
        while (last.nextElementSibling?.matches(".rj-para-tools")) last = last.nextElementSibling;
        last.after(panel);
      }
    } else {
      panel.classList.add("rj-panel-side");
      document.body.append(panel);
      document.documentElement.classList.add("rj-panel-open");
      mark.scrollIntoView({ block: "nearest" });
    }
    panel.dispatchEvent(new CustomEvent("rj:enhance", { bubbles: true }));
    panel.querySelector(".rj-panel-heading").focus();
  }

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const mark = target.closest("mark[data-rj-passage]");
    if (mark && body.contains(mark)) {
      // A click that ends a selection is for the "Comment on this" button, not the panel.
      if (!window.getSelection()?.isCollapsed) return;
      openPanel(mark);
      return;
    }
    if (panel && target.closest("[data-rj-panel-close]")) {
      closePanel();
      return;
    }
    const again = target.closest("[data-rj-comment-passage]");
    if (again && panel?.contains(again)) {
      const d = again.dataset;
      const selector = { exact: d.rjExact, prefix: d.rjPrefix, suffix: d.rjSuffix, start: d.rjStart, end: d.rjEnd };
      const opener = panelOpener;
      closePanel({ restoreFocus: false });
      openForm(selector, null, opener);
      return;
    }
    const paragraph = target.closest("a[data-rj-para]");
    if (paragraph && body.contains(paragraph) && form) {
      event.preventDefault();
      const model = textModel(body);
      const range = model.blocks.get(paragraph.dataset.rjPara);
      const selector = range ? selectorOf(model, range[0], quotableEnd(model, range[0], range[1])) : null;
      if (selector) openForm(selector, null, paragraph);
      return;
    }
    const answer = target.closest("a[data-rj-answer]");
    if (answer && body.contains(answer) && form) {
      event.preventDefault();
      const prompt = answer.closest("[data-rj-prompt]");
      openForm(null, { id: answer.dataset.rjAnswer, question: prompt?.dataset.rjQuestion || "" }, answer);
      return;
    }
    const goto = target.closest("a[href^='#passage-']");
    if (goto) {
      const spot = document.getElementById(goto.getAttribute("href").slice(1));
      if (spot) {
        spot.classList.remove("rj-flash");
        void spot.offsetWidth; // restart the animation when the same link is followed again
        spot.classList.add("rj-flash");
      }
    }
  });

  body.addEventListener("keydown", (event) => {
    if (!(event.target instanceof Element) || (event.key !== "Enter" && event.key !== " ")) return;
    const mark = event.target.closest("mark[data-rj-passage]");
    if (mark) {
      event.preventDefault();
      openPanel(mark);
    } else if (event.key === " " && event.target.matches("a[role=button]")) {
      event.preventDefault();
      event.target.click();
    }
  });

  document.addEventListener("keydown", (event) => {
    // A form in the panel closes first (the box's script handles that Escape).
    if (event.key !== "Escape" || event.defaultPrevented) return;
    if (panel && (panel.contains(document.activeElement) || document.activeElement === document.body)) {
      closePanel();
    } else if (!floating.hidden) {
      hideFloating();
    }
  });

  // Highlights and counts follow the discussion: the box updates its comment total after every
  // post or deletion made in place, and then the body is fetched again (cached by version).
  async function refreshBody() {
    const response = await fetch(body.dataset.rjRefresh, { credentials: "same-origin", headers: FRAGMENT });
    if (!response.ok) return;
    const doc = parseDocument(await response.text());
    closePanel({ restoreFocus: false });
    body.replaceChildren(...Array.from(doc.body.childNodes).map((node) => document.adoptNode(node)));
    prepareMarks();
    prepareControls();
    const count = response.headers.get("X-Rejoinder-Inline-Count");
    const total = root?.querySelector(".rj-inline-total");
    if (count !== null && total) total.textContent = count;
  }

  root?.addEventListener("rj:changed", () => refreshBody());

  // A posted quote is done with: the next comment starts without one.
  root?.addEventListener("rj:posted", (event) => {
    const posted = event.detail?.form;
    if (posted && hasQuote(posted)) setQuote(posted, null, null);
  });

  prepareMarks();
  prepareControls();
  const target = location.hash.startsWith("#passage-") ? document.getElementById(location.hash.slice(1)) : null;
  target?.classList.add("rj-flash");
}

for (const body of document.querySelectorAll("[data-rj-article-body]")) init(body);
