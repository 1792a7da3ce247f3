// The viewer's browser tests, run against any server that serves the viewer and the Jaeger
// query API: the fixture server (fixture.test.mjs) or the real collector (collector.test.mjs).
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {launchBrowser, SCREENSHOTS} from './browser.mjs';

// Bounded waits: generous, because the machine running the tests may be busy.
const WAIT = {timeout: 20_000};

// Defines the suite. `start()` resolves to {url, traces: {blogList, blogError, login, big},
// close()}; the traces are those of traces.mjs, already readable through the query API.
export function viewerSuite(mode, start) {
  describe(`viewer (${mode})`, () => {
    let server;
    let browser;
    let page;
    const pageErrors = [];

    before(async () => {
      server = await start();
      browser = await launchBrowser();
      page = await browser.context.newPage();
      page.setDefaultTimeout(WAIT.timeout);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      fs.mkdirSync(SCREENSHOTS, {recursive: true});
    });
    after(async () => {
      if (browser) await browser.close();
      if (server) await server.close();
    });

    const shot = (name) => page.screenshot({path: path.join(SCREENSHOTS, `${mode}-${name}.png`), fullPage: true});
    const rowNames = () => page.$$eval('.wf-row:not([hidden])', (rows) => rows.map((r) =>
      `${'  '.repeat(Number(r.getAttribute('aria-level')) - 1)}${r.querySelector('.wf-svc').textContent} ` +
      `${r.querySelector('.wf-op').textContent}`));
    const fact = (label) => page.locator('.trace-facts .fact', {hasText: label}).locator('dd').textContent();
    const detailsFact = (label) => page.locator('.details .facts dt', {hasText: new RegExp(`^${label}$`)})
        .locator('xpath=following-sibling::dd[1]').textContent();

    it('search page: services, operations, scatter plot and result list', async () => {
      await page.goto(`${server.url}/`);
      await page.waitForSelector('#f-service:not([disabled])');
      const services = await page.$$eval('#f-service option', (os) => os.map((o) => o.value));
      for (const name of ['authen', 'author', 'blog', 'user']) assert.ok(services.includes(name), `service ${name} listed`);
      await page.selectOption('#f-service', 'blog');
      await page.waitForFunction(() => [...document.querySelectorAll('#f-operation option')].some((o) => o.value === 'GET /blogs'));
      const ops = await page.$$eval('#f-operation option', (os) => os.map((o) => o.value));
      assert.equal(ops[0], '', 'first operation choice is "all"');
      for (const op of ['GET /blogs', 'POST /blogs', 'SELECT blogs']) assert.ok(ops.includes(op), `operation ${op} listed`);
      await page.click('button:has-text("Find traces")');
      await page.waitForSelector('.result');
      assert.match(page.url(), /\/search\?service=blog&lookback=1h&limit=20/);
      const ids = await page.$$eval('.result', (items) => items.map((i) => i.dataset.traceId));
      const {blogList, blogError, big, login} = server.traces;
      for (const t of [blogList, blogError, big]) assert.ok(ids.includes(t.traceId), `trace ${t.traceId} found`);
      assert.ok(!ids.includes(login.traceId), 'the login trace (authen, user) is not a blog trace');
      assert.equal(await page.locator('.scatter .dot').count(), ids.length, 'one dot per trace');
      assert.equal(await page.locator('.scatter .dot-error').count(), 1, 'the error trace is a red dot');

      const errorItem = page.locator(`.result[data-trace-id="${blogError.traceId}"]`);
      assert.equal(await errorItem.locator('.result-name').textContent(), 'blog: POST /blogs');
      assert.equal((await errorItem.locator('.result-duration').textContent()), '42ms');
      assert.match(await errorItem.locator('.result-meta').textContent(), /7 spans.*3 errors/);
      assert.deepEqual(await errorItem.locator('.chip').allTextContents(), ['blog53 err', 'author2']);
      // Most recent first by default; the 2,000-span trace is the longest.
      assert.equal(ids.indexOf(big.traceId), 0, 'newest trace first');
      await page.selectOption('#f-sort', 'longest');
      const longest = await page.$$eval('.result', (items) => items.map((i) => i.dataset.traceId));
      assert.deepEqual(longest.slice(0, 2), [big.traceId, blogError.traceId]);
      assert.match(page.url(), /sort=longest/);
      await shot('search');
      // The red dot opens the error trace; Back returns to the same search.
      await page.click('.scatter .dot-error');
      await page.waitForSelector('.wf-row');
      assert.equal(new URL(page.url()).pathname, `/trace/${blogError.traceId}`);
      await page.goBack();
      await page.waitForSelector('.result');
      assert.equal(await page.inputValue('#f-sort'), 'longest');
      // Keyboard: a focused dot opens its trace with Enter.
      await page.focus(`.scatter .dot[data-trace-id="${blogList.traceId}"]`);
      await page.keyboard.press('Enter');
      await page.waitForFunction((id) => document.querySelector('[data-testid=trace-id]')?.textContent === id, blogList.traceId);
    });

    it('search filters: operation, tags, durations, and form errors', async () => {
      const {blogError, big} = server.traces;
      await page.goto(`${server.url}/search?service=blog&operation=${encodeURIComponent('POST /blogs')}&lookback=1h&limit=20`);
      await page.waitForSelector('.result');
      assert.deepEqual(await page.$$eval('.result', (is) => is.map((i) => i.dataset.traceId)), [blogError.traceId]);
      assert.equal(await page.inputValue('#f-operation'), 'POST /blogs', 'the form shows the URL state');

      await page.selectOption('#f-operation', '');
      await page.fill('#f-tags', 'error=true');
      await page.click('button:has-text("Find traces")');
      await page.waitForFunction(() => !document.querySelector('.results .loading'));
      assert.deepEqual(await page.$$eval('.result', (is) => is.map((i) => i.dataset.traceId)), [blogError.traceId]);

      await page.fill('#f-tags', '');
      await page.fill('#f-min', '1s');
      await page.click('button:has-text("Find traces")');
      await page.waitForFunction(() => !document.querySelector('.results .loading'));
      assert.deepEqual(await page.$$eval('.result', (is) => is.map((i) => i.dataset.traceId)), [big.traceId]);

      await page.fill('#f-min', '');
      await page.fill('#f-max', '1.5 seconds');
      await page.click('button:has-text("Find traces")');
      assert.match(await page.locator('.form-error').textContent(), /Max duration: use a duration like 100ms/);
      assert.equal(await page.getAttribute('#f-max', 'aria-invalid'), 'true');
      await page.fill('#f-max', '500us');  // no blog span is that short
      await page.click('button:has-text("Find traces")');
      await page.waitForSelector('.notice-info');
      assert.match(await page.locator('.notice-info').textContent(), /No traces found/);
    });

    it('trace page: header, waterfall tree and span details', async () => {
      const {blogList} = server.traces;
      await page.goto(`${server.url}/search?service=blog&lookback=1h&limit=20`);
      await page.click(`.result[data-trace-id="${blogList.traceId}"] .result-head`);
      await page.waitForSelector('.wf-row');
      assert.equal(new URL(page.url()).pathname, `/trace/${blogList.traceId}`);
      assert.equal(await page.locator('.trace-title').textContent(), 'blog: GET /blogs');
      assert.equal(await fact('Trace ID'), blogList.traceId);
      assert.equal(await fact('Duration'), '18ms');
      assert.equal(await fact('Services'), '2');
      assert.equal(await fact('Depth'), '4');
      assert.equal(await fact('Total spans'), '5');
      assert.equal(await fact('Errors'), '0');
      assert.deepEqual(await rowNames(), [
        'blog GET /blogs',
        '  blog POST /authorize',
        '    author POST /authorize',
        '      author jwt.verify',
        '  blog SELECT blogs',
      ]);
      assert.deepEqual(await page.locator('.wf-ruler .wf-tick').allTextContents(), ['0ms', '4.5ms', '9ms', '13.5ms', '18ms']);
      // Critical path: the root, then SELECT blogs (last to finish), then the authorize chain.
      const critical = await page.$$eval('.wf-row.wf-critical .wf-op', (els) => els.map((e) => e.textContent));
      assert.deepEqual(critical, ['GET /blogs', 'POST /authorize', 'POST /authorize', 'jwt.verify', 'SELECT blogs']);

      const verify = blogList.spans[3];
      await page.click('.wf-row:has(.wf-op:text-is("jwt.verify"))');
      await page.waitForSelector(`.details[data-span-id="${verify.spanId}"]`);
      assert.equal(new URL(page.url()).searchParams.get('span'), verify.spanId, 'the URL names the selected span');
      assert.equal(await page.locator('.details-title').textContent(), 'jwt.verify');
      assert.equal(await detailsFact('Span ID'), verify.spanId);
      assert.equal(await detailsFact('Parent ID'), blogList.spans[2].spanId);
      assert.equal(await detailsFact('Kind'), 'internal');
      assert.equal(await detailsFact('Duration'), '2.4ms');
      assert.match(await detailsFact('Start'), /^\+1\.5ms/);
      assert.match(await detailsFact('Service'), /author/);
      const attrs = await page.$$eval('.details-section:has(h3:text("Attributes")) tr',
          (trs) => Object.fromEntries(trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('.kv-value').textContent])));
      assert.equal(attrs['jwt.alg'], 'RS256');
      assert.equal(attrs['span.kind'], 'internal');
      const event = page.locator('.details .event');
      assert.equal(await event.count(), 1);
      assert.match(await event.textContent(), /\+3\.8ms\s*token\.verified.*jwt\.sub\s*u-42/s);
      const resource = await page.locator('.details-section:has(h3:text("Resource"))').textContent();
      assert.match(resource, /host\.name\s*author-host/);
      await shot('trace');

      // The parent id is a button that moves the selection.
      await page.click('.details .facts button');
      await page.waitForSelector(`.details[data-span-id="${blogList.spans[2].spanId}"]`);
      assert.equal(await page.locator('.wf-row.wf-selected .wf-op').textContent(), 'POST /authorize');
      await page.click('button[aria-label="Close span details"]');
      assert.ok(await page.locator('.details-panel').isHidden());
    });

    it('trace page: errors, status, exception event, links and critical path', async () => {
      const {blogError} = server.traces;
      const [, , , , insert, retry] = blogError.spans;
      await page.goto(`${server.url}/trace/${blogError.traceId}`);
      await page.waitForSelector('.wf-row');
      assert.equal(await fact('Errors'), '3');
      assert.equal(await page.locator('.wf-row.wf-error').count(), 3);
      assert.deepEqual(await page.$$eval('.wf-row.wf-error .wf-op', (els) => els.map((e) => e.textContent)),
          ['POST /blogs', 'INSERT blogs', 'INSERT blogs']);
      await page.click(`.wf-row[data-span-id="${insert.spanId}"]`);
      await page.waitForSelector(`.details[data-span-id="${insert.spanId}"]`);
      assert.equal(await detailsFact('Status'), 'ERROR: database is locked');
      assert.match(await page.locator('.details-error').textContent(), /error=true: database is locked/);
      assert.match(await page.locator('.details .event').textContent(),
          /\+37\.4ms\s*exception.*exception\.message\s*database is locked.*exception\.type\s*sqlite\.SQLITE_BUSY/s);
      // blog.retry links (FOLLOWS_FROM) to the failed INSERT, in the same trace: clickable.
      await page.click(`.wf-row[data-span-id="${retry.spanId}"]`);
      const linkButton = page.locator('.details-section:has(h3:text("Links")) button');
      assert.equal(await linkButton.textContent(), 'blog: INSERT blogs');
      await linkButton.click();
      await page.waitForSelector(`.details[data-span-id="${insert.spanId}"]`);
      assert.match(await detailsFact('Critical path'), /^30ms \(71% of the trace\)$/);
      const critical = await page.$$eval('.wf-row.wf-critical', (rows) => rows.map((r) => r.dataset.spanId));
      assert.deepEqual(critical, [blogError.spans[0], blogError.spans[1], blogError.spans[2], blogError.spans[3],
        insert, retry, blogError.spans[6]].map((s) => s.spanId));
      await page.uncheck('#show-critical');
      assert.ok(await page.locator('.wf-cp').first().isHidden(), 'the critical path can be hidden');
      await page.check('#show-critical');
      await shot('trace-error');
    });

    it('waterfall: collapse, expand and keyboard', async () => {
      const {blogList} = server.traces;
      await page.goto(`${server.url}/trace/${blogList.traceId}`);
      await page.waitForSelector('.wf-row');
      await page.click(`.wf-row[data-span-id="${blogList.spans[1].spanId}"] .wf-toggle`);
      assert.deepEqual(await rowNames(), ['blog GET /blogs', '  blog POST /authorize', '  blog SELECT blogs']);
      await page.click('button:has-text("Collapse all")');
      assert.deepEqual(await rowNames(), ['blog GET /blogs']);
      await page.click('button:has-text("Expand all")');
      assert.equal((await rowNames()).length, 5);
      // Keyboard: focus the root row, ← collapses, → expands, ↓ moves, Enter opens details.
      await page.focus(`.wf-row[data-span-id="${blogList.spans[0].spanId}"]`);
      await page.keyboard.press('ArrowLeft');
      assert.deepEqual(await rowNames(), ['blog GET /blogs']);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForSelector(`.details[data-span-id="${blogList.spans[2].spanId}"]`);
      assert.equal(await page.evaluate(() => document.activeElement.dataset.spanId), blogList.spans[2].spanId);
    });

    it('find in trace marks matching spans and Enter selects them', async () => {
      const {blogList} = server.traces;
      await page.goto(`${server.url}/trace/${blogList.traceId}`);
      await page.waitForSelector('.wf-row');
      await page.fill('#find-in-trace', 'RS256');
      assert.equal(await page.locator('#find-count').textContent(), '1 match');
      assert.deepEqual(await page.$$eval('.wf-row.wf-match', (rs) => rs.map((r) => r.dataset.spanId)), [blogList.spans[3].spanId]);
      await page.fill('#find-in-trace', 'author');
      assert.equal(await page.locator('#find-count').textContent(), '3 matches');
      await page.press('#find-in-trace', 'Enter');
      await page.waitForSelector(`.details[data-span-id="${blogList.spans[1].spanId}"]`);
      assert.equal(await page.locator('#find-count').textContent(), '1 of 3');
      await page.fill('#find-in-trace', '');
      assert.equal(await page.locator('.wf-row.wf-match').count(), 0);
    });

    it('deep links and the open-trace box (trace id or traceresponse value)', async () => {
      const {blogList, blogError} = server.traces;
      const target = blogError.spans[5];
      await page.goto(`${server.url}/trace/${blogError.traceId}?span=${target.spanId}`);
      await page.waitForSelector(`.details[data-span-id="${target.spanId}"]`);
      assert.equal(await page.locator('.wf-row.wf-selected').getAttribute('data-span-id'), target.spanId);
      assert.equal(await page.locator('.details-title').textContent(), 'blog.retry');

      // A traceresponse header value opens the trace with that span selected.
      await page.fill('#open-trace-id', `00-${blogList.traceId}-${blogList.spans[4].spanId}-01`);
      await page.press('#open-trace-id', 'Enter');
      await page.waitForSelector(`.details[data-span-id="${blogList.spans[4].spanId}"]`);
      assert.equal(new URL(page.url()).pathname, `/trace/${blogList.traceId}`);
      assert.ok(await page.locator('.wf-row.wf-flash').count() === 1, 'the span is highlighted');
      // A bare trace id (upper case accepted) opens the trace.
      await page.fill('#open-trace-id', blogError.traceId.toUpperCase());
      await page.click('#open-trace button');
      await page.waitForFunction((id) => document.querySelector('[data-testid=trace-id]')?.textContent === id, blogError.traceId);
      // Anything else is refused in place.
      await page.fill('#open-trace-id', 'not-a-trace');
      await page.press('#open-trace-id', 'Enter');
      assert.match(await page.locator('#open-trace-error').textContent(), /Enter a trace id/);
      assert.equal(new URL(page.url()).pathname, `/trace/${blogError.traceId}`);
      // A span the trace does not contain: a notice, the trace still shows.
      await page.goto(`${server.url}/trace/${blogList.traceId}?span=00000000000000aa`);
      await page.waitForSelector('.notice-warning');
      assert.match(await page.locator('.notice-warning').textContent(), /Span not in this trace/);
      assert.equal(await page.locator('.wf-row').count(), 5);
    });

    it('errors: unknown trace, unreachable API', async () => {
      await page.goto(`${server.url}/trace/0123456789abcdef0123456789abcdef`);
      await page.waitForSelector('.notice-error');
      assert.match(await page.locator('.notice-error').textContent(), /Trace not found.*0123456789abcdef0123456789abcdef/s);
      await shot('not-found');
      await page.route('**/api/**', (route) => route.abort('connectionrefused'));
      try {
        await page.goto(`${server.url}/search`);
        await page.waitForSelector('.notice-error');
        assert.match(await page.locator('.notice-error').textContent(), /Cannot reach the query API/);
        await page.goto(`${server.url}/trace/${server.traces.blogList.traceId}`);
        await page.waitForSelector('.notice-error');
        assert.match(await page.locator('.notice-error').textContent(), /Cannot reach the query API/);
      } finally {
        await page.unroute('**/api/**');
      }
    });

    it('a 2,000-span trace renders quickly and collapses', async () => {
      const {big} = server.traces;
      const started = Date.now();
      await page.goto(`${server.url}/trace/${big.traceId}`);
      await page.waitForSelector('.wf-row');
      const elapsed = Date.now() - started;
      assert.equal(await page.locator('.wf-row').count(), 2000);
      assert.equal(await fact('Total spans'), '2000');
      const buildMs = Number(await page.getAttribute('.waterfall', 'data-build-ms'));
      // Budgets hold on a busy 2-core machine; an idle one takes a fraction of them.
      assert.ok(buildMs < 3000, `model and rows built in ${buildMs} ms`);
      assert.ok(elapsed < 15000, `page ready in ${elapsed} ms`);
      const toggleMs = await page.evaluate(() => {
        const t = performance.now();
        document.querySelector('.trace-toolbar button:nth-child(2)').click();  // Collapse all
        document.body.offsetHeight;  // force the layout the change causes
        return performance.now() - t;
      });
      assert.equal(await page.locator('.wf-row:not([hidden])').count(), 1);
      assert.ok(toggleMs < 1500, `collapse all took ${toggleMs} ms`);
      await page.click('button:has-text("Expand all")');
      assert.equal(await page.locator('.wf-row:not([hidden])').count(), 2000);
      const last = big.spans[big.spans.length - 1];
      await page.goto(`${server.url}/trace/${big.traceId}?span=${last.spanId}`);
      await page.waitForSelector(`.details[data-span-id="${last.spanId}"]`);
      assert.ok(await page.locator(`.wf-row[data-span-id="${last.spanId}"]`).isVisible(), 'deep-linked row scrolled into view');
      console.log(`# 2,000-span trace: page ready in ${elapsed} ms, model+rows ${buildMs} ms, collapse all ${Math.round(toggleMs)} ms`);
      await page.screenshot({path: path.join(SCREENSHOTS, `${mode}-big-trace.png`)});
    });

    it('dependencies page: graph and table', async () => {
      await page.goto(`${server.url}/dependencies`);
      await page.waitForSelector('.deps-node');
      const nodes = await page.$$eval('.deps-node', (ns) => ns.map((n) => n.dataset.service).sort());
      for (const name of ['author', 'blog']) assert.ok(nodes.includes(name), `node ${name}`);
      for (const name of ['authen', 'user']) assert.ok(nodes.includes(name), `node ${name}`);
      const rows = await page.$$eval('.deps-table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
      const edge = (a, b) => rows.find(([p, c]) => p === a && c === b);
      assert.ok(edge('blog', 'author'), 'blog calls author');
      assert.ok(edge('authen', 'user'), 'authen calls user');
      assert.ok(Number(edge('blog', 'author')[2]) > Number(edge('authen', 'user')[2]), 'call counts shown');
      assert.equal(await page.locator('.deps-edge').count(), rows.length);
      // Layered: callers left of callees.
      const x = async (name) => (await page.locator(`.deps-node[data-service="${name}"]`).boundingBox()).x;
      assert.ok((await x('blog')) < (await x('author')));
      assert.ok((await x('authen')) < (await x('user')));
      await shot('dependencies');
    });

    it('no script errors on any page', () => {
      assert.deepEqual(pageErrors, []);
    });
  });
}
