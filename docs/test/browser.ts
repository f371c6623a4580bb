/**
 * Headless Chromium for the site test. The binary comes from the npm registry
 * (`@sparticuz/chromium` ships it inside the package), so a fresh clone needs
 * nothing beyond `npm install`; a system Chromium is used when one is present.
 */
import { existsSync } from 'node:fs';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';
import type { Browser } from 'puppeteer-core';

const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

// This machine has no network beyond the package registries: keep Chromium from calling out.
const quiet = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = systemChromium ?? (await chromium.executablePath());
  const args =
    systemChromium === undefined ? [...chromium.args, ...quiet] : ['--no-sandbox', '--disable-gpu', ...quiet];
  return puppeteer.launch({ executablePath, args, headless: 'shell', protocolTimeout: 60_000 });
}
