#!/usr/bin/env node
// search-bytes.js SEARCH_PAGE_URL QUERY: opens the search page in headless Chromium
// (playwright-core from validators/node_modules), searches QUERY, and prints what the
// page fetched from pagefind/ as JSON: {"bytes", "requests", "fragmentBytes", "results"}.
'use strict';
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', 'validators', 'node_modules', 'playwright-core'));

(async () => {
  const [url, query] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  const seen = [];
  page.on('response', async response => {
    if (response.url().includes('/pagefind/')) {
      try { seen.push({ url: response.url(), size: (await response.body()).length }); } catch (e) { /* redirect */ }
    }
  });
  await page.goto(`${url}?q=${encodeURIComponent(query)}`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.getElementById('search-status').textContent.trim() !== '', null, { timeout: 60000 });
  await page.waitForTimeout(500);
  const results = await page.$$eval('#search-results > li', items => items.length);
  await browser.close();
  const bytes = seen.reduce((sum, r) => sum + r.size, 0);
  const fragmentBytes = seen.filter(r => r.url.includes('/fragment/')).reduce((sum, r) => sum + r.size, 0);
  process.stdout.write(JSON.stringify({ bytes, requests: seen.length, fragmentBytes, results }) + '\n');
})().catch(e => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(2); });
