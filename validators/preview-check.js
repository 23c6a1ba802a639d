#!/usr/bin/env node
// preview-check.js URL FILE OLD NEW BROKEN_FROM BROKEN_TO
//
// The author's loop of `healthinfo serve`, in the system's headless Chromium
// (playwright-core): opens URL (a page of the preview), then, without ever reloading
// the page itself,
//   1. edits FILE (OLD -> NEW) and waits for NEW to appear on the page;
//   2. breaks FILE (BROKEN_FROM -> BROKEN_TO) and waits for the problems page
//      (#healthinfo-problems), whose lines it reads and on which it runs axe-core;
//   3. mends FILE (as after step 1) and waits for the page with NEW again.
// Prints one JSON document: {"edited": {"ms"}, "broken": {"ms", "problems", "violations"},
// "mended": {"ms"}, "reloadsByTest": 0, "consoleErrors"}. Exit 2 when a step timed out.
'use strict';
const fs = require('fs');
const { chromium } = require('playwright-core');

const STEP = 30000;

async function main([url, file, oldText, newText, brokenFrom, brokenTo]) {
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'], timeout: 60000,
  });
  const out = { reloadsByTest: 0, consoleErrors: [] };
  try {
    const page = await browser.newPage();
    page.on('pageerror', error => out.consoleErrors.push(String(error)));
    await page.goto(url, { waitUntil: 'load' });
    const hasText = text => page.waitForFunction(t => document.body && document.body.innerText.includes(t)
      && !document.getElementById('healthinfo-problems'), text, { timeout: STEP, polling: 100 });

    const original = fs.readFileSync(file, 'utf8');
    if (!original.includes(oldText)) throw new Error(`${file} does not contain ${oldText}`);
    let started = Date.now();
    const edited = original.replace(oldText, newText);
    fs.writeFileSync(file, edited);
    await hasText(newText);
    out.edited = { ms: Date.now() - started };

    started = Date.now();
    fs.writeFileSync(file, edited.replace(brokenFrom, brokenTo));
    await page.waitForSelector('#healthinfo-problems', { timeout: STEP });
    await page.waitForLoadState('load');
    const problems = await page.$$eval('#healthinfo-problems li', items => items.map(li => li.textContent.trim()));
    await page.addScriptTag({ content: axeSource });
    const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    out.broken = { ms: Date.now() - started, problems, title: await page.title(),
      violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help })) };

    started = Date.now();
    fs.writeFileSync(file, edited);
    await hasText(newText);
    out.mended = { ms: Date.now() - started };
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

const args = process.argv.slice(2);
if (args.length !== 6) {
  process.stderr.write('usage: preview-check.js URL FILE OLD NEW BROKEN_FROM BROKEN_TO\n');
  process.exit(2);
}
main(args).then(() => process.exit(0),
  e => { process.stderr.write('preview-check: ' + ((e && e.stack) || e) + '\n'); process.exit(2); });
