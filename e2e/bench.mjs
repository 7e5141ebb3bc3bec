// Browser figures for `cargo xtask bench` (not a test: node --test does not pick it up).
// Prints `figure <name> <value> <unit>` lines.
import { serve, browser, open, ISOLATION_HEADERS } from './harness.mjs';

const server = await serve();
const isolated = await serve({ headers: ISOLATION_HEADERS });
const chrome = await browser();
/** Notes when the first Gantt chart appears (`window.__firstRender`, in ms). */
async function watchFirstRender(page) {
  await page.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.querySelector('[data-testid=gantt] canvas')) {
        window.__firstRender = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
}

try {
  // First render: from navigation start until the first Gantt chart is on the page
  // (download, compile and start the wasm, compile and simulate the default lesson, draw).
  const times = [];
  for (let i = 0; i < 5; i++) {
    const page = await chrome.context.newPage();
    await watchFirstRender(page);
    await page.goto(server.url);
    await page.waitForFunction(() => window.__firstRender !== undefined, null, { timeout: 30_000 });
    times.push(await page.evaluate(() => window.__firstRender));
    await page.close();
  }
  times.sort((a, b) => a - b);
  console.log(`figure web.first_render_ms ${times[2].toFixed(0)} ms`);

  // A slow phone: Chromium's "Slow 4G" network (150 ms latency, 1.6 Mbit/s down) and a CPU
  // 4x slower, the wasm served uncompressed as a plain host does. First paint is the static
  // loading message; first render is the first Gantt chart. Median of three.
  const slow = { paint: [], render: [] };
  for (let i = 0; i < 3; i++) {
    const page = await chrome.context.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await watchFirstRender(page);
    await page.goto(server.url);
    await page.waitForFunction(() => window.__firstRender !== undefined, null, { timeout: 120_000 });
    const [paint, render] = await page.evaluate(() => [
      performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      window.__firstRender,
    ]);
    slow.paint.push(paint);
    slow.render.push(render);
    await page.close();
  }
  const mid = (xs) => [...xs].sort((a, b) => a - b)[1];
  console.log(`figure web.first_paint_slow_phone_ms ${mid(slow.paint).toFixed(0)} ms`);
  console.log(`figure web.first_render_slow_phone_ms ${mid(slow.render).toFixed(0)} ms`);

  // Playback frame rate: 16 cores x 64 threads over a trace of at least 100,000 events.
  const { page, errors } = await open(chrome.context, `${server.url}#bench-16x64`);
  await page.setViewportSize({ width: 1400, height: 1000 });
  const pane = page.locator('[data-testid=run-pane][data-which=main]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=run-pane]')?.dataset.events) >= 100000, null, { timeout: 60_000 });
  const events = Number(await pane.getAttribute('data-events'));
  const cores = await pane.getByTestId('core').count();
  const threads = await page.getByTestId('thread').count();
  await page.getByTestId('speed').selectOption('200');
  await page.getByTestId('play').click();
  const measured = await page.evaluate(() => new Promise((done) => {
    const tick = () => Number(document.querySelector('[data-testid=tick]').dataset.tick);
    const t0 = performance.now(); const tick0 = tick(); let frames = 0;
    const frame = (now) => {
      frames++;
      if (now - t0 < 4000) requestAnimationFrame(frame);
      else done({ frames, ms: now - t0, ticks: tick() - tick0 });
    };
    requestAnimationFrame(frame);
  }));
  if (measured.ticks <= 0) throw new Error('playback did not advance');
  if (errors.length) throw new Error(errors.join('\n'));
  console.error(`(16x64 playback: ${cores} cores, ${threads} threads, ${events} events, ${measured.frames} frames in ${measured.ms.toFixed(0)} ms, ${measured.ticks} ticks played)`);
  console.log(`figure web.play_fps_16x64 ${(measured.frames * 1000 / measured.ms).toFixed(1)} fps`);

  // Real threads: the Mandelbrot workload on n = 1..=cores threads, in the page's own worker.
  // Each count runs 5 times after a warm-up; the median wall time is compared with 1 thread's.
  const real = await open(chrome.context, isolated.url);
  await real.page.getByTestId('tab-threads').click();
  await real.page.locator('[data-testid=threads-status][data-mode=threads]').waitFor({ timeout: 60_000 });
  const logical = await real.page.evaluate(() => navigator.hardwareConcurrency);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const wall = {};
  for (let round = 0; round < 6; round++) {
    for (let n = 1; n <= logical; n++) {
      await real.page.getByTestId('real-threads').selectOption(String(n));
      await real.page.getByTestId('real-run-button').click();
      await real.page.locator('[data-testid=real-run-button]:not([disabled])').waitFor({ timeout: 120_000 });
      const ms = Number(await real.page.locator(`[data-testid=real-run][data-threads="${n}"]`).getAttribute('data-wall-ms'));
      if (round > 0) (wall[n] ??= []).push(ms); // round 0 warms up
    }
  }
  if (real.errors.length) throw new Error(real.errors.join('\n'));
  for (let n = 1; n <= logical; n++) {
    console.error(`(threads: ${n} -> median ${median(wall[n]).toFixed(1)} ms of ${wall[n].map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`figure threads.speedup.${n} ${(median(wall[1]) / median(wall[n])).toFixed(2)} ratio`);
  }
} finally {
  await chrome.close();
  await server.close();
  await isolated.close();
}
