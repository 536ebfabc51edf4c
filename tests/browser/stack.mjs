// The real userdesk stack for the browser journeys: scripts/run.sh (what `make run` runs) with
// its own run dir and two free loopback ports, so mini-okta, nginx, spawn-fcgi and every built
// responder are the real ones. Nothing here fakes HTTP; the tests reach the stack through
// Chromium, and this module only reads what a developer could read too (the generated .env,
// the demo password, mini-okta's outbox and its Users API).

import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, closeSync } from 'node:fs';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../support/free_port.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const sourceDir = resolve(here, '../..');

// Where the binaries are: ctest sets USERDESK_BUILD_DIR; by hand, the default `make` build.
export const buildDir = process.env.USERDESK_BUILD_DIR ?? join(sourceDir, 'build');

// Why the stack cannot start here, or null. A missing build is a failure that says what to do.
export function stackProblem() {
  if (!existsSync(join(buildDir, 'userdesk-home'))) {
    return `${buildDir}/userdesk-home is not built; run \`make\` first (or set USERDESK_BUILD_DIR).`;
  }
  if (!existsSync(join(buildDir, 'mini-okta'))) return `${buildDir}/mini-okta is not built; run \`make\`.`;
  return null;
}

export class Stack {
  // env: extra environment for scripts/run.sh (the sign-in rate limit is loosened unless set:
  // one journey signs in many times from the same address).
  static async start(env = {}) {
    const problem = stackProblem();
    if (problem) throw new Error(problem);
    const stack = new Stack();
    stack.dir = await mkdtemp(join(tmpdir(), 'userdesk-browser-'));
    // As root, nginx's workers run as nobody and must reach the sockets inside.
    await chmod(stack.dir, 0o711);
    stack.runDir = join(stack.dir, 'stack');
    stack.port = await freePort();
    do stack.oktaPort = await freePort(); while (stack.oktaPort === stack.port);
    stack.baseUrl = `http://127.0.0.1:${stack.port}`;
    stack.oktaUrl = `http://127.0.0.1:${stack.oktaPort}`;
    stack.logPath = join(stack.dir, 'launcher.log');
    const log = openSync(stack.logPath, 'w', 0o600);
    // --pdeathsig: if this test process dies, the launcher still gets SIGTERM and stops the stack.
    stack.launcher = spawn(
      'setpriv',
      ['--pdeathsig', 'TERM', '/bin/bash', join(sourceDir, 'scripts/run.sh')],
      {
        env: {
          ...process.env,
          PORT: String(stack.port),
          MINI_OKTA_PORT: String(stack.oktaPort),
          USERDESK_RUN_DIR: stack.runDir,
          USERDESK_BUILD_DIR: buildDir,
          USERDESK_MINI_OKTA: '1',
          USERDESK_SIGNIN_RATE: '6000r/m',
          USERDESK_SIGNIN_BURST: '1000',
          ...env,
        },
        stdio: ['ignore', log, log],
      },
    );
    closeSync(log);
    stack.exited = new Promise((done) => stack.launcher.once('exit', (code, signal) => done({ code, signal })));
    let exit = null;
    stack.exited.then((e) => (exit = e));
    const ready = `userdesk is running at ${stack.baseUrl}\n`;
    const deadline = Date.now() + 30_000;
    while (!stack.launcherOutput().includes(ready)) {
      if (exit) throw new Error(`scripts/run.sh exited before the stack was up (${JSON.stringify(exit)}):\n${stack.launcherOutput()}`);
      if (Date.now() > deadline) {
        await stack.stop();
        throw new Error(`no "${ready.trim()}" line within 30 s:\n${stack.launcherOutput()}`);
      }
      await sleep(50);
    }
    return stack;
  }

  launcherOutput() {
    try {
      return readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  // SIGTERM to the launcher, which stops everything it started; SIGKILL after 20 s.
  async stop() {
    if (!this.launcher) return;
    const launcher = this.launcher;
    this.launcher = null;
    if (launcher.exitCode === null && launcher.signalCode === null) {
      launcher.kill('SIGTERM');
      const timer = setTimeout(() => launcher.kill('SIGKILL'), 20_000);
      await this.exited;
      clearTimeout(timer);
    }
    if (!process.env.USERDESK_KEEP_RUN_DIR) await rm(this.dir, { recursive: true, force: true });
  }

  url(path) {
    return this.baseUrl + path;
  }

  // KEY's value in the .env the launcher generated (the tutorial's keys); read once, it does not
  // change while the stack runs.
  env(key) {
    this.dotenvLines ??= readFileSync(join(this.runDir, '.env'), 'utf8').split('\n');
    const line = this.dotenvLines.findLast((l) => l.startsWith(key + '='));
    return line ? line.slice(key.length + 1) : '';
  }

  get demoPassword() {
    return readFileSync(join(this.runDir, 'demo-password'), 'utf8').trim();
  }

  // The text of a log under the run dir's logs/ (nginx: error.log, responders: <name>.log).
  log(name) {
    try {
      return readFileSync(join(this.runDir, 'logs', name), 'utf8');
    } catch {
      return '';
    }
  }

  // A user as mini-okta's Users API returns it (GET /api/v1/users/{id or login}), or null on 404.
  async oktaUser(login) {
    const res = await fetch(`${this.oktaUrl}/api/v1/users/${encodeURIComponent(login)}`, {
      headers: { Accept: 'application/json', Authorization: `SSWS ${this.env('USER_PROFILE_TOKEN')}` },
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`GET /api/v1/users/${login}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  // Creates an ACTIVE user with a password through mini-okta's Users API (as an admin would),
  // for journeys that start with an existing account.
  async createUser(profile, password) {
    const res = await fetch(`${this.oktaUrl}/api/v1/users?activate=true`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        Authorization: `SSWS ${this.env('REGISTRATION_TOKEN')}`,
      },
      body: JSON.stringify({ profile, credentials: { password: { value: password } } }),
    });
    if (!res.ok) throw new Error(`POST /api/v1/users: ${res.status} ${await res.text()}`);
    return res.json();
  }

  // Adds or changes (definition: Okta's attribute object) or removes (null) a custom attribute of
  // mini-okta's user schema, as an administrator does in the Profile Editor.
  async setCustomAttribute(name, definition) {
    const res = await fetch(`${this.oktaUrl}/api/v1/meta/schemas/user/default`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        Authorization: `SSWS ${this.env('USER_PROFILE_TOKEN')}`,
      },
      body: JSON.stringify({
        definitions: { custom: { id: '#custom', type: 'object', properties: { [name]: definition } } },
      }),
    });
    if (!res.ok) throw new Error(`POST /api/v1/meta/schemas/user/default: ${res.status} ${await res.text()}`);
  }

  // The emails mini-okta has "sent", newest first: [{id, to, subject, sentAt, link, body}].
  async outbox() {
    const res = await fetch(`${this.oktaUrl}/dev/outbox`, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`GET /dev/outbox: ${res.status}`);
    return res.json();
  }
}
