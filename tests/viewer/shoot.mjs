// Development helper: screenshots of every page against the fixture server.
//   node tests/viewer/shoot.mjs
import fs from 'node:fs';
import {startFixtureServer} from './lib/fixture-server.mjs';
import {launchBrowser, SCREENSHOTS} from './lib/browser.mjs';

const server = await startFixtureServer();
const browser = await launchBrowser();
fs.mkdirSync(SCREENSHOTS, {recursive: true});
const page = await browser.context.newPage();
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
const [blogList, blogError, login, big] = server.traces;
const shots = [
  ['dev-search', `${server.url}/`, '.result'],
  ['dev-trace', `${server.url}/trace/${blogError.traceId}?span=${blogError.spans[4].spanId}`, '.details'],
  ['dev-big', `${server.url}/trace/${big.traceId}`, '.wf-row'],
  ['dev-deps', `${server.url}/dependencies`, '.deps-node'],
  ['dev-notfound', `${server.url}/trace/0123456789abcdef0123456789abcdef`, '.notice'],
];
for (const [name, url, selector] of shots) {
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector(selector);
  console.log(name, Date.now() - t0, 'ms', await page.evaluate(() => document.querySelector('.waterfall')?.dataset.buildMs));
  await page.screenshot({path: `${SCREENSHOTS}/${name}.png`, fullPage: name !== 'dev-big'});
}
await browser.close();
await server.close();
