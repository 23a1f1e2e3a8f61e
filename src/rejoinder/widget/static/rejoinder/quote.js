// The passage (or the author's question) a comment form quotes: its hidden fields and the quote
// shown above the text. Shared by the article's inline feedback and the embed's.

function fields(form) {
  const get = (name) => form.querySelector(`input[name=${name}]`);
  return {
    exact: get("passage_exact"), prefix: get("passage_prefix"), suffix: get("passage_suffix"),
    start: get("passage_start"), end: get("passage_end"), prompt: get("prompt"),
  };
}

export function setQuote(form, selector, prompt) {
  const f = fields(form);
  f.exact.value = selector?.exact || "";
  f.prefix.value = selector?.prefix || "";
  f.suffix.value = selector?.suffix || "";
  f.start.value = selector ? String(selector.start ?? "") : "";
  f.end.value = selector ? String(selector.end ?? "") : "";
  f.prompt.value = prompt ? prompt.id : "";
  const box = form.querySelector("[data-rj-form-quote]");
  const label = box.querySelector(".rj-form-quote-label");
  label.textContent = prompt ? label.dataset.rjLabelPrompt : label.dataset.rjLabelPassage;
  box.querySelector(".rj-form-quote-text").textContent = prompt ? prompt.question : selector?.exact || "";
  box.hidden = !(selector || prompt);
}

export function hasQuote(form) {
  const f = fields(form);
  return Boolean(f.exact?.value || f.prompt?.value);
}
