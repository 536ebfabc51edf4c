// Compatibility test: the official Okta Auth JS SDK's MyAccount module
// (@okta/okta-auth-js/myaccount, used unchanged) against the real mini-okta binary. The user signs
// in through mini-okta's own form at the org authorization server, as a browser would; the SDK
// then reads and replaces the profile and reads the schema with that user's access token.
//
// Run: MINI_OKTA_BIN=build/mini-okta node --test tests/sdk/myaccount_js.test.mjs
// (ctest -L sdk does this). The SDK comes from tests/sdk/node_modules, installed by `make deps`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../support/free_port.mjs';

let authjs = null;
let myaccount = null;
let sdkProblem = null;
try {
  authjs = await import('@okta/okta-auth-js');
  myaccount = await import('@okta/okta-auth-js/myaccount');
} catch (e) {
  sdkProblem = `cannot load @okta/okta-auth-js (${e.code ?? e.message}). Run \`make deps\`.`;
}
const binary = process.env.MINI_OKTA_BIN;
const binaryProblem = !binary || !existsSync(binary)
  ? `MINI_OKTA_BIN=${binary ?? ''} is not the mini-okta binary; build it and let ctest set it.`
  : null;

const API_TOKEN = '00myaccountJs-' + Math.random().toString(36).slice(2);
const CLIENT = {
  client_id: '0oaMyAccountJs',
  client_secret: 'myaccount-js-' + Math.random().toString(36).slice(2),
  client_name: 'MyAccount JS test',
  redirect_uris: ['http://127.0.0.1:9/callback'],
  post_logout_redirect_uris: ['http://127.0.0.1:9/'],
  pkce_required: false,
};
const SEED = {
  users: [{
    status: 'ACTIVE', password: 'Analytical-Engine-1843',
    profile: { login: 'ada@example.com', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace',
      birthdate: '1815-12-10', internalNote: 'admins only' },
  }],
  clients: [CLIENT],
  apiTokens: [API_TOKEN],
  customProperties: {
    birthdate: { title: 'Birthdate', type: 'string', permissions: [{ principal: 'SELF', action: 'READ_ONLY' }] },
    nickColor: { title: 'Color', type: 'string', enum: ['red', 'blue'],
      permissions: [{ principal: 'SELF', action: 'READ_WRITE' }] },
    internalNote: { title: 'Internal note', type: 'string', permissions: [{ principal: 'SELF', action: 'HIDE' }] },
  },
};

let dir;
let proc;
let baseUrl;

async function startMiniOkta() {
  dir = await mkdtemp(join(tmpdir(), 'myaccount-js-'));
  await writeFile(join(dir, 'seed.json'), JSON.stringify(SEED));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  proc = spawn(binary, ['--host', '127.0.0.1', '--port', String(port), '--base-url', baseUrl,
    '--data', join(dir, 'data.json'), '--seed', join(dir, 'seed.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/.well-known/openid-configuration`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`mini-okta did not answer on ${baseUrl}:\n${output}`);
}

// Signs ada in at the org server with these scopes, as a browser and a confidential client do,
// and returns the access token.
async function accessToken(scope) {
  const authorize = new URL(`${baseUrl}/oauth2/v1/authorize`);
  Object.entries({ client_id: CLIENT.client_id, response_type: 'code', scope,
    redirect_uri: CLIENT.redirect_uris[0], state: 'st' }).forEach(([k, v]) => authorize.searchParams.set(k, v));
  const form = await fetch(authorize, { redirect: 'manual' });
  const html = await form.text();
  assert.equal(form.status, 200, html);
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)[1];
  const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const signedIn = await fetch(`${baseUrl}/login/signin`, {
    method: 'POST', redirect: 'manual', headers: { Cookie: cookie },
    body: new URLSearchParams({ request_id: requestId, username: 'ada@example.com', password: 'Analytical-Engine-1843' }),
  });
  assert.equal(signedIn.status, 302, await signedIn.text());
  const code = new URL(signedIn.headers.get('location')).searchParams.get('code');
  const token = await fetch(`${baseUrl}/oauth2/v1/token`, {
    method: 'POST',
    headers: { Authorization: 'Basic ' + Buffer.from(`${CLIENT.client_id}:${CLIENT.client_secret}`).toString('base64') },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CLIENT.redirect_uris[0] }),
  });
  const body = await token.json();
  assert.equal(token.status, 200, JSON.stringify(body));
  return body.access_token;
}

function sdk() {
  return new authjs.OktaAuth({
    issuer: baseUrl, clientId: CLIENT.client_id, redirectUri: CLIENT.redirect_uris[0],
    testing: { disableHttpsCheck: true },
  });
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected the SDK call to fail');
}

describe('Okta Auth JS MyAccount module against mini-okta', () => {
  before(async () => {
    assert.equal(sdkProblem, null, sdkProblem);
    assert.equal(binaryProblem, null, binaryProblem);
    await startMiniOkta();
  });
  after(async () => {
    if (proc && proc.exitCode === null) {
      proc.kill('SIGTERM');
      await new Promise((resolve) => proc.once('exit', resolve));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('getProfile and getProfileSchema read what the user may see', async () => {
    const token = await accessToken('openid okta.myAccount.profile.read');
    const auth = sdk();
    const profile = await myaccount.getProfile(auth, { accessToken: token });
    assert.equal(profile.profile.login, 'ada@example.com');
    assert.equal(profile.profile.birthdate, '1815-12-10');
    assert.equal(profile.profile.nickColor, null);
    assert.ok(!('internalNote' in profile.profile), 'a HIDE attribute is not shown');
    assert.ok(profile.createdAt && profile.modifiedAt);
    const schema = await myaccount.getProfileSchema(auth, { accessToken: token });
    assert.equal(schema.properties.birthdate.permissions.SELF, 'READ_ONLY');
    assert.deepEqual(schema.properties.nickColor.enum, ['red', 'blue']);
    assert.equal(schema.properties.firstName.permissions.SELF, 'READ_WRITE');
    assert.ok(!('internalNote' in schema.properties));
  });

  test('updateProfile replaces the writable profile', async () => {
    const token = await accessToken('openid okta.myAccount.profile.manage');
    const auth = sdk();
    const current = await myaccount.getProfile(auth, { accessToken: token });
    const payload = { profile: { ...current.profile, nickColor: 'blue', lastName: 'King' } };
    const updated = await myaccount.updateProfile(auth, { accessToken: token, payload });
    assert.equal(updated.profile.nickColor, 'blue');
    assert.equal(updated.profile.lastName, 'King');
    const admin = await fetch(`${baseUrl}/api/v1/users/ada%40example.com`,
      { headers: { Authorization: `SSWS ${API_TOKEN}`, Accept: 'application/json' } });
    const user = await admin.json();
    assert.equal(user.profile.lastName, 'King');
    assert.equal(user.profile.internalNote, 'admins only', 'what the user cannot see is kept');
  });

  test('refusals reach the SDK as Okta errors', async () => {
    const readOnly = await accessToken('openid okta.myAccount.profile.read');
    const auth = sdk();
    const current = await myaccount.getProfile(auth, { accessToken: readOnly });
    const forbidden = await rejection(myaccount.updateProfile(auth,
      { accessToken: readOnly, payload: { profile: current.profile } }));
    assert.equal(forbidden.name, 'AuthApiError');
    assert.equal(forbidden.xhr.status, 403);
    assert.equal(forbidden.errorCode, 'E0000006');

    const manage = await accessToken('openid okta.myAccount.profile.manage');
    const invalid = await rejection(myaccount.updateProfile(auth,
      { accessToken: manage, payload: { profile: { ...current.profile, birthdate: '2000-01-01' } } }));
    assert.equal(invalid.xhr.status, 400);
    assert.equal(invalid.errorCode, 'E0000001');
    assert.match(invalid.errorCauses[0].errorSummary, /^birthdate: /);
  });
});
