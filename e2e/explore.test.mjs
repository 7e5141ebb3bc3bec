// Every schedule, in the page: the explorer runs in its worker and answers with a
// histogram that equals the command line's (native) answer; an outcome plays its witness in
// the timed run on any core count, with the pauses it needs drawn; cancel, bounds, stale
// answers and links that carry the witness; no long task on the main thread while the
// worker explores. Screenshots go to e2e/artifacts (explore-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serve, browser, open, screenshot, pickLesson, axeViolations, ROOT } from './harness.mjs';

let server, chrome;
before(async () => {
  server = await serve();
  chrome = await browser();
});
after(async () => {
  await chrome?.close();
  await server?.close();
});

async function fresh() {
  const { page, errors } = await open(chrome.context, server.url);
  // Before the page's own code, every load: a page closing saves its draft as it goes
  // (an earlier test's scenario with an error would otherwise come back).
  await page.addInitScript(() => localStorage.clear());
  await page.reload();
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.getByTestId('gantt').first().waitFor({ timeout: 30_000 });
  await page.getByTestId('predict-mode').uncheck();
  return { page, errors };
}

/** Clicks "Explore every schedule" and waits for the answer. */
async function explore(page, timeout = 60_000) {
  await page.getByTestId('explore-start').click();
  await page.getByTestId('explore-verdict').waitFor({ timeout });
}

/** The histogram as the page shows it. */
function rows(page) {
  return page.getByTestId('outcome-row').evaluateAll((bs) => bs.map((b) => ({
    end: b.dataset.end,
    values: b.dataset.values,
    count: Number(b.dataset.count),
    preemptions: Number(b.dataset.preemptions),
  })));
}

/** The native command line's answer for a preset (`interleave explore --format json`). */
function native(preset) {
  const args = ['run', '-q', '--release', '-p', 'interleave-cli', '--',
    'explore', `preset:${preset}`, '--max-states', '1000000', '--format', 'json'];
  let out;
  try {
    out = execFileSync('cargo', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (e) {
    // Exit code 1 says an outcome fails (an assertion, a deadlock); the report is printed.
    if (e.status !== 1) throw e;
    out = e.stdout;
  }
  return JSON.parse(out);
}

function nativeRows(report) {
  return report.outcomes.map((o) => ({
    end: o.end,
    values: Object.entries(o.values).map(([k, v]) => `${k}=${v}`).join(','),
    count: o.count,
    preemptions: o.preemptions,
  }));
}

async function playToEnd(page) {
  await page.getByTestId('speed').selectOption('1000');
  await page.getByTestId('play').click();
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid=tick]');
    return t && t.dataset.tick === t.dataset.end
      && document.querySelector('[data-testid=play]').dataset.playing === 'false';
  }, null, { timeout: 30_000 });
}

const valueOf = (page, name) =>
  page.locator(`[data-testid=value][data-name="${name}"]`).first().getAttribute('data-value');

test('the lost update: the worker\'s histogram equals the native explorer\'s, and each outcome replays', async () => {
  const { page, errors } = await fresh();
  await pickLesson(page, 'lost-update');
  await explore(page);
  const verdict = page.getByTestId('explore-verdict');
  assert.equal(await verdict.getAttribute('data-complete'), 'true');
  assert.match(await verdict.innerText(), /^Every schedule, on any number of cores: 5 outcomes/);
  const shown = await rows(page);
  // Every execution is in exactly one bar.
  const total = shown.reduce((n, r) => n + r.count, 0);
  assert.equal(total, Number(await verdict.getAttribute('data-executions')));
  // The same answer as the command line, natively: the core gives the same result in wasm.
  const cli = native('lost-update');
  assert.equal(cli.verdict, 'complete');
  assert.equal(cli.executions, total);
  assert.deepEqual(shown, nativeRows(cli));
  // The expected ending (every increment counted) is one of them, and it is marked.
  assert.deepEqual(shown.map((r) => r.values).sort(),
    ['COUNTER=2', 'COUNTER=3', 'COUNTER=4', 'COUNTER=5', 'COUNTER=6']);
  assert.equal(await page.locator('[data-testid=outcome-row].expected').getAttribute('data-values'), 'COUNTER=6');
  await screenshot(page, 'explore-lost-update');

  // Follow the worst outcome on 1 core and on 4: the run ends with exactly those values.
  const worst = page.locator('[data-testid=outcome-row][data-values="COUNTER=2"]');
  const pre = Number(await worst.getAttribute('data-preemptions'));
  assert.ok(pre >= 1, 'losing increments needs a preemption');
  await worst.click();
  await page.getByTestId('follow').waitFor();
  assert.match(await page.getByTestId('follow').innerText(), /Following an execution that ends: .*COUNTER = 2/);
  assert.equal(await worst.getAttribute('aria-pressed'), 'true');
  for (const cores of ['1', '4']) {
    await page.getByTestId('cores').fill(cores);
    await page.getByTestId('cores').press('Tab');
    await page.getByTestId('to-start').click();
    await playToEnd(page);
    assert.equal(await valueOf(page, 'COUNTER'), '2', `on ${cores} core(s)`);
    assert.equal(await page.getByTestId('outcome').getAttribute('data-end'), 'assertion-failed');
    const pauses = Number(await page.getByTestId('gantt').first().getAttribute('data-pauses'));
    if (cores === '4') assert.ok(pauses >= 1, 'on 4 cores, the witness needs threads to pause while cores are free');
  }
  await page.getByTestId('story').evaluate((e) => e.closest('details').open = true);
  assert.match(await page.getByTestId('story').innerText(), /is preempted/);
  await screenshot(page, 'explore-following');
  assert.deepEqual(await axeViolations(page), []);
  await page.getByTestId('unfollow').click();
  assert.equal(await page.getByTestId('follow').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the deadlock lesson: the explorer finds the cycle, and its witness deadlocks the run', async () => {
  const { page, errors } = await fresh();
  await pickLesson(page, 'deadlock');
  await explore(page);
  const shown = await rows(page);
  assert.deepEqual(shown.map((r) => r.end).sort(), ['deadlock', 'ok']);
  const row = page.locator('[data-testid=outcome-row][data-end=deadlock]');
  assert.match(await row.locator('xpath=..').innerText(), /wait for each other in a cycle/);
  await row.click();
  await playToEnd(page);
  assert.equal(await page.getByTestId('outcome').getAttribute('data-end'), 'deadlock');
  assert.deepEqual(errors, []);
  await page.close();
});

/** Five threads, four unsynchronised increments each: millions of states, even with
 * interchangeable threads explored once (four threads take 400 k). */
const BIG = `static COUNTER: usize = 0;

fn main() {
    let a = spawn(|| for _ in 0..4 { COUNTER += 1; });
    let b = spawn(|| for _ in 0..4 { COUNTER += 1; });
    let c = spawn(|| for _ in 0..4 { COUNTER += 1; });
    let d = spawn(|| for _ in 0..4 { COUNTER += 1; });
    let e = spawn(|| for _ in 0..4 { COUNTER += 1; });
    a.join().unwrap();
    b.join().unwrap();
    c.join().unwrap();
    d.join().unwrap();
    e.join().unwrap();
}
`;

test('exploring keeps the page responsive, and cancel leaves it usable', async () => {
  const { page, errors } = await fresh();
  await page.getByTestId('editor').fill(BIG);
  await page.getByTestId('gantt').first().waitFor();
  // From here on, every task on the main thread is timed (a long task is one over 50 ms).
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask', buffered: false });
  });
  await page.getByTestId('explore-start').click();
  await page.waitForFunction(() =>
    /distinct states so far, [\d,]+ a second/.test(document.querySelector('[data-testid=explore-progress]')?.innerText ?? ''),
  null, { timeout: 30_000 });
  // The page still answers while the worker works: a step moves the run on.
  const before = await page.getByTestId('tick').getAttribute('data-tick');
  await page.getByTestId('step').click();
  assert.notEqual(await page.getByTestId('tick').getAttribute('data-tick'), before);
  await page.getByTestId('explore-cancel').click();
  await page.getByTestId('explore-start').waitFor();
  assert.equal(await page.getByTestId('explore-progress').count(), 0);

  // A thread that counts forever: the answer lists the short executions and names the bound.
  await pickLesson(page, 'threads-in-a-process');
  await explore(page);
  const verdict = page.getByTestId('explore-verdict');
  assert.equal(await verdict.getAttribute('data-complete'), 'false');
  assert.match(await verdict.innerText(), /Not every schedule: the search stopped at the bound of 1000 distinct outcomes .*shown are the executions of up to 256 steps/);
  assert.equal(await page.getByTestId('outcome-row').count(), 12, 'the histogram starts short');
  await page.getByTestId('explore-all').click();
  // The rest come in batches, each drawn in a task of its own.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=outcome-row]').length === 100);
  // Most executions first; every value one that 256 steps can reach.
  const shown = await rows(page);
  assert.ok(shown.every((r, i) => i === 0 || r.count <= shown[i - 1].count), 'sorted by executions');
  for (const r of shown) {
    const v = Number(r.values.replace('PROGRESS=', ''));
    assert.ok(r.end === 'ok' && v >= 3 && v <= 256, JSON.stringify(r));
  }
  const long = await page.evaluate(() => window.__long);
  assert.ok(long.every((d) => d <= 50), `long tasks on the main thread: ${long.map(Math.round).join(', ')} ms`);
  await screenshot(page, 'explore-incomplete');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an edit makes the answer stale; a scenario that does not compile cannot be explored', async () => {
  const { page, errors } = await fresh();
  await pickLesson(page, 'mutex-fix');
  await explore(page);
  assert.deepEqual((await rows(page)).map((r) => `${r.end} ${r.values}`), ['ok COUNTER=6']);
  const editor = page.getByTestId('editor');
  const text = await editor.inputValue();
  await editor.fill(text.replace('fn main() {', '// a note\nfn main() {'));
  await page.getByTestId('explore-stale').waitFor();
  await editor.fill(text.replace('fn main() {', 'fn main() { let x = ;'));
  await page.getByTestId('diagnostic').first().waitFor();
  assert.equal(await page.getByTestId('explore-stale').locator('button').isDisabled(), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link carries the followed witness: the receiver sees the same execution', async () => {
  const { page, errors } = await fresh();
  await pickLesson(page, 'lost-update');
  await explore(page);
  await page.locator('[data-testid=outcome-row][data-values="COUNTER=3"]').click();
  await page.getByTestId('follow').waitFor();
  await page.getByTestId('share-button').click();
  const link = await page.getByTestId('share-link').inputValue();
  assert.match(link, /#v4\./);
  const other = await browser();
  try {
    const { page: seen, errors: errors2 } = await open(other.context, link);
    await seen.setViewportSize({ width: 1400, height: 1000 });
    await seen.getByTestId('follow').waitFor({ timeout: 30_000 });
    assert.match(await seen.getByTestId('follow').innerText(), /COUNTER = 3/);
    await seen.getByTestId('predict-mode').uncheck();
    await playToEnd(seen);
    assert.equal(await valueOf(seen, 'COUNTER'), '3');
    assert.deepEqual(errors2, []);
  } finally {
    await other.close();
  }
  assert.deepEqual(errors, []);
  await page.close();
});

// A condvar waited on under an `if` (std allows a spurious wake-up there), pushing into a
// vector behind the lock.
const CONDVAR = `use std::sync::{Arc, Condvar, Mutex};
use std::thread;

fn main() {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let log = Arc::new(Mutex::new(Vec::new()));
    let p = Arc::clone(&pair);
    let l = Arc::clone(&log);
    let h = thread::spawn(move || {
        let (lock, cvar) = &*p;
        *lock.lock().unwrap() = true;
        l.lock().unwrap().push(1);
        cvar.notify_one();
    });
    let (lock, cvar) = &*pair;
    let mut ready = lock.lock().unwrap();
    if !*ready {
        ready = cvar.wait(ready).unwrap();
    }
    log.lock().unwrap().push(2);
    drop(ready);
    h.join().unwrap();
}
`;

test('the answer names what std allows that no schedule explores, and shows a locked vector', async () => {
  const { page, errors } = await fresh();
  await page.getByTestId('editor').fill(CONDVAR);
  await page.waitForFunction(() => document.querySelector('[data-testid=diagnostics]')?.dataset.errors === '0');
  await explore(page);
  assert.match(await page.getByTestId('explore-caveat').innerText(),
    /Spurious wake-ups are not explored: std allows `Condvar::wait`/);
  const shown = await rows(page);
  assert.deepEqual(shown.map((r) => r.values).sort(), ['pair.0=true,log=[1, 2]', 'pair.0=true,log=[2, 1]']);
  await screenshot(page, 'explore-caveat');
  assert.deepEqual(errors, []);
  await page.close();
});
