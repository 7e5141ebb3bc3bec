// See it at a glance: the animation, the player and the narration in the first screen of a
// laptop, a phone and a course page's embed; predict, then reveal; the lost update pointed
// at; the keyboard; zero axe-core violations in every view; embeds on ordinary hosts.
// Screenshots go to e2e/artifacts (glance-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, open, screenshot, pickLesson, axeViolations, ISOLATION_HEADERS } from './harness.mjs';

const CORS = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
let app, plain, chrome;
before(async () => {
  app = await serve({ headers: { ...ISOLATION_HEADERS, ...CORS } });
  plain = await serve(); // a host that sends no headers at all
  chrome = await browser({ permissions: ['clipboard-read', 'clipboard-write'] });
});
after(async () => {
  await chrome?.close();
  await app?.close();
  await plain?.close();
});

async function fresh(width, height, url = app.url) {
  const { page, errors } = await open(chrome.context, url);
  await page.setViewportSize({ width, height });
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByTestId('gantt').first().waitFor({ timeout: 30_000 });
  return { page, errors };
}

const box = (page, id) => page.getByTestId(id).first().boundingBox();
/** `b` lies inside the rectangle (0, 0)–(w, h). */
function inside(b, w, h, what) {
  assert.ok(b, `${what} is on the page`);
  assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= w + 0.5 && b.y + b.height <= h + 0.5,
    `${what} at ${JSON.stringify(b)} is not inside ${w}×${h}`);
}

test('laptop, 1366×768: code, cores, timeline, player and narration fit the first screen', async () => {
  const { page, errors } = await fresh(1366, 768);
  await pickLesson(page, 'lost-update');
  for (const id of ['editor', 'gantt', 'play', 'narration', 'scrub', 'core', 'lesson', 'predict']) {
    inside(await box(page, id), 1366, 768, id);
  }
  // Playing changes what is in view: the cursor moves on the timeline and the narration speaks.
  await page.getByTestId('speed').selectOption('25');
  const before = await page.getByTestId('narration').innerText();
  await page.getByTestId('play').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=tick]').dataset.tick) >= 12);
  const during = await page.getByTestId('narration').innerText();
  assert.notEqual(during, before, 'the narration speaks while playing');
  assert.match(during, /^Tick \d+: /);
  await screenshot(page, 'glance-laptop-playing');
  inside(await box(page, 'gantt'), 1366, 768, 'the timeline while playing');
  assert.deepEqual(errors, []);
  await page.close();
});

test('phone, 390×844: the player is pinned and the timeline is within one screen of the code', async () => {
  const { page, errors } = await fresh(390, 844);
  await pickLesson(page, 'deadlock');
  const editor = await box(page, 'editor');
  const gantt = await box(page, 'gantt');
  assert.ok(gantt.y + gantt.height <= editor.y + 844, `timeline ends at ${gantt.y + gantt.height}, code starts at ${editor.y}`);
  inside(gantt, 390, 844, 'the timeline on the first screen');
  for (const id of ['play', 'narration', 'scrub']) inside(await box(page, id), 390, 844, id);
  // The player stays in view while the page scrolls.
  await page.mouse.wheel(0, 1500);
  await page.waitForTimeout(200);
  inside(await box(page, 'play'), 390, 844, 'play after scrolling');
  const gap = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(gap <= 0, `no sideways scrolling (${gap}px too wide)`);
  await page.mouse.wheel(0, -3000);
  await screenshot(page, 'glance-phone');
  assert.deepEqual(errors, []);
  await page.close();
});

/** A course page with the page's own embed snippet (from Share / export), at a width. */
async function courseWithSnippet(width) {
  const { page } = await fresh(1366, 768);
  await pickLesson(page, 'channels');
  await page.getByTestId('share-button').click();
  const snippet = await page.getByTestId('embed-code').inputValue();
  await page.close();
  const local = snippet.replace(/src="[^"]*\?embed=1/, `src="${app.url}?embed=1`);
  const height = Number(snippet.match(/height="(\d+)"/)[1]);
  const course = await serve({ pages: { '/course.html': `<!doctype html><meta charset="utf-8"><body style="margin:1rem auto;max-width:${width}px;font:16px system-ui"><h1>Week 5</h1>${local.replace('<iframe ', '<iframe id="embed" ')}</body>` } });
  return { course, height, snippet };
}

for (const [name, width] of [['wide', 1100], ['narrow', 380]]) {
  test(`embed (${name}): the snippet's frame shows the player and the animation`, async () => {
    const { course, height, snippet } = await courseWithSnippet(width);
    assert.match(snippet, / allow="clipboard-write" /);
    try {
      const { page, errors } = await open(chrome.context, `${course.url}course.html`);
      await page.setViewportSize({ width: Math.max(width + 40, 420), height: 900 });
      const frame = page.frameLocator('#embed');
      await frame.getByTestId('gantt').first().waitFor({ timeout: 30_000 });
      // The frame's inside (its borders excluded), in page coordinates.
      const f = await page.locator('#embed').evaluate((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x + e.clientLeft, y: r.y + e.clientTop, width: e.clientWidth, height: e.clientHeight };
      });
      assert.equal(f.height, height);
      for (const id of ['gantt', 'play', 'narration', 'core']) {
        const b = await frame.getByTestId(id).first().boundingBox();
        inside({ ...b, x: b.x - f.x, y: b.y - f.y }, f.width, f.height, `${id} in the ${name} embed`);
      }
      await screenshot(page, `glance-embed-${name}`);
      assert.deepEqual(errors.filter((e) => e.startsWith('pageerror')), []);
      await page.close();
    } finally {
      await course.close();
    }
  });
}

test('predict, then reveal: the ending stays hidden until played, then the guess is compared', async () => {
  const { page, errors } = await fresh(1366, 900);
  await pickLesson(page, 'lost-update');
  const predict = page.getByTestId('predict');
  assert.match(await predict.innerText(), /What will COUNTER be when the run ends\?/);
  assert.equal(await page.getByTestId('outcome').count(), 0, 'no outcome at tick 0');
  assert.equal(await page.getByTestId('future').count(), 1, 'the future of the timeline is covered');
  assert.doesNotMatch(await page.getByTestId('tick').innerText(), /\//, 'the length of the run is not shown');
  const pane = page.locator('[data-testid=run-pane]');
  assert.equal(await pane.getAttribute('data-makespan'), null, 'nor its makespan');
  await page.getByTestId('guess').fill('6');
  await screenshot(page, 'glance-predict');
  // Stepping part way reveals nothing.
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByTestId('outcome').count(), 0);
  await page.getByTestId('speed').selectOption('1000');
  await page.getByTestId('play').click();
  await page.getByTestId('outcome').waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('future').count(), 0);
  assert.equal(await page.getByTestId('prediction').innerText(), 'You predicted COUNTER = 6; the run ends with 5.');
  assert.match(await page.getByTestId('tick').innerText(), /tick 42 \/ 42/);
  await screenshot(page, 'glance-revealed');
  // A deadlock lesson asks how it ends; Reveal shows it at once.
  await pickLesson(page, 'deadlock');
  await page.getByTestId('guess-finished').check();
  await page.getByTestId('reveal').click();
  assert.equal(await page.getByTestId('outcome').getAttribute('data-end'), 'deadlock');
  assert.equal(await page.getByTestId('prediction').innerText(), 'You predicted: it finishes normally. The run: it deadlocks.');
  // Predict mode off: outcomes show at once.
  await pickLesson(page, 'mutex-fix');
  await page.getByTestId('predict-off').click();
  assert.equal(await page.getByTestId('outcome').count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the lost update: the stale value a thread holds, the store that loses, and its mark', async () => {
  const { page, errors } = await fresh(1366, 900);
  await pickLesson(page, 'lost-update');
  // Step until a thread holds a stale value, then on to the store that loses the update.
  let stale = null;
  for (let i = 0; i < 60 && !stale; i++) {
    await page.keyboard.press('ArrowRight');
    const cell = page.locator('[data-testid=held][data-stale=true]');
    if (await cell.count()) stale = await cell.first().innerText();
  }
  assert.match(stale ?? '', /loaded COUNTER = 0 stale: COUNTER is now 1/);
  await screenshot(page, 'glance-stale');
  for (let i = 0; i < 20; i++) {
    if (await page.getByTestId('lost-narration').count()) break;
    await page.keyboard.press('ArrowRight');
  }
  const said = await page.getByTestId('lost-narration').innerText();
  assert.match(said, /^Tick \d+: T\d's increment of COUNTER is lost: T\d loaded COUNTER = 0 at tick \d+, then T\d wrote 1 at tick \d+, and T\d now writes 1 over it\.$/);
  const gantt = page.getByTestId('gantt');
  assert.equal(await gantt.getAttribute('data-lost'), '1', 'the lost update is marked on the timeline');
  assert.ok(Number(await gantt.getAttribute('data-races')) >= 1, 'races are marked where they happen');
  await screenshot(page, 'glance-lost');
  assert.deepEqual(errors, []);
  await page.close();
});

test('keyboard: Space presses focused controls, the help dialog holds the focus, a skip link', async () => {
  const { page, errors } = await fresh(1366, 900);
  // The first Tab reaches the skip link, which moves the focus to the player.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to the player');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'player');
  assert.equal(await page.evaluate(() => location.hash), '', 'the address (a share link) is untouched');
  // Space on a focused button presses it; it does not start playback.
  const seed = await page.getByTestId('seed').inputValue();
  await page.getByTestId('new-schedule').focus();
  await page.keyboard.press('Space');
  await page.waitForFunction((s) => document.querySelector('[data-testid=seed]').value !== s, seed);
  assert.equal(await page.getByTestId('play').getAttribute('data-playing'), 'false');
  assert.match(await page.getByTestId('schedule-note').innerText(), /^Policy switched to random preemption, seed \d+/);
  // Space on a checkbox ticks it.
  await page.getByTestId('compare').focus();
  await page.keyboard.press('Space');
  assert.equal(await page.getByTestId('compare').isChecked(), true);
  // Space elsewhere plays.
  await page.getByTestId('machine-title').click();
  await page.keyboard.press('Space');
  assert.equal(await page.getByTestId('play').getAttribute('data-playing'), 'true');
  await page.keyboard.press('Space');
  // The help dialog takes the focus, keeps it, and gives it back.
  await page.getByTestId('help-button').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('help').waitFor();
  const focused = () => page.evaluate(() => document.activeElement.dataset.testid);
  assert.equal(await focused(), 'close-help');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'close-help', 'Tab stays in the dialog');
  await page.keyboard.press('Space');
  assert.equal(await page.getByTestId('play').getAttribute('data-playing'), 'false', 'no shortcut behind the dialog');
  await page.keyboard.press('Escape');
  await page.getByTestId('help').waitFor({ state: 'detached' });
  assert.equal(await focused(), 'help-button', 'the focus goes back');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the timeline zooms and pans, with a minimap, and follows the cursor', async () => {
  const { page, errors } = await fresh(1366, 900);
  await pickLesson(page, 'concurrency-vs-parallelism');
  await page.getByTestId('predict-mode').uncheck();
  const gantt = page.getByTestId('gantt');
  const whole = await gantt.getAttribute('data-view');
  const b = await gantt.boundingBox();
  await page.mouse.move(b.x + b.width * 0.6, b.y + 10);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await page.waitForFunction((w) => document.querySelector('[data-testid=gantt]').dataset.view !== w, whole);
  const [a, z] = (await gantt.getAttribute('data-view')).split(',').map(Number);
  assert.ok(z - a < 58 / 2, `zoomed in: ${a}..${z}`);
  await page.getByTestId('minimap').waitFor();
  await screenshot(page, 'glance-zoomed');
  // Play to the end: the view turns its pages with the cursor.
  await page.getByTestId('speed').selectOption('60');
  await page.getByTestId('play').click();
  await page.locator('[data-testid=play][data-playing=false]').waitFor({ timeout: 30_000 });
  const [a2, z2] = (await gantt.getAttribute('data-view')).split(',').map(Number);
  const tick = Number(await gantt.getAttribute('data-tick'));
  assert.ok(a2 <= tick && tick <= z2, `cursor ${tick} in ${a2}..${z2}`);
  // Keys on the focused timeline: 0 shows the whole run again.
  await gantt.focus();
  await page.keyboard.press('0');
  assert.equal(await gantt.getAttribute('data-view'), '0,58');
  assert.equal(await page.getByTestId('minimap').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('zero axe-core violations in every view, on a laptop and a phone, light and dark', async () => {
  for (const [w, h] of [[1366, 768], [390, 844]]) {
    const { page, errors } = await fresh(w, h);
    const check = async (what) => assert.deepEqual(await axeViolations(page), [], `${w}px, ${what}`);
    await check('first lesson, predict mode');
    await page.keyboard.press('End');
    await check('first lesson at its end');
    await page.getByTestId('lessons-summary').click();
    await check('lesson list open');
    await pickLesson(page, 'deadlock');
    await page.keyboard.press('End');
    await check('deadlock with its wait-for graph');
    await pickLesson(page, 'async-event-loop');
    await page.getByTestId('reveal').click();
    await check('async lesson with its I/O lanes');
    await page.getByTestId('compare').check();
    await check('compare mode');
    await page.getByTestId('share-button').click();
    await check('share panel');
    await page.getByTestId('share-button').click();
    await page.getByTestId('machine-title').click();
    await page.keyboard.press('?');
    await page.getByTestId('help').waitFor();
    await check('help dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('theme').selectOption('dark');
    await check('dark theme');
    await page.getByTestId('tab-threads').click();
    await page.locator('[data-testid=threads-status]:not([data-mode=starting])').waitFor({ timeout: 60_000 });
    await check('real threads, dark');
    await page.getByTestId('theme').selectOption('light');
    await check('real threads, light');
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('a sandboxed embed on a host without CORS headers says why instead of a blank box', async () => {
  const course = await serve({ pages: {
    '/course.html': `<!doctype html><body><h1>Week 5</h1><iframe id="embed" src="${plain.url}?embed=1" sandbox="allow-scripts" width="800" height="500"></iframe></body>`,
  } });
  try {
    const { page } = await open(chrome.context, `${course.url}course.html`);
    const frame = page.frameLocator('#embed');
    const boot = frame.locator('#boot.failed');
    await boot.waitFor({ timeout: 20_000 });
    assert.match(await boot.innerText(), /sandboxed frame.*Access-Control-Allow-Origin: \*/s);
    assert.equal(await frame.locator('#boot a').getAttribute('target'), '_blank');
    await screenshot(page, 'glance-embed-no-cors');
    await page.close();
  } finally {
    await course.close();
  }
});

test('Copy link works inside an embed with the snippet\'s allow, and says why without it', async () => {
  for (const allow of [true, false]) {
    const course = await serve({ pages: {
      '/course.html': `<!doctype html><body><iframe id="embed" src="${app.url}?embed=1" ${allow ? 'allow="clipboard-write"' : ''} width="1000" height="640"></iframe></body>`,
    } });
    try {
      const { page } = await open(chrome.context, `${course.url}course.html`);
      const frame = page.frameLocator('#embed');
      await frame.getByTestId('gantt').first().waitFor({ timeout: 30_000 });
      await frame.getByTestId('share-button').click();
      const link = await frame.getByTestId('share-link').inputValue();
      await frame.getByTestId('copy-share-link').click();
      const status = frame.locator('.copy-status').first();
      await page.waitForFunction(() => true);
      await status.filter({ hasText: /Copied|Not copied/ }).waitFor();
      if (allow) {
        assert.equal(await status.innerText(), 'Copied.');
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
      } else {
        assert.match(await status.innerText(), /^Not copied: .*select the text and copy it/);
      }
      await page.close();
    } finally {
      await course.close();
    }
  }
});

test('the page shows a loading message before any wasm has arrived', async () => {
  const { page } = await open(chrome.context, 'about:blank');
  // Hold the wasm back: the static page must already say what is happening.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
  await page.goto(app.url, { waitUntil: 'domcontentloaded' });
  const boot = page.locator('#boot');
  assert.match(await boot.innerText(), /Loading the simulator/);
  assert.ok(await boot.isVisible());
  release();
  await page.getByTestId('gantt').first().waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('#boot').count(), 0, 'the app replaces it');
  await page.close();
});

test('the language reference the hints cite is a page of the site, linked beside the code', async () => {
  const { page, errors } = await fresh(1366, 768);
  const link = page.getByTestId('language-link');
  assert.equal(await link.getAttribute('target'), '_blank');
  const [ref] = await Promise.all([chrome.context.waitForEvent('page'), link.click()]);
  await ref.waitForLoadState();
  assert.equal(await ref.locator('h1').innerText(), 'The scenario language');
  assert.ok(await ref.locator('pre code').count() >= 1, 'its example is a code block');
  assert.ok(await ref.locator('li').count() > 10, 'its lists are lists');
  assert.deepEqual(await axeViolations(ref), []);
  await ref.close();
  assert.deepEqual(errors, []);
  await page.close();
});
