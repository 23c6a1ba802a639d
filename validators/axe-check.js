#!/usr/bin/env node
// axe-check.js FILE.html [FILE.html ...]
//
// Runs axe-core (https://github.com/dequelabs/axe-core) in the system's headless
// Chromium, driven by playwright-core, on each file (as a file:// URL) and prints one
// JSON document on stdout:
//   {"axeVersion", "browserVersion", "results": [{"file", "violations": [...], "error"?}]}
// axe runs with its default rule set (every non-experimental rule: WCAG 2.x A/AA and
// the best practices such as "region" and "landmark-one-main").
//
// No browser is ever downloaded: CHROMIUM_PATH (default /usr/bin/chromium) is
// launched. Every request that is not file: or data: is aborted, so a page cannot
// pass by fetching something.
//
// Exit status: 0 no violations, 1 violations, 2 could not run.
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
// Resolved from validators/node_modules, beside this script (npm ci of package-lock.json).
const { chromium } = require('playwright-core');

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--no-default-browser-check'];

async function main(files) {
  const axePath = require.resolve('axe-core/axe.min.js');
  const axeSource = fs.readFileSync(axePath, 'utf8');
  const axeVersion = require('axe-core/package.json').version;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true, args: ARGS, timeout: 60000,
  });
  const out = { axeVersion, browserVersion: browser.version(), results: [] };
  let status = 0;
  try {
    for (const file of files) {
      const result = { file, violations: [], blockedRequests: [] };
      const context = await browser.newContext({ viewport: { width: 1280, height: 1024 } });
      await context.route(url => !/^(file|data):/.test(url.href), route => {
        result.blockedRequests.push(route.request().url());
        return route.abort();
      });
      try {
        const page = await context.newPage();
        await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load', timeout: 60000 });
        await page.addScriptTag({ content: axeSource });
        const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        result.violations = r.violations.map(v => ({
          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
          nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary })),
        }));
        if (result.violations.length && status === 0) status = 1;
      } catch (e) {
        result.error = String((e && e.message) || e);
        status = 2;
      } finally {
        await context.close();
      }
      out.results.push(result);
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  return status;
}

const files = process.argv.slice(2);
if (!files.length) {
  process.stderr.write('usage: axe-check.js FILE.html [FILE.html ...]\n');
  process.exit(2);
}
main(files).then(code => process.exit(code),
  e => { process.stderr.write('axe-check: ' + ((e && e.stack) || e) + '\n'); process.exit(2); });
