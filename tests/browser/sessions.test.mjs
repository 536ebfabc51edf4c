// The Security page in real browsers (issue 17's "done when"): two browsers signed in as one
// user, one signs the other out and the other is sent to sign in; the password is changed there,
// the other browser is signed out, and the new password signs in. The page passes axe-core, and
// its screenshots go to build/screenshots (docs/screenshots keeps a copy).
// Sessions are checked every second here (SESSION_CHECK_SECONDS=1), so the journeys need not
// wait out the default five.
//
// Run: node --test --test-reporter=spec tests/browser/sessions.test.mjs   (ctest -L browser)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Stack } from './stack.mjs';
import { checkAccessibility, checkLayout, heading, openBrowser, screenshot, signInOnForm, submit, viewports } from './browser.mjs';

const PASSWORD = 'Difference-Engine-1822';

let stack;
before(async () => {
  stack = await Stack.start({ SESSION_CHECK_SECONDS: '1' });
});
after(async () => {
  await stack?.stop();
});

// Two browsers (separate profiles: two devices), signed in as email; closed afterwards.
async function withTwoBrowsers(email, password, body) {
  const first = await openBrowser({ viewport: viewports.desktop });
  const second = await openBrowser({ viewport: viewports.phone });
  try {
    for (const { page } of [first, second]) {
      await page.goto(stack.url('/security'));
      await signInOnForm(page, stack, email, password);
      assert.equal(new URL(page.url()).pathname, '/security');
    }
    await body(first.page, second.page);
  } finally {
    await first.close();
    await second.close();
  }
}

const pastTrustWindow = () => new Promise((r) => setTimeout(r, 1200));

// After an action, a page of the other browser's lands on the identity provider's form.
async function assertSentToSignIn(page) {
  await page.goto(stack.url('/dashboard'));
  await page.waitForURL((u) => u.href.startsWith(stack.oktaUrl));
  await page.getByLabel('Password').waitFor();
}

describe('the Security page', () => {
  test('two browsers are listed; one signs the other out, which is sent to sign in', async () => {
    const email = 'charles@example.com';
    await stack.createUser({ login: email, email, firstName: 'Charles', lastName: 'Babbage' }, PASSWORD);
    await withTwoBrowsers(email, PASSWORD, async (desktop, phone) => {
      await desktop.reload();
      assert.equal(await heading(desktop), 'Security');
      const rows = desktop.locator('table.sessions tbody tr');
      assert.equal(await rows.count(), 2);
      assert.equal(await desktop.getByText('(this browser)').count(), 1);
      await checkAccessibility(desktop, 'security (desktop)');
      await checkLayout(desktop, 'security (desktop)');
      await screenshot(desktop, 'security', 'desktop');
      await phone.reload();
      await checkAccessibility(phone, 'security (phone)');
      await checkLayout(phone, 'security (phone)');
      await screenshot(phone, 'security', 'phone');

      // the row without "(this browser)" is the phone's
      const other = rows.filter({ hasNot: desktop.getByText('(this browser)') });
      await other.getByRole('button', { name: 'Sign out' }).click();
      await desktop.waitForURL(stack.url('/security?ended=1'));
      await desktop.getByText('Signed out of 1 other session.').waitFor();
      assert.equal(await rows.count(), 1);

      await pastTrustWindow();
      await assertSentToSignIn(phone);
      await desktop.goto(stack.url('/dashboard'));
      assert.equal(await heading(desktop), "Charles's Dashboard");
    });
  });

  test('changing the password signs the other browser out; the new password signs in', async () => {
    const email = 'ada.security@example.com';
    const newPassword = 'Analytical-Engine-1837';
    await stack.createUser({ login: email, email, firstName: 'Ada', lastName: 'King' }, PASSWORD);
    await withTwoBrowsers(email, PASSWORD, async (desktop, phone) => {
      // a wrong current password: said beside the field, nothing typed comes back (the fields
      // are found by id: their labels end with the required marker)
      await desktop.locator('#oldPassword').fill('Not-my-Passw0rd');
      await desktop.locator('#newPassword').fill(newPassword);
      await desktop.locator('#confirmPassword').fill(newPassword);
      assert.equal((await submit(desktop, 'Change password')).status(), 422);
      await desktop.getByText('The current password is not correct.').waitFor();
      assert.equal(await desktop.locator('#newPassword').inputValue(), '');
      await checkAccessibility(desktop, 'security-password-error (desktop)');
      await screenshot(desktop, 'security-password-error', 'desktop');

      await desktop.locator('#oldPassword').fill(PASSWORD);
      await desktop.locator('#newPassword').fill(newPassword);
      await desktop.locator('#confirmPassword').fill(newPassword);
      assert.ok(await desktop.getByLabel('Then sign out of my other sessions').isChecked());
      assert.equal((await submit(desktop, 'Change password')).status(), 303);
      // (the form posts to /security#password, and the browser keeps the fragment)
      await desktop.waitForURL((u) => u.pathname + u.search === '/security?changed=1&ended=1');
      await desktop.getByText('Your password has been changed. Signed out of 1 other session.').waitFor();

      await pastTrustWindow();
      await assertSentToSignIn(phone);
      // the phone signs in again, with the new password only
      await phone.getByLabel('Username').fill(email);
      await phone.getByLabel('Password').fill(PASSWORD);
      await phone.getByRole('button', { name: 'Sign In' }).click();
      await phone.getByRole('alert').waitFor();
      await phone.getByLabel('Password').fill(newPassword);
      await phone.getByRole('button', { name: 'Sign In' }).click();
      await phone.waitForURL(stack.url('/dashboard'));
      assert.equal(await heading(phone), "Ada's Dashboard");
    });
  });
});
