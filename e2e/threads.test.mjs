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

/** Runs the chosen workload and waits for the run with `threads` threads to be shown. */
async function runReal(page, threads) {
  await page.getByTestId('real-run-button').click();
  const run = page.locator(`[data-testid=real-run][data-threads="${threads}"]`);
  await run.waitFor({ timeout: 120_000 });
  await page.locator('[data-testid=real-run-button]:not([disabled])').waitFor({ timeout: 120_000 });
  return run;
}

/** The speedup shown is the 1-thread wall time over the N-thread one, both shown. */
async function assertSpeedupIsTheRatio(figures) {
  const [base, wall, speedup] = await Promise.all(['data-base-ms', 'data-wall-ms', 'data-speedup']
    .map(async (a) => Number(await figures.getAttribute(a))));
  assert.ok(base > 0 && wall > 0, `wall times ${base} and ${wall} ms`);
  assert.ok(Math.abs(speedup - base / wall) < 0.002, `speedup ${speedup} is ${base} / ${wall}`);
}

test('isolated page: real workers compute what one thread computes, drawn per worker', async () => {
  const { page, errors } = await open(chrome.context, isolated.url);
  await page.setViewportSize({ width: 1300, height: 1000 });
  await page.getByRole('heading', { name: 'Interleave' }).waitFor();
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.equal(await waitForMode(page), 'threads');
  const workers = Number(await status(page).getAttribute('data-workers'));
  assert.ok(workers >= 2, `pool has ${workers} workers`);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const options = await page.getByTestId('real-threads').locator('option').allTextContents();
  assert.deepEqual(options, [...Array(cores).keys()].map((i) => String(i + 1)), '1..=hardwareConcurrency');

  // Animations keep running while the worker computes: count frames during the run.
  await page.evaluate(() => {
    window.__frames = 0;
    const tick = () => { window.__frames++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const t0 = Date.now();
  const run = await runReal(page, workers);
  const seconds = (Date.now() - t0) / 1000;
  const frames = await page.evaluate(() => window.__frames);
  assert.ok(frames > seconds * 20, `${frames} frames in ${seconds.toFixed(2)} s: the page stayed responsive`);

  const figures = page.getByTestId('real-figures');
  assert.equal(await figures.getAttribute('data-same-result'), 'true', 'parallel result equals single-thread result');
  const one = page.locator('[data-testid=real-run]');
  assert.ok(Number(await run.getAttribute('data-workers')) >= 2, 'at least two workers took rows');
  // Workers computed at the same moment. How much faster that made the run depends on
  // what else the machine is doing, so the speedup's size is a bench figure
  // (`threads.speedup.N`), not a test; here it must be the two wall times shown, divided.
  assert.ok(Number(await run.getAttribute('data-at-once')) >= 2, 'pieces overlapped in time');
  assert.match(await page.getByTestId('real-at-once').innerText(), /^At most \d+ pieces were in progress at the same moment/);
  await assertSpeedupIsTheRatio(figures);
  // Measured in interleaved rounds (a fresh 1-thread baseline in each), with the spread
  // and a word on noise next to the figures.
  assert.equal(await figures.getAttribute('data-rounds'), '5');
  assert.match(await figures.innerText(), /median; \d+–\d+ over 5 runs/);
  assert.match(await page.getByTestId('real-noise').innerText(), /^How this was measured: 5 rounds, each running 1 thread and then \d+ threads back to back/);
  const predicted = Number(await figures.getAttribute('data-predicted'));
  assert.ok(predicted > 1.8 && predicted <= workers, `predicted ${predicted}`);
  assert.equal(await one.count(), 1);
  await page.getByTestId('fractal').waitFor();
  await screenshot(page, 'threads-isolated');

  // Amdahl: with half the work serial the prediction stays under 2, whatever the threads.
  await page.getByTestId('real-workload').selectOption('amdahl-50');
  await runReal(page, workers);
  const amdahl = page.getByTestId('real-figures');
  assert.equal(await amdahl.getAttribute('data-same-result'), 'true');
  const p50 = Number(await amdahl.getAttribute('data-predicted'));
  assert.ok(p50 < 2 && p50 > 1, `predicted ${p50}`);
  const amdahlRun = page.locator(`[data-testid=real-run][data-threads="${workers}"]`);
  assert.equal(await amdahlRun.getAttribute('data-serial-alone'), 'true', 'no chunk ran during the serial part');
  assert.ok(Number(await amdahlRun.getAttribute('data-at-once')) >= 2, 'the parallel part ran in parallel');
  await assertSpeedupIsTheRatio(amdahl);
  await screenshot(page, 'threads-amdahl');
  assert.deepEqual(errors, []);
  await page.close();
});

test('non-isolated page: the single-thread fallback is labelled and still works', async () => {
  const { page, errors } = await open(chrome.context, plain.url);
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  assert.equal(await waitForMode(page), 'single');
  assert.match(await status(page).innerText(), /Single-thread mode.*not cross-origin isolated/s);
  assert.equal(await page.getByTestId('real-threads').isDisabled(), true, 'one thread only');
  // Instead of a table comparing one thread with one thread: what would give threads.
  assert.match(await page.getByTestId('threads-howto').innerText(), /Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/s);
  assert.equal(await page.getByTestId('real-run-button').innerText(), 'Run on one thread');
  const run = await runReal(page, 1);
  assert.ok(Number(BigInt(await run.getAttribute('data-checksum'))) > 1_000_000);
  assert.equal(await run.getAttribute('data-workers'), '1');
  assert.equal(await page.getByTestId('real-figures').count(), 0, 'no comparison without threads');
  assert.match(await page.getByTestId('real-baseline').innerText(), /^1 thread: \d+ ms\.$/);
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
    // It says why and links to the full page, where threads work.
    const full = frame.getByTestId('threads-full-page');
    assert.equal(await full.getAttribute('target'), '_blank');
    assert.ok((await full.getAttribute('href')).startsWith(isolated.url));
    await frame.getByTestId('real-run-button').click();
    await frame.locator('[data-testid=real-run][data-threads="1"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'threads-embedded');
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await host.close();
  }
});
