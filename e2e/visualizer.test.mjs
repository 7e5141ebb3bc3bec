// The simulator page as students use it: every lesson played to its end with the outcome
// checked, a scenario edited into an error, scrubbing, compare mode, shortcuts, the
// wait-for graph of a deadlock, themes and phone width. Screenshots go to e2e/artifacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, browser, open, screenshot, pickLesson, ROOT } from './harness.mjs';

let server, chrome;
before(async () => {
  server = await serve();
  chrome = await browser();
});
after(async () => {
  await chrome?.close();
  await server?.close();
});

/** Each preset's file name and expectations (`end=…`, `race=…`), read from the files. */
async function presets() {
  const dir = join(ROOT, 'crates', 'interleave-lang', 'presets');
  const out = [];
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.rs')).sort()) {
    const text = await readFile(join(dir, f), 'utf8');
    const expect = Object.fromEntries(
      (text.match(/^\/\/! expect:(.*)$/m)?.[1] ?? '').trim().split(/\s+/)
        .filter((kv) => kv.includes('=') && !kv.includes(':')).map((kv) => kv.split('=')));
    out.push({ name: f.replace(/\.rs$/, ''), expect });
  }
  return out;
}

const tickOf = async (page) => Number(await page.getByTestId('tick').getAttribute('data-tick'));
const endOf = async (page) => Number(await page.getByTestId('tick').getAttribute('data-end'));

/** The page as a first-time visitor sees it: the draft an earlier test typed is forgotten.
 * Predict mode (on by default) is turned off unless asked for: these tests look at whole runs. */
async function fresh({ predict = false } = {}) {
  const { page, errors } = await open(chrome.context, server.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.getByTestId('gantt').first().waitFor({ timeout: 30_000 });
  if (!predict) await page.getByTestId('predict-mode').uncheck();
  return { page, errors };
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

test('every lesson plays to its end and shows the expected outcome', async () => {
  const { page, errors } = await fresh({ predict: true });
  const all = await presets();
  assert.ok(all.length >= 12, `${all.length} presets`);
  for (const p of all) {
    await pickLesson(page, p.name);
    assert.equal(await tickOf(page), 0, `${p.name} starts at tick 0`);
    assert.equal(await page.getByTestId('outcome').count(), 0, `${p.name}: the outcome is hidden before playing`);
    assert.equal(await page.getByTestId('diagnostics').getAttribute('data-errors'), '0', p.name);
    await playToEnd(page);
    const outcome = page.getByTestId('outcome');
    const end = await outcome.getAttribute('data-end');
    if (p.expect.end) assert.equal(end, p.expect.end, `${p.name}: outcome`);
    const headline = await outcome.locator('.verdict').first().innerText();
    const words = { finished: /Finished/, deadlock: /Deadlock/, 'assertion-failed': /assertion failed/i };
    if (words[end]) assert.match(headline, words[end], p.name);
    if (p.expect.race === 'yes') assert.notEqual(await outcome.getAttribute('data-races'), '0', p.name);
    if (p.expect.race === 'no') assert.equal(await outcome.getAttribute('data-races'), '0', p.name);
    if (end === 'deadlock') {
      const cycle = await page.getByTestId('wait-graph').getAttribute('data-cycle');
      assert.ok(cycle.split(',').length >= 2, `${p.name}: cycle ${cycle}`);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the lost update: shared values, the race pointed at its lines, and a screenshot', async () => {
  const { page, errors } = await fresh();
  await pickLesson(page, 'lost-update');
  await playToEnd(page);
  const race = page.getByTestId('race-verdict');
  assert.match(await race.innerText(), /data race on `COUNTER`.*line \d+.*line \d+/s);
  assert.ok(await page.locator('.gutter-line.race').count() >= 1, 'racing lines are marked in the code');
  await screenshot(page, 'visualizer-lost-update');
  assert.deepEqual(errors, []);
  await page.close();
});

test('editing a scenario into an error shows the diagnostic at the right line', async () => {
  const { page, errors } = await fresh();
  const editor = page.getByTestId('editor');
  const text = await editor.inputValue();
  const lines = text.split('\n');
  const mainLine = lines.findIndex((l) => l.startsWith('fn main'));
  lines.splice(mainLine + 1, 0, '    let x = ;');
  await editor.fill(lines.join('\n'));
  const diag = page.getByTestId('diagnostic').first();
  await diag.waitFor();
  assert.equal(await diag.getAttribute('data-line'), String(mainLine + 2));
  assert.match(await diag.innerText(), new RegExp(`${mainLine + 2}:\\d+`));
  assert.ok(await page.locator(`.gutter-line.error-line[data-line="${mainLine + 2}"]`).count() === 1);
  assert.equal(await page.getByTestId('play').isDisabled(), true, 'nothing to play');
  assert.equal(await editor.inputValue(), lines.join('\n'), 'the text is kept');
  await screenshot(page, 'visualizer-error');
  // Fixing it runs again.
  lines.splice(mainLine + 1, 1);
  await editor.fill(lines.join('\n'));
  await page.waitForFunction(() => document.querySelector('[data-testid=diagnostics]').dataset.errors === '0');
  assert.equal(await page.getByTestId('play').isDisabled(), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a run that hits a limit says which limit and its value', async () => {
  const { page, errors } = await fresh();
  await page.getByTestId('editor').fill('fn main() {\n    loop {\n        work(1);\n    }\n}\n');
  await page.waitForFunction(() => document.querySelector('[data-testid=outcome]')?.dataset.end === 'limit');
  assert.match(await page.getByTestId('outcome').locator('.verdict').first().innerText(),
    /^Stopped after 400,?000 steps: the step limit \(400,000 steps\) was hit: a loop that never ends, or runs longer than that, stops here\.$/);
  await page.getByTestId('editor').fill('fn main() {\n    loop {\n        spawn(|| sleep(100));\n    }\n}\n');
  await page.waitForFunction(() => /thread limit/.test(document.querySelector('[data-testid=outcome] .verdict')?.innerText));
  assert.doesNotMatch(await page.getByTestId('outcome').innerText(), /loop that never ends/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('scrubbing back shows exactly the state reached by stepping forward', async () => {
  const { page, errors } = await fresh();
  await pickLesson(page, 'mutex-fix');
  const machine = page.locator('section.machine');
  const memory = page.locator('section.memory');
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await tickOf(page), 9);
  const forward = [await machine.innerText(), await memory.innerText()];
  await page.keyboard.press('End');
  assert.equal(await tickOf(page), await endOf(page));
  const atEnd = await machine.innerText();
  assert.notEqual(atEnd, forward[0]);
  // Back to tick 9 with the scrub bar.
  await page.getByTestId('scrub').fill('9');
  assert.equal(await tickOf(page), 9);
  assert.deepEqual([await machine.innerText(), await memory.innerText()], forward);
  // On the focused scrub bar the arrows move the bar itself, one tick.
  await page.keyboard.press('ArrowLeft');
  assert.equal(await tickOf(page), 8);
  // Step back and forward again, from the page.
  await page.getByTestId('machine-title').click();
  await page.keyboard.press('Shift+ArrowLeft');
  assert.equal(await tickOf(page), 0);
  assert.match(await page.getByTestId('narration').innerText(), /Tick 0: nothing has run yet/);
  await page.keyboard.press('ArrowRight');
  assert.match(await page.getByTestId('narration').innerText(), /^Tick 0: .*main/);
  // Dragging on the Gantt chart moves the cursor there.
  const gantt = page.getByTestId('gantt').first();
  const box = await gantt.boundingBox();
  await page.mouse.click(box.x + 56 + (box.width - 56) / 2, box.y + 10);
  const span = Number(await gantt.getAttribute('data-span'));
  const t = await tickOf(page);
  assert.ok(Math.abs(t - span / 2) <= 1, `clicked the middle: tick ${t} of ${span}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an idle tick of the async lesson says nothing ran and why the event loop waits', async () => {
  const { page, errors } = await fresh();
  await pickLesson(page, 'async-event-loop');
  // Tick 12: every task is suspended at `.await` on I/O; the first answer comes at tick 25.
  await page.getByTestId('scrub').fill('12');
  assert.equal(await tickOf(page), 12);
  assert.match(await page.getByTestId('narration').innerText(), /^Tick 11: nothing ran; every core was idle/);
  const details = await page.getByTestId('thread-detail').allInnerTexts();
  assert.ok(details.some((d) => /event loop, idle until an awaited I\/O completes \(first at tick 25\)/.test(d)), details.join(' | '));
  assert.ok(details.some((d) => /waits for async task #0 \(fetch\)/.test(d)), details.join(' | '));
  assert.deepEqual(errors, []);
  await page.close();
});

test('compare mode: one core against four, side by side and synchronised', async () => {
  const { page, errors } = await fresh();
  await pickLesson(page, 'four-cores');
  await page.getByTestId('compare').check();
  const single = page.locator('[data-testid=run-pane][data-which=single]');
  const multi = page.locator('[data-testid=run-pane][data-which=main]');
  await single.waitFor();
  const [m1, mN] = [Number(await single.getAttribute('data-makespan')), Number(await multi.getAttribute('data-makespan'))];
  assert.ok(mN * 2 < m1, `4 cores finish much sooner: ${mN} vs ${m1}`);
  assert.match(await multi.locator('h2').innerText(), /4 cores/);
  await page.getByTestId('scrub').fill('10');
  assert.equal(await single.getByTestId('gantt').getAttribute('data-tick'), '10');
  assert.equal(await multi.getByTestId('gantt').getAttribute('data-tick'), '10');
  assert.equal(await multi.getByTestId('core').count(), 4);
  assert.match(await single.locator('h2').innerText(), /^1 core: the threads take turns$/);
  // Past the 4-core run's end, its panels say so instead of showing an older tick as now.
  await page.getByTestId('scrub').fill(String(m1));
  assert.equal(await page.getByTestId('machine-title').innerText(), `Threads at tick ${m1} (this run ended at tick ${mN})`);
  assert.match(await page.getByTestId('narration').innerText(), new RegExp(`^Tick ${mN - 1}: .*the process ends`), 'its last tick, numbered as it was');
  await screenshot(page, 'visualizer-compare');
  // The keyboard toggles it back (from the page, not the focused scrub bar).
  await page.getByTestId('machine-title').click();
  await page.keyboard.press('c');
  await page.waitForFunction(() => !document.querySelector('[data-which=single]'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('deadlock: the wait-for graph lights up the cycle', async () => {
  const { page, errors } = await fresh();
  await pickLesson(page, 'deadlock');
  await page.keyboard.press('End');
  const graph = page.getByTestId('wait-graph');
  assert.match(await graph.getAttribute('class'), /deadlocked/);
  assert.ok(await graph.locator('.edge.cycle').count() >= 2);
  assert.match(await page.getByTestId('deadlock').innerText(), /waits for mutex/);
  await screenshot(page, 'visualizer-deadlock');
  assert.deepEqual(errors, []);
  await page.close();
});

test('help overlay, dark theme, and phone width', async () => {
  const { page, errors } = await fresh();
  await page.keyboard.press('?');
  const help = page.getByTestId('help');
  await help.waitFor();
  assert.match(await help.innerText(), /Space.*play \/ pause/s);
  await screenshot(page, 'visualizer-help');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  // Shortcuts do not fire while typing in the editor.
  await page.getByTestId('editor').press('Space');
  assert.equal(await page.getByTestId('play').getAttribute('data-playing'), 'false');

  await page.getByTestId('theme').selectOption('dark');
  const bg = await page.getByTestId('app').evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(bg, 'rgb(20, 20, 26)');
  await screenshot(page, 'visualizer-dark');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('theme').selectOption('light');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at phone width (${overflow}px too wide)`);
  await screenshot(page, 'visualizer-phone');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Rust view: real std code, or the compile error that is the lesson', async () => {
  const { page, errors } = await fresh();
  // A lesson that uses the simulator's `work`: the view defines it and keeps the rest.
  await pickLesson(page, 'deadlock');
  await page.getByTestId('show-rust').click();
  const view = page.getByTestId('rust-view');
  assert.equal(await view.getAttribute('data-state'), 'compiles');
  const code = await view.locator('.rust-code').innerText();
  assert.match(code, /use std::sync::Mutex;/);
  assert.match(code, /fn work\(/);
  assert.match(code, /thread::spawn\(left\)/);
  // A lesson in std Rust has nothing to translate.
  await pickLesson(page, 'mutex-fix');
  assert.equal(await view.getAttribute('data-state'), 'already-rust');
  // The scenario language's plain static, written by two threads, is what safe Rust refuses.
  await page.getByTestId('show-scenario').click();
  await page.getByTestId('editor').fill(
    'static COUNTER: usize = 0;\n\nfn main() {\n    let a = spawn(|| for _ in 0..3 { COUNTER += 1; });\n    let b = spawn(|| for _ in 0..3 { COUNTER += 1; });\n    a.join().unwrap();\n    b.join().unwrap();\n}\n',
  );
  await page.waitForFunction(() => document.querySelector('[data-testid=diagnostics]')?.dataset.errors === '0');
  await page.getByTestId('show-rust').click();
  assert.equal(await view.getAttribute('data-state'), 'refused');
  assert.match(await view.innerText(), /E0594.*COUNTER.*Sync/s);
  await screenshot(page, 'visualizer-rust-view');
  // Back to the scenario; Format lays out a messy edit and keeps it running.
  await page.getByTestId('show-scenario').click();
  await page.getByTestId('editor').fill('fn main(){work(2);}');
  await page.getByTestId('format').click();
  assert.equal(await page.getByTestId('editor').inputValue(), 'fn main() {\n    work(2);\n}\n');
  assert.equal(await page.getByTestId('diagnostics').getAttribute('data-errors'), '0');
  assert.deepEqual(errors, []);
  await page.close();
});

test('arithmetic that overflows panics the thread at its line with rustc\'s message', async () => {
  const { page, errors } = await fresh();
  await page.getByTestId('editor').fill([
    'static F: Mutex<i64> = Mutex::new(1);',
    'fn factorial() {',
    '    for i in 1..26 {',
    '        let mut g = F.lock().unwrap();',
    '        *g = *g * i;',
    '    }',
    '}',
    'fn main() {',
    '    let h = spawn(move || factorial());',
    '    h.join().unwrap();',
    '}',
  ].join('\n'));
  await page.waitForFunction(() => document.querySelector('[data-testid=outcome]')?.dataset.end === 'panicked');
  const outcome = await page.getByTestId('outcome').innerText();
  // Where it panicked, as Rust's message says it: the line of `*g = *g * i`.
  assert.match(outcome, /T1 \(closure, line 9\) panicked at line 5, tick \d+: attempt to multiply with overflow/);
  // 20! is the last factorial that fits in an i64: the value stays there, not wrapped.
  assert.match(outcome, /2432902008176640000|2,432,902,008,176,640,000/);
  await screenshot(page, 'visualizer-overflow');
  assert.deepEqual(errors, []);
  await page.close();
});
