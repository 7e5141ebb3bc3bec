// A developer's look at the page (not a test): screenshots of the first screen at a laptop,
// a phone and an embed's size, with where the key parts sit. `node e2e/look.mjs [preset]`.
import { serve, browser, ARTIFACTS } from './harness.mjs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

const preset = process.argv[2] ?? 'lost-update';
const server = await serve({ headers: { 'Access-Control-Allow-Origin': '*' }, pages: {
  '/course.html': `<!doctype html><body style="max-width:70rem;margin:2rem auto;font:16px system-ui">
    <h1>Week 5</h1><iframe id="e" src="/?embed=1" width="100%" height="${process.env.EMBED_H ?? 640}" style="border:1px solid #ccc"></iframe></body>`,
} });
const chrome = await browser();
await mkdir(ARTIFACTS, { recursive: true });
const parts = ['[data-testid=play]', '[data-testid=gantt]', '[data-testid=editor]', '[data-testid=narration]', '[data-testid=lesson]'];
for (const [name, w, h] of [['laptop', 1366, 768], ['phone', 390, 844]]) {
  const page = await chrome.context.newPage();
  await page.setViewportSize({ width: w, height: h });
  await page.goto(server.url);
  await page.getByTestId('gantt').first().waitFor();
  await page.locator(`[data-preset="${preset}"]`).first().evaluate((b) => b.click());
  await page.waitForTimeout(300);
  const boxes = {};
  for (const p of parts) boxes[p] = await page.locator(p).first().boundingBox();
  console.log(name, JSON.stringify(boxes), 'doc height', await page.evaluate(() => document.documentElement.scrollHeight));
  await page.screenshot({ path: join(ARTIFACTS, `look-${name}.png`) });
  await page.close();
}
const page = await chrome.context.newPage();
await page.setViewportSize({ width: 1366, height: 900 });
await page.goto(`${server.url}course.html`);
const frame = page.frameLocator('#e');
await frame.getByTestId('gantt').first().waitFor();
await page.screenshot({ path: join(ARTIFACTS, 'look-embed.png') });
await chrome.close();
await server.close();
