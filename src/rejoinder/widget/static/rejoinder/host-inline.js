// Inline feedback on a publisher's own article (docs/embedding.md). Commented passages are
// highlighted in the host's text (<mark class="rejoinder-passage">), a selection there gets a
// "Comment on this" button, and a highlight opens its comments in the box. Rejoinder never
// reads the host's text: the quote and some words around it are what it keeps.

import { init } from "./discussion.js";
import { setQuote } from "./quote.js";
import { parseDocument, send } from "./requests.js";

const CONTEXT = 32; // characters kept before and after a quote
const MAX_QUOTE = 2000;
const SKIP = "script, style, noscript, textarea, [data-rejoinder-skip]";

// The article's text with white space collapsed, and where each character is in the DOM.
function textModel(article) {
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement.closest(SKIP) ? 2 : 1),
  });
  let text = "";
  const nodes = [];
  const offsets = [];
  for (let node; (node = walker.nextNode());) {
    for (let i = 0; i < node.data.length; i++) {
      let char = node.data[i];
      if (/\s/.test(char)) {
        if (!text || text.endsWith(" ")) continue;
        char = " ";
      }
      text += char;
      nodes.push(node);
      offsets.push(i);
    }
  }
  return { text, nodes, offsets };
}

// The first character at or after a DOM point (a selection's edge).
function indexAt(model, node, offset) {
  const point = document.createRange();
  point.setStart(node, offset);
  let low = 0;
  let high = model.nodes.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (point.comparePoint(model.nodes[mid], model.offsets[mid]) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

// Where a quote is now: the occurrence of `exact` whose surroundings match best.
function locate(text, { exact, prefix, suffix }) {
  let best = -1;
  let score = -1;
  for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) {
    const s = text.endsWith(prefix, at) + text.startsWith(suffix, at + exact.length);
    if (s > score) [best, score] = [at, s];
  }
  return best;
}

function unmark(article) {
  for (const mark of article.querySelectorAll("mark.rejoinder-passage")) mark.replaceWith(...mark.childNodes);
  article.normalize();
}

// Wrap model[start, end) in marks, one per text node it crosses, last node first.
function mark(model, start, end, make) {
  const pieces = [];
  for (let i = start; i < end; i++) {
    const last = pieces[pieces.length - 1];
    if (last && last.node === model.nodes[i]) last.to = model.offsets[i] + 1;
    else pieces.push({ node: model.nodes[i], from: model.offsets[i], to: model.offsets[i] + 1 });
  }
  return pieces.reverse().map(({ node, from, to }) => {
    const range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    const el = make();
    range.surroundContents(el);
    return el;
  }).reverse();
}

export function attach(article, root, passagesUrl) {
  const form = root.querySelector("#rj-form-top");
  const labels = root.dataset;
  let found = [];
  let opener = null;
  let pending = null;

  async function highlight() {
    const response = await send(passagesUrl);
    if (!response.ok) return;
    const { passages } = await response.json();
    unmark(article);
    const model = textModel(article);
    const spans = passages
      .map((p) => ({ p, at: locate(model.text, p) }))
      .filter(({ at }) => at >= 0)
      .sort((a, b) => b.at - a.at);
    found = [];
    let limit = Infinity;
    for (const { p, at } of spans) {
      const end = at + p.exact.length;
      if (end > limit) continue; // overlaps one already drawn
      limit = at;
      const index = found.push(p) - 1;
      const marks = mark(model, at, end, () => {
        const el = document.createElement("mark");
        el.className = "rejoinder-passage";
        el.dataset.rejoinderPassage = index;
        return el;
      });
      const [first] = marks;
      first.tabIndex = 0;
      first.setAttribute("role", "button");
      first.setAttribute("aria-label", `${p.exact} (${p.count})`);
      marks[marks.length - 1].dataset.rejoinderCount = p.count;
    }
  }

  // The button a selection in the article gets, in its own shadow root (host CSS stays out).
  const floating = document.createElement("span");
  floating.dataset.rejoinderSkip = "";
  floating.hidden = true;
  const shadow = floating.attachShadow({ mode: "open" });
  const sheet = root.getRootNode().querySelector("link[rel=stylesheet]").cloneNode();
  const button = document.createElement("button");
  button.className = "rj-button rj-primary";
  button.textContent = labels.rjCommentLabel;
  shadow.append(sheet, button);
  Object.assign(floating.style, { position: "absolute", zIndex: 2147483647 });
  document.body.append(floating);

  function check() {
    const selection = getSelection();
    const range = selection.rangeCount && selection.getRangeAt(0);
    if (!range || range.collapsed || !article.contains(range.commonAncestorContainer)) {
      floating.hidden = true;
      return;
    }
    const model = textModel(article);
    const start = indexAt(model, range.startContainer, range.startOffset);
    let end = indexAt(model, range.endContainer, range.endOffset);
    while (end > start && model.text[end - 1] === " ") end--;
    end = Math.min(end, start + MAX_QUOTE);
    if (end <= start) return;
    pending = {
      exact: model.text.slice(start, end),
      prefix: model.text.slice(Math.max(0, start - CONTEXT), start),
      suffix: model.text.slice(end, end + CONTEXT),
    };
    const rect = range.getBoundingClientRect();
    floating.style.top = `${scrollY + rect.bottom + 6}px`;
    floating.style.left = `${scrollX + rect.left}px`;
    floating.hidden = false;
  }

  function quote(selector, from) {
    opener = from;
    setQuote(form, selector, null);
    form.scrollIntoView({ block: "start" });
    form.querySelector("textarea").focus();
  }

  function closePanel() {
    root.parentNode.querySelector(".rj-passage-panel")?.remove();
    if (opener?.isConnected) opener.focus();
  }

  async function openPanel(el) {
    const p = found[el.dataset.rejoinderPassage];
    const page = root.dataset.rjPage;
    if (!p || !page) return;
    const query = new URLSearchParams({ exact: p.exact, prefix: p.prefix, suffix: p.suffix });
    const response = await send(`/discussion/${page}/passage?${query}`);
    if (!response.ok) return;
    const panel = parseDocument(await response.text()).querySelector(".rj-passage-panel");
    closePanel();
    opener = article.querySelector(`mark[data-rejoinder-passage="${el.dataset.rejoinderPassage}"]`);
    root.before(panel);
    init(panel);
    panel.scrollIntoView({ block: "start" });
    panel.querySelector(".rj-panel-heading").focus();
  }

  const onClick = (event) => {
    const el = event.target.closest?.("mark.rejoinder-passage");
    if (el && article.contains(el) && getSelection().isCollapsed) openPanel(el);
  };
  const onKey = (event) => {
    const el = event.target.closest?.("mark.rejoinder-passage");
    if (el && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      openPanel(el);
    } else if (event.key === "Escape") floating.hidden = true;
  };
  const onSelection = () => setTimeout(check, 50);
  const onPanel = (event) => {
    const target = event.target;
    if (target.closest("[data-rj-panel-close]")) closePanel();
    const again = target.closest("[data-rj-comment-passage]");
    if (again) {
      const d = again.dataset;
      const from = opener;
      closePanel();
      quote({ exact: d.rjExact, prefix: d.rjPrefix, suffix: d.rjSuffix }, from);
    }
    if (target.closest("[data-rj-quote-cancel]")) {
      event.preventDefault();
      setQuote(form, null, null);
      (opener?.isConnected ? opener : form.querySelector("textarea")).focus();
    }
  };
  button.addEventListener("click", () => {
    floating.hidden = true;
    getSelection().removeAllRanges();
    quote(pending, null);
  });
  article.addEventListener("click", onClick);
  article.addEventListener("keydown", onKey);
  document.addEventListener("selectionchange", onSelection);
  root.parentNode.addEventListener("click", onPanel);
  root.parentNode.addEventListener("rj:changed", highlight);
  root.addEventListener("rj:posted", () => setQuote(form, null, null));
  highlight();

  return () => {
    article.removeEventListener("click", onClick);
    article.removeEventListener("keydown", onKey);
    document.removeEventListener("selectionchange", onSelection);
    floating.remove();
    unmark(article);
  };
}
