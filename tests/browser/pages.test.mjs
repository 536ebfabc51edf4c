// Every page of userdesk (and mini-okta's sign-in form) at both sizes, phone and desktop: each
// page is reached the way a person reaches it, its status and heading are checked, then axe-core
// (checkAccessibility) and the layout checks run and a screenshot goes to build/screenshots/.
// One stack serves the whole file; each size gets its own browser, signed out at first.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Stack } from './stack.mjs';
import {
  checkAccessibility,
  checkLayout,
  heading,
  openBrowser,
  screenshot,
  signInOnForm,
  submit,
  viewports,
} from './browser.mjs';

const demoLogin = 'demo@example.com';

let stack = null;
before(async () => {
  stack = await Stack.start();
});
after(async () => {
  await stack?.stop();
});

for (const [size, viewport] of Object.entries(viewports)) {
  describe(`every page on a ${size} (${viewport.width}x${viewport.height})`, () => {
    let browser = null;
    let page = null;

    before(async () => {
      browser = await openBrowser({ viewport });
      page = browser.page;
    });
    after(async () => {
      await browser?.close();
    });

    // The checks every page gets once its own assertions have passed, then its screenshot.
    async function look(name, { shoot = true } = {}) {
      await checkAccessibility(page, `${name} (${size})`);
      await checkLayout(page, `${name} (${size})`);
      if (shoot) await screenshot(page, name, size);
    }

    test('home, signed out: what userdesk is, and the way in', async () => {
      const response = await page.goto(stack.url('/'));
      assert.equal(response.status(), 200);
      assert.equal(await heading(page), 'Welcome to userdesk');
      const header = page.locator('header');
      assert.ok(await header.getByRole('link', { name: 'Sign in' }).isVisible());
      assert.ok(await header.getByRole('link', { name: 'Register' }).isVisible());
      assert.ok(await page.locator('main').getByRole('link', { name: 'Create an account' }).isVisible());
      await look('home');
    });

    test('register: the empty form', async () => {
      const response = await page.goto(stack.url('/register'));
      assert.equal(response.status(), 200);
      assert.equal(await heading(page), 'Register');
      for (const label of ['First Name', 'Last Name', 'Email', 'Password']) {
        assert.ok(await page.getByLabel(label).isVisible(), `${label} is shown`);
      }
      await look('register');
    });

    test('register-error: fields missing come back beside their fields, typed values kept', async () => {
      await page.getByLabel('First Name').fill('Ada');
      const response = await submit(page, 'Register', { novalidate: true });
      assert.equal(response.status(), 422);
      assert.equal(await heading(page), 'Register');
      assert.ok(await page.getByRole('alert').getByText('Please correct the fields marked below.').isVisible());
      assert.equal(await page.getByLabel('First Name').inputValue(), 'Ada');
      for (const [id, message] of [
        ['lastName', 'Enter your last name.'],
        ['email', 'Enter your email.'],
        ['password', 'Enter your password.'],
      ]) {
        const error = page.locator(`#${id}-error`);
        assert.equal((await error.innerText()).trim(), message);
        assert.ok(await error.isVisible(), `${id}'s error is visible`);
        assert.equal(await page.locator(`#${id}`).getAttribute('aria-invalid'), 'true');
      }
      await look('register-error');
    });

    test('reset-password: the form', async () => {
      const response = await page.goto(stack.url('/reset-password'));
      assert.equal(response.status(), 200);
      assert.equal(await heading(page), 'Reset password');
      assert.ok(await page.getByLabel('Email').isVisible());
      await look('reset-password');
    });

    test('reset-sent: a well-formed address gets the same answer whether or not it has an account', async () => {
      await page.getByLabel('Email').fill(`nobody-${size}@example.com`);
      const response = await submit(page, 'Send the link');
      assert.equal(response.status(), 200);
      assert.equal(await heading(page), 'Check your email');
      assert.ok(await page.getByRole('status').isVisible());
      await look('reset-sent');
    });

    test('error: an unknown path gets the app\'s 404 page', async () => {
      const response = await page.goto(stack.url('/no-such-page'));
      assert.equal(response.status(), 404);
      assert.equal(await heading(page), 'Page not found');
      assert.ok(await page.locator('main').getByRole('link', { name: 'Back to the home page' }).isVisible());
      await look('error');
    });

    test('sign-in: mini-okta\'s form, reached through /login', async () => {
      const response = await page.goto(stack.url('/login'));
      assert.equal(response.status(), 200);
      assert.ok(page.url().startsWith(stack.oktaUrl + '/'), `on mini-okta: ${page.url()}`);
      assert.equal(await heading(page), 'Sign In');
      assert.ok(await page.getByLabel('Username').isVisible());
      assert.ok(await page.getByLabel('Password').isVisible());
      await look('sign-in');
    });

    test('dashboard: signed in as the demo user', async () => {
      await signInOnForm(page, stack, demoLogin, stack.demoPassword);
      const response = await page.goto(stack.url('/dashboard'));
      assert.equal(response.status(), 200);
      assert.equal(await heading(page), "Demo's Dashboard");
      const profile = page.locator('dl.profile');
      assert.ok(await profile.getByText(demoLogin, { exact: true }).first().isVisible());
      assert.ok(await page.locator('header').getByRole('button', { name: 'Sign out' }).isVisible());
      await look('dashboard');
    });

    test('home, signed in: the way to the dashboard', async () => {
      const response = await page.goto(stack.url('/'));
      assert.equal(response.status(), 200);
      assert.equal(await heading(page), 'Welcome to userdesk');
      assert.ok(await page.getByText('Welcome back, Demo User.').isVisible());
      assert.ok(await page.locator('main').getByRole('link', { name: 'Go to your dashboard' }).isVisible());
      await look('home-signed-in');
    });

    test('profile: the form, filled from the identity provider', async () => {
      const response = await page.goto(stack.url('/profile'));
      assert.equal(response.status(), 200);
      assert.equal(await heading(page), 'Profile');
      assert.equal(await page.getByLabel('First Name').inputValue(), 'Demo');
      assert.equal(await page.getByLabel('City').inputValue(), 'Springfield');
      await look('profile');
    });

    test('profile-error: a birthday in the future comes back 422 beside the field, nothing saved', async () => {
      await page.getByLabel('City').fill('Shelbyville');
      await page.getByLabel('Birthdate').fill('2999-01-01');
      const response = await submit(page, 'Save');
      assert.equal(response.status(), 422);
      assert.equal(await heading(page), 'Profile');
      const error = page.locator('#birthdate-error');
      assert.equal((await error.innerText()).trim(), 'Birthdate cannot be in the future.');
      assert.ok(await error.isVisible());
      assert.equal(await page.getByLabel('Birthdate').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Birthdate').inputValue(), '2999-01-01');
      assert.equal(await page.getByLabel('City').inputValue(), 'Shelbyville');
      assert.equal((await stack.oktaUser(demoLogin)).profile.city, 'Springfield');
      await look('profile-error');
    });

    test('profile-session-expired: a save after the session ended keeps what was typed', async () => {
      await page.goto(stack.url('/profile'));
      await page.getByLabel('State').fill('WA');
      await browser.context.clearCookies({ name: 'userdesk_session' });
      const response = await submit(page, 'Save');
      assert.equal(response.status(), 401);
      assert.equal(await heading(page), 'Profile');
      assert.ok(await page.getByRole('alert').getByText('Your session has expired').isVisible());
      assert.equal(await page.getByLabel('State').inputValue(), 'WA');
      assert.ok(await page.getByRole('link', { name: 'Sign in again in a new tab' }).isVisible());
      await look('profile-session-expired');
      // Signed in again for what follows (mini-okta still knows this browser: no form).
      await page.goto(stack.url('/login?returnTo=%2Fdashboard'));
      await page.waitForURL(stack.url('/dashboard'));
    });

    test('sign-out: the confirmation page, then home signed out', async () => {
      const response = await page.goto(stack.url('/logout'));
      assert.equal(response.status(), 200);
      assert.equal(await heading(page), 'Sign out?');
      await look('sign-out');
      await Promise.all([
        page.waitForURL((u) => u.href === stack.url('/')),
        page.locator('main').getByRole('button', { name: 'Sign out' }).click(),
      ]);
      await page.waitForLoadState('load');
      assert.equal(await heading(page), 'Welcome to userdesk');
      assert.ok(await page.locator('header').getByRole('link', { name: 'Sign in' }).isVisible());
      assert.equal(await page.getByText('Signed in as').count(), 0);
      await look('home after sign-out', { shoot: false });  // home again: no screenshot of its own
    });

    // nginx's own pages for a responder that is down, a body over the cap and too many tries,
    // each served as a file; they share the app's stylesheet and must look like the app.
    test('static error pages: 50x, 413, 429', async () => {
      for (const [file, title] of [
        ['50x', "We'll be right back"],
        ['413', 'That was too much to send'],
        ['429', 'Too many requests'],
      ]) {
        const response = await page.goto(stack.url(`/static/errors/${file}.html`));
        assert.equal(response.status(), 200);
        assert.equal(await heading(page), title);
        assert.ok(await page.locator('main').getByRole('link', { name: 'Back to the home page' }).isVisible());
        await look(`static-${file}`);
      }
    });
  });
}
