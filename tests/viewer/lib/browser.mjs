// Launches Debian's chromium through playwright-core (which never downloads a browser).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Loads playwright-core, or throws an error that says how to install it.
export async function loadPlaywright() {
  try {
    return await import('playwright-core');
  } catch (err) {
    throw new Error('playwright-core is not installed in tests/viewer/node_modules: run ' +
        '`script/bootstrap` (or `npm ci` in tests/viewer) first. (' + err.message + ')');
  }
}

// Starts chromium with a fresh profile. Resolves to {context, close}; close() also deletes the
// profile directory.
export async function launchBrowser({viewport = {width: 1440, height: 900}} = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  const {chromium} = await loadPlaywright();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'blogtrace-viewer-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, {recursive: true, force: true});
    },
  };
}

// Where screenshots go (git-ignored).
export const SCREENSHOTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../screenshots');
