// Black-box resilience cases on a second, separate system: a stopped dependency gives 503
// `unavailable` within the upstream timeout, a 201 blog survives kill -9 of the blog service
// (the launcher restarts it), and an expired token (JWT_TTL_SECONDS=1, past the 60 s leeway) is
// refused. Then SIGTERM stops everything.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { System, servicePid, alive } from './lib/system.mjs';
import { request } from './lib/http.mjs';
import { assertError, assertStatus, describeRes } from './lib/assert_helpers.mjs';
import { decode } from './lib/jwt.mjs';

// Generous: the login path includes Argon2id in the user service, slow on a loaded machine.
const UPSTREAM_TIMEOUT_MS = 6000;
const sys = new System({ JWT_TTL_SECONDS: '1', UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS) });
const fx = {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const getBlogs = (path) => request(sys.url('blog', path), { headers: { Authorization: `Bearer ${fx.token}` } });

before(async () => {
  await sys.start();
  const username = `res_${process.pid}`;
  const u = await request(sys.url('user', '/users'), { method: 'POST', headers: { 'X-Admin-Key': sys.adminKey }, body: { username, password: 'correct horse', permission: 'WRITE' } });
  assert.equal(u.status, 201, describeRes(u));
  let lg;
  for (let i = 0; i < 3; i++) {  // a 503 here is the (short) upstream timeout on a loaded machine
    lg = await request(sys.url('authen', '/login'), { method: 'POST', body: { username, password: 'correct horse' } });
    if (lg.status !== 503) break;
  }
  assert.equal(lg.status, 200, describeRes(lg));
  fx.token = lg.json.token;
  fx.exp = decode(fx.token).payload.exp;
  assert.equal(lg.json.expires_in, 1);
}, { timeout: 180000 });

after(() => sys.forceCleanup());

test('a 201 blog survives kill -9 of the blog service (restarted by the launcher)', async () => {
  const made = await request(sys.url('blog', '/blogs'), { method: 'POST', headers: { Authorization: `Bearer ${fx.token}` }, body: { title: 'durable', content: 'survives kill -9' } });
  assertStatus(made, 201);
  const pid = servicePid(sys.pid, 'blog');
  assert.ok(pid, 'blog service process not found among the launcher\'s children');
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
  assert.ok(!alive(pid), 'blog service still alive after SIGKILL');
  assert.ok(await sys.waitHealthy('blog', 60000), 'blog service not restarted within 60 s');
  const newPid = servicePid(sys.pid, 'blog');
  assert.ok(newPid && newPid !== pid, 'a new blog process');
  const back = await getBlogs(`/blogs/${encodeURIComponent(made.json.id)}`);
  assertStatus(back, 200);
  assert.deepEqual(back.json, made.json);
});

test('author service stopped (SIGSTOP) → GET /blogs 503 unavailable within the upstream timeout; SIGCONT → 200', async () => {
  const pid = servicePid(sys.pid, 'author');
  assert.ok(pid, 'author service process not found');
  assertStatus(await getBlogs('/blogs'), 200);
  process.kill(pid, 'SIGSTOP');
  let res;
  const t0 = Date.now();
  try {
    res = await getBlogs('/blogs?limit=1');
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  const took = Date.now() - t0;
  assertError(res, 503);
  assert.ok(took < UPSTREAM_TIMEOUT_MS * 3 + 2000, `503 took ${took} ms (timeout ${UPSTREAM_TIMEOUT_MS} ms)`);
  let again;
  for (let i = 0; i < 50; i++) {
    again = await getBlogs('/blogs');
    if (again.status === 200) break;
    await sleep(200);
  }
  assertStatus(again, 200);
});

test('author service killed → blog answers 503 (or 200 once restarted), never 500; all well again after', async () => {
  const pid = servicePid(sys.pid, 'author');
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(20);
  const res = await getBlogs('/blogs');
  assert.ok([200, 503].includes(res.status), describeRes(res));
  if (res.status === 503) assertError(res, 503);
  assert.ok(await sys.waitHealthy('author', 60000), 'author not restarted');
  assertStatus(await getBlogs('/blogs'), 200);
});

test('a token past exp + 60 s leeway is refused (401) by author and blog', { timeout: 120000 }, async () => {
  // Within the leeway it is still good (checked above); now wait until exp + 62 s.
  const wait = (fx.exp + 62) * 1000 - Date.now();
  if (wait > 0) await sleep(wait);
  assertError(await request(sys.url('author', '/authorize'), { method: 'POST', headers: { Authorization: `Bearer ${fx.token}` }, body: { permission: 'READ' } }), 401);
  assertError(await getBlogs('/blogs'), 401);
});

test('SIGTERM stops the launcher (exit 0) and leaves no child process', async () => {
  const { exit, survivors, kids } = await sys.stop(30000);
  assert.ok(kids.length >= 5, `expected at least 5 children, saw ${kids.length}`);
  assert.ok(exit, `launcher did not exit within 30 s of SIGTERM\n${sys.log.slice(-3000)}`);
  assert.deepEqual(survivors, [], 'children survived the launcher');
  assert.equal(exit.code, 0, `launcher exit ${JSON.stringify(exit)}\n${sys.log.slice(-3000)}`);
});
