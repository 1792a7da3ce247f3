// JWT tools for forging tokens: base64url, splitting, re-encoding, signing with our own keys.
import crypto from 'node:crypto';

export const b64u = (buf) => Buffer.from(buf).toString('base64url');
export const b64uJson = (obj) => b64u(Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj)));
export const unb64u = (s) => Buffer.from(s, 'base64url');

export function decode(token) {
  const [h, p, s] = token.split('.');
  return { header: JSON.parse(unb64u(h)), payload: JSON.parse(unb64u(p)), signature: s, parts: [h, p, s] };
}

// Signs `${h}.${p}` with `alg` using `key` (a KeyObject or secret Buffer for HS*).
export function sign(alg, key, signingInput) {
  const data = Buffer.from(signingInput);
  switch (alg) {
    case 'HS256': case 'HS384': case 'HS512':
      return crypto.createHmac(`sha${alg.slice(2)}`, key).update(data).digest();
    case 'RS256': case 'RS384': case 'RS512':
      return crypto.sign(`sha${alg.slice(2)}`, data, key);
    case 'PS256': case 'PS384':
      return crypto.sign(`sha${alg.slice(2)}`, data, {
        key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'ES256':
      return crypto.sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    default:
      throw new Error(`cannot sign ${alg}`);
  }
}

// Builds a compact token from header/payload objects (or raw strings) signed with alg/key.
export function make(header, payload, alg, key) {
  const h = typeof header === 'string' ? b64u(header) : b64uJson(header);
  const p = typeof payload === 'string' ? b64u(payload) : b64uJson(payload);
  const s = key === undefined ? '' : b64u(sign(alg, key, `${h}.${p}`));
  return `${h}.${p}.${s}`;
}

export const ownRsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
export const ownEc = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
