// What a program prints, in the page: the output panel shows each print up to the cursor,
// in the order of the simulated time, with the thread that printed it; the explorer's
// outcomes carry what each execution printed, so two that differ only there are two rows.
// Screenshots go to e2e/artifacts (output-*.png).
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

// The shape of the Rust Book's listing 16-1, shortened.
const PRINTS = `use std::thread;
use std::time::Duration;

fn main() {
    let handle = thread::spawn(|| {
        for i in 1..4 {
            println!("hi number {i} from the spawned thread!");
            thread::sleep(Duration::from_millis(1));
        }
    });
    for i in 1..3 {
        println!("hi number {} from the main thread!", i);
        thread::sleep(Duration::from_millis(1));
    }
    handle.join().unwrap();
    eprintln!("done");
}
`;

test('the output panel shows what was printed up to the cursor, by whom; the explorer tells outputs apart', async () => {
  const { page, errors } = await open(chrome.context, server.url);
  await page.addInitScript(() => localStorage.clear());
  await page.reload();
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.getByTestId('gantt').first().waitFor({ timeout: 30_000 });
  await page.getByTestId('predict-mode').uncheck();
  await page.getByTestId('editor').fill(PRINTS);
  await page.getByTestId('gantt').first().waitFor();

  // At the end of the run: six prints, each thread's own lines in its own order.
  const scrub = page.getByTestId('scrub');
  await scrub.fill(await scrub.getAttribute('max'));
  const printed = () => page.getByTestId('printed').evaluateAll((ls) => ls.map((l) => ({
    thread: l.dataset.thread, tick: Number(l.dataset.tick), text: l.querySelector('code').innerText,
    err: l.classList.contains('stderr'),
  })));
  const all = await printed();
  assert.equal(all.length, 6, JSON.stringify(all));
  const of = (who) => all.filter((p) => p.thread.startsWith(who)).map((p) => p.text);
  assert.deepEqual(of('main'), ['hi number 1 from the main thread!', 'hi number 2 from the main thread!', 'done']);
  assert.deepEqual(of('T1'), [1, 2, 3].map((i) => `hi number ${i} from the spawned thread!`));
  assert.ok(all.every((p, i) => i === 0 || all[i - 1].tick <= p.tick), 'in the order of the simulated time');
  assert.deepEqual(all.map((p) => p.err), [false, false, false, false, false, true]);
  await screenshot(page, 'output-end');
  assert.deepEqual(await axeViolations(page), []);

  // At the start nothing is printed yet, and the panel says how many prints are to come.
  await page.getByTestId('to-start').click();
  assert.equal(await page.getByTestId('printed').count(), 0);
  const panel = page.locator('section.output');
  assert.match(await panel.innerText(), /Nothing printed yet\.[\s\S]*6 more prints later in the run\./);

  // Every schedule: ten interleavings of the two threads' lines, each its own row.
  await page.getByTestId('explore-start').click();
  await page.getByTestId('explore-verdict').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('explore-verdict').getAttribute('data-complete'), 'true');
  const outputs = await page.getByTestId('outcome-output').allInnerTexts();
  assert.equal(outputs.length, 10);
  assert.equal(new Set(outputs).size, 10, 'the rows differ in what they print');
  for (const o of outputs) assert.match(o, /^hi number/);
  await screenshot(page, 'output-explored');
  assert.deepEqual(errors, []);
});
