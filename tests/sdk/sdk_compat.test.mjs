// Compatibility test: drives the real mini-okta binary with the official Okta Node SDK
// (@okta/okta-sdk-nodejs, used unchanged): mini-okta must answer it as Okta does.
//
// Run: MINI_OKTA_BIN=build/mini-okta node --test tests/sdk/sdk_compat.test.mjs
// (ctest -L sdk does this). The SDK comes from tests/sdk/node_modules, installed by `make deps`.
//
// The server gets a fresh temp directory (data file + seed) and a free loopback port; every test
// below talks to it only through the SDK's Client, the way an application would.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../support/free_port.mjs';

const here = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Preconditions: the SDK must be installed and the binary must exist. Either missing is a test
// failure with a message that says what to do, never a silent skip.

let okta = null;
let sdkProblem = null;
try {
  okta = (await import('@okta/okta-sdk-nodejs')).default;
} catch (e) {
  sdkProblem =
    `cannot load @okta/okta-sdk-nodejs from ${join(here, 'node_modules')} (${e.code ?? e.message}).` +
    ' Run `make deps` (it runs `npm ci` in tests/sdk) and try again.';
}

const binary = process.env.MINI_OKTA_BIN;
let binaryProblem = null;
if (!binary) {
  binaryProblem = 'MINI_OKTA_BIN is not set; point it at the mini-okta binary (ctest sets it).';
} else if (!existsSync(binary)) {
  binaryProblem = `MINI_OKTA_BIN=${binary} does not exist; build the mini-okta target first.`;
}

// ---------------------------------------------------------------------------------------------
// Fixture data.

const API_TOKEN = '00sdkCompatToken-' + Math.random().toString(36).slice(2);

const SEED_USERS = [
  {
    status: 'ACTIVE',
    profile: { login: 'ada@example.com', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    password: 'Analytical-Engine-1843',
  },
  {
    status: 'ACTIVE',
    profile: { login: 'grace@example.com', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
    password: 'Cobol-Compiler-1959',
  },
  {
    status: 'ACTIVE',
    profile: { login: 'alan@example.com', email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing' },
    password: 'Bombe-Machine-1939',
  },
  {
    status: 'STAGED',
    profile: { login: 'staged.sam@example.com', email: 'staged.sam@example.com', firstName: 'Sam', lastName: 'Staged' },
  },
];

const SEED = {
  users: SEED_USERS,
  clients: [
    {
      client_id: '0oaSdkCompatClient',
      client_secret: 'sdk-compat-secret-' + Math.random().toString(36).slice(2),
      client_name: 'SDK compat web app',
      redirect_uris: ['http://127.0.0.1:9/authorization-code/callback'],
      post_logout_redirect_uris: ['http://127.0.0.1:9/'],
    },
  ],
  apiTokens: [API_TOKEN],
  customProperties: {
    birthdate: { title: 'Birthdate', type: 'string' },
    favoriteColor: { title: 'Favorite Color', type: 'string' },
  },
};

// ---------------------------------------------------------------------------------------------
// Server process handling.

class MiniOkta {
  constructor(dir) {
    this.dir = dir;
    this.output = '';
    this.exit = null; // { code, signal } once the process has ended
  }

  async start() {
    const dataFile = join(this.dir, 'data.json');
    const seedFile = join(this.dir, 'seed.json');
    await writeFile(seedFile, JSON.stringify(SEED, null, 2));
    // A port picked here can in theory be taken before the server binds it; try a few.
    for (let attempt = 1; attempt <= 3; attempt++) {
      this.port = await freePort();
      this.baseUrl = `http://127.0.0.1:${this.port}`;
      const args = ['--host', '127.0.0.1', '--port', String(this.port), '--base-url', this.baseUrl,
        '--data', dataFile, '--seed', seedFile];
      this.output = '';
      this.exit = null;
      this.proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      this.exited = new Promise((resolve) => {
        this.proc.on('exit', (code, signal) => {
          this.exit = { code, signal };
          resolve(this.exit);
        });
        this.proc.on('error', (err) => {
          this.output += `spawn error: ${err.message}\n`;
          this.exit = { code: -1, signal: null };
          resolve(this.exit);
        });
      });
      this.proc.stdout.on('data', (d) => { this.output += d; });
      this.proc.stderr.on('data', (d) => { this.output += d; });
      if (await this.waitUntilAnswering(15000)) return;
      if (this.exit === null) {
        this.proc.kill('SIGKILL');
        await this.exited;
        throw new Error(`mini-okta did not answer within 15 s on ${this.baseUrl}. Output:\n${this.output}`);
      }
      if (!/address already in use|bind/i.test(this.output) || attempt === 3) {
        throw new Error(`mini-okta exited early (${JSON.stringify(this.exit)}). Output:\n${this.output}`);
      }
    }
  }

  // True once GET /api/v1/users answers 200 with our token; false if the process died.
  async waitUntilAnswering(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exit !== null) return false;
      try {
        const res = await fetch(`${this.baseUrl}/api/v1/users?limit=1`, {
          headers: { Authorization: `SSWS ${API_TOKEN}`, Accept: 'application/json' },
        });
        await res.arrayBuffer();
        if (res.status === 200) return true;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    return false;
  }

  async stop() {
    if (!this.proc || this.exit !== null) return this.exit;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

// Asserts that `promise` rejects with the SDK's OktaApiError carrying this status and code;
// returns the error for further checks.
async function expectOktaError(promise, status, errorCode) {
  let caught = null;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, `expected the SDK call to fail with ${status} ${errorCode}, but it succeeded`);
  assert.ok(caught instanceof okta.OktaApiError,
    `expected an OktaApiError, got ${caught?.name}: ${caught?.message}`);
  assert.equal(caught.status, status, caught.message);
  assert.equal(caught.errorCode, errorCode, caught.message);
  assert.equal(caught.errorLink, errorCode, 'errorLink repeats the code');
  assert.equal(typeof caught.errorId, 'string');
  assert.ok(caught.errorId.length > 0, 'errorId is set');
  assert.ok(Array.isArray(caught.errorCauses), 'errorCauses is an array');
  assert.ok(caught.message.startsWith(`Okta HTTP ${status} ${errorCode} `), caught.message);
  return caught;
}

// credentials.password is present (a password exists) but carries no value or hash.
function assertPasswordHidden(user) {
  assert.ok(user.credentials.password, 'credentials.password is present');
  const leaked = Object.entries(user.credentials.password).filter(([, v]) => v !== undefined);
  assert.deepEqual(leaked, [], 'the password value is never returned');
}

function assertIsoDate(value, name) {
  assert.ok(value instanceof Date, `${name} is deserialized as a Date`);
  assert.ok(!Number.isNaN(value.getTime()), `${name} is a valid date`);
}

async function collect(collection) {
  const items = [];
  for await (const item of collection) items.push(item);
  return items;
}

function uniqueLogin(prefix) {
  return `${prefix}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
}

// ---------------------------------------------------------------------------------------------

if (sdkProblem || binaryProblem) {
  test('preconditions for the Okta SDK compatibility test', () => {
    assert.fail([sdkProblem, binaryProblem].filter(Boolean).join('\n'));
  });
} else {
  describe('mini-okta driven by @okta/okta-sdk-nodejs', () => {
    let dir;
    let server;
    let client;
    let requests = []; // URLs of the requests the SDK sent, in order
    let responses = []; // { url, status, headers } of the responses it got

    before(async () => {
      // Proxy settings from the environment would route loopback calls through a proxy.
      for (const v of ['HTTPS_PROXY', 'https_proxy']) delete process.env[v];
      dir = await mkdtemp(join(tmpdir(), 'mini-okta-sdk-'));
      server = new MiniOkta(dir);
      await server.start();
      // The SDK takes a plain-http loopback orgUrl as it is: it has no https or okta.com check.
      // authorizationMode is spelled out so an OKTA_CLIENT_* environment cannot change it.
      client = new okta.Client({ orgUrl: server.baseUrl, token: API_TOKEN, authorizationMode: 'SSWS' });
      client.requestExecutor.on('request', (req) => requests.push(req.url));
      client.requestExecutor.on('response', (res) => responses.push({
        url: res.url, status: res.status, headers: res.headers,
      }));
    });

    after(async () => {
      try {
        if (server) {
          const exit = await server.stop();
          assert.deepEqual(exit, { code: 0, signal: null },
            `mini-okta should exit 0 on SIGTERM. Output:\n${server.output}`);
        }
      } finally {
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    });

    test('get user by id and by login', async () => {
      const byLogin = await client.userApi.getUser({ userId: 'ada@example.com' });
      assert.match(byLogin.id, /^00u[0-9A-Za-z]{17}$/);
      assert.equal(byLogin.status, 'ACTIVE');
      assert.equal(byLogin.profile.login, 'ada@example.com');
      assert.equal(byLogin.profile.email, 'ada@example.com');
      assert.equal(byLogin.profile.firstName, 'Ada');
      assert.equal(byLogin.profile.lastName, 'Lovelace');
      for (const field of ['created', 'activated', 'statusChanged', 'lastUpdated', 'passwordChanged']) {
        assertIsoDate(byLogin[field], field);
      }
      assertPasswordHidden(byLogin);
      assert.equal(byLogin.credentials.provider.type, 'OKTA');
      assert.equal(byLogin.credentials.provider.name, 'OKTA');
      assert.equal(byLogin._links.self.href, `${server.baseUrl}/api/v1/users/${byLogin.id}`);

      const byId = await client.userApi.getUser({ userId: byLogin.id });
      assert.equal(byId.id, byLogin.id);
      assert.equal(byId.profile.login, 'ada@example.com');
      assert.equal(byId.lastUpdated.getTime(), byLogin.lastUpdated.getTime());
    });

    test('API responses carry the X-Rate-Limit headers', async () => {
      responses = [];
      await client.userApi.getUser({ userId: 'grace@example.com' });
      const last = responses.at(-1);
      assert.ok(last, 'the SDK sent a request');
      assert.equal(last.status, 200);
      const limit = Number(last.headers.get('x-rate-limit-limit'));
      const remaining = Number(last.headers.get('x-rate-limit-remaining'));
      const reset = Number(last.headers.get('x-rate-limit-reset'));
      assert.ok(Number.isInteger(limit) && limit > 0, `X-Rate-Limit-Limit ${limit}`);
      assert.ok(Number.isInteger(remaining) && remaining >= 0 && remaining < limit,
        `X-Rate-Limit-Remaining ${remaining}`);
      const now = Date.now() / 1000;
      assert.ok(reset > now - 1 && reset <= now + 61, `X-Rate-Limit-Reset ${reset} is epoch seconds`);
    });

    test('unknown user id is 404 E0000007', async () => {
      const err = await expectOktaError(client.userApi.getUser({ userId: '00uDoesNotExist00000' }), 404, 'E0000007');
      assert.match(err.errorSummary, /^Not found: Resource not found: 00uDoesNotExist00000 \(User\)$/);
      await expectOktaError(client.userApi.getUser({ userId: 'nobody@example.com' }), 404, 'E0000007');
    });

    test('a bad API token is 401 E0000011', async () => {
      const bad = new okta.Client({ orgUrl: server.baseUrl, token: 'not-a-valid-token', authorizationMode: 'SSWS' });
      const err = await expectOktaError(bad.userApi.getUser({ userId: 'ada@example.com' }), 401, 'E0000011');
      assert.equal(err.errorSummary, 'Invalid token provided');
      await expectOktaError(bad.userApi.listUsers({ limit: 1 }).then(collect), 401, 'E0000011');
    });

    test('list users: all pages with limit, filter, search, q', async () => {
      requests = [];
      const all = await collect(await client.userApi.listUsers({ limit: 2 }));
      const logins = all.map((u) => u.profile.login);
      for (const seeded of SEED_USERS) assert.ok(logins.includes(seeded.profile.login), `${seeded.profile.login} listed`);
      assert.equal(new Set(all.map((u) => u.id)).size, all.length, 'no user listed twice');
      const pages = requests.filter((u) => new URL(u).pathname === '/api/v1/users');
      // One request per page of 2; Okta may send one more rel="next" when the last page is full.
      const fullPages = Math.ceil(all.length / 2);
      assert.ok(pages.length === fullPages || pages.length === fullPages + 1,
        `one request per page of 2 (got ${pages.length} requests for ${all.length} users)`);
      assert.equal(new URL(pages[0]).searchParams.get('limit'), '2');
      assert.ok(new URL(pages[1]).searchParams.get('after'), 'the second page follows the rel="next" cursor');
      assert.equal(new URL(pages[1]).searchParams.get('limit'), '2');
      for (const u of all) assert.ok(u instanceof okta.User, 'items are SDK User models');

      const byLogin = await collect(await client.userApi.listUsers({ filter: 'profile.login eq "grace@example.com"' }));
      assert.deepEqual(byLogin.map((u) => u.profile.login), ['grace@example.com']);

      const staged = await collect(await client.userApi.listUsers({ filter: 'status eq "STAGED"' }));
      assert.ok(staged.length >= 1);
      assert.ok(staged.every((u) => u.status === 'STAGED'));
      assert.ok(staged.some((u) => u.profile.login === 'staged.sam@example.com'));

      const searched = await collect(await client.userApi.listUsers({ search: 'profile.lastName sw "Lovel"' }));
      assert.deepEqual(searched.map((u) => u.profile.login), ['ada@example.com']);

      const both = await collect(await client.userApi.listUsers({
        search: 'profile.firstName eq "Alan" and status eq "ACTIVE"',
      }));
      assert.deepEqual(both.map((u) => u.profile.login), ['alan@example.com']);

      const q = await collect(await client.userApi.listUsers({ q: 'Grac' }));
      assert.deepEqual(q.map((u) => u.profile.login), ['grace@example.com']);

      const none = await collect(await client.userApi.listUsers({ filter: 'profile.login eq "nobody@example.com"' }));
      assert.deepEqual(none, []);
    });

    test('create user with password (activate=true), then update partially', async () => {
      const login = uniqueLogin('new.user');
      const created = await client.userApi.createUser({
        body: {
          profile: { login, email: login, firstName: 'New', lastName: 'User', favoriteColor: 'teal' },
          credentials: { password: { value: 'Correct-Horse-7-Battery' } },
        },
        activate: true,
      });
      assert.match(created.id, /^00u/);
      assert.equal(created.status, 'ACTIVE');
      assert.equal(created.profile.login, login);
      assert.equal(created.profile.favoriteColor, 'teal');
      assertIsoDate(created.created, 'created');
      assertIsoDate(created.activated, 'activated');
      assertIsoDate(created.lastUpdated, 'lastUpdated');
      assertPasswordHidden(created);

      const fetched = await client.userApi.getUser({ userId: created.id });
      assert.equal(fetched.profile.email, login);

      await sleep(20); // timestamps have millisecond resolution
      const updated = await client.userApi.updateUser({
        userId: created.id,
        user: { profile: { firstName: 'Renamed', birthdate: '1990-01-02' } },
      });
      assert.equal(updated.id, created.id);
      assert.equal(updated.profile.firstName, 'Renamed');
      assert.equal(updated.profile.birthdate, '1990-01-02');
      assert.equal(updated.profile.lastName, 'User', 'partial update keeps the other attributes');
      assert.equal(updated.profile.email, login);
      assert.equal(updated.profile.favoriteColor, 'teal');
      assert.ok(updated.lastUpdated.getTime() > created.lastUpdated.getTime(),
        `lastUpdated moves forward (${created.lastUpdated.toISOString()} -> ${updated.lastUpdated.toISOString()})`);
      assert.equal(updated.created.getTime(), created.created.getTime());

      // A later getUser through the same client sees the change (the SDK's cache is invalidated).
      const again = await client.userApi.getUser({ userId: created.id });
      assert.equal(again.profile.firstName, 'Renamed');
      assert.equal(again.lastUpdated.getTime(), updated.lastUpdated.getTime());

      // The new user can be found by the list endpoints too.
      const listed = await collect(await client.userApi.listUsers({ filter: `profile.login eq "${login}"` }));
      assert.deepEqual(listed.map((u) => u.id), [created.id]);
    });

    test('duplicate login is 400 E0000001 with errorCauses', async () => {
      const err = await expectOktaError(client.userApi.createUser({
        body: {
          profile: { login: 'ada@example.com', email: 'ada2@example.com', firstName: 'Ada', lastName: 'Again' },
          credentials: { password: { value: 'Another-Strong-9-Pass' } },
        },
        activate: true,
      }), 400, 'E0000001');
      assert.equal(err.errorSummary, 'Api validation failed: login');
      assert.equal(err.errorCauses.length, 1);
      assert.equal(err.errorCauses[0].errorSummary,
        'login: An object with this field already exists in the current organization');
    });

    test('weak password is 400 E0000001 naming the password policy', async () => {
      const login = uniqueLogin('weak');
      const err = await expectOktaError(client.userApi.createUser({
        body: {
          profile: { login, email: login, firstName: 'Weak', lastName: 'Password' },
          credentials: { password: { value: 'abc' } },
        },
        activate: true,
      }), 400, 'E0000001');
      assert.equal(err.errorSummary, 'Api validation failed: password');
      assert.ok(err.errorCauses.length >= 1);
      assert.match(err.errorCauses[0].errorSummary, /^password: Password requirements were not met\. Password requirements: /);
      assert.match(err.errorCauses[0].errorSummary, /at least 8 characters/);
      const none = await collect(await client.userApi.listUsers({ filter: `profile.login eq "${login}"` }));
      assert.deepEqual(none, [], 'the refused user was not created');
    });

    test('lifecycle: suspend, unsuspend, deactivate, activate, reset password', async () => {
      const login = uniqueLogin('life');
      const user = await client.userApi.createUser({
        body: {
          profile: { login, email: login, firstName: 'Life', lastName: 'Cycle' },
          credentials: { password: { value: 'Sturdy-Pass-42-Q' } },
        },
        activate: true,
      });
      const id = user.id;
      const status = async () => (await client.userApi.getUser({ userId: id })).status;
      assert.equal(await status(), 'ACTIVE');

      // activate on an ACTIVE user is refused the way Okta does.
      await expectOktaError(client.userApi.activateUser({ userId: id, sendEmail: false }), 403, 'E0000016');

      assert.equal(await client.userApi.suspendUser({ userId: id }), undefined);
      assert.equal(await status(), 'SUSPENDED');
      const suspended = await client.userApi.getUser({ userId: id });
      assertIsoDate(suspended.statusChanged, 'statusChanged');
      // suspend is only for ACTIVE users.
      await expectOktaError(client.userApi.suspendUser({ userId: id }), 400, 'E0000001');

      await client.userApi.unsuspendUser({ userId: id });
      assert.equal(await status(), 'ACTIVE');
      await expectOktaError(client.userApi.unsuspendUser({ userId: id }), 400, 'E0000001');

      await client.userApi.deactivateUser({ userId: id });
      assert.equal(await status(), 'DEPROVISIONED');

      const activation = await client.userApi.activateUser({ userId: id, sendEmail: false });
      assert.ok(activation instanceof okta.UserActivationToken);
      assert.equal(typeof activation.activationToken, 'string');
      assert.ok(activation.activationToken.length >= 10);
      assert.ok(activation.activationUrl.startsWith(server.baseUrl + '/'), activation.activationUrl);
      assert.ok(activation.activationUrl.endsWith(activation.activationToken), activation.activationUrl);
      assert.equal(await status(), 'ACTIVE', 'a user with a password becomes ACTIVE on activation');

      const reset = await client.userApi.generateResetPasswordToken({ userId: id, sendEmail: false });
      assert.ok(reset instanceof okta.ResetPasswordToken);
      assert.match(reset.resetPasswordUrl, new RegExp(`^${server.baseUrl.replace(/[.]/g, '\\.')}/reset_password/[A-Za-z0-9_-]{10,}$`));
      assert.equal(await status(), 'RECOVERY');
    });

    test('lifecycle: a user without password goes STAGED -> PROVISIONED, reactivate resends', async () => {
      const login = uniqueLogin('staged');
      const user = await client.userApi.createUser({
        body: { profile: { login, email: login, firstName: 'No', lastName: 'Password' } },
        activate: false,
      });
      assert.equal(user.status, 'STAGED');
      assert.equal(user.activated, null);

      const first = await client.userApi.activateUser({ userId: user.id, sendEmail: false });
      assert.ok(first.activationUrl.startsWith(server.baseUrl + '/'), first.activationUrl);
      assert.equal((await client.userApi.getUser({ userId: user.id })).status, 'PROVISIONED');

      const second = await client.userApi.reactivateUser({ userId: user.id, sendEmail: false });
      assert.equal(typeof second.activationToken, 'string');
      assert.notEqual(second.activationToken, first.activationToken, 'reactivate issues a new token');
      assert.ok(second.activationUrl.endsWith(second.activationToken));
      assert.equal((await client.userApi.getUser({ userId: user.id })).status, 'PROVISIONED');

      // reactivate is only for PROVISIONED/RECOVERY users.
      const active = await client.userApi.getUser({ userId: 'ada@example.com' });
      await expectOktaError(client.userApi.reactivateUser({ userId: active.id, sendEmail: false }), 403, 'E0000038');
    });

    test('delete: the first call deactivates, the second deletes', async () => {
      const login = uniqueLogin('gone');
      const user = await client.userApi.createUser({
        body: {
          profile: { login, email: login, firstName: 'Soon', lastName: 'Gone' },
          credentials: { password: { value: 'Delete-Me-Later-9' } },
        },
        activate: true,
      });
      assert.equal(await client.userApi.deleteUser({ userId: user.id }), undefined);
      const deprovisioned = await client.userApi.getUser({ userId: user.id });
      assert.equal(deprovisioned.status, 'DEPROVISIONED');

      await client.userApi.deleteUser({ userId: user.id });
      await expectOktaError(client.userApi.getUser({ userId: user.id }), 404, 'E0000007');
      await expectOktaError(client.userApi.deleteUser({ userId: user.id }), 404, 'E0000007');

      // Also the documented pair: deactivate, then delete once.
      const login2 = uniqueLogin('gone2');
      const user2 = await client.userApi.createUser({
        body: { profile: { login: login2, email: login2, firstName: 'Also', lastName: 'Gone' } },
        activate: false,
      });
      await client.userApi.deactivateUser({ userId: user2.id });
      await client.userApi.deleteUser({ userId: user2.id });
      await expectOktaError(client.userApi.getUser({ userId: user2.id }), 404, 'E0000007');
      const listed = await collect(await client.userApi.listUsers({ filter: `profile.login eq "${login2}"` }));
      assert.deepEqual(listed, []);
    });

    test('getUser by id is cached by the SDK under _links.self and invalidated by writes', async () => {
      const login = uniqueLogin('cached');
      const user = await client.userApi.createUser({
        body: { profile: { login, email: login, firstName: 'Cache', lastName: 'Check' } },
        activate: false,
      });
      requests = [];
      await client.userApi.getUser({ userId: user.id });
      await client.userApi.getUser({ userId: user.id });
      assert.equal(requests.length, 1, 'the second getUser is answered from the SDK cache');
      await client.userApi.updateUser({ userId: user.id, user: { profile: { lastName: 'Checked' } } });
      requests = [];
      const fresh = await client.userApi.getUser({ userId: user.id });
      assert.equal(requests.length, 1, 'the update dropped the cached copy');
      assert.equal(fresh.profile.lastName, 'Checked');
      await client.userApi.activateUser({ userId: user.id, sendEmail: false });
      assert.equal((await client.userApi.getUser({ userId: user.id })).status, 'PROVISIONED',
        'a lifecycle call drops the cached copy too');
    });

    test('replaceUser (PUT) replaces the whole profile', async () => {
      const login = uniqueLogin('replace');
      const user = await client.userApi.createUser({
        body: {
          profile: { login, email: login, firstName: 'Full', lastName: 'Replace', favoriteColor: 'red', city: 'Oslo' },
          credentials: { password: { value: 'Whole-Object-88' } },
        },
        activate: true,
      });
      await sleep(20);
      const replaced = await client.userApi.replaceUser({
        userId: user.id,
        user: { profile: { login, email: login, firstName: 'Only', lastName: 'Required' } },
      });
      assert.equal(replaced.id, user.id);
      assert.equal(replaced.status, 'ACTIVE');
      assert.equal(replaced.profile.firstName, 'Only');
      assert.equal(replaced.profile.lastName, 'Required');
      assert.ok(replaced.profile.favoriteColor == null, 'attributes left out of a PUT are removed');
      assert.ok(replaced.profile.city == null, 'attributes left out of a PUT are removed');
      assert.ok(replaced.lastUpdated.getTime() > user.lastUpdated.getTime());
      assertPasswordHidden(replaced);

      // A PUT without the required attributes is refused and changes nothing.
      const err = await expectOktaError(client.userApi.replaceUser({
        userId: user.id, user: { profile: { login, email: login, firstName: 'Missing' } },
      }), 400, 'E0000001');
      assert.ok(err.errorCauses.some((c) => /lastName/.test(c.errorSummary)), JSON.stringify(err.errorCauses));
      assert.equal((await client.userApi.getUser({ userId: user.id })).profile.lastName, 'Required');
    });

    test('credentials: changePassword, expirePassword, unlock refused', async () => {
      const login = uniqueLogin('creds');
      const user = await client.userApi.createUser({
        body: {
          profile: { login, email: login, firstName: 'Pass', lastName: 'Word' },
          credentials: { password: { value: 'First-Secret-11' } },
        },
        activate: true,
      });
      const wrongOld = await expectOktaError(client.userApi.changePassword({
        userId: user.id,
        changePasswordRequest: { oldPassword: { value: 'Not-The-Secret-1' }, newPassword: { value: 'Second-Secret-22' } },
      }), 403, 'E0000014');
      assert.equal(wrongOld.errorSummary, 'Update of credentials failed');
      assert.ok(wrongOld.errorCauses.some((c) => /oldPassword: The credentials provided were incorrect\./.test(c.errorSummary)),
        JSON.stringify(wrongOld.errorCauses));

      const creds = await client.userApi.changePassword({
        userId: user.id,
        changePasswordRequest: { oldPassword: { value: 'First-Secret-11' }, newPassword: { value: 'Second-Secret-22' } },
      });
      assert.ok(creds instanceof okta.UserCredentials);
      assert.equal(creds.provider.type, 'OKTA');
      assert.ok(creds.password, 'credentials.password is present');
      assert.equal(creds.password.value, undefined);
      const changed = await client.userApi.getUser({ userId: user.id });
      assert.ok(changed.passwordChanged.getTime() >= user.passwordChanged.getTime());

      const expired = await client.userApi.expirePassword({ userId: user.id });
      assert.ok(expired instanceof okta.User);
      assert.equal(expired.id, user.id);
      assert.equal(expired.status, 'PASSWORD_EXPIRED');

      await expectOktaError(client.userApi.unlockUser({ userId: user.id }), 403, 'E0000032');
    });

    test('429 E0000047 reaches the SDK with headers it can use to back off and retry', async () => {
      const setForce429 = async (on) => {
        const res = await fetch(`${server.baseUrl}/admin/faults`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ force429: on }),
        });
        assert.equal(res.status, 200, await res.text());
      };
      // No retries: the 429 is the SDK's OktaApiError.
      const noRetry = new okta.Client({
        orgUrl: server.baseUrl, token: API_TOKEN, authorizationMode: 'SSWS',
        requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: 0 }),
      });
      await setForce429(true);
      try {
        const err = await expectOktaError(noRetry.userApi.getUser({ userId: 'ada@example.com' }), 429, 'E0000047');
        assert.equal(err.errorSummary, 'API call exceeded rate limit due to too many requests.');
        assert.equal(err.headers.get('x-rate-limit-remaining'), '0');
      } finally {
        await setForce429(false);
      }

      // The default executor computes its wait from X-Rate-Limit-Reset and the Date header. This
      // subclass records that wait, lifts the fault, and then lets the SDK retry after 50 ms.
      class QuickRetry extends okta.DefaultRequestExecutor {
        getRetryDelayMs(response) {
          this.computedDelayMs = super.getRetryDelayMs(response);
          return 50;
        }

        async retryRequest(request, response, delayMs) {
          await setForce429(false);
          return super.retryRequest(request, response, delayMs);
        }
      }
      const executor = new QuickRetry();
      const retrying = new okta.Client({
        orgUrl: server.baseUrl, token: API_TOKEN, authorizationMode: 'SSWS', requestExecutor: executor,
      });
      const sent = [];
      executor.on('request', (req) => sent.push({ ...req.headers }));
      let backoffRequestId = null;
      executor.on('backoff', (_req, _res, requestId) => { backoffRequestId = requestId; });
      await setForce429(true);
      try {
        const user = await retrying.userApi.getUser({ userId: 'grace@example.com' });
        assert.equal(user.profile.login, 'grace@example.com');
      } finally {
        await setForce429(false);
      }
      assert.ok(backoffRequestId, 'the SDK backed off once, naming the X-Okta-Request-Id of the 429');
      assert.ok(executor.computedDelayMs >= 1000 && executor.computedDelayMs <= 62000,
        `the SDK's wait from X-Rate-Limit-Reset and Date is within a minute (${executor.computedDelayMs} ms)`);
      assert.equal(sent.length, 2);
      assert.equal(sent[1]['X-Okta-Retry-For'], backoffRequestId);
      assert.equal(sent[1]['X-Okta-Retry-Count'], 1);
    });

    test('schema: read, add a custom property, use it, remove it', async () => {
      const schema = await client.schemaApi.getUserSchema({ schemaId: 'default' });
      assert.ok(schema instanceof okta.UserSchema);
      assert.equal(schema.name, 'user');
      assert.equal(schema.type, 'object');
      assert.equal(schema.schema, 'http://json-schema.org/draft-04/schema#');
      assert.match(schema.id, /\/meta\/schemas\/user\/osc[0-9A-Za-z]+$/);
      const base = schema.definitions.base;
      assert.equal(base.id, '#base');
      assert.equal(base.properties.login.type, 'string');
      assert.equal(base.properties.login.required, true);
      assert.equal(base.properties.login.minLength, 5);
      assert.equal(base.properties.login.maxLength, 100);
      assert.equal(base.properties.email.format, 'email');
      assert.deepEqual([...base.required].sort(), ['email', 'firstName', 'lastName', 'login']);
      const custom = schema.definitions.custom;
      assert.equal(custom.id, '#custom');
      assert.equal(custom.properties.birthdate.title, 'Birthdate');
      assert.equal(custom.properties.birthdate.type, 'string');
      assert.equal(custom.properties.favoriteColor.title, 'Favorite Color');
      assert.equal(custom.properties.badge, undefined);

      const added = await client.schemaApi.updateUserProfile({
        schemaId: 'default',
        userSchema: {
          definitions: {
            custom: {
              id: '#custom',
              type: 'object',
              properties: {
                badge: {
                  title: 'Badge number',
                  description: 'Printed on the building pass',
                  type: 'string',
                  maxLength: 8,
                  permissions: [{ principal: 'SELF', action: 'READ_ONLY' }],
                },
              },
              required: [],
            },
          },
        },
      });
      const badge = added.definitions.custom.properties.badge;
      assert.ok(badge, 'the new property is in the returned schema');
      assert.equal(badge.title, 'Badge number');
      assert.equal(badge.description, 'Printed on the building pass');
      assert.equal(badge.type, 'string');
      assert.equal(badge.maxLength, 8);
      assert.equal(badge.permissions[0].principal, 'SELF');
      assert.equal(badge.permissions[0].action, 'READ_ONLY');
      assert.equal(added.definitions.custom.properties.birthdate.title, 'Birthdate', 'other properties kept');
      const reread = await client.schemaApi.getUserSchema({ schemaId: 'default' });
      assert.equal(reread.definitions.custom.properties.badge.maxLength, 8);

      const ada = await client.userApi.getUser({ userId: 'ada@example.com' });
      const withBadge = await client.userApi.updateUser({ userId: ada.id, user: { profile: { badge: 'B-42' } } });
      assert.equal(withBadge.profile.badge, 'B-42');
      const tooLong = await expectOktaError(
        client.userApi.updateUser({ userId: ada.id, user: { profile: { badge: 'B-123456789' } } }), 400, 'E0000001');
      assert.ok(tooLong.errorCauses.length >= 1);
      assert.match(tooLong.errorCauses[0].errorSummary, /badge/);

      const removed = await client.schemaApi.updateUserProfile({
        schemaId: 'default',
        userSchema: { definitions: { custom: { id: '#custom', type: 'object', properties: { badge: null } } } },
      });
      assert.equal(removed.definitions.custom.properties.badge, undefined);
      assert.equal(removed.definitions.custom.properties.favoriteColor.title, 'Favorite Color');

      const undefinedProperty = await expectOktaError(
        client.userApi.updateUser({ userId: ada.id, user: { profile: { badge: 'B-43' } } }), 400, 'E0000001');
      assert.ok(undefinedProperty.errorCauses.length >= 1);
      assert.match(undefinedProperty.errorCauses[0].errorSummary, /Property name 'badge' is not defined in profile/);
    });
  });
}
