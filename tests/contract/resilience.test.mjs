// Black-box resilience cases on a second, separate system: a stopped dependency gives 503
// `unavailable` within the upstream timeout, a 201 blog survives kill -9 of the blog service
// (the launcher restarts it), and an expired token (JWT_TTL_SECONDS=1, past the 60 s leeway) is
// refused. Then SIGTERM stops everything.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { System, servicePid, alive, binaryPath, freePort } from './lib/system.mjs';
import { request, TRACERESPONSE_RE } from './lib/http.mjs';
import { assertError, assertStatus, describeRes } from './lib/assert_helpers.mjs';
import { decode } from './lib/jwt.mjs';

// Generous: the login path includes Argon2id in the user service, slow on a loaded machine.
const UPSTREAM_TIMEOUT_MS = 6000;
const sys = new System({ JWT_TTL_SECONDS: '1', UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS), ADMIN_KEY: null });
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

test('generated secrets: admin.key, internal.key, jwt-private.pem are mode 0600; the admin key is printed once', () => {
  for (const f of ['admin.key', 'internal.key', 'jwt-private.pem']) {
    const mode = fs.statSync(path.join(sys.dataDir, f)).mode & 0o777;
    assert.equal(mode.toString(8), '600', `${f} mode`);
  }
  assert.ok(fs.existsSync(path.join(sys.dataDir, 'jwt-public.pem')), 'jwt-public.pem generated');
  assert.ok(sys.adminKey.length >= 16, 'admin key length');
  assert.ok(sys.log.includes(sys.adminKey), 'the generated admin key is printed');
  assert.ok(!sys.log.includes(sys.internalKey), 'the internal key is never printed');
  assert.ok(!/BEGIN [A-Z ]*PRIVATE KEY/.test(sys.log), 'no private key in the log');
});

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

test('`blogtrace serve user` alone with OTEL_SDK_DISABLED=true: traceresponse flags 00; SIGTERM → exit 0', { timeout: 120000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogtrace-contract-serve-'));
  const addr = `127.0.0.1:${await freePort()}`;
  const env = { ...process.env, DATA_DIR: dataDir, USER_ADDR: addr, OTEL_SDK_DISABLED: 'true', ADMIN_KEY: 'serve-admin-key-0123456789' };
  env.COLLECTOR_ADDR = `127.0.0.1:${await freePort()}`;  // nobody there: must not matter
  const child = spawn(binaryPath(), ['serve', 'user'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (c) => { log += c; });
  child.stderr.on('data', (c) => { log += c; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    let res;
    for (let i = 0; i < 200; i++) {
      try {
        res = await request(`http://${addr}/healthz`, { timeoutMs: 2000 });
        if (res.status === 200) break;
      } catch { /* not yet */ }
      await sleep(100);
    }
    assert.equal(res?.status, 200, `serve user not healthy: ${log}`);
    assert.match(String(res.headers.traceresponse), TRACERESPONSE_RE);
    assert.equal(res.headers.traceresponse.slice(-2), '00', res.headers.traceresponse);
    const err = await request(`http://${addr}/users`, { method: 'POST', body: {} });
    assertError(err, 401);
    assert.equal(err.headers.traceresponse.slice(-2), '00');
    child.kill('SIGTERM');
    const exit = await Promise.race([exited, sleep(20000).then(() => null)]);
    assert.ok(exit, 'serve user did not exit within 20 s of SIGTERM');
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}: ${log.slice(-2000)}`);
  } finally {
    if (alive(child.pid)) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('`blogtrace serve blog` with its author service absent: 503 unavailable; SIGTERM after that call → exit 0', { timeout: 120000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogtrace-contract-serve-'));
  const addr = `127.0.0.1:${await freePort()}`;
  const env = { ...process.env, DATA_DIR: dataDir, BLOG_ADDR: addr, AUTHOR_ADDR: `127.0.0.1:${await freePort()}`,
    COLLECTOR_ADDR: `127.0.0.1:${await freePort()}`, OTEL_SDK_DISABLED: 'true', UPSTREAM_TIMEOUT_MS: '1000' };
  const child = spawn(binaryPath(), ['serve', 'blog'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (c) => { log += c; });
  child.stderr.on('data', (c) => { log += c; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    let res;
    for (let i = 0; i < 200; i++) {
      try {
        res = await request(`http://${addr}/healthz`, { timeoutMs: 2000 });
        if (res.status === 200) break;
      } catch { /* not yet */ }
      await sleep(100);
    }
    assert.equal(res?.status, 200, `serve blog not healthy: ${log}`);
    // A well-formed token of the system's shape (the blog service must ask the author service).
    const tok = `${Buffer.from('{"alg":"RS256","typ":"JWT","kid":"k"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.${Buffer.alloc(256, 1).toString('base64url')}`;
    const t0 = Date.now();
    const r = await request(`http://${addr}/blogs`, { headers: { Authorization: `Bearer ${tok}` } });
    // Reading: the blog service may refuse a token locally (401) or ask the absent author (503);
    // never 500. With the author absent, 503 is what the contract describes.
    if (r.status === 401) assertError(r, 401); else assertError(r, 503);
    assert.ok(Date.now() - t0 < 10000, 'answered within the upstream timeout');
    child.kill('SIGTERM');
    const exit = await Promise.race([exited, sleep(20000).then(() => null)]);
    assert.ok(exit, 'serve blog did not exit within 20 s of SIGTERM');
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}: ${log.slice(-2000)}`);
  } finally {
    if (alive(child.pid)) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
