// How the scripts talk to the server: every request asks for a fragment (the same markup the
// no-JS pages embed) and every refusal carries a problem+json detail a person can read.

export const FRAGMENT = { "X-Rejoinder-Fragment": "1" };

// On a publisher's page (embed.js sets these) the box's links are relative to Rejoinder's
// origin, not the page's, and the reader's token travels in a header: no cookie reaches us
// from there. `keep` stores a token the server has just issued. `lang`: the language the page
// asked the box for (data-lang), which every later request asks for again.
export const session = { base: "", token: "", keep: null, lang: "" };

export function resolve(url) {
  return new URL(url, session.base || location.href).href;
}

// Every request of the box: asks for a fragment, carries the reader's token on an embed.
export async function send(url, init = {}) {
  const headers = { ...FRAGMENT };
  if (session.token) headers["X-Rejoinder-Reader"] = session.token;
  const credentials = session.base ? "omit" : "same-origin";
  const target = new URL(resolve(url));
  if (session.lang) target.searchParams.set("lang", session.lang);
  const response = await fetch(target, { ...init, headers, credentials });
  const issued = response.headers.get("X-Rejoinder-Reader-Token");
  if (issued && session.keep) session.keep(issued);
  return response;
}

// Read a refusal: { detail, errors }, where errors lists each refused field ({ field, detail }).
export async function readProblem(response) {
  try {
    const problem = await response.json();
    return { detail: problem.detail || response.statusText, errors: problem.errors || [] };
  } catch {
    return { detail: response.statusText || "Something went wrong.", errors: [] };
  }
}

export async function problemDetail(response) {
  return (await readProblem(response)).detail;
}

// Submit a real form in place. getAttribute: a button named "action" shadows `form.action`.
export async function submitForm(form, submitter) {
  const body = new FormData(form);
  if (submitter && submitter.name) body.set(submitter.name, submitter.value);
  return send(form.getAttribute("action") || "", { method: "POST", body });
}

// Read a fragment of server markup into a detached document (nothing in it runs).
// On an embed, links become absolute (Rejoinder's), <template> contents included.
export function parseDocument(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  if (session.base) absolutize(doc);
  return doc;
}

export function absolutize(scope) {
  for (const el of scope.querySelectorAll("[href], [action], [data-rj-fragment]")) {
    for (const name of ["href", "action", "data-rj-fragment"]) {
      const value = el.getAttribute(name);
      if (value && !value.startsWith("#")) el.setAttribute(name, resolve(value));
    }
  }
  for (const template of scope.querySelectorAll("template")) absolutize(template.content);
}
