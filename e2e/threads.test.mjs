// The page and its real-threads worker, served as a user gets it: with the cross-origin
// isolation headers (threads), without them (single-thread fallback), and embedded in an
// iframe of a page from another origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, open, screenshot, ISOLATION_HEADERS } from './harness.mjs';

let isolated, plain, chrome;
before(async () => {
  isolated = await serve({ headers: ISOLATION_HEADERS });
  plain = await serve();
  chrome = await browser();
});
after(async () => {
  await chrome?.close();
  await isolated?.close();
  await plain?.close();
});

const status = (page) => page.getByTestId('threads-status');

async function waitForMode(page, notMode = 'starting') {
  // The real-threads view is a tab of its own.
  const tab = page.getByTestId('tab-threads');
  if (await tab.getAttribute('aria-selected') !== 'true') await tab.click();
  await page.waitForFunction(
    (m) => document.querySelector('[data-testid=threads-status]')?.dataset.mode !== m,
    notMode, { timeout: 30_000 });
  return status(page).getAttribute('data-mode');
}

async function runCheck(page) {
  await page.getByTestId('run-check').click();
  const result = page.getByTestId('check-result');
  await result.waitFor({ timeout: 60_000 });
  return result;
}

test('isolated page: real rayon workers compute what one thread computes', async () => {
  const { page, errors } = await open(chrome.context, isolated.url);
  await page.getByRole('heading', { name: 'Interleave' }).waitFor();
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.equal(await waitForMode(page), 'threads');
  const workers = Number(await status(page).getAttribute('data-workers'));
  assert.ok(workers >= 2, `pool has ${workers} workers`);

  const result = await runCheck(page);
  const serial = Number(await result.getAttribute('data-serial-total'));
  const parallel = Number(await result.getAttribute('data-parallel-total'));
  const distinct = Number(await result.getAttribute('data-distinct-workers'));
  assert.ok(serial > 1_000_000, `serial render did real work (${serial} iterations)`);
  assert.equal(parallel, serial, 'parallel result equals single-thread result');
  assert.ok(distinct >= 2, `${distinct} distinct rayon workers took rows`);
  assert.equal(await result.getAttribute('data-agrees'), 'true');
  await screenshot(page, 'threads-isolated');
  assert.deepEqual(errors, []);
  await page.close();
});

test('non-isolated page: the single-thread fallback is labelled and still works', async () => {
  const { page, errors } = await open(chrome.context, plain.url);
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  assert.equal(await waitForMode(page), 'single');
  assert.match(await status(page).innerText(), /Single-thread mode.*not cross-origin isolated/s);

  const result = await runCheck(page);
  assert.ok(Number(await result.getAttribute('data-serial-total')) > 1_000_000);
  assert.equal(await result.getAttribute('data-distinct-workers'), '0');
  assert.match(await result.innerText(), /no parallel run in single-thread mode/);
  await screenshot(page, 'threads-fallback');
  assert.deepEqual(errors, []);
  await page.close();
});

test('embedded in an iframe on another origin: renders, falls back, stays usable', async () => {
  // A "course site" on another port (so another origin) without isolation headers.
  const host = await serve({
    pages: {
      '/course.html': `<!doctype html><title>Course</title><link rel="icon" href="data:,"><h1>Week 3: concurrency</h1>
        <iframe id="demo" src="${isolated.url}" width="900" height="600"></iframe>`,
    },
  });
  try {
    const { page, errors } = await open(chrome.context, `${host.url}course.html`);
    const frame = page.frameLocator('#demo');
    await frame.getByRole('heading', { name: 'Interleave' }).waitFor({ timeout: 30_000 });
    await frame.getByTestId('tab-threads').click();
    const mode = frame.getByTestId('threads-status');
    await frame.locator('[data-testid=threads-status]:not([data-mode=starting])').waitFor({ timeout: 30_000 });
    // An isolated origin inside a non-isolated page is not isolated: no threads.
    assert.equal(await mode.getAttribute('data-mode'), 'single');
    await frame.getByTestId('run-check').click();
    await frame.getByTestId('check-result').waitFor({ timeout: 60_000 });
    await screenshot(page, 'threads-embedded');
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await host.close();
  }
});
