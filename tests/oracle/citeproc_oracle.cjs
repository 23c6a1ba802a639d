// The oracle of tests/test_references.py: citeproc-js (npm "citeproc", the reference
// CSL processor) run by Node.js itself, apart from healthinfo's embedded copy.
// Reads {"style": xml, "locale": id, "locales": {id: xml}, "items": [CSL-JSON]} on
// stdin; writes {"entries": {id: html}} (citeproc-js's HTML bibliography entries).
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
  process.stdout.write(JSON.stringify({ entries: out }));
});
