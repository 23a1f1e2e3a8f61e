// Rejoinder's embed (docs/embedding.md): the server's box in a shadow root, enhanced by the same
// discussion.js as on Rejoinder's pages. One global: window.Rejoinder.
(() => {
  if (window.Rejoinder) return; // loaded twice
  const script = document.currentScript;
  const base = new URL(script ? script.src : location.href).origin;
  const assets = new URL("__ASSETS__", base).href;
  const tokenKey = `rejoinder-reader:${base}`;
  const boxes = new Map();
  const option = (el, name) => el.dataset[name] || script?.dataset[name] || "";
  const attr = (selector, name) => document.querySelector(selector)?.getAttribute(name) || "";
  const emit = (el, name, detail) => el.dispatchEvent(new CustomEvent(`rejoinder:${name}`, { detail }));

  function options(el, given = {}) {
    const pick = (name) => given[name] || option(el, name);
    const url = new URL(pick("url") || attr("link[rel=canonical]", "href") || location.href, location.href);
    url.hash = "";
    return {
      site: pick("site") || "1",
      page: pick("page") || url.pathname,
      url: url.href,
      title: pick("title") || attr("meta[property='og:title']", "content") || document.title,
      theme: pick("theme") || "auto",
      lang: pick("lang"),
      load: pick("load") || "lazy",
      article: pick("article") || "article, [itemprop=articleBody], main"
    };
  }

  let token = "";
  try { token = localStorage.getItem(tokenKey) || ""; } catch {}
  // Every file the box needs, asked for at once (each import resolves once per page).
  function modules(inline) {
    const names = ["requests", "discussion", "report", "quote", ...(inline ? ["host-inline"] : [])];
    return Promise.all(names.map((name) => import(`${assets}${name}.js`))).then(([requests, discussion, , , host]) => {
      const { session } = requests;
      if (!session.base) {
        session.base = base;
        session.token = token;
        session.keep = (issued) => {
          session.token = token = issued;
          try { localStorage.setItem(tokenKey, issued); } catch {}
        };
      }
      return { ...requests, ...discussion, ...host };
    });
  }

  function stylesheet(name) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = assets + name;
    return [link, new Promise((done) => { link.onload = link.onerror = done; })];
  }

  // The host page's query and hash open the box where a link pointed (a shared permalink).
  function hostQuery() {
    const query = {};
    const own = new URLSearchParams(location.search);
    for (const name of ["sort", "page", "filter"]) if (own.get(name)) query[name] = own.get(name);
    const comment = /^#comment-(\d+)$/.exec(location.hash);
    if (comment) query.comment = comment[1];
    return query;
  }

  async function show(el, state, query) {
    const { opts } = state;
    state.controller?.abort();
    const { signal } = (state.controller = new AbortController());
    const article = document.querySelector(opts.article);
    if (article && !document.querySelector(`link[href="${assets}host.css"]`)) document.head.append(stylesheet("host.css")[0]);
    const shadow = el.shadowRoot || el.attachShadow({ mode: "open" });
    const wrap = document.createElement("div");
    wrap.className = "rj-embed";
    if (/^(dark|light)$/.test(opts.theme)) wrap.classList.add(`rj-${opts.theme}`);
    const sheets = [stylesheet("discussion.css"), stylesheet("embed.css")];
    // In the shadow root now, so that they load while the box's HTML is on its way.
    if (!shadow.firstChild) shadow.append(...sheets.map(([link]) => link));
    const params = new URLSearchParams({ uri: opts.page, url: opts.url, title: opts.title, ...query });
    if (opts.lang) params.set("lang", opts.lang);
    // A reader without a token sends a simple request (no preflight): one round trip less.
    const html = fetch(`${base}/embed/${opts.site}/box?${params}`, {
      headers: token ? { "X-Rejoinder-Reader": token } : {}, credentials: "omit", signal
    });
    const [m, response] = await Promise.all([modules(article), html]);
    const text = await response.text();
    if (boxes.get(el) !== state) return;
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = JSON.parse(text).detail || detail; } catch {}
      console.error(`Rejoinder: ${detail}`);
      wrap.innerHTML = '<p class="rj-embed-refused" role="alert"></p>';
      wrap.firstChild.textContent = detail;
    } else {
      wrap.append(...m.parseDocument(text).body.childNodes);
    }
    wrap.hidden = true;
    state.stop?.();
    shadow.replaceChildren(...sheets.map(([link]) => link), wrap);
    await Promise.all(sheets.map(([, loaded]) => loaded));
    // Unmounted meanwhile: start nothing.
    if (boxes.get(el) !== state) return;
    wrap.hidden = false;
    const root = wrap.querySelector(".rj-discussion");
    if (!root) return;
    const stopBox = m.init(root);
    const stopInline = article && m.attach(article, root, `/embed/${opts.site}/passages?${new URLSearchParams({ uri: opts.page })}`);
    state.stop = () => { stopBox(); stopInline?.(); };
    // Live updates once the box is shown; they stop by themselves when it goes (live.js).
    import(`${assets}live.js`).then((m) => m.start(root));
    wrap.addEventListener("click", (event) => follow(el, state, event));
    root.addEventListener("rj:posted", () => {
      emit(el, "change", { page: root.dataset.rjPage });
      if (root.hasAttribute("data-rj-new-page")) show(el, state, {});
    });
    root.addEventListener("rj:changed", () => emit(el, "change", { page: root.dataset.rjPage }));
    const target = query.comment ? `comment-${query.comment}` : query.at;
    if (target) shadow.getElementById(target)?.scrollIntoView({ block: "start" });
    emit(el, "ready", { page: root.dataset.rjPage });
  }

  // Links to Rejoinder's copy of the discussion (a sort, a page, a permalink) open in place.
  function follow(el, state, event) {
    const link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const url = new URL(link.href);
    if (url.origin !== base) return;
    const permalink = /^\/c\/(\d+)\/$/.exec(url.pathname);
    let query;
    if (permalink) {
      query = { comment: permalink[1] };
      history.replaceState(history.state, "", `#comment-${permalink[1]}`);
    } else if (/^\/discussion\/\d+\/$/.test(url.pathname)) {
      query = Object.fromEntries(url.searchParams);
      query.at = url.hash.slice(1);
    } else return;
    event.preventDefault();
    show(el, state, query).catch(() => {});
  }

  function mount(el, given) {
    if (typeof el === "string") el = document.querySelector(el);
    if (!el) return null;
    unmount(el);
    const state = { opts: options(el, given) };
    boxes.set(el, state);
    const start = () => show(el, state, hostQuery()).catch((e) => e.name == "AbortError" || console.error(e));
    if (state.opts.load === "lazy") {
      state.observer = new IntersectionObserver((entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        state.observer.disconnect();
        start();
      }, { rootMargin: "800px" });
      state.observer.observe(el);
    } else start();
    return el;
  }

  function unmount(el) {
    if (typeof el === "string") el = document.querySelector(el);
    const state = el && boxes.get(el);
    if (!state) return;
    boxes.delete(el);
    state.observer?.disconnect();
    state.controller?.abort();
    state.stop?.();
    el.shadowRoot?.replaceChildren();
  }

  // Badges: every [data-rejoinder-count] and [data-rejoinder-stars], one request per site.
  async function counts(scope = document) {
    const badges = Array.from(scope.querySelectorAll("[data-rejoinder-count], [data-rejoinder-stars]"));
    const bySite = new Map();
    for (const badge of badges) {
      const uri = badge.dataset.rejoinderCount || badge.dataset.rejoinderStars ||
        new URL(badge.getAttribute("href") || location.href, location.href).pathname;
      const site = option(badge, "site") || "1";
      if (!bySite.has(site)) bySite.set(site, []);
      bySite.get(site).push([badge, uri]);
    }
    await Promise.all(Array.from(bySite, async ([site, list]) => {
      const query = new URLSearchParams(list.map(([, uri]) => ["uri", uri]));
      const response = await fetch(`${base}/embed/${site}/counts?${query}`, { credentials: "omit" });
      if (!response.ok) return console.error(`Rejoinder: ${(await response.json()).detail}`);
      const found = (await response.json()).counts;
      const lang = document.documentElement.lang || undefined;
      const decimal = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
      for (const [badge, uri] of list) {
        const count = found[uri];
        if (!count) continue;
        badge.textContent = "rejoinderStars" in badge.dataset
          ? (count.ratings ? `★ ${count.rating.toLocaleString(lang, decimal)} (${count.ratings})` : "")
          : count.label;
      }
    }));
  }

  // Sign in with the publisher's token, or out (docs/identity.md); the boxes show again.
  const auth = async (how, token) => {
    await (await modules()).send(`/embed/${option(document.body, "site") || 1}/sign-${how}`, { method: "POST", body: new URLSearchParams({ token }) });
    for (const [el, state] of boxes) show(el, state, {});
  };
  window.Rejoinder = { mount, unmount, navigate: mount, counts, signIn: (t) => auth("in", t), signOut: () => auth("out") };
  const start = async () => {
    if (option(document.body, "ssoToken")) await auth("in", option(document.body, "ssoToken"));
    for (const el of document.querySelectorAll("#rejoinder-thread, [data-rejoinder-thread]")) {
      if (!boxes.has(el) && !el.hasAttribute("data-manual")) mount(el);
    }
    counts().catch((error) => console.error("Rejoinder:", error));
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
