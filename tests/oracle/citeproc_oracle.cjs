// The oracle of tests/test_references.py: citeproc-js (npm "citeproc", the reference
// CSL processor) run by Node.js itself, apart from healthinfo's embedded copy.
// Reads {"style": xml, "locale": id, "locales": {id: xml}, "items": [CSL-JSON]} on
// stdin, with "clusters": [[id, ...], ...] for in-text citations; writes
// {"entries": {id: html}, "order": [id, ...], "citations": [html, ...], "cited": [id, ...]}
// (citeproc-js's HTML; "order": the bibliography's; "cited": the cited sources' in the
// order of their citation numbers).
"use strict";
const path = require("path");
const CSL = require(path.join(__dirname, "..", "..", "validators", "node_modules", "citeproc"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const job = JSON.parse(input);
  const items = {};
  for (const item of job.items) { items[item.id] = item; }
  const sys = {
    retrieveLocale: (id) => job.locales[id] || false,
    retrieveItem: (id) => items[id],
  };
  const engine = new CSL.Engine(sys, job.style, job.locale, true);
  engine.setOutputFormat("html");
  engine.opt.development_extensions.wrap_url_and_doi = true;
  engine.updateItems(job.items.map((item) => item.id));
  const [meta, entries] = engine.makeBibliography();
  const out = {};
  meta.entry_ids.forEach((ids, i) => { out[String(ids[0])] = entries[i]; });
  // In-text citations (job.clusters: the ids each citation cites, in text order), by a
  // fresh engine that adds the citations one by one, as a word processor does; the last
  // text of each (a later citation may change an earlier one) is the result.
  const citations = [];
  let cited = [];
  if (job.clusters) {
    const citer = new CSL.Engine(sys, job.style, job.locale, true);
    citer.setOutputFormat("html");
    const texts = {};
    const before = [];
    job.clusters.forEach((ids, i) => {
      const citation = { citationID: "c" + i, citationItems: ids.map((id) => ({ id })), properties: { noteIndex: 0 } };
      const [, updates] = citer.processCitationCluster(citation, before, []);
      for (const [, text, id] of updates) { texts[id] = text; }
      before.push(["c" + i, 0]);
    });
    job.clusters.forEach((_, i) => citations.push(texts["c" + i]));
    // The order of the cited sources' bibliography: their citation numbers.
    const [citedMeta] = citer.makeBibliography();
    cited = citedMeta.entry_ids.map((ids) => String(ids[0]));
  }
  // The order as a list: an object's integer-like keys (Zotero's ids) come out sorted.
  const order = meta.entry_ids.map((ids) => String(ids[0]));
  process.stdout.write(JSON.stringify({ entries: out, order, citations, cited }));
});
