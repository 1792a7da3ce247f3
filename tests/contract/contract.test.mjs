// Black-box contract suite (shared/API.md): runs the real `blogtrace up` and checks every row of
// the contract from the outside, as an outside checker would. Resilience cases (kill -9, a
// stopped dependency, token expiry) are in resilience.test.mjs with their own system.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { System } from './lib/system.mjs';
import { request, raw, TRACERESPONSE_RE } from './lib/http.mjs';
import { assertError, assertStatus, assertTraceresponse, RFC3339_UTC, describeRes, registerSecret } from './lib/assert_helpers.mjs';
import { b64u, b64uJson, decode, make, ownRsa, ownEc, unb64u } from './lib/jwt.mjs';

const TTL = 900;  // not the default 3600, so expires_in/exp-iat prove the variable is read
const sys = new System({ JWT_TTL_SECONDS: String(TTL) });
let seq = 0;
const uniq = (p = 'u') => `${p}_${process.pid}_${Date.now().toString(36)}_${seq++}`;

// ---- helpers over the system -------------------------------------------------------------
const createUser = (body, { key = sys.adminKey, headers = {} } = {}) =>
  request(sys.url('user', '/users'), {
    method: 'POST', body, headers: key === null ? headers : { 'X-Admin-Key': key, ...headers } });
const login = (username, password, headers = {}) =>
  request(sys.url('authen', '/login'), { method: 'POST', body: { username, password }, headers });
const authorize = (authHeader, body = { permission: 'READ' }, extra = {}) =>
  request(sys.url('author', '/authorize'), {
    method: 'POST', body, headers: authHeader === null ? extra : { Authorization: authHeader, ...extra } });
const bearer = (t) => `Bearer ${t}`;
const blogs = (path, { token, method = 'GET', body, headers = {} } = {}) =>
  request(sys.url('blog', path), {
    method, body, headers: token === undefined ? headers : { Authorization: bearer(token), ...headers } });

const fx = {};  // fixtures made in before(): users, tokens, jwks
const PASSWORD = 'correct horse battery';

before(async () => {
  await sys.start();
  for (const perm of ['READ', 'WRITE']) {
    const username = uniq(perm.toLowerCase());
    const res = await createUser({ username, password: PASSWORD, permission: perm });
    assert.equal(res.status, 201, `fixture user: ${describeRes(res)}`);
    const lg = await login(username, PASSWORD);
    assert.equal(lg.status, 200, `fixture login: ${describeRes(lg)}`);
    fx[perm] = { user: res.json, token: lg.json.token, login: lg.json };
  }
  const jwks = await request(sys.url('authen', '/.well-known/jwks.json'));
  fx.jwksRes = jwks;
  fx.jwk = jwks.json?.keys?.[0];
  fx.publicKey = crypto.createPublicKey({ key: fx.jwk, format: 'jwk' });
  // As the operator we hold DATA_DIR: with the system's own private key the claim rules are
  // tested for themselves (a good signature over bad claims), not just the signature check.
  fx.realKey = crypto.createPrivateKey(fs.readFileSync(path.join(sys.dataDir, 'jwt-private.pem')));
  registerSecret(sys.adminKey);
  registerSecret(sys.internalKey);
  const d = fx.realKey.export({ format: 'jwk' }).d;
  registerSecret(d.slice(0, 24));  // the private exponent, base64url
  const pemBody = fs.readFileSync(path.join(sys.dataDir, 'jwt-private.pem'), 'utf8').split('\n')[5];
  registerSecret(pemBody);  // a line from the middle of the private key PEM
}, { timeout: 180000 });

after(() => sys.forceCleanup());

// ---- user service ---------------------------------------------------------------------------
describe('user service: POST /users', () => {
  test('201 with id, username, permission, created_at (RFC 3339 UTC), no hash', async () => {
    const username = uniq('alice');
    const res = await createUser({ username, password: 'correct horse', permission: 'READ' });
    assertStatus(res, 201);
    assert.equal(typeof res.json.id, 'string');
    assert.ok(res.json.id.length > 0);
    assert.equal(res.json.username, username);
    assert.equal(res.json.permission, 'READ');
    assert.match(res.json.created_at, RFC3339_UTC);
    assert.ok(Math.abs(Date.parse(res.json.created_at) - Date.now()) < 120000, 'created_at is now');
    assert.doesNotMatch(res.text, /hash|argon|password|correct horse/i);
  });

  const badUsernames = {
    '2 chars': 'ab', '65 chars': 'a'.repeat(65), 'space': 'al ice', 'at sign': 'al@ce',
    'non-ASCII letter': 'ålice', 'slash': 'al/ice', 'empty': '', 'number': 12345, 'null': null,
    'array': ['alice'], 'object': { name: 'alice' }, 'missing': undefined,
  };
  for (const [what, username] of Object.entries(badUsernames)) {
    test(`400 username ${what}`, async () => {
      const body = { password: 'correct horse', permission: 'READ' };
      if (username !== undefined) body.username = username;
      assertError(await createUser(body), 400);
    });
  }
  test('201 username of 3 and of 64 characters of [A-Za-z0-9_.-]', async () => {
    const s = uniq('').replace(/^_/, '');
    for (const username of [`a.${seq++ % 10}`, `A-z_9.${s}`.padEnd(64, 'x').slice(0, 64)]) {
      const name = username.length === 3 ? `${'abcdefghijklmnopqrstuvwxyz'[seq % 26]}${'abcdefghijklmnopqrstuvwxyz'[(Date.now() >> 3) % 26]}${seq % 10}` : username;
      const res = await createUser({ username: name, password: 'correct horse', permission: 'WRITE' });
      // A 3-character name might exist from an earlier case of this run; 409 proves it passed validation.
      assert.ok([201, 409].includes(res.status), `${name}: ${describeRes(res)}`);
      assertTraceresponse(res);
    }
  });

  const badPasswords = {
    '7 bytes': 'x'.repeat(7), '129 bytes': 'x'.repeat(129),
    '65 two-byte characters (130 bytes)': 'é'.repeat(65), 'empty': '', 'number': 12345678,
    'null': null, 'missing': undefined,
  };
  for (const [what, password] of Object.entries(badPasswords)) {
    test(`400 password ${what}`, async () => {
      const body = { username: uniq(), permission: 'READ' };
      if (password !== undefined) body.password = password;
      assertError(await createUser(body), 400);
    });
  }
  const goodPasswords = {
    '8 bytes': 'x'.repeat(8), '128 bytes': 'y'.repeat(128),
    '4 two-byte characters (8 bytes)': 'éééé', '3 three-byte characters (9 bytes)': '€€€',
    '64 two-byte characters (128 bytes)': 'é'.repeat(64),
  };
  for (const [what, password] of Object.entries(goodPasswords)) {
    test(`201 password ${what}`, async () => {
      const res = await createUser({ username: uniq(), password, permission: 'READ' });
      assertStatus(res, 201);
    });
  }
  test('400 password of 7 characters but 7 bytes is refused while 4 chars of 8 bytes passes (bytes counted)', async () => {
    assertError(await createUser({ username: uniq(), password: 'é'.repeat(3) + 'x', permission: 'READ' }), 400);
  });

  for (const [what, permission] of Object.entries({ missing: undefined, unknown: 'ADMIN', 'lower-case': 'read', number: 1, null: null })) {
    test(`400 permission ${what}`, async () => {
      const body = { username: uniq(), password: 'correct horse' };
      if (permission !== undefined) body.permission = permission;
      assertError(await createUser(body), 400);
    });
  }
  for (const [what, body] of Object.entries({ array: '[]', string: '"alice"', number: '42', null: 'null', true: 'true' })) {
    test(`400 body that is not an object (${what})`, async () => {
      assertError(await createUser(body), 400);
    });
  }
  test('JSON escapes are decoded: "\\u0052EAD" is READ (201)', async () => {
    const res = await createUser(`{"username":"${uniq()}","password":"correct\\u0020horse","permission":"\\u0052EAD"}`);
    assertStatus(res, 201);
    assert.equal(res.json.permission, 'READ');
  });
  test('409 case-insensitive duplicate; the name is kept as given', async () => {
    const name = uniq('CaseUser');
    const first = await createUser({ username: name, password: 'correct horse', permission: 'READ' });
    assertStatus(first, 201);
    assert.equal(first.json.username, name);
    assertError(await createUser({ username: name.toLowerCase(), password: 'other horse', permission: 'WRITE' }), 409);
    assertError(await createUser({ username: name.toUpperCase(), password: 'other horse', permission: 'READ' }), 409);
    assertError(await createUser({ username: name, password: 'correct horse', permission: 'READ' }), 409);
    const got = await request(sys.url('user', `/users/${encodeURIComponent(first.json.id)}`), { headers: { 'X-Admin-Key': sys.adminKey } });
    assertStatus(got, 200);
    assert.equal(got.json.username, name);
  });
  test('401 without X-Admin-Key', async () => {
    assertError(await createUser({ username: uniq(), password: 'correct horse', permission: 'READ' }, { key: null }), 401);
  });
  for (const [what, key] of Object.entries({ wrong: 'x'.repeat(30), 'prefix of the key': null, 'key + suffix': null, empty: '' })) {
    test(`401 with ${what} admin key`, async () => {
      const k = what === 'prefix of the key' ? sys.adminKey.slice(0, -1) : what === 'key + suffix' ? sys.adminKey + 'x' : key;
      assertError(await createUser({ username: uniq(), password: 'correct horse', permission: 'READ' }, { key: k }), 401);
    });
  }
  test('order: wrong admin key + bad body → 401', async () => {
    assertError(await createUser('{not json', { key: 'wrong-wrong-wrong-wrong' }), 401);
    assertError(await createUser({ username: 'x' }, { key: 'wrong-wrong-wrong-wrong' }), 401);
    assertError(await request(sys.url('user', '/users'), { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } }), 401);
  });
  test('415 for text/plain with a good key, and for no content type', async () => {
    const body = JSON.stringify({ username: uniq(), password: 'correct horse', permission: 'READ' });
    assertError(await createUser(body, { headers: { 'Content-Type': 'text/plain' } }), 415);
    assertError(await createUser(body, { headers: { 'Content-Type': null } }), 415);
  });
  test('201 with application/json; charset=utf-8', async () => {
    const body = JSON.stringify({ username: uniq(), password: 'correct horse', permission: 'READ' });
    assertStatus(await createUser(body, { headers: { 'Content-Type': 'application/json; charset=utf-8' } }), 201);
  });
  test('400 invalid UTF-8 body', async () => {
    const body = Buffer.concat([Buffer.from(`{"username":"${uniq()}","password":"correct horse`), Buffer.from([0xff, 0xfe]), Buffer.from('","permission":"READ"}')]);
    assertError(await createUser(body), 400);
    const overlong = Buffer.concat([Buffer.from(`{"username":"${uniq()}","password":"correct horse`), Buffer.from([0xc0, 0xaf]), Buffer.from('","permission":"READ"}')]);
    assertError(await createUser(overlong), 400);
  });
  for (const [what, body] of Object.entries({ truncated: '{"username": "abc"', trailing: '{"username":"abcd","password":"correct horse","permission":"READ"} x', empty: '', 'single quotes': "{'username':'abc'}" })) {
    test(`400 invalid JSON (${what})`, async () => assertError(await createUser(body), 400));
  }
  test('unknown fields ignored; id, created_at in the body ignored', async () => {
    const username = uniq();
    const res = await createUser({ username, password: 'correct horse', permission: 'WRITE', id: 'forged-id', created_at: '1999-01-01T00:00:00Z', admin: true, hash: 'x' });
    assertStatus(res, 201);
    assert.notEqual(res.json.id, 'forged-id');
    assert.notEqual(res.json.created_at, '1999-01-01T00:00:00Z');
    assert.ok(!('admin' in res.json));
    const lg = await login(username, 'correct horse');
    assertStatus(lg, 200);
  });
});

describe('user service: uniqueness and matching edge cases', () => {
  test('concurrent creation of one name in different cases: exactly one 201, the rest 409', async () => {
    const base = uniq('Race');
    const variants = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? base.toUpperCase() : i % 3 === 1 ? base.toLowerCase() : base));
    const results = await Promise.all(variants.map((username) => createUser({ username, password: 'correct horse', permission: 'READ' })));
    const codes = results.map((r) => r.status).sort();
    assert.equal(codes.filter((c) => c === 201).length, 1, `codes ${codes}`);
    assert.equal(codes.filter((c) => c === 409).length, variants.length - 1, `codes ${codes}`);
  });
  test('"_" and "." in a name are literal characters (no LIKE/regex matching)', async () => {
    const tail = uniq('').replace(/^_/, '');
    const a = await createUser({ username: `q1w${tail}`, password: 'correct horse', permission: 'READ' });
    assertStatus(a, 201);
    assertStatus(await createUser({ username: `q_w${tail}`, password: 'correct horse', permission: 'READ' }), 201);
    assertStatus(await createUser({ username: `q.w${tail}`, password: 'correct horse', permission: 'READ' }), 201);
    const b = await createUser({ username: `z1z${tail}`, password: 'correct horse', permission: 'READ' });
    assertStatus(b, 201);
    assertError(await login(`z_z${tail}`, 'correct horse'), 401);
    assertError(await login(`z.z${tail}`, 'correct horse'), 401);
  });
  test('login: a prefix, a longer name, or surrounding spaces are other users', async () => {
    const u = fx.READ.user.username;
    assertError(await login(u.slice(0, -1), PASSWORD), 401);
    assertError(await login(`${u}x`, PASSWORD), 401);
    assertError(await login(` ${u}`, PASSWORD), 401);
    assertError(await login(`${u} `, PASSWORD), 401);
  });
  test('passwords are compared in full: a NUL inside, a 72-byte prefix, a prefix, a case change all fail', async () => {
    const username = uniq('pw');
    const password = 'p'.repeat(72) + 'TAIL-of-a-long-password';
    assertStatus(await createUser({ username, password, permission: 'READ' }), 201);
    assertStatus(await login(username, password), 200);
    assertError(await login(username, password.slice(0, 72)), 401);
    assertError(await login(username, password.slice(0, -1)), 401);
    assertError(await login(username, password.toUpperCase()), 401);
    assertError(await login(username, `${password}x`), 401);
    const u2 = uniq('nul');
    const withNul = 'abcdefgh\u0000XYZ';
    const made = await createUser({ username: u2, password: withNul, permission: 'READ' });
    // A NUL is a byte like any other in 8–128 bytes; refusing it (400) would also be defensible.
    assert.ok([201, 400].includes(made.status), describeRes(made));
    if (made.status === 201) {
      assertError(await login(u2, 'abcdefgh'), 401);
      assertStatus(await login(u2, withNul), 200);
    }
  });
  // Capacity, not a contract row: a checker may fire requests in parallel. Each login costs one
  // Argon2id verification (~0.45 s on the loaded 2-core box); 8 at once must fit in the default
  // 5 s upstream timeout. (16 at once gave six 503s at 01:33 UTC: reported to services/lead.)
  test('8 concurrent logins (4 right, 4 wrong) all get their answer: 200 / 401, never 503 or 500', async () => {
    const u = fx.READ.user.username;
    const res = await Promise.all(Array.from({ length: 8 }, (_, i) => login(u, i % 2 ? PASSWORD : 'wrong password')));
    const codes = res.map((r) => r.status);
    assert.deepEqual(codes, Array.from({ length: 8 }, (_, i) => (i % 2 ? 200 : 401)), `codes ${codes}`);
  });
  for (const permission of ['WRITE ', ' READ', 'Write', 'READ_WRITE', '']) {
    test(`400 permission ${JSON.stringify(permission)}`, async () => {
      assertError(await createUser({ username: uniq(), password: 'correct horse', permission }), 400);
    });
  }
  test('the token name is the name as stored, whatever case was typed at login', async () => {
    const u = fx.WRITE.user;
    const res = await login(u.username.toUpperCase(), PASSWORD);
    assertStatus(res, 200);
    assert.equal(decode(res.json.token).payload.name, u.username);
  });
  for (const id of ['%00', '..', '%2e%2e', "1'%20OR%20'1'='1", 'x'.repeat(2000), '%F0%9F%98%80']) {
    test(`GET /users/${id.slice(0, 20)} → 404, not 500`, async () => {
      assertError(await request(sys.url('user', `/users/${id}`), { headers: { 'X-Admin-Key': sys.adminKey } }), 404);
    });
    test(`GET /blogs/${id.slice(0, 20)} → 404, not 500`, async () => {
      assertError(await blogs(`/blogs/${id}`, { token: fx.READ.token }), 404);
    });
  }
});

describe('user service: GET /users/{id}', () => {
  test('200 the user as created, never the hash', async () => {
    const u = fx.WRITE.user;
    const res = await request(sys.url('user', `/users/${encodeURIComponent(u.id)}`), { headers: { 'X-Admin-Key': sys.adminKey } });
    assertStatus(res, 200);
    assert.equal(res.json.id, u.id);
    assert.equal(res.json.username, u.username);
    assert.equal(res.json.permission, 'WRITE');
    assert.equal(res.json.created_at, u.created_at);
    assert.doesNotMatch(res.text, /hash|argon|password/i);
  });
  test('404 when absent', async () => {
    assertError(await request(sys.url('user', '/users/does-not-exist-123'), { headers: { 'X-Admin-Key': sys.adminKey } }), 404);
  });
  test('401 missing or wrong admin key (even for an absent id)', async () => {
    const id = encodeURIComponent(fx.READ.user.id);
    assertError(await request(sys.url('user', `/users/${id}`)), 401);
    assertError(await request(sys.url('user', `/users/${id}`), { headers: { 'X-Admin-Key': 'wrong-wrong-wrong-wrong' } }), 401);
    assertError(await request(sys.url('user', '/users/nope'), { headers: { 'X-Admin-Key': 'wrong-wrong-wrong-wrong' } }), 401);
    assertError(await request(sys.url('user', `/users/${id}`), { headers: { 'X-Internal-Key': sys.internalKey } }), 401);
  });
});

describe('user service: POST /users/verify', () => {
  const verify = (body, key) => request(sys.url('user', '/users/verify'), {
    method: 'POST', body, headers: key === null ? {} : { 'X-Internal-Key': key } });
  test('200 the user for a right pair (username case-insensitive)', async () => {
    const u = fx.READ.user;
    const res = await verify({ username: u.username, password: PASSWORD }, sys.internalKey);
    assertStatus(res, 200);
    assert.equal(res.json.id, u.id);
    assert.equal(res.json.username, u.username);
    assert.equal(res.json.permission, 'READ');
    assert.doesNotMatch(res.text, /hash|argon|password/i);
    const upper = await verify({ username: u.username.toUpperCase(), password: PASSWORD }, sys.internalKey);
    assertStatus(upper, 200);
    assert.equal(upper.json.id, u.id);
  });
  test('401 with the same body for an unknown user and a wrong password', async () => {
    const a = await verify({ username: fx.READ.user.username, password: 'wrong password' }, sys.internalKey);
    const b = await verify({ username: uniq('ghost'), password: 'wrong password' }, sys.internalKey);
    assertError(a, 401);
    assertError(b, 401);
    assert.equal(a.text, b.text);
  });
  test('401 without or with a wrong internal key (admin key is not the internal key)', async () => {
    const body = { username: fx.READ.user.username, password: PASSWORD };
    assertError(await verify(body, null), 401);
    assertError(await verify(body, 'wrong-wrong-wrong-wrong'), 401);
    assertError(await verify(body, sys.adminKey), 401);
    assertError(await verify('{bad', null), 401);
  });
  for (const [what, body] of Object.entries({ 'invalid JSON': '{bad', array: '[]', 'missing password': { username: 'abc' }, 'number username': { username: 5, password: 'correct horse' } })) {
    test(`400 malformed body (${what})`, async () => assertError(await verify(body, sys.internalKey), 400));
  }
});

// ---- authen service -------------------------------------------------------------------------
describe('authen service: POST /login and the token', () => {
  test('200 {token, token_type: Bearer, expires_in: JWT_TTL_SECONDS}', () => {
    const l = fx.READ.login;
    assert.equal(typeof l.token, 'string');
    assert.equal(l.token_type, 'Bearer');
    assert.equal(l.expires_in, TTL);
  });
  test('401 with identical bodies for a wrong password and an unknown user', async () => {
    const a = await login(fx.READ.user.username, 'wrong password');
    const b = await login(uniq('ghost'), 'wrong password');
    assertError(a, 401);
    assertError(b, 401);
    assert.equal(a.text, b.text);
  });
  test('unknown fields in the login body are ignored (200)', async () => {
    const res = await request(sys.url('authen', '/login'), { method: 'POST', body: { username: fx.READ.user.username, password: PASSWORD, permission: 'WRITE', remember: true } });
    assertStatus(res, 200);
    assert.equal(decode(res.json.token).payload.permission, 'READ', 'a client cannot choose its permission');
  });
  test('username matches without regard to case', async () => {
    const u = fx.WRITE.user;
    for (const name of [u.username.toUpperCase(), u.username.toLowerCase()]) {
      const res = await login(name, PASSWORD);
      assertStatus(res, 200);
      assert.equal(decode(res.json.token).payload.sub, u.id);
    }
  });
  for (const [what, body] of Object.entries({ 'invalid JSON': '{"username":', array: '[]', 'missing password': { username: 'abc' }, 'missing username': { password: 'correct horse' }, 'number password': { username: 'abcd', password: 12345678 } })) {
    test(`400 malformed body (${what})`, async () => {
      assertError(await request(sys.url('authen', '/login'), { method: 'POST', body }), 400);
    });
  }
  test('415 without a JSON content type', async () => {
    const body = JSON.stringify({ username: fx.READ.user.username, password: PASSWORD });
    assertError(await request(sys.url('authen', '/login'), { method: 'POST', body, headers: { 'Content-Type': 'text/plain' } }), 415);
    assertError(await request(sys.url('authen', '/login'), { method: 'POST', body, headers: { 'Content-Type': null } }), 415);
  });
  test('JWT header: alg RS256, typ JWT, kid = the JWKS kid', () => {
    const { header } = decode(fx.READ.token);
    assert.equal(header.alg, 'RS256');
    assert.equal(header.typ, 'JWT');
    assert.equal(typeof header.kid, 'string');
    assert.equal(header.kid, fx.jwk.kid);
  });
  test('JWT claims: iss, aud (string), sub, name, permission, iat, exp - iat = TTL, jti', () => {
    for (const perm of ['READ', 'WRITE']) {
      const { payload } = decode(fx[perm].token);
      assert.equal(payload.iss, 'blog-authen');
      assert.equal(payload.aud, 'blog');
      assert.equal(payload.sub, fx[perm].user.id);
      assert.equal(payload.name, fx[perm].user.username);
      assert.equal(payload.permission, perm);
      assert.ok(Number.isInteger(payload.iat) && Number.isInteger(payload.exp));
      assert.equal(payload.exp - payload.iat, TTL);
      assert.ok(Math.abs(payload.iat - Date.now() / 1000) < 300, 'iat is now');
      assert.equal(typeof payload.jti, 'string');
      assert.ok(payload.jti.length > 0);
    }
  });
  test('jti differs for every login', async () => {
    const jtis = new Set();
    for (let i = 0; i < 3; i++) {
      const res = await login(fx.READ.user.username, PASSWORD);
      assertStatus(res, 200);
      jtis.add(decode(res.json.token).payload.jti);
    }
    jtis.add(decode(fx.READ.token).payload.jti);
    assert.equal(jtis.size, 4);
  });
  test('GET /.well-known/jwks.json: kty, n, e, kid, use=sig, alg=RS256, no private parts; n/e verify the token', () => {
    const res = fx.jwksRes;
    assertStatus(res, 200);
    assert.ok(Array.isArray(res.json.keys) && res.json.keys.length >= 1);
    const k = fx.jwk;
    assert.equal(k.kty, 'RSA');
    assert.equal(k.use, 'sig');
    assert.equal(k.alg, 'RS256');
    assert.match(k.n, /^[A-Za-z0-9_-]+$/);
    assert.match(k.e, /^[A-Za-z0-9_-]+$/);
    for (const p of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.ok(!(p in k), `private parameter ${p} published`);
    assert.ok(unb64u(k.n).length >= 256, 'RSA modulus of at least 2048 bits');
    for (const perm of ['READ', 'WRITE']) {
      const [h, p, s] = fx[perm].token.split('.');
      assert.ok(crypto.verify('sha256', Buffer.from(`${h}.${p}`), fx.publicKey, unb64u(s)), 'RS256 signature verifies with the JWKS key');
    }
  });
});

// ---- author service -------------------------------------------------------------------------
describe('author service: POST /authorize', () => {
  test('200 {allowed: true, user: {id, username, permission}}', async () => {
    for (const [perm, ask] of [['READ', 'READ'], ['WRITE', 'READ'], ['WRITE', 'WRITE']]) {
      const res = await authorize(bearer(fx[perm].token), { permission: ask });
      assertStatus(res, 200);
      assert.equal(res.json.allowed, true);
      assert.deepEqual({ id: res.json.user.id, username: res.json.user.username, permission: res.json.user.permission },
        { id: fx[perm].user.id, username: fx[perm].user.username, permission: perm });
    }
  });
  test('403 a READ token asking WRITE', async () => {
    assertError(await authorize(bearer(fx.READ.token), { permission: 'WRITE' }), 403);
  });
  for (const [what, body] of Object.entries({ 'missing permission': {}, 'unknown permission': { permission: 'ADMIN' }, 'lower-case permission': { permission: 'read' }, 'number permission': { permission: 1 }, 'invalid JSON': '{x', array: '[]' })) {
    test(`400 ${what} (valid token)`, async () => assertError(await authorize(bearer(fx.WRITE.token), body), 400));
  }
  test('order: no token + bad body → 401; READ token + bad body asking nothing → 400; READ asking WRITE with junk fields → 403', async () => {
    assertError(await authorize(null, '{x'), 401);
    assertError(await authorize(bearer('garbage'), '{x'), 401);
    assertError(await authorize(bearer(fx.READ.token), { permission: 'WRITE', extra: [1, 2] }), 403);
  });
  test('415 without a JSON content type (valid token)', async () => {
    assertError(await request(sys.url('author', '/authorize'), { method: 'POST', body: '{"permission":"READ"}', headers: { Authorization: bearer(fx.READ.token), 'Content-Type': 'text/plain' } }), 415);
  });
  test('401 without a token', async () => assertError(await authorize(null), 401));

  // Forged tokens: every one must be 401 on the author service AND on the blog service.
  const forged = () => {
    const t = fx.WRITE.token;
    const { header, payload, parts } = decode(t);
    const [h, p, s] = parts;
    const now = Math.floor(Date.now() / 1000);
    const pem = fx.publicKey.export({ type: 'spki', format: 'pem' });
    const der = fx.publicKey.export({ type: 'spki', format: 'der' });
    const pkcs1 = fx.publicKey.export({ type: 'pkcs1', format: 'pem' });
    const nBytes = unb64u(fx.jwk.n);
    const readP = decode(fx.READ.token).payload;
    const own = ownRsa.privateKey;
    const ownJwk = ownRsa.publicKey.export({ format: 'jwk' });
    const withHeader = (extra) => make({ ...header, ...extra }, payload, 'RS256', own);
    const flipBit = (str, i) => {
      const b = unb64u(str);
      b[i] ^= 1;
      return b64u(b);
    };
    const resignPayload = (pl) => `${h}.${b64uJson(pl)}.${s}`;  // keeps the old signature
    const list = {};
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      list[`alg ${alg}, empty signature`] = `${b64uJson({ ...header, alg })}.${p}.`;
      list[`alg ${alg}, no third segment`] = `${b64uJson({ ...header, alg })}.${p}`;
      list[`alg ${alg}, original signature`] = `${b64uJson({ ...header, alg })}.${p}.${s}`;
    }
    list['alg none without kid/typ'] = `${b64uJson({ alg: 'none' })}.${p}.`;
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      list[`${alg} with the public key PEM as secret`] = make({ ...header, alg }, payload, alg, Buffer.from(pem));
      list[`${alg} with the PEM without trailing newline`] = make({ ...header, alg }, payload, alg, Buffer.from(pem.trim()));
      list[`${alg} with the PKCS#1 PEM`] = make({ ...header, alg }, payload, alg, Buffer.from(pkcs1));
      list[`${alg} with the DER key`] = make({ ...header, alg }, payload, alg, der);
      list[`${alg} with the JWKS n bytes`] = make({ ...header, alg }, payload, alg, nBytes);
      list[`${alg} with the JWKS n string`] = make({ ...header, alg }, payload, alg, Buffer.from(fx.jwk.n));
      list[`${alg} with the JWK JSON`] = make({ ...header, alg }, payload, alg, Buffer.from(JSON.stringify(fx.jwk)));
      list[`${alg} with an empty secret`] = make({ ...header, alg }, payload, alg, Buffer.alloc(0));
    }
    list['RS384 header, RS256 signature kept'] = `${b64uJson({ ...header, alg: 'RS384' })}.${p}.${s}`;
    list['RS512 header, RS256 signature kept'] = `${b64uJson({ ...header, alg: 'RS512' })}.${p}.${s}`;
    list['PS256 header, RS256 signature kept'] = `${b64uJson({ ...header, alg: 'PS256' })}.${p}.${s}`;
    list['RS384 signed with our own key'] = make({ ...header, alg: 'RS384' }, payload, 'RS384', own);
    list['PS256 signed with our own key'] = make({ ...header, alg: 'PS256' }, payload, 'PS256', own);
    list['ES256 signed with our own EC key'] = make({ ...header, alg: 'ES256' }, payload, 'ES256', ownEc.privateKey);
    list['alg missing'] = `${b64uJson({ typ: 'JWT', kid: header.kid })}.${p}.${s}`;
    list['alg rs256 lower-case'] = `${b64uJson({ ...header, alg: 'rs256' })}.${p}.${s}`;
    list['RS256 with our own key, same kid'] = withHeader({});
    list['own key, embedded jwk header'] = withHeader({ jwk: ownJwk });
    list['own key, embedded jwk header with its kid'] = withHeader({ jwk: { ...ownJwk, kid: header.kid } });
    list['own key, jku header'] = withHeader({ jku: 'http://127.0.0.1:1/jwks.json' });
    list['own key, x5u header'] = withHeader({ x5u: 'http://127.0.0.1:1/cert.pem' });
    list['own key, x5c header'] = withHeader({ x5c: [ownRsa.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')] });
    list['own key, no kid'] = make({ alg: 'RS256', typ: 'JWT' }, payload, 'RS256', own);
    list['tampered payload READ→WRITE (signature of the READ token)'] = (() => {
      const rp = decode(fx.READ.token).parts;
      return `${rp[0]}.${b64uJson({ ...readP, permission: 'WRITE' })}.${rp[2]}`;
    })();
    list['tampered payload sub'] = resignPayload({ ...payload, sub: 'someone-else' });
    list['tampered payload, same JSON re-serialised with spaces'] = `${h}.${b64u(JSON.stringify(payload, null, 1))}.${s}`;
    list['signature: one bit flipped (first byte)'] = `${h}.${p}.${flipBit(s, 0)}`;
    list['signature: one bit flipped (last byte)'] = `${h}.${p}.${flipBit(s, unb64u(s).length - 1)}`;
    list['signature: truncated by a byte'] = `${h}.${p}.${b64u(unb64u(s).subarray(0, -1))}`;
    list['signature: truncated to half'] = `${h}.${p}.${s.slice(0, s.length >> 1)}`;
    list['signature: extended by a zero byte'] = `${h}.${p}.${b64u(Buffer.concat([unb64u(s), Buffer.from([0])]))}`;
    list['signature: leading zero byte'] = `${h}.${p}.${b64u(Buffer.concat([Buffer.from([0]), unb64u(s)]))}`;
    list['signature: empty'] = `${h}.${p}.`;
    list['signature: of another token'] = `${h}.${p}.${decode(fx.READ.token).parts[2]}`;
    const { exp, ...noExp } = payload;
    list['missing exp (re-signed with our key)'] = make(header, noExp, 'RS256', own);
    list['missing exp (original signature)'] = resignPayload(noExp);
    list['exp as string'] = resignPayload({ ...payload, exp: String(payload.exp) });
    list['exp edited to the past (now - 61 s)'] = resignPayload({ ...payload, exp: now - 61 });
    list['exp edited to the far future'] = resignPayload({ ...payload, exp: now + 10 * 365 * 86400 });
    list['nbf in the future'] = resignPayload({ ...payload, nbf: now + 3600 });
    list['iat in the future'] = resignPayload({ ...payload, iat: now + 3600 });
    list['iss wrong'] = resignPayload({ ...payload, iss: 'evil' });
    const { iss, ...noIss } = payload;
    list['iss missing'] = resignPayload(noIss);
    list['aud wrong'] = resignPayload({ ...payload, aud: 'other' });
    list['aud array without blog'] = resignPayload({ ...payload, aud: ['other'] });
    const { aud, ...noAud } = payload;
    list['aud missing'] = resignPayload(noAud);
    list['kid missing (original signature)'] = `${b64uJson({ alg: 'RS256', typ: 'JWT' })}.${p}.${s}`;
    list['kid wrong (original signature)'] = `${b64uJson({ ...header, kid: 'other-kid' })}.${p}.${s}`;
    list['kid wrong type (original signature)'] = `${b64uJson({ ...header, kid: 5 })}.${p}.${s}`;
    list['crit header (original signature)'] = `${b64uJson({ ...header, crit: ['exp'] })}.${p}.${s}`;
    list['crit header, own key'] = withHeader({ crit: ['b64'], b64: false });
    list['four segments'] = `${t}.${s}`;
    list['five segments'] = `${h}.${p}.${s}.x.y`;
    list['trailing dot'] = `${t}.`;
    list['leading dot'] = `.${t}`;
    list['two segments'] = `${h}.${p}`;
    list['one segment'] = h;
    list['empty segments'] = '..';
    list['whitespace inside the token'] = `${h}. ${p}.${s}`;
    list['newline inside the token'] = `${h}.${p}\n.${s}`.replace('\n', '%0A');
    list['padding = in the header segment'] = `${b64u(Buffer.from(JSON.stringify(header) + ' '))}==.${p}.${s}`;
    list['padding = appended to the signature'] = `${h}.${p}.${s}=`;
    list['padding = appended to the payload'] = `${h}.${p}=.${s}`;
    list['standard base64 + and / in segments'] = `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}`.includes('+') || s.includes('_') ? `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}` : `${h}.${p}.${s}+`;
    list['non-base64 characters'] = `${h}.${p}.${s.slice(0, -4)}!@#$`;
    list['non-base64 characters in the payload'] = `${h}.${p.slice(0, 10)}*${p.slice(11)}.${s}`;
    list['payload a JSON array'] = make(header, '[1,2,3]', 'RS256', own);
    list['payload a JSON array (original signature)'] = `${h}.${b64u('[]')}.${s}`;
    list['payload not JSON'] = `${h}.${b64u('not json')}.${s}`;
    list['header not JSON'] = `${b64u('{alg:RS256}')}.${p}.${s}`;
    list['header a JSON array'] = `${b64u('["RS256"]')}.${p}.${s}`;
    list['header with duplicate alg keys (none last)'] = `${b64u(`{"alg":"RS256","typ":"JWT","kid":${JSON.stringify(header.kid)},"alg":"none"}`)}.${p}.`;
    list['header with duplicate alg keys (HS256 last, signed with PEM)'] = (() => {
      const hh = b64u(`{"alg":"RS256","typ":"JWT","kid":${JSON.stringify(header.kid)},"alg":"HS256"}`);
      return `${hh}.${p}.${b64u(crypto.createHmac('sha256', pem).update(`${hh}.${p}`).digest())}`;
    })();
    list['payload with duplicate permission keys (original signature)'] = `${h}.${b64u(unb64u(p).toString().replace(/}$/, ',"permission":"WRITE"}'))}.${s}`;
    // Same claims, different bytes (a JSON escape): the signature covers bytes, not meaning.
    list['payload with escaped unicode permission (original signature)'] = `${h}.${b64u(unb64u(p).toString().replace('"permission":"WRITE"', '"permission":"WRIT\\u0045"'))}.${s}`;
    list['huge token (100 KB)'] = `${h}.${b64u('x'.repeat(75000))}.${s}`;
    // Signed with the system's REAL key: only the claim/header rules can refuse these.
    const real = (hdr, pl, alg = 'RS256') => make(hdr, pl, alg, fx.realKey);
    list['REAL key: RS384'] = real({ ...header, alg: 'RS384' }, payload, 'RS384');
    list['REAL key: RS512'] = real({ ...header, alg: 'RS512' }, payload, 'RS512');
    list['REAL key: PS256'] = real({ ...header, alg: 'PS256' }, payload, 'PS256');
    list['REAL key: RS256 signature under an RS384 header'] = `${b64uJson({ ...header, alg: 'RS384' })}.${p}.${b64u(crypto.sign('sha256', Buffer.from(`${b64uJson({ ...header, alg: 'RS384' })}.${p}`), fx.realKey))}`;
    list['REAL key: missing exp'] = real(header, noExp);
    list['REAL key: exp a string'] = real(header, { ...payload, exp: String(now + 600) });
    list['REAL key: exp null'] = real(header, { ...payload, exp: null });
    list['REAL key: expired (exp = now - 62 s)'] = real(header, { ...payload, iat: now - 1000, exp: now - 62 });
    list['REAL key: expired long ago'] = real(header, { ...payload, iat: now - 100000, exp: now - 90000 });
    list['REAL key: nbf in the future (now + 65 s)'] = real(header, { ...payload, nbf: now + 65 });
    list['REAL key: iat in the future (now + 65 s)'] = real(header, { ...payload, iat: now + 65, exp: now + 3600 });
    list['REAL key: iss wrong'] = real(header, { ...payload, iss: 'evil' });
    list['REAL key: iss differs in case'] = real(header, { ...payload, iss: 'Blog-Authen' });
    list['REAL key: iss missing'] = real(header, noIss);
    list['REAL key: aud wrong'] = real(header, { ...payload, aud: 'other' });
    list['REAL key: aud array without blog'] = real(header, { ...payload, aud: ['other', 'x'] });
    list['REAL key: aud missing'] = real(header, noAud);
    list['REAL key: aud empty string'] = real(header, { ...payload, aud: '' });
    list['REAL key: kid missing'] = real({ alg: 'RS256', typ: 'JWT' }, payload);
    list['REAL key: kid wrong'] = real({ ...header, kid: `${header.kid}x` }, payload);
    list['REAL key: crit header'] = real({ ...header, crit: ['exp'] }, payload);
    list['REAL key: crit header (empty list)'] = real({ ...header, crit: [] }, payload);
    list['REAL key: alg none in header, RS256 signature'] = real({ ...header, alg: 'none' }, payload);
    list['REAL key: payload a JSON array'] = real(header, '[1]');
    list['REAL key: payload not JSON'] = real(header, 'hello');
    list['REAL key: header not JSON'] = real('{alg', payload);
    list['token of the right shape with random bytes'] = `${h}.${p}.${b64u(crypto.randomBytes(unb64u(s).length))}`;
    list['a JWKS kid as token'] = header.kid;
    return list;
  };

  test('every forged token is refused: 401 on the author service', async (t) => {
    const list = forged();
    assert.ok(Object.keys(list).length >= 60, `only ${Object.keys(list).length} forged tokens`);
    for (const [what, token] of Object.entries(list)) {
      await t.test(`author 401: ${what}`, async () => {
        const res = await authorize(bearer(token), { permission: 'READ' });
        if (what.startsWith('huge')) {
          assert.ok([401, 431].includes(res.status), `${what}: ${describeRes(res)}`);
          assertTraceresponse(res);
          return;
        }
        assertError(res, 401);
      });
    }
  });
  test('every forged token is refused: 401 on the blog service', async (t) => {
    for (const [what, token] of Object.entries(forged())) {
      await t.test(`blog 401: ${what}`, async () => {
        const res = await blogs('/blogs', { token });
        if (what.startsWith('huge')) {
          assert.ok([401, 431].includes(res.status), `${what}: ${describeRes(res)}`);
          assertTraceresponse(res);
          return;
        }
        assertError(res, 401);
      });
    }
  });
  test('the untouched token is accepted (control for the forged list)', async () => {
    assertStatus(await authorize(bearer(fx.WRITE.token), { permission: 'WRITE' }), 200);
    assertStatus(await blogs('/blogs', { token: fx.READ.token }), 200);
  });
  test('control: a token WE sign with the real key and good claims is accepted (so REAL-key refusals are about the claims)', async () => {
    const { header, payload } = decode(fx.WRITE.token);
    const now = Math.floor(Date.now() / 1000);
    const t = make(header, { ...payload, iat: now, exp: now + 600, jti: crypto.randomUUID() }, 'RS256', fx.realKey);
    assertStatus(await authorize(bearer(t), { permission: 'WRITE' }), 200);
    assertStatus(await blogs('/blogs', { token: t }), 200);
  });

  test('Authorization header forms', async (t) => {
    const tok = fx.READ.token;
    const ok = { 'Bearer <t>': `Bearer ${tok}`, 'bearer <t>': `bearer ${tok}`, 'BEARER <t>': `BEARER ${tok}`, 'bEaReR <t>': `bEaReR ${tok}` };
    const bad = {
      'double space': `Bearer  ${tok}`, 'two tokens': `Bearer ${tok} ${tok}`, 'token then junk': `Bearer ${tok} x`,
      'tab separator': `Bearer\t${tok}`, 'trailing whitespace (raw, OWS: 200 or 401)': null, 'Basic scheme': `Basic ${Buffer.from('a:b').toString('base64')}`,
      'Basic with the token': `Basic ${tok}`, 'Bearer alone': 'Bearer', 'Bearer and a space': 'Bearer ', 'token without scheme': tok,
      'scheme glued': `Bearer${tok}`, 'Token scheme': `Token ${tok}`, 'JWT scheme': `JWT ${tok}`, 'empty header': '',
      'Bearer, comma': `Bearer ${tok},`, 'quoted token': `Bearer "${tok}"`,
    };
    for (const [what, h] of Object.entries(ok)) {
      await t.test(`200 ${what}`, async () => {
        assertStatus(await authorize(h), 200);
        assertStatus(await blogs('/blogs', { headers: { Authorization: h } }), 200);
      });
    }
    for (const [what, h] of Object.entries(bad)) {
      await t.test(`${h === null ? "" : "401 "}${what}`, async () => {
        if (h === null) {
          // Reading: RFC 9110 §5.5 says a field value excludes leading/trailing whitespace (OWS),
          // so "Bearer <t> " on the wire IS "Bearer <t>" once parsed; a server cannot (and should
          // not) tell them apart. We assert only that it is not an error of the server; the
          // "nothing after it" rule is checked by "token then junk" / "Bearer, comma".
          const body = '{"permission":"READ"}';
          const res = await raw(sys.addr.author, `POST /authorize HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tok} \t\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
          assert.ok([200, 401].includes(res.status), describeRes(res));
          assertTraceresponse(res);
          return;
        }
        assertError(await authorize(h), 401);
        assertError(await blogs('/blogs', { headers: { Authorization: h } }), 401);
      });
    }
    await t.test('401 token in the query string, not the header', async () => {
      assertError(await request(sys.url('author', `/authorize?access_token=${tok}`), { method: 'POST', body: { permission: 'READ' } }), 401);
      assertError(await request(sys.url('blog', `/blogs?access_token=${tok}`)), 401);
    });
    await t.test('401 two Authorization headers', async () => {
      const res = await raw(sys.addr.blog, `GET /blogs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tok}\r\nAuthorization: Bearer ${tok}\r\nConnection: close\r\n\r\n`);
      // Reasonable reading: "exactly Bearer <token>" – a duplicated header is not exactly one; 400 would also be defensible.
      assert.ok([400, 401].includes(res.status), describeRes(res));
    });
  });
});

// ---- blog service ---------------------------------------------------------------------------
describe('blog service', () => {
  test('anonymous → 401 on every route; /healthz 200 {"status":"ok"} on every service', async () => {
    assertError(await blogs('/blogs'), 401);
    assertError(await blogs('/blogs?limit=abc'), 401);
    assertError(await blogs('/blogs/anything'), 401);
    assertError(await blogs('/blogs', { method: 'POST', body: { title: 't', content: 'c' } }), 401);
    assertError(await blogs('/blogs', { method: 'POST', body: '{bad json' }), 401);
    for (const s of ['user', 'authen', 'author', 'blog', 'collector']) {
      const res = await request(sys.url(s, '/healthz'));
      assert.equal(res.status, 200, `${s}: ${describeRes(res)}`);
      assert.deepEqual(res.json, { status: 'ok' }, s);
      // "Every response, errors included, carries traceresponse": the collector too (it does
      // not trace itself, so its flags may be 00).
      assertTraceresponse(res);
    }
  });
  test('READ user: list 200, read 200, create 403 (even with a non-JSON body)', async () => {
    const made = await blogs('/blogs', { token: fx.WRITE.token, method: 'POST', body: { title: 'for readers', content: 'hello' } });
    assertStatus(made, 201);
    assertStatus(await blogs('/blogs', { token: fx.READ.token }), 200);
    const one = await blogs(`/blogs/${encodeURIComponent(made.json.id)}`, { token: fx.READ.token });
    assertStatus(one, 200);
    assert.deepEqual(one.json, made.json);
    assertError(await blogs('/blogs', { token: fx.READ.token, method: 'POST', body: { title: 't', content: 'c' } }), 403);
    assertError(await blogs('/blogs', { token: fx.READ.token, method: 'POST', body: 'not json at all' }), 403);
    assertError(await blogs('/blogs', { token: fx.READ.token, method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } }), 403);
  });
  test('WRITE: 201 blog {id, title, content, author_id, author, created_at}; read back', async () => {
    const before = Date.now();
    const res = await blogs('/blogs', { token: fx.WRITE.token, method: 'POST', body: { title: 'Hello', content: 'World\nline 2' } });
    assertStatus(res, 201);
    const b = res.json;
    for (const k of ['id', 'title', 'content', 'author_id', 'author', 'created_at']) assert.ok(k in b, `missing ${k}`);
    assert.equal(typeof b.id, 'string');
    assert.equal(b.title, 'Hello');
    assert.equal(b.content, 'World\nline 2');
    assert.equal(b.author, fx.WRITE.user.username);
    assert.equal(b.author_id, fx.WRITE.user.id);
    assert.match(b.created_at, RFC3339_UTC);
    assert.ok(Math.abs(Date.parse(b.created_at) - before) < 120000);
    const back = await blogs(`/blogs/${encodeURIComponent(b.id)}`, { token: fx.WRITE.token });
    assertStatus(back, 200);
    assert.deepEqual(back.json, b);
  });
  test('author, author_id, id, created_at in the body are ignored', async () => {
    const res = await blogs('/blogs', { token: fx.WRITE.token, method: 'POST', body: { title: 'forged', content: 'c', author: 'mallory', author_id: 'x', id: 'mine', created_at: '2000-01-01T00:00:00Z', extra: 1 } });
    assertStatus(res, 201);
    assert.equal(res.json.author, fx.WRITE.user.username);
    assert.equal(res.json.author_id, fx.WRITE.user.id);
    assert.notEqual(res.json.id, 'mine');
    assert.notEqual(res.json.created_at, '2000-01-01T00:00:00Z');
  });
  test('concurrent creates: paging with limit 3 returns each exactly once (ties broken by id)', async () => {
    const made = await Promise.all(Array.from({ length: 15 }, (_, i) => post({ title: `tie ${i}`, content: 'c' })));
    for (const r of made) assertStatus(r, 201);
    const ids = new Set(made.map((r) => r.json.id));
    const seen = [];
    for (let offset = 0; offset < 15; offset += 3) {
      const res = await blogs(`/blogs?limit=3&offset=${offset}`, { token: fx.READ.token });
      assertStatus(res, 200);
      seen.push(...res.json.blogs.map((b) => b.id));
    }
    assert.equal(new Set(seen).size, 15, 'overlap between pages');
    assert.deepEqual(new Set(seen), ids, 'the 15 newest are the 15 just made');
  });
  test('U+2028, U+200B and U+FEFF are not control characters (201)', async () => {
    const res = await post({ title: 'sep\u2028zw\u200bbom\ufeff', content: 'ok\u2029' });
    assertStatus(res, 201);
  });
  test('OPTIONS /blogs → 405 with Allow', async () => {
    const res = await blogs('/blogs', { method: 'OPTIONS' });
    assertError(res, 405);
    assert.ok(res.headers.allow);
  });
  test('success responses are application/json', async () => {
    const res = await blogs('/blogs', { token: fx.READ.token });
    assert.match(String(res.headers['content-type']), /^application\/json/);
  });
  test('total grows by exactly one per 201', async () => {
    const a = await blogs('/blogs?limit=1', { token: fx.READ.token });
    assertStatus(await post({ title: 'count me', content: 'c' }), 201);
    const b = await blogs('/blogs?limit=1', { token: fx.READ.token });
    assert.equal(b.json.total, a.json.total + 1);
    assert.equal(b.json.blogs[0].title, 'count me', 'the newest comes first');
  });
  test('GET /blogs/{unknown} → 404', async () => {
    assertError(await blogs('/blogs/does-not-exist', { token: fx.READ.token }), 404);
  });
  test('list: newest first, 25 created, paged by 10 without overlap, total counts all', async () => {
    const ids = [];
    for (let i = 0; i < 25; i++) {
      const res = await blogs('/blogs', { token: fx.WRITE.token, method: 'POST', body: { title: `page ${i}`, content: `c${i}` } });
      assertStatus(res, 201);
      ids.push(res.json.id);
    }
    const pages = [];
    let total;
    for (const offset of [0, 10, 20]) {
      const res = await blogs(`/blogs?limit=10&offset=${offset}`, { token: fx.READ.token });
      assertStatus(res, 200);
      assert.ok(Array.isArray(res.json.blogs));
      assert.ok(res.json.blogs.length <= 10);
      total ??= res.json.total;
      assert.equal(res.json.total, total, 'total stable across pages');
      pages.push(...res.json.blogs);
    }
    assert.ok(Number.isInteger(total) && total >= 25);
    const seen = pages.map((b) => b.id);
    assert.equal(new Set(seen).size, seen.length, 'pages overlap');
    // The 25 just made are the newest: they come first, newest first.
    assert.deepEqual(seen.slice(0, 25), [...ids].reverse());
    for (let i = 1; i < pages.length; i++) {
      assert.ok(Date.parse(pages[i - 1].created_at) >= Date.parse(pages[i].created_at), 'newest first');
    }
    // Walk everything with limit=100: count equals total, no duplicates.
    const all = [];
    for (let offset = 0; offset < total + 100; offset += 100) {
      const res = await blogs(`/blogs?limit=100&offset=${offset}`, { token: fx.READ.token });
      assertStatus(res, 200);
      all.push(...res.json.blogs.map((b) => b.id));
      if (res.json.blogs.length < 100) break;
    }
    assert.equal(all.length, total);
    assert.equal(new Set(all).size, total);
    const beyond = await blogs(`/blogs?offset=${total + 5}`, { token: fx.READ.token });
    assertStatus(beyond, 200);
    assert.deepEqual(beyond.json.blogs, []);
  });
  test('defaults: limit 20', async () => {
    const res = await blogs('/blogs', { token: fx.READ.token });
    assertStatus(res, 200);
    assert.equal(res.json.blogs.length, Math.min(20, res.json.total));
  });
  // Readings: unknown query parameters are ignored like unknown body fields; values are
  // percent-decoded before being read.
  for (const q of ['limit=1', 'limit=100', 'offset=0', 'limit=1&offset=3', 'foo=bar', 'limit=%31%30']) {
    test(`200 ${q}`, async () => assertStatus(await blogs(`/blogs?${q}`, { token: fx.READ.token }), 200));
  }
  for (const q of ['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'limit=-1', 'limit=', 'limit=1e1', 'limit=%201', 'limit=99999999999999999999', 'offset=-1', 'offset=x', 'offset=', 'offset=1.0', 'offset=99999999999999999999999']) {
    test(`400 ${q}`, async () => assertError(await blogs(`/blogs?${q}`, { token: fx.READ.token }), 400));
  }
  const post = (body, extra = {}) => blogs('/blogs', { token: fx.WRITE.token, method: 'POST', body, ...extra });
  const emoji = '😀';
  const goodBlogs = {
    'title of 200 emoji (code points, not bytes)': { title: emoji.repeat(200), content: 'c' },
    'title of 200 ASCII': { title: 'x'.repeat(200), content: 'c' },
    'tab, LF, CR in title and content': { title: 'a\tb\nc\rd', content: 'x\ty\nz\r' },
    'content of 20,000 code points (emoji)': { title: 't', content: emoji.repeat(20000) },
    'unicode title (non-Latin)': { title: 'Привет, 世界', content: 'ok' },
  };
  for (const [what, body] of Object.entries(goodBlogs)) {
    test(`201 ${what}`, async () => {
      const res = await post(body);
      assertStatus(res, 201);
      assert.equal(res.json.title, body.title);
      assert.equal(res.json.content, body.content);
    });
  }
  const badBlogs = {
    'title empty': { title: '', content: 'c' }, 'title spaces only': { title: '   ', content: 'c' },
    'title whitespace only (tab/LF/CR)': { title: ' \t\n\r ', content: 'c' },
    // Reading: "whitespace" is Unicode White_Space, not just ASCII.
    'title only U+3000/U+2003/U+00A0 (Unicode whitespace)': { title: '\u3000\u2003\u00a0', content: 'c' },
    'title of 201 emoji': { title: emoji.repeat(201), content: 'c' }, 'title of 201 ASCII': { title: 'x'.repeat(201), content: 'c' },
    'title with \\u0007': { title: 'bell\u0007', content: 'c' }, 'title with \\u007f': { title: 'del\u007f', content: 'c' },
    'title with \\u0085 (C1)': { title: 'nel\u0085', content: 'c' }, 'title with \\u0000': { title: 'nul\u0000x', content: 'c' },
    'title with \\u001b': { title: 'esc\u001b[0m', content: 'c' }, 'title with \\u009f': { title: 'x\u009f', content: 'c' },
    'content with \\u0007': { title: 't', content: 'bell\u0007' }, 'content with \\u0085': { title: 't', content: 'x\u0085' },
    'content empty': { title: 't', content: '' }, 'content whitespace only': { title: 't', content: ' \n\t ' },
    'content of 20,001 code points': { title: 't', content: 'x'.repeat(20001) },
    'content of 20,001 emoji': { title: 't', content: emoji.repeat(20001) },
    'title a number': { title: 42, content: 'c' }, 'content a number': { title: 't', content: 42 },
    'title null': { title: null, content: 'c' }, 'title missing': { content: 'c' }, 'content missing': { title: 't' },
    'title an array': { title: ['t'], content: 'c' }, 'body an array': '[]', 'body a string': '"x"',
    'invalid JSON': '{"title": "t", "content": ', 'lone surrogate escape in title': '{"title":"\\ud800","content":"c"}',
  };
  for (const [what, body] of Object.entries(badBlogs)) {
    test(`400 ${what}`, async () => assertError(await post(body), 400));
  }
  test('400 invalid UTF-8 body; 415 without a JSON content type', async () => {
    assertError(await post(Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","content":"c"}')])), 400);
    assertError(await post('{"title":"t","content":"c"}', { headers: { Authorization: bearer(fx.WRITE.token), 'Content-Type': 'text/plain' } }), 415);
    assertError(await post('{"title":"t","content":"c"}', { headers: { Authorization: bearer(fx.WRITE.token), 'Content-Type': null } }), 415);
  });
  test('order: unknown path unauthenticated → 404; PUT /blogs → 405 with Allow (unauthenticated too)', async () => {
    assertError(await blogs('/nope'), 404);
    assertError(await blogs('/blogs/a/b'), 404);
    for (const token of [undefined, fx.WRITE.token]) {
      const res = await blogs('/blogs', { token, method: 'PUT', body: { title: 't', content: 'c' } });
      assertError(res, 405);
      const allow = String(res.headers.allow).toUpperCase();
      assert.match(allow, /GET/);
      assert.match(allow, /POST/);
      assert.doesNotMatch(allow, /PUT/);
    }
    const del = await blogs('/blogs/x', { method: 'DELETE' });
    assertError(del, 405);
    assert.match(String(del.headers.allow).toUpperCase(), /GET/);
  });
});

// ---- conventions on every service -------------------------------------------------------------
const POSTS = { user: '/users', authen: '/login', author: '/authorize', blog: '/blogs' };
const WRONG_METHOD = { user: ['GET', '/users', 'POST'], authen: ['GET', '/login', 'POST'], author: ['GET', '/authorize', 'POST'], blog: ['DELETE', '/blogs', 'GET'] };

describe('conventions on every service', () => {
  for (const s of Object.keys(POSTS)) {
    test(`${s}: 404 JSON for an unknown path (GET and POST)`, async () => {
      assertError(await request(sys.url(s, '/no/such/path')), 404);
      assertError(await request(sys.url(s, '/no-such'), { method: 'POST', body: {} }), 404);
    });
    test(`${s}: 405 with Allow for a known path with another method`, async () => {
      const [method, path, allowed] = WRONG_METHOD[s];
      const res = await request(sys.url(s, path), { method });
      assertError(res, 405);
      assert.ok(res.headers.allow, 'Allow header missing');
      assert.match(res.headers.allow.toUpperCase(), new RegExp(`\\b${allowed}\\b`));
      const hz = await request(sys.url(s, '/healthz'), { method: 'POST', body: {} });
      assertError(hz, 405);
      assert.match(String(hz.headers.allow).toUpperCase(), /\bGET\b/);
    });
    test(`${s}: 413 for a 1 MiB + 1 body, readable JSON + traceresponse, before authentication`, async () => {
      const body = Buffer.alloc(1024 * 1024 + 1, 0x20);
      const res = await raw(sys.addr[s], `POST ${POSTS[s]} HTTP/1.1\r\nHost: ${sys.addr[s]}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`, body);
      assertError(res, 413);
    });
    test(`${s}: 413 for a chunked body over 1 MiB`, async () => {
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const parts = [];
      for (let i = 0; i < 5; i++) parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
      parts.push(Buffer.from('0\r\n\r\n'));
      const res = await raw(sys.addr[s], `POST ${POSTS[s]} HTTP/1.1\r\nHost: ${sys.addr[s]}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, Buffer.concat(parts));
      assertError(res, 413);
    });
    test(`${s}: 413 readable even while the client keeps sending (8 MiB body)`, async () => {
      const body = Buffer.alloc(8 * 1024 * 1024, 0x20);
      const res = await raw(sys.addr[s], `POST ${POSTS[s]} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`, body);
      assertError(res, 413);
    });
    test(`${s}: 413 readable by fetch() (1 MiB + 1)`, async () => {
      let res;
      try {
        res = await fetch(sys.url(s, POSTS[s]), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: Buffer.alloc(1024 * 1024 + 1, 0x20) });
      } catch (e) {
        assert.fail(`fetch could not read the 413: ${e.cause?.code ?? ''} ${e.message}`);
      }
      const text = await res.text();
      assertError({ status: res.status, headers: Object.fromEntries(res.headers), text, json: JSON.parse(text) }, 413);
    });
    test(`${s}: a body of exactly 1 MiB is not 413`, async () => {
      const body = Buffer.alloc(1024 * 1024, 0x20);
      body[0] = 0x7b;  // '{' … spaces: invalid JSON, so 400 or an earlier 401 — anything but 413
      const res = await raw(sys.addr[s], `POST ${POSTS[s]} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, body);
      assert.ok([400, 401].includes(res.status), describeRes(res));
      assertTraceresponse(res);
    });
    test(`${s}: 431 for more than 16 KiB of headers (one big header)`, async () => {
      const res = await raw(sys.addr[s], `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(17 * 1024)}\r\nConnection: close\r\n\r\n`);
      assertError(res, 431);
    });
    test(`${s}: 431 for more than 16 KiB of headers in all (40 headers of 500 bytes)`, async () => {
      let many = '';
      for (let i = 0; i < 40; i++) many += `X-P${i}: ${'b'.repeat(500)}\r\n`;
      assertError(await raw(sys.addr[s], `GET /healthz HTTP/1.1\r\nHost: x\r\n${many}Connection: close\r\n\r\n`), 431);
    });
    test(`${s}: 431 for 101 headers; 92 are fine`, async () => {
      let h101 = '';
      for (let i = 0; i < 100; i++) h101 += `X-H${i}: v\r\n`;
      // Host + 100 X-H + Connection = 102 > 100
      assertError(await raw(sys.addr[s], `GET /healthz HTTP/1.1\r\nHost: x\r\n${h101}Connection: close\r\n\r\n`), 431);
      let h90 = '';
      for (let i = 0; i < 90; i++) h90 += `X-H${i}: v\r\n`;
      assertStatus(await raw(sys.addr[s], `GET /healthz HTTP/1.1\r\nHost: x\r\n${h90}Connection: close\r\n\r\n`), 200);
    });
    test(`${s}: 413 from Content-Length alone, without waiting for the body`, async () => {
      const res = await raw(sys.addr[s], `POST ${POSTS[s]} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${8 * 1024 * 1024}\r\n\r\n`, undefined, { timeoutMs: 10000 });
      assertError(res, 413);
    });
    test(`${s}: deeply nested JSON (1 MiB of brackets) is a 4xx, not a crash`, async () => {
      const depth = 500000;
      const body = '['.repeat(depth) + ']'.repeat(depth);
      const headers = { 'Content-Type': 'application/json' };
      if (s === 'user') headers['X-Admin-Key'] = sys.adminKey;
      if (s === 'author' || s === 'blog') headers.Authorization = bearer(fx.WRITE.token);
      const res = await request(sys.url(s, POSTS[s]), { method: 'POST', body, headers });
      assertError(res, 400);
      assertStatus(await request(sys.url(s, '/healthz')), 200);
    });
    test(`${s}: exactly 100 header fields are fine, 101 get 431`, async () => {
      let h99 = '';
      for (let i = 0; i < 98; i++) h99 += `X-H${i}: v\r\n`;
      // Host + 98 X-H + Connection = 100
      assertStatus(await raw(sys.addr[s], `GET /healthz HTTP/1.1\r\nHost: x\r\n${h99}Connection: close\r\n\r\n`), 200);
      assertError(await raw(sys.addr[s], `GET /healthz HTTP/1.1\r\nHost: x\r\n${h99}X-One-More: v\r\nConnection: close\r\n\r\n`), 431);
    });
    test(`${s}: 431 comes before authentication and routing`, async () => {
      assertError(await raw(sys.addr[s], `POST /no/such HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(17 * 1024)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`), 431);
    });
    test(`${s}: 415 for a body without a content type`, async () => {
      const headers = { 'Content-Type': null };
      if (s === 'user') headers['X-Admin-Key'] = sys.adminKey;
      if (s === 'author' || s === 'blog') headers.Authorization = bearer(fx.WRITE.token);
      const body = s === 'user' ? { username: uniq(), password: 'correct horse', permission: 'READ' }
        : s === 'authen' ? { username: fx.READ.user.username, password: PASSWORD }
          : s === 'author' ? { permission: 'READ' } : { title: 't', content: 'c' };
      assertError(await request(sys.url(s, POSTS[s]), { method: 'POST', body: JSON.stringify(body), headers }), 415);
    });
    test(`${s}: traceresponse on success and on every error`, async () => {
      for (const res of [
        await request(sys.url(s, '/healthz')),
        await request(sys.url(s, '/x')),
        await request(sys.url(s, POSTS[s]), { method: 'POST', body: '{' }),
      ]) assertTraceresponse(res);
    });
    test(`${s}: incoming valid traceparent is joined, with the server's own span id`, async () => {
      const trace = crypto.randomBytes(16).toString('hex');
      const span = crypto.randomBytes(8).toString('hex');
      const res = await request(sys.url(s, '/healthz'), { headers: { traceparent: `00-${trace}-${span}-01` } });
      assertTraceresponse(res);
      const [, t, sp] = res.headers.traceresponse.split('-');
      assert.equal(t, trace);
      assert.notEqual(sp, span);
      const err = await request(sys.url(s, '/nowhere'), { headers: { traceparent: `00-${trace}-${span}-01` } });
      assert.equal(err.headers.traceresponse?.split('-')[1], trace, 'error responses join the trace too');
    });
    test(`${s}: new traces set the random flag (0x02); an incoming random flag is kept`, async () => {
      const fresh = await request(sys.url(s, '/healthz'));
      assertTraceresponse(fresh);
      assert.ok(parseInt(fresh.headers.traceresponse.slice(-2), 16) & 0x02, `random flag not set: ${fresh.headers.traceresponse}`);
      const trace = crypto.randomBytes(16).toString('hex');
      const res = await request(sys.url(s, '/healthz'), { headers: { traceparent: `00-${trace}-${crypto.randomBytes(8).toString('hex')}-03` } });
      // Reading: the server span carries the caller's flags, so traceresponse shows 0x02 (and sampled) too.
      assert.equal(res.headers.traceresponse.slice(-2), '03', res.headers.traceresponse);
    });
    test(`${s}: incoming unsampled traceparent (flags 00) → traceresponse not sampled (parent-based default)`, async () => {
      const trace = crypto.randomBytes(16).toString('hex');
      const res = await request(sys.url(s, '/healthz'), { headers: { traceparent: `00-${trace}-${crypto.randomBytes(8).toString('hex')}-00` } });
      assertTraceresponse(res);
      assert.equal(res.headers.traceresponse.split('-')[1], trace);
      assert.equal(parseInt(res.headers.traceresponse.slice(-2), 16) & 0x01, 0, res.headers.traceresponse);
    });
    test(`${s}: a higher version traceparent with extra fields is still joined (W3C: parse as version 00)`, async () => {
      const trace = crypto.randomBytes(16).toString('hex');
      const res = await request(sys.url(s, '/healthz'), { headers: { traceparent: `01-${trace}-${crypto.randomBytes(8).toString('hex')}-01-extra` } });
      assert.equal(res.headers.traceresponse?.split('-')[1], trace, res.headers.traceresponse);
    });
    const trace = 'abcdef0123456789abcdef0123456789';
    const span = '0123456789abcdef';
    const invalid = {
      'trace id too short': `00-${trace.slice(1)}-${span}-01`, 'span id too long': `00-${trace}-${span}0-01`,
      'upper-case hex': `00-${trace.toUpperCase()}-${span}-01`, 'all-zero trace id': `00-${'0'.repeat(32)}-${span}-01`,
      'all-zero span id': `00-${trace}-${'0'.repeat(16)}-01`, 'version ff': `ff-${trace}-${span}-01`,
      'garbage': 'not-a-traceparent', 'version 00 with extra field': `00-${trace}-${span}-01-extra`, 'flags missing': `00-${trace}-${span}`, 'non-hex': `00-${trace.slice(0, 31)}g-${span}-01`,
    };
    for (const [what, tp] of Object.entries(invalid)) {
      test(`${s}: invalid traceparent (${what}) → a new trace`, async () => {
        const res = await request(sys.url(s, '/healthz'), { headers: { traceparent: tp } });
        assertStatus(res, 200);
        const t = res.headers.traceresponse.split('-')[1];
        assert.notEqual(t, trace);
        assert.notEqual(t, trace.slice(1));
        assert.notEqual(t, '0'.repeat(32));
      });
    }
  }
});

describe('HTTP details every client relies on', () => {
  test('keep-alive: several requests, errors included, on one connection each get their answer', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ports = new Set();
    const get = (p, opts = {}) => new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: sys.addr.blog.split(':')[1], path: p, agent, method: opts.method ?? 'GET',
        headers: { Authorization: bearer(fx.READ.token), ...(opts.headers ?? {}) } }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => { ports.add(req.socket.localPort); resolve({ status: res.statusCode, headers: res.headers, text, json: JSON.parse(text) }); });
      });
      req.on('error', reject);
      if (opts.body) req.write(opts.body);
      req.end();
    });
    assertStatus(await get('/blogs?limit=1'), 200);
    assertError(await get('/nope'), 404);
    assertError(await get('/blogs?limit=0'), 400);
    assertError(await get('/blogs', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': '2' }, body: '{}' }), 403);
    assertStatus(await get('/blogs?limit=2'), 200);
    agent.destroy();
    assert.equal(ports.size, 1, 'the connection was not kept alive across error answers');
  });
  for (const ct of ['APPLICATION/JSON', 'application/json;charset=UTF-8', 'Application/Json; charset="utf-8"']) {
    test(`media type matching is case-insensitive with parameters: ${ct} → 200`, async () => {
      const res = await request(sys.url('authen', '/login'), { method: 'POST', body: JSON.stringify({ username: fx.READ.user.username, password: PASSWORD }), headers: { 'Content-Type': ct } });
      assertStatus(res, 200);
    });
  }
  for (const ct of ['text/json', 'application/jsonx', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'json']) {
    test(`content type ${ct} → 415`, async () => {
      assertError(await request(sys.url('authen', '/login'), { method: 'POST', body: JSON.stringify({ username: 'abcd', password: 'correct horse' }), headers: { 'Content-Type': ct } }), 415);
    });
  }
  test('a chunked JSON body is accepted (201)', async () => {
    const body = JSON.stringify({ title: 'chunked', content: 'sent in chunks' });
    const half = body.length >> 1;
    const chunks = `${half.toString(16)}\r\n${body.slice(0, half)}\r\n${(body.length - half).toString(16)}\r\n${body.slice(half)}\r\n0\r\n\r\n`;
    const res = await raw(sys.addr.blog, `POST /blogs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${fx.WRITE.token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`, Buffer.from(chunks));
    assertStatus(res, 201);
    assert.equal(res.json.title, 'chunked');
  });
  test('POST /users/{id} → 405 with Allow GET', async () => {
    const res = await request(sys.url('user', `/users/${encodeURIComponent(fx.READ.user.id)}`), { method: 'POST', body: {}, headers: { 'X-Admin-Key': sys.adminKey } });
    assertError(res, 405);
    assert.match(String(res.headers.allow).toUpperCase(), /\bGET\b/);
  });
  test('GET /.well-known/jwks.json needs no credentials; POST to it → 405', async () => {
    assertStatus(await request(sys.url('authen', '/.well-known/jwks.json')), 200);
    assertError(await request(sys.url('authen', '/.well-known/jwks.json'), { method: 'POST', body: {} }), 405);
  });
});

// ---- trace collector and query ------------------------------------------------------------------
describe('trace collector and query API', () => {
  const otlp = (body, ct) => request(sys.url('collector', '/v1/traces'), { method: 'POST', body, headers: { 'Content-Type': ct } });
  test('POST /v1/traces: 200 for an empty OTLP/JSON request', async () => {
    const res = await otlp('{}', 'application/json');
    assert.equal(res.status, 200, describeRes(res));
    const res2 = await otlp('{"resourceSpans":[]}', 'application/json');
    assert.equal(res2.status, 200, describeRes(res2));
  });
  test('POST /v1/traces: 200 for an empty protobuf request', async () => {
    const res = await otlp(Buffer.alloc(0), 'application/x-protobuf');
    assert.equal(res.status, 200, describeRes(res));
  });
  test('POST /v1/traces: 415 for another content type', async () => {
    const res = await otlp('{}', 'text/plain');
    assert.equal(res.status, 415, describeRes(res));
  });
  test('POST /v1/traces: 400 for a body that does not decode', async () => {
    const res = await otlp(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), 'application/x-protobuf');
    assert.equal(res.status, 400, describeRes(res));
    const res2 = await otlp('{"resourceSpans": [', 'application/json');
    assert.equal(res2.status, 400, describeRes(res2));
  });
  test('POST /v1/traces: 400 for gzip that is not gzip', async () => {
    const res = await request(sys.url('collector', '/v1/traces'), { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' } });
    assert.equal(res.status, 400, describeRes(res));
  });
  test('query: GET /api/services → Jaeger envelope; the services appear once they have traced', async () => {
    let res;
    for (let i = 0; i < 40; i++) {
      res = await request(sys.url('query', '/api/services'));
      if (res.status === 200 && Array.isArray(res.json?.data) && res.json.data.includes('blog')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(res.status, 200, describeRes(res));
    assert.ok(Array.isArray(res.json.data));
    for (const name of ['user', 'authen', 'author', 'blog']) assert.ok(res.json.data.some((d) => d.includes(name)), `service ${name} in ${res.text}`);
  });
  test('query: a traceresponse trace id can be looked up with GET /api/traces/{id}', async () => {
    const r = await blogs('/blogs', { token: fx.READ.token });
    const traceId = r.headers.traceresponse.split('-')[1];
    let res;
    for (let i = 0; i < 40; i++) {
      res = await request(sys.url('query', `/api/traces/${traceId}`));
      if (res.status === 200 && res.json?.data?.length) break;
      await new Promise((r2) => setTimeout(r2, 250));
    }
    assert.equal(res.status, 200, describeRes(res));
    assert.equal(res.json.data[0].traceID, traceId);
  });
  test('query: one GET /blogs is one trace holding the blog and the author service (propagation)', async () => {
    const r = await blogs('/blogs?limit=1', { token: fx.READ.token });
    const traceId = r.headers.traceresponse.split('-')[1];
    let names = [];
    for (let i = 0; i < 40; i++) {
      const res = await request(sys.url('query', `/api/traces/${traceId}`));
      const procs = res.json?.data?.[0]?.processes ?? {};
      names = Object.values(procs).map((p) => p.serviceName);
      if (names.some((n) => n.includes('author')) && names.some((n) => n.includes('blog'))) break;
      await new Promise((r2) => setTimeout(r2, 250));
    }
    assert.ok(names.some((n) => n.includes('author')) && names.some((n) => n.includes('blog')), `services in the trace: ${names}`);
  });
  test('query: GET / serves the viewer (HTML)', async () => {
    const res = await request(sys.url('query', '/'));
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
  });
});

// ---- shutdown (last) --------------------------------------------------------------------------
describe('shutdown', () => {
  test('SIGTERM stops the launcher (exit 0) and leaves no child process', async () => {
    const { exit, survivors, kids } = await sys.stop(30000);
    assert.ok(kids.length >= 5, `expected at least 5 children, saw ${kids.length}`);
    assert.ok(exit, `launcher did not exit within 30 s of SIGTERM\n${sys.log.slice(-3000)}`);
    assert.deepEqual(survivors, [], 'children survived the launcher');
    assert.equal(exit.code, 0, `launcher exit ${JSON.stringify(exit)}\n${sys.log.slice(-3000)}`);
  });
});
