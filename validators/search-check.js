#!/usr/bin/env node
// search-check.js URL QUERY
//
// Opens URL (a page of a site served over http://127.0.0.1) in the system's headless
// Chromium, driven by playwright-core, types QUERY into the page's search box as a
// reader does, presses Enter, waits for the results (or the status line) of the
// search page it lands on, runs axe-core on that page with the results showing, and
// prints one JSON document on stdout:
//   {"url", "status", "results": [{"title", "href", "topic", "snippet", "marked"}],
//    "violations": [...], "blockedRequests": [...], "consoleErrors": [...]}
// Only requests to 127.0.0.1 are let through (no network).
//
// Exit status: 0 it ran (the caller checks what it found), 2 could not run.
'use strict';
const fs = require('fs');
const { chromium } = require('playwright-core');

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--no-default-browser-check'];

async function main(url, query) {
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true, args: ARGS, timeout: 60000,
  });
  const out = { blockedRequests: [], consoleErrors: [] };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1024 } });
    await context.route(u => !/^http:\/\/127\.0\.0\.1(:\d+)?\//.test(u.href) && !/^data:/.test(u.href), route => {
      out.blockedRequests.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    page.on('console', message => { if (message.type() === 'error') out.consoleErrors.push(message.text()); });
    page.on('pageerror', error => out.consoleErrors.push(String(error)));
    await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    const box = page.locator('input[type="search"]').first();
    await box.click();
    await box.pressSequentially(query, { delay: 20 });
    await box.press('Enter');
    await page.waitForURL(/[?&]q=/, { timeout: 30000 });
    await page.waitForFunction(() => {
      const status = document.getElementById('search-status');
      return status && status.textContent.trim().length > 0;
    }, null, { timeout: 30000 });
    out.url = page.url();
    out.status = (await page.locator('#search-status').textContent()).trim();
    out.results = await page.$$eval('#search-results > li', items => items.map(li => ({
      title: (li.querySelector('h2 a') || {}).textContent || '',
      href: (li.querySelector('h2 a') || {}).href || '',
      topic: (li.querySelector('.search-topic') || {}).textContent || '',
      snippet: (li.querySelector('.search-snippet') || {}).textContent || '',
      marked: Array.from(li.querySelectorAll('.search-snippet mark')).map(m => m.textContent),
    })));
    await page.addScriptTag({ content: axeSource });
    const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    out.violations = r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary })),
    }));
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  return 0;
}

const [url, query] = process.argv.slice(2);
if (!url || !query) {
  process.stderr.write('usage: search-check.js URL QUERY\n');
  process.exit(2);
}
main(url, query).then(code => process.exit(code),
  e => { process.stderr.write('search-check: ' + ((e && e.stack) || e) + '\n'); process.exit(2); });
