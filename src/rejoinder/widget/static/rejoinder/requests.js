// How the scripts talk to the server: every request asks for a fragment (the same markup the
// no-JS pages embed) and every refusal carries a problem+json detail a person can read.

export const FRAGMENT = { "X-Rejoinder-Fragment": "1" };

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
  const url = new URL(form.getAttribute("action") || "", location.href);
  return fetch(url, { method: "POST", body, headers: FRAGMENT, credentials: "same-origin" });
}

// Read a fragment of server markup into a detached document (nothing in it runs).
export function parseDocument(html) {
  return new DOMParser().parseFromString(html, "text/html");
}
