// Black-box harness: starts the real system (`blogtrace up`) on free ports with a temporary
// DATA_DIR, waits (bounded) for every /healthz, and stops it with SIGTERM, reporting whether the
// launcher exited and whether any of its children survived. Knows nothing of the sources.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const SERVICES = ['user', 'authen', 'author', 'blog', 'collector', 'query'];
const ENV_NAMES = {
  user: 'USER_ADDR', authen: 'AUTHEN_ADDR', author: 'AUTHOR_ADDR', blog: 'BLOG_ADDR',
  collector: 'COLLECTOR_ADDR', query: 'QUERY_ADDR',
};

// The binary under test: CTest passes $<TARGET_FILE:blogtrace>.
export function binaryPath() {
  const bin = process.env.BLOGTRACE_BIN;
  if (!bin) throw new Error('BLOGTRACE_BIN is not set (CTest sets it to the built blogtrace)');
  if (!fs.existsSync(bin)) throw new Error(`BLOGTRACE_BIN=${bin} does not exist`);
  return bin;
}

// A port nobody listens on right now (the OS picks it; small race accepted for a test).
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function healthy(addr) {
  try {
    const res = await fetch(`http://${addr}/healthz`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

// Direct children of `pid` (from /proc/*/stat).
export function childrenOf(pid) {
  const out = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid && fields[0] !== 'Z') out.push(Number(entry));
    } catch { /* gone */ }
  }
  return out;
}

export function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

export function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

// The launcher's child running `serve <name>`, or undefined.
export function servicePid(launcherPid, name) {
  return childrenOf(launcherPid).find((pid) => {
    const args = cmdline(pid);
    const i = args.indexOf('serve');
    return i >= 0 && args[i + 1] === name;
  });
}

export class System {
  // extraEnv: variables for the launcher; ADMIN_KEY: null lets the system generate it.
  constructor(extraEnv = {}) {
    this.extraEnv = extraEnv;
    this.addr = {};
    this.log = '';
  }

  // Starts `blogtrace up`; resolves once every address answers GET /healthz with 200.
  async start({ timeoutMs = 120000 } = {}) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogtrace-contract-'));
    const env = { ...process.env, DATA_DIR: this.dataDir, OTEL_BSP_SCHEDULE_DELAY: '200' };
    for (const name of SERVICES) {
      this.addr[name] = `127.0.0.1:${await freePort()}`;
      env[ENV_NAMES[name]] = this.addr[name];
    }
    Object.assign(env, this.extraEnv);
    if (env.ADMIN_KEY === undefined) {
      this.adminKey = 'contract-admin-key-' + Math.random().toString(36).slice(2);
      env.ADMIN_KEY = this.adminKey;
    } else if (env.ADMIN_KEY === null) {
      delete env.ADMIN_KEY;  // generated into DATA_DIR/admin.key, read back below
    }
    delete env.INTERNAL_KEY;  // generated into DATA_DIR/internal.key, read back below
    this.proc = spawn(binaryPath(), ['up'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => resolve({ code, signal }));
    });
    const keep = (chunk) => {
      this.log += chunk.toString();
      if (this.log.length > 200000) this.log = this.log.slice(-100000);
      if (process.env.CONTRACT_VERBOSE) process.stderr.write(chunk);
    };
    this.proc.stdout.on('data', keep);
    this.proc.stderr.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    let exitedEarly = null;
    this.exited.then((e) => { exitedEarly = e; });
    for (;;) {
      if (exitedEarly) {
        throw new Error(`blogtrace up exited early (${JSON.stringify(exitedEarly)}):\n${this.log}`);
      }
      const states = await Promise.all(SERVICES.map((s) => healthy(this.addr[s])));
      if (states.every(Boolean)) break;
      if (Date.now() > deadline) {
        const down = SERVICES.filter((s, i) => !states[i]);
        throw new Error(`not healthy within ${timeoutMs} ms: ${down.join(', ')}\n${this.log}`);
      }
      await sleep(250);
    }
    this.internalKey = fs.readFileSync(path.join(this.dataDir, 'internal.key'), 'utf8').trim();
    if (!this.adminKey) this.adminKey = fs.readFileSync(path.join(this.dataDir, 'admin.key'), 'utf8').trim();
    this.pid = this.proc.pid;
  }

  url(service, p) {
    return `http://${this.addr[service]}${p}`;
  }

  // Waits until one service answers /healthz again (after a kill), bounded.
  async waitHealthy(service, timeoutMs = 60000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await healthy(this.addr[service])) return true;
      await sleep(200);
    }
    return false;
  }

  // SIGTERM to the launcher; returns {exit, survivors} (exit null when it did not exit within
  // timeoutMs; survivors = pids of its former children still alive afterwards).
  async stop(timeoutMs = 30000) {
    if (!this.proc) return { exit: null, survivors: [] };
    const kids = childrenOf(this.proc.pid);
    this.proc.kill('SIGTERM');
    const exit = await Promise.race([this.exited, sleep(timeoutMs).then(() => null)]);
    // Children get a moment to be reaped by whoever inherits them.
    let survivors = kids.filter(alive);
    for (let i = 0; i < 20 && survivors.length; i++) {
      await sleep(100);
      survivors = kids.filter(alive);
    }
    return { exit, survivors, kids };
  }

  // Last resort cleanup so a failing run leaves nothing behind.
  forceCleanup() {
    if (!this.proc) return;
    for (const pid of childrenOf(this.proc.pid)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    try { this.proc.kill('SIGKILL'); } catch { /* gone */ }
    if (this.dataDir && !process.env.CONTRACT_KEEP_DATA) {
      fs.rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}
