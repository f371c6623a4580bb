/**
 * The site as a reader sees it: built, served on 127.0.0.1 and opened page by
 * page in headless Chromium. Every page loads without console errors, every
 * internal link and anchor lands, code is highlighted, the local search finds
 * `starmap`, and each recipe page shows the output its recipe printed.
 * Screenshots go to `docs/.test-output/screenshots/`.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { runCommand, within } from '@multiprocessing/test-utils';
import { normalize } from '../scripts/recipes.js';
import { listRecipes } from '../scripts/recipe-list.js';
import { launchBrowser } from './browser.js';
import { fileFor, serveStatic } from './static-server.js';
import type { StaticSite } from './static-server.js';

const docs = fileURLToPath(new URL('..', import.meta.url));
const dist = join(docs, '.vitepress/dist');
const screenshots = join(docs, '.test-output/screenshots');

let site: StaticSite;
let browser: Browser;

/** A browser tab that records its console errors, page errors and failed same-origin requests. */
interface Tab {
  readonly page: Page;
  problems: string[];
}
let tab: Tab;

async function openTab(): Promise<Tab> {
  const page = await browser.newPage();
  const opened: Tab = { page, problems: [] };
  await page.setViewport({ width: 1280, height: 900 });
  page.on('console', (msg) => {
    if (msg.type() === 'error') opened.problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => opened.problems.push(`page error: ${String(err)}`));
  page.on('response', (res) => {
    if (res.url().startsWith(site.url) && res.status() >= 400) {
      opened.problems.push(`${res.status()} ${res.url()}`);
    }
  });
  page.on('requestfailed', (req) => {
    if (req.url().startsWith(site.url)) opened.problems.push(`failed: ${req.url()}`);
  });
  return opened;
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? htmlFiles(join(dir, d.name)) : d.name.endsWith('.html') ? [join(dir, d.name)] : [],
  );
}

beforeAll(async () => {
  const tsx = join(docs, '../node_modules/tsx/dist/cli.mjs');
  const built = await runCommand(process.execPath, [tsx, 'scripts/build-site.ts'], {
    cwd: docs,
    timeoutMs: 300_000,
  });
  if (built.code !== 0) throw new Error(`the site did not build:\n${built.stdout}\n${built.stderr}`);
  site = await serveStatic(dist);
  browser = await within(launchBrowser(), 120_000, 'Chromium did not start');
  tab = await openTab();
  mkdirSync(screenshots, { recursive: true });
}, 480_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** Opens `path` in `on` and waits until the page's Vue app has mounted (hydrated) it. */
async function visit(path: string, on: Tab = tab): Promise<Page> {
  on.problems = [];
  await on.page.goto(`${site.url}${path}`, { waitUntil: 'load', timeout: 30_000 });
  await on.page.waitForFunction(() => '__vue_app__' in (document.querySelector('#app') ?? {}), {
    timeout: 30_000,
  });
  // One frame more, for errors thrown while the page's own components mount.
  await on.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  return on.page;
}

const pages = (): string[] =>
  htmlFiles(dist)
    .filter((f) => !f.endsWith('404.html'))
    .map((f) => `/${relative(dist, f)}`);

test('the site has its pages', () => {
  const all = pages();
  expect(all).toEqual(expect.arrayContaining(['/index.html', '/benchmarks.html', '/python-parity.html']));
  expect(all.filter((p) => p.startsWith('/api/')).length).toBeGreaterThan(6);
  for (const recipe of listRecipes()) expect(all).toContain(`/recipes/${recipe.id}/index.html`);
});

const anchorsOf = new Map<string, Set<string>>();
function anchors(file: string): Set<string> {
  let ids = anchorsOf.get(file);
  if (ids === undefined) {
    ids = new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] ?? ''));
    anchorsOf.set(file, ids);
  }
  return ids;
}

test('every page loads without errors, and its internal links and anchors land', async () => {
  const broken: string[] = [];
  const queue = pages();
  const check = async (on: Tab): Promise<void> => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const page = await visit(path, on);
      for (const p of on.problems) broken.push(`${path}: ${p}`);
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
      for (const href of new Set(hrefs)) {
        if (!href.startsWith(site.url)) continue;
        const url = new URL(href);
        const file = fileFor(dist, url.pathname);
        if (file === undefined) {
          broken.push(`${path}: link to ${url.pathname} (no such page)`);
          continue;
        }
        const anchor = decodeURIComponent(url.hash.slice(1));
        if (anchor !== '' && !anchors(file).has(anchor))
          broken.push(`${path}: link to ${url.pathname}#${anchor}`);
      }
    }
  };
  const tabs = [tab, await openTab(), await openTab()];
  await Promise.all(tabs.map(check));
  await Promise.all(tabs.slice(1).map((t) => t.page.close()));
  expect(broken).toEqual([]);
}, 900_000);

test('code blocks are highlighted', async () => {
  for (const path of ['/overview.html', '/recipes/getting-started/index.html', '/packages/pool.html']) {
    // Program text is highlighted; the outputs (`language-txt`) are plain text.
    const page = await visit(path);
    const blocks = await page.$$eval('div[class*="language-"]:not(.language-txt) pre code', (codes) =>
      codes.map((c) => c.querySelectorAll('span[style*="--shiki"]').length),
    );
    expect({ path, blocks: blocks.length > 0 }).toEqual({ path, blocks: true });
    expect({ path, highlighted: blocks.filter((n) => n > 0).length }).toEqual({
      path,
      highlighted: blocks.length,
    });
  }
}, 120_000);

test('the local search finds starmap', async () => {
  const page = await visit('/index.html');
  await page.click('.DocSearch-Button, .VPNavBarSearchButton, button[aria-label="Search"]');
  await page.waitForSelector('.VPLocalSearchBox input', { timeout: 20_000 });
  await page.type('.VPLocalSearchBox input', 'starmap');
  await page.waitForFunction(() => document.querySelectorAll('.VPLocalSearchBox .result').length > 0, {
    timeout: 20_000,
  });
  const results = await page.$$eval('.VPLocalSearchBox .result', (rs) => rs.map((r) => r.textContent ?? ''));
  expect(results.some((r) => r.toLowerCase().includes('starmap'))).toBe(true);
  expect(tab.problems).toEqual([]);
}, 120_000);

test('each recipe page shows the output its recipe printed', async () => {
  for (const recipe of listRecipes()) {
    const page = await visit(`/recipes/${recipe.id}/index.html`);
    const shown = await page.$$eval('div.language-txt pre code', (codes) =>
      codes.map((c) => c.textContent ?? ''),
    );
    const shownLines = shown.map((s) => normalize(s).join('\n'));
    for (const run of recipe.runs) {
      const kept = normalize(readFileSync(join(recipe.dir, run.output), 'utf8')).join('\n');
      expect({ recipe: recipe.id, output: run.output, shown: shownLines.includes(kept) }).toEqual({
        recipe: recipe.id,
        output: run.output,
        shown: true,
      });
    }
  }
}, 300_000);

test('screenshots: the home page, a recipe and the benchmark chart', async () => {
  const page = await visit('/index.html');
  await page.screenshot({ path: join(screenshots, 'home.png'), fullPage: true });
  await visit('/recipes/getting-started/index.html');
  await page.screenshot({ path: join(screenshots, 'recipe-getting-started.png'), fullPage: true });
  await visit('/benchmarks.html');
  const chart = await page.waitForSelector('.bench-chart img', { timeout: 20_000 });
  const loaded = await page.$eval('.bench-chart img', (img) => img.naturalWidth);
  expect(loaded).toBeGreaterThan(0);
  await chart?.screenshot({ path: join(screenshots, 'benchmark-chart.png') });
  expect(tab.problems).toEqual([]);
}, 120_000);
