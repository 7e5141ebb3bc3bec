// Shared end-to-end test harness: a static server for the release dist (with or without the
// cross-origin isolation headers) and a headless Debian Chromium driven by playwright-core.
import { createServer } from 'node:http';
import { readFile, mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, extname, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = process.env.INTERLEAVE_DIST ?? join(ROOT, 'dist');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png',
};

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Serves `dir` on 127.0.0.1 at a free port; `pages` maps extra paths to HTML strings. */
export async function serve({ dir = DIST, headers = {}, pages = {} } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (pages[path] !== undefined) {
      res.writeHead(200, { 'Content-Type': TYPES['.html'], ...headers });
      res.end(pages[path]);
      return;
    }
    const rel = normalize(path === '/' ? '/index.html' : path);
    if (rel.includes('..')) { res.writeHead(400); res.end(); return; }
    try {
      const body = await readFile(join(dir, rel));
      res.writeHead(200, { 'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404, headers);
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/`;
  // Chromium keeps connections alive; close them, or close() waits on them.
  const close = () => new Promise((ok) => { server.close(ok); server.closeAllConnections(); });
  return { url, close };
}

/**
 * A fresh headless Chromium profile; quiet on this closed network. Service workers are
 * blocked unless asked for: the isolation shim (www/coi-sw.js) reloads a page once when it
 * installs, which only the deployment tests want.
 */
export async function browser({ serviceWorkers = 'block', permissions = [] } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'interleave-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    serviceWorkers,
    permissions,
    acceptDownloads: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => { await context.close(); await rm(profile, { recursive: true, force: true }); },
  };
}

/** Opens a page and records every console error and uncaught exception it produces. */
export async function open(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
  await page.goto(url);
  return { page, errors };
}

export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** axe-core's violations on the page as it is now (every default rule), as short strings. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ path: join(ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(' | ')}`);
}

/** Opens a lesson from the lesson list (a collapsible list in the header). */
export async function pickLesson(page, name) {
  const menu = page.getByTestId('lessons');
  if (!(await menu.evaluate((d) => d.open))) await page.getByTestId('lessons-summary').click();
  await page.locator(`[data-testid=preset][data-preset="${name}"]`).click();
  await page.waitForFunction((n) => document.querySelector(`[data-preset="${n}"]`)?.getAttribute('aria-current') === 'true', name);
}
