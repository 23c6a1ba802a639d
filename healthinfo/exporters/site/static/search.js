// The site's search page (search.html, search-<lang>.html): runs Pagefind
// (https://pagefind.app) in the browser on the index the build wrote to pagefind/,
// and lists the articles found with their title, topic and a snippet. No server
// runs: the index is static files, fetched in chunks as a query needs them.
//
// The words come from the page (data-words on the form, in the page's language);
// Pagefind picks the index of the page's language (<html lang>). Text from the index
// is put into the page as text, never as markup: a snippet's <mark>s are made here.
(() => {
  "use strict";
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-query");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  if (!form || !input || !status || !list) return;
  const words = JSON.parse(form.dataset.words || "{}");
  const base = new URL(".", document.baseURI); // the search page is at the site's root
  const most = 20;
  let engine = null;
  let asked = 0;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  }

  async function load() {
    if (engine === null) {
      engine = await import(new URL("pagefind/pagefind.js", base).href);
      await engine.options({ baseUrl: base.pathname, excerptLength: 30 });
      engine.init();
    }
    return engine;
  }

  const decoder = document.createElement("textarea");
  function text(escaped) {
    // Pagefind's excerpts are the page's text with its characters escaped (&amp;):
    // a textarea's content is parsed as text (RCDATA), so no element is ever made.
    decoder.innerHTML = escaped;
    return decoder.value;
  }

  function snippet(excerpt) {
    const p = document.createElement("p");
    p.className = "search-snippet";
    excerpt.split(/<\/?mark>/).forEach((part, i) => {
      if (i % 2 === 1) {
        const mark = document.createElement("mark");
        mark.textContent = text(part);
        p.append(mark);
      } else {
        p.append(text(part));
      }
    });
    return p;
  }

  function entry(data) {
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.append(link);
    item.append(heading);
    if (data.meta && data.meta.topic) {
      const topic = document.createElement("p");
      topic.className = "search-topic";
      topic.textContent = data.meta.topic;
      item.append(topic);
    }
    item.append(snippet(data.excerpt || ""));
    return item;
  }

  async function search(query) {
    const mine = ++asked;
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    list.replaceChildren();
    if (!query) {
      status.textContent = "";
      return;
    }
    let found;
    try {
      const pagefind = await load();
      const answer = await pagefind.search(query);
      // A result with no word of the page matched is not a match (Pagefind 1.5
      // answers a word it does not know with every page and no matched word).
      const matched = answer.results.filter(result => result.words && result.words.length > 0);
      found = await Promise.all(matched.slice(0, most).map(result => result.data()));
      if (mine !== asked) return; // a newer query is under way
      status.textContent = fill(found.length ? words.found : words.none,
        { count: String(matched.length), query });
    } catch (error) {
      if (mine === asked) status.textContent = words.unavailable || String(error);
      return;
    }
    list.replaceChildren(...found.map(entry));
  }

  form.addEventListener("submit", event => {
    event.preventDefault();
    search(input.value.trim());
  });
  const query = new URL(location.href).searchParams.get("q");
  if (query) {
    input.value = query;
    search(query.trim());
  }
})();
