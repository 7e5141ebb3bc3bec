// Real Rust in the page: the Rust Book's listing 16-15 (ten threads share an
// `Arc<Mutex<i32>>`, their handles kept in a `Vec`) runs as pasted, the memory panel shows
// the one `Arc` with its strong count rising and falling, and the output panel shows the
// result; the `Rc` version (listing 16-14) is refused with rustc's E0277 at the spawn.
// Screenshots go to e2e/artifacts (rust-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, open, screenshot, axeViolations } from './harness.mjs';

let server, chrome;
before(async () => {
  server = await serve();
  chrome = await browser();
});
after(async () => {
  await chrome?.close();
  await server?.close();
});

// The shape of the Rust Book's listing 16-15.
const ARC = `use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let counter = Arc::new(Mutex::new(0));
    let mut handles = vec![];

    for _ in 0..10 {
        let counter = Arc::clone(&counter);
        let handle = thread::spawn(move || {
            let mut num = counter.lock().unwrap();

            *num += 1;
        });
        handles.push(handle);
    }

    for handle in handles {
        handle.join().unwrap();
    }

    println!("Result: {}", *counter.lock().unwrap());
}
`;

// Listing 16-14's shape: the same with `Rc`, which rustc refuses.
const RC = ARC.replace('use std::sync::{Arc, Mutex};', 'use std::rc::Rc;\nuse std::sync::Mutex;')
  .replaceAll('Arc::', 'Rc::');

async function fresh() {
  const { page, errors } = await open(chrome.context, server.url);
  await page.addInitScript(() => localStorage.clear());
  await page.reload();
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.getByTestId('gantt').first().waitFor({ timeout: 30_000 });
  await page.getByTestId('predict-mode').uncheck();
  return { page, errors };
}

test("listing 16-15 runs as pasted: one Arc whose count rises to 11 and falls, and 'Result: 10'", async () => {
  const { page, errors } = await fresh();
  await page.getByTestId('editor').fill(ARC);
  await page.waitForFunction(() => document.querySelector('[data-testid=diagnostics]')?.dataset.errors === '0');
  // One core, each thread running until it blocks: main makes every clone before any
  // thread runs, as a slow-starting OS thread would let it.
  await page.getByTestId('cores').fill('1');
  await page.getByTestId('cores').press('Tab');
  await page.getByTestId('policy').selectOption('fifo');
  await page.getByTestId('gantt').first().waitFor();

  const scrub = page.getByTestId('scrub');
  const max = Number(await scrub.getAttribute('max'));
  const counts = [];
  for (let t = 0; t <= max; t += 1) {
    await scrub.fill(String(t));
    const arcs = page.getByTestId('arc');
    if (await arcs.count() === 0) continue;
    assert.equal(await arcs.count(), 1, 'one Arc');
    const c = Number(await arcs.first().getAttribute('data-count'));
    if (counts[counts.length - 1] !== c) counts.push(c);
  }
  assert.deepEqual(counts, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);

  // At the end: the mutex holds 10, and the output says so.
  await scrub.fill(String(max));
  const printed = await page.getByTestId('printed').evaluateAll((ls) => ls.map((l) => l.querySelector('code').innerText));
  assert.deepEqual(printed, ['Result: 10']);
  assert.equal(await page.getByTestId('arc').first().getAttribute('data-peak'), '11');
  // Halfway through the clones, the panel says who holds the references.
  await scrub.fill(String(Math.round(max / 4)));
  await screenshot(page, 'rust-arc');
  assert.deepEqual(await axeViolations(page), []);
  // Already Rust: the Rust view has nothing to translate, and says so instead of a copy.
  await page.getByTestId('show-rust').click();
  assert.equal(await page.getByTestId('rust-view').getAttribute('data-state'), 'already-rust');
  assert.equal(await page.locator('.rust-code').count(), 0);
  await page.getByTestId('show-scenario').click();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Rc version is refused with E0277 at the spawn, and the page keeps working', async () => {
  const { page, errors } = await fresh();
  const editor = page.getByTestId('editor');
  await editor.fill(RC);
  const diag = page.getByTestId('diagnostic');
  await diag.first().waitFor();
  assert.equal(await diag.count(), 1, 'one error, no cascade');
  const spawnLine = RC.split('\n').findIndex((l) => l.includes('thread::spawn')) + 1;
  assert.equal(await diag.first().getAttribute('data-line'), String(spawnLine));
  const text = await diag.first().innerText();
  assert.match(text, /E0277/);
  assert.match(text, /`Rc<Mutex<i32>>` cannot be sent between threads safely/);
  assert.match(text, /use `Arc`/);
  await screenshot(page, 'rust-rc');
  assert.equal(await editor.inputValue(), RC, 'the text is kept');
  // Back to Arc: it runs again.
  await editor.fill(ARC);
  await page.waitForFunction(() => document.querySelector('[data-testid=diagnostics]')?.dataset.errors === '0');
  assert.equal(await page.getByTestId('play').isDisabled(), false);
  assert.deepEqual(errors, []);
  await page.close();
});

// The std docs' Condvar pair, with the classic mistake: main waits once, without checking
// the flag, so a notification sent before it waits is lost.
const LOST_WAKEUP = `use std::sync::{Arc, Condvar, Mutex};
use std::thread;

fn main() {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let pair2 = Arc::clone(&pair);
    let t = thread::spawn(move || {
        let (lock, cvar) = &*pair2;
        *lock.lock().unwrap() = true;
        cvar.notify_one();
    });
    let (lock, cvar) = &*pair;
    let started = lock.lock().unwrap();
    let _started = cvar.wait(started).unwrap();
    drop(_started);
    t.join().unwrap();
}
`;

test('a Condvar wait without a re-check: the explorer finds the lost wake-up, and the memory panel shows the waiter', async () => {
  const { page, errors } = await fresh();
  await page.getByTestId('editor').fill(LOST_WAKEUP);
  await page.waitForFunction(() => document.querySelector('[data-testid=diagnostics]')?.dataset.errors === '0');
  await page.getByTestId('explore-start').click();
  await page.getByTestId('explore-verdict').waitFor({ timeout: 60_000 });
  const ends = await page.getByTestId('outcome-row').evaluateAll((bs) => bs.map((b) => b.dataset.end));
  assert.deepEqual([...new Set(ends)].sort(), ['deadlock', 'ok']);
  const row = page.locator('[data-testid=outcome-row][data-end=deadlock]').first();
  assert.match(await row.locator('xpath=..').innerText(), /Deadlock/);
  // Follow it: the run deadlocks with main waiting on the condvar, nobody left to notify.
  await row.click();
  await page.getByTestId('speed').selectOption('1000');
  await page.getByTestId('play').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=outcome]')?.dataset.end === 'deadlock', null, { timeout: 30_000 });
  assert.match(await page.getByTestId('outcome').innerText(), /waits on condvar `pair\.1`.*notification sent before it waited is lost/s);
  const cv = page.locator('[data-testid=condvar][data-name="pair.1"]');
  assert.equal(await cv.getAttribute('data-waiting'), '1');
  assert.match(await cv.innerText(), /main/);
  await screenshot(page, 'rust-condvar-lost-wakeup');
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});

// The shape of listing 16-10 with made strings, and a vector behind a lock.
const STRINGS = `use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

fn main() {
    let (tx, rx) = mpsc::channel();
    let log = Arc::new(Mutex::new(Vec::new()));
    let l = Arc::clone(&log);
    thread::spawn(move || {
        for i in 1..=3 {
            tx.send(format!("hi #{i}")).unwrap();
            l.lock().unwrap().push(i);
        }
    });
    thread::sleep(Duration::from_millis(100));
    for received in rx {
        println!("Got: {received}");
    }
    println!("{:?}", log.lock().unwrap());
}
`;

test('a channel shows its messages and a locked vector its elements as the program prints them', async () => {
  const { page, errors } = await fresh();
  await page.getByTestId('editor').fill(STRINGS);
  await page.waitForFunction(() => document.querySelector('[data-testid=diagnostics]')?.dataset.errors === '0');
  const scrub = page.getByTestId('scrub');
  const max = Number(await scrub.getAttribute('max'));
  // While main sleeps, the three messages wait in the channel, as strings.
  let seen = null;
  for (let t = 0; t <= max && seen === null; t += 1) {
    await scrub.fill(String(t));
    if (await page.getByTestId('channel').count() === 0) continue;
    const buffer = await page.getByTestId('channel').first().getAttribute('data-buffer');
    if (buffer.split(',').length === 3) seen = buffer;
  }
  assert.equal(seen, '"hi #1","hi #2","hi #3"');
  await screenshot(page, 'rust-channel-strings');
  await scrub.fill(String(max));
  assert.match(await page.getByTestId('mutex').first().innerText(), /\[1, 2, 3\]/);
  const printed = await page.getByTestId('printed').evaluateAll((ls) => ls.map((l) => l.querySelector('code').innerText));
  assert.deepEqual(printed, ['Got: hi #1', 'Got: hi #2', 'Got: hi #3', '[1, 2, 3]']);
  assert.deepEqual(errors, []);
  await page.close();
});
