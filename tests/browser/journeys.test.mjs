// What people do with userdesk, in a real browser: Debian's Chromium (playwright-core) against
// the real stack (scripts/run.sh: nginx, spawn-fcgi, the responders, mini-okta) on free loopback
// ports. Each journey uses its own browser profile and its own user; one stack serves the file.
//
// Run: node --test --test-reporter=spec tests/browser/journeys.test.mjs   (ctest -L browser)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Stack } from './stack.mjs';
import { checkAccessibility, heading, openBrowser, screenshot, signInOnForm, submit, viewports } from './browser.mjs';

const PASSWORD = 'Analytical-Engine-1843';

let stack;
before(async () => {
  // the responders read Okta's user schema again each second: an attribute a journey adds shows
  stack = await Stack.start({ SCHEMA_CACHE_SECONDS: '1' });
});
after(async () => {
  await stack?.stop();
});

// Runs body(browser) with a fresh browser, closed afterwards whatever happens. When the journey
// fails, each of its tabs is photographed first (build/screenshots/failed-*.png), so a red CI
// run shows where the browser was.
async function withBrowser(options, body) {
  const browser = await openBrowser(options);
  try {
    await body(browser);
  } catch (e) {
    const shots = [];
    for (const [i, tab] of browser.context.pages().entries()) {
      shots.push(await screenshot(tab, `failed-${Date.now()}-tab${i}`, 'journey').catch((err) => err.message));
    }
    e.message += `\n  screenshots: ${shots.join(', ')}`;
    throw e;
  } finally {
    await browser.close();
  }
}

// The path and query of where the page is now.
function here(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

// Fills userdesk's registration form and sends it; the browser ends on mini-okta's sign-in form.
async function register(page, { firstName, lastName, email, password }) {
  await page.goto(stack.url('/register'));
  await page.getByLabel('First Name').fill(firstName);
  await page.getByLabel('Last Name').fill(lastName);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Register' }).click();
}

// Signs in from wherever the browser is (opens `path`, which sends it to mini-okta's form).
async function signIn(page, email, password, path = '/login') {
  await page.goto(stack.url(path));
  await signInOnForm(page, stack, email, password);
}

async function signOut(page) {
  await Promise.all([
    page.waitForURL((u) => u.href === stack.url('/')),
    page.getByRole('button', { name: 'Sign out' }).click(),
  ]);
}

// The dashboard's rows as {label: value}.
async function dashboardRows(page) {
  return page.locator('dl.profile').evaluate((dl) => {
    const rows = {};
    for (const dt of dl.querySelectorAll('dt')) rows[dt.textContent.trim()] = dt.nextElementSibling.textContent.trim();
    return rows;
  });
}

describe('a new user, from registration to sign-out', () => {
  for (const [size, viewport] of Object.entries(viewports)) {
    test(`register, sign in, edit the profile, sign out (${size})`, async () => {
      const email = `ada.${size}@example.com`;
      await withBrowser({ viewport }, async ({ page }) => {
        await register(page, { firstName: 'Ada', lastName: 'Lovelace', email, password: PASSWORD });

        // Registration hands over to sign-in with the address already filled in.
        await page.waitForURL((u) => u.href.startsWith(stack.oktaUrl));
        assert.equal(await page.getByLabel('Username').inputValue(), email);
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign In' }).click();
        await page.waitForURL((u) => u.href.startsWith(stack.url('/dashboard')));
        assert.equal(here(page), '/dashboard?welcome=1');
        assert.equal(await heading(page), "Ada's Dashboard");
        await page.getByText('Welcome! Your account has been created.').waitFor();
        assert.match(await page.locator('header').textContent(), /Signed in as\s+Ada Lovelace/);
        const before = await dashboardRows(page);
        assert.equal(before['First name'], 'Ada');
        assert.equal(before['Primary email'], email);

        // Edit the profile: a new first name, a city and a birthday from the date picker.
        await page.getByRole('link', { name: 'Edit your profile' }).click();
        await page.waitForURL(stack.url('/profile'));
        assert.equal(await page.getByLabel('Birthdate').getAttribute('type'), 'date');
        await page.getByLabel('First Name').fill('Augusta Ada');
        await page.getByLabel('City').fill('London');
        await page.getByLabel('Birthdate').fill('1985-12-10');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.waitForURL(stack.url('/profile?saved=1'));
        await page.getByText('Your profile has been saved.').waitFor();
        assert.equal(await page.getByLabel('Birthdate').inputValue(), '1985-12-10');

        // Okta has it, and the dashboard and the header show it.
        const user = await stack.oktaUser(email);
        assert.equal(user.profile.firstName, 'Augusta Ada');
        assert.equal(user.profile.city, 'London');
        assert.equal(user.profile.birthdate, '1985-12-10');
        await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
        await page.waitForURL(stack.url('/dashboard'));
        assert.equal(await heading(page), "Augusta Ada's Dashboard");
        const rows = await dashboardRows(page);
        assert.equal(rows['City'], 'London');
        assert.equal(rows['Birthdate'], '1985-12-10');
        assert.match(await page.locator('header').textContent(), /Signed in as\s+Augusta Ada Lovelace/);

        // Sign out: home, signed out; a protected page now sends the browser to sign in.
        await signOut(page);
        await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
        assert.doesNotMatch(await page.locator('header').textContent(), /Signed in as/);
        await page.goto(stack.url('/dashboard'));
        await page.waitForURL((u) => u.href.startsWith(stack.oktaUrl));
        await page.getByLabel('Password').waitFor();
      });
    });
  }
});

describe('a profile drawn from the schema', () => {
  const SELF = (action) => [{ principal: 'SELF', action }];
  for (const [size, viewport] of Object.entries(viewports)) {
    test(`a boolean, a select and a read-only field added in Okta, edited (${size})`, async () => {
      const email = `schema.${size}@example.com`;
      await stack.setCustomAttribute('newsletter', { title: 'Newsletter', type: 'boolean', permissions: SELF('READ_WRITE') });
      await stack.setCustomAttribute('shirtSize', {
        title: 'Shirt size', type: 'string', enum: ['S', 'M', 'L'],
        oneOf: [{ const: 'S', title: 'Small' }, { const: 'M', title: 'Medium' }, { const: 'L', title: 'Large' }],
        permissions: SELF('READ_WRITE'),
      });
      await stack.setCustomAttribute('employeeId', { title: 'Employee ID', type: 'string', permissions: SELF('READ_ONLY') });
      await stack.createUser(
        { login: email, email, firstName: 'Mary', lastName: 'Somerville', employeeId: 'E-1780' },
        PASSWORD,
      );
      try {
        await withBrowser({ viewport }, async ({ page }) => {
          await signIn(page, email, PASSWORD, '/profile');
          // the schema is read again once the responder's copy is a second old
          for (let i = 0; i < 20 && (await page.getByLabel('Shirt size').count()) === 0; i++) {
            await page.waitForTimeout(250);
            await page.reload();
          }
          const newsletter = page.getByLabel('Newsletter');
          assert.equal(await newsletter.getAttribute('type'), 'checkbox');
          assert.equal(await newsletter.isChecked(), false);
          const shirt = page.getByLabel('Shirt size');
          assert.deepEqual(await shirt.locator('option').allTextContents(), ['(none)', 'Small', 'Medium', 'Large']);
          const employee = page.getByLabel('Employee ID');
          assert.equal(await employee.inputValue(), 'E-1780');
          assert.equal(await employee.isDisabled(), true);
          await checkAccessibility(page, `profile with typed fields (${size})`);
          await screenshot(page, 'profile-typed-fields', size);

          await newsletter.check();
          await shirt.selectOption({ label: 'Large' });
          await page.getByRole('button', { name: 'Save' }).click();
          await page.waitForURL(stack.url('/profile?saved=1'));
          assert.equal(await page.getByLabel('Newsletter').isChecked(), true);
          assert.equal(await page.getByLabel('Shirt size').inputValue(), 'L');

          // Okta holds a boolean and the option's value; the read-only attribute is untouched
          const user = await stack.oktaUser(email);
          assert.equal(user.profile.newsletter, true);
          assert.equal(user.profile.shirtSize, 'L');
          assert.equal(user.profile.employeeId, 'E-1780');

          await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
          await page.waitForURL(stack.url('/dashboard'));
          const rows = await dashboardRows(page);
          assert.equal(rows['Newsletter'], 'Yes');
          assert.equal(rows['Shirt size'], 'Large');
          assert.equal(rows['Employee ID'], 'E-1780');
        });
      } finally {
        for (const name of ['newsletter', 'shirtSize', 'employeeId']) await stack.setCustomAttribute(name, null);
      }
    });
  }
});

describe('signing in', () => {
  test('a protected page opened signed out is where sign-in lands (returnTo)', async () => {
    await withBrowser({}, async ({ page }) => {
      await page.goto(stack.url('/profile'));
      await page.waitForURL((u) => u.href.startsWith(stack.oktaUrl));
      await signInOnForm(page, stack, 'demo@example.com', stack.demoPassword);
      assert.equal(here(page), '/profile');
      assert.equal(await heading(page), 'Profile');
      assert.equal(await page.getByLabel('First Name').inputValue(), 'Demo');
    });
  });

  test('two tabs signing in at once each land where they were going', async () => {
    await withBrowser({}, async ({ context, page }) => {
      const second = await context.newPage();
      // Both tabs start a sign-in before either finishes: two attempts, two states.
      await page.goto(stack.url('/profile'));
      await second.goto(stack.url('/dashboard'));
      for (const tab of [page, second]) {
        await tab.waitForURL((u) => u.href.startsWith(stack.oktaUrl));
        await tab.getByLabel('Username').fill('demo@example.com');
        await tab.getByLabel('Password').fill(stack.demoPassword);
      }
      const landed = (tab, path) => tab.waitForURL(stack.url(path));
      await Promise.all([
        landed(page, '/profile'),
        landed(second, '/dashboard'),
        page.getByRole('button', { name: 'Sign In' }).click(),
        second.getByRole('button', { name: 'Sign In' }).click(),
      ]);
      assert.equal(await heading(page), 'Profile');
      assert.equal(await heading(second), "Demo's Dashboard");
      // One session for the browser, and both tabs are signed in with it.
      await page.reload();
      await second.reload();
      assert.equal(here(page), '/profile');
      assert.equal(here(second), '/dashboard');
    });
  });

  test('a wrong password is refused on the sign-in form and the address stays', async () => {
    await withBrowser({}, async ({ page }) => {
      await page.goto(stack.url('/login'));
      await page.waitForURL((u) => u.href.startsWith(stack.oktaUrl));
      await page.getByLabel('Username').fill('demo@example.com');
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign In' }).click();
      await page.getByRole('alert').waitFor();
      assert.equal(await page.getByLabel('Username').inputValue(), 'demo@example.com');
      assert.ok(page.url().startsWith(stack.oktaUrl), 'still on the sign-in form');
    });
  });
});

describe('forgotten password', () => {
  test('reset through the emailed link, then sign in with the new password', async () => {
    const email = 'grace@example.com';
    await stack.createUser({ login: email, email, firstName: 'Grace', lastName: 'Hopper' }, PASSWORD);
    const newPassword = 'Cobol-Compiler-1959';
    await withBrowser({}, async ({ page }) => {
      await page.goto(stack.url('/'));
      await page.getByRole('link', { name: 'Reset it' }).click();
      await page.waitForURL(stack.url('/reset-password'));
      await page.getByLabel('Email').fill(email);
      assert.equal((await submit(page, 'Send the link')).status(), 200);
      assert.equal(await heading(page), 'Check your email');

      // The mail is sent off the request path: wait for it in mini-okta's outbox.
      let mail;
      for (let i = 0; i < 100 && !mail; i++) {
        mail = (await stack.outbox()).find((m) => m.to === email);
        if (!mail) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(mail, `no reset email for ${email} in mini-okta's outbox`);
      await page.goto(mail.link);
      await page.getByLabel('New password', { exact: true }).fill(newPassword);
      await page.getByLabel('Repeat new password').fill(newPassword);
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByText('Your password has been set').waitFor();

      // The old password no longer works; the new one does.
      await page.goto(stack.url('/login'));
      await page.waitForURL((u) => u.href.startsWith(stack.oktaUrl));
      await page.getByLabel('Username').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign In' }).click();
      await page.getByRole('alert').waitFor();
      await page.getByLabel('Password').fill(newPassword);
      await page.getByRole('button', { name: 'Sign In' }).click();
      await page.waitForURL(stack.url('/dashboard'));
      assert.equal(await heading(page), "Grace's Dashboard");
    });
  });
});

describe('mistakes and interruptions', () => {
  test('a validation error on the profile keeps everything typed', async () => {
    await withBrowser({}, async ({ page }) => {
      await signIn(page, 'demo@example.com', stack.demoPassword, '/profile');
      await page.getByLabel('First Name').fill('');
      await page.getByLabel('City').fill('Portland');
      await page.getByLabel('Favorite Color').fill('deep <b>blue</b> & green');
      // The browser would stop an empty required field itself; the server's answer is what
      // counts, so send it as a browser without that check would.
      const response = await submit(page, 'Save', { novalidate: true });
      assert.equal(response.status(), 422);
      const firstName = page.getByLabel('First Name');
      assert.equal(await firstName.getAttribute('aria-invalid'), 'true');
      const describedBy = await firstName.getAttribute('aria-describedby');
      assert.match(await page.locator(`#${describedBy}`).textContent(), /\S/);
      assert.equal(await page.getByLabel('City').inputValue(), 'Portland');
      assert.equal(await page.getByLabel('Favorite Color').inputValue(), 'deep <b>blue</b> & green');
      assert.equal(await page.locator('main b').count(), 0, 'typed markup is shown as text');
      await checkAccessibility(page, 'profile with a validation error');
      // Nothing was saved.
      const user = await stack.oktaUser('demo@example.com');
      assert.equal(user.profile.city, 'Springfield');

      // Mend the one field and send again: the rest of what was typed is saved.
      await firstName.fill('Demo');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(stack.url('/profile?saved=1'));
      const saved = await stack.oktaUser('demo@example.com');
      assert.equal(saved.profile.city, 'Portland');
      assert.equal(saved.profile.favoriteColor, 'deep <b>blue</b> & green');
    });
  });

  test('registration with a taken address keeps what was typed, except the password', async () => {
    await withBrowser({}, async ({ page }) => {
      await register(page, { firstName: 'Dee', lastName: 'Mo', email: 'demo@example.com', password: PASSWORD });
      await page.getByText('An account with this email address already exists').waitFor();
      assert.equal(here(page), '/register');
      assert.equal(await page.getByLabel('First Name').inputValue(), 'Dee');
      assert.equal(await page.getByLabel('Last Name').inputValue(), 'Mo');
      assert.equal(await page.getByLabel('Email').inputValue(), 'demo@example.com');
      assert.equal(await page.getByLabel('Password').inputValue(), '');
      await checkAccessibility(page, 'register with a taken address');
    });
  });

  test('a session that expired before a save: nothing saved, nothing lost, saved after signing in again', async () => {
    await withBrowser({}, async ({ context, page }) => {
      await signIn(page, 'demo@example.com', stack.demoPassword, '/profile');
      const before = (await stack.oktaUser('demo@example.com')).profile.state;
      await page.getByLabel('State').fill('WA');
      // The session ends while the form is open (its cookie is gone, as after the idle limit).
      await context.clearCookies({ name: 'userdesk_session' });
      const save = async () => (await submit(page, 'Save')).status();
      assert.equal(await save(), 401);
      await page.getByText('Your session has expired, so nothing was saved').waitFor();
      assert.equal(await page.getByLabel('State').inputValue(), 'WA');
      assert.equal((await stack.oktaUser('demo@example.com')).profile.state, before);
      await checkAccessibility(page, 'profile after the session expired');

      // Sign in again in a new tab (mini-okta still knows the browser, so no form this time).
      const [signInTab] = await Promise.all([
        context.waitForEvent('page'),
        page.getByRole('link', { name: 'Sign in again in a new tab' }).click(),
      ]);
      await signInTab.waitForURL(stack.url('/profile'));
      await signInTab.close();

      // Back in the first tab: the form's token was the old session's, so it comes back once
      // with this session's token, still holding what was typed; then it saves.
      assert.equal(await save(), 403);
      await page.getByText('This form had expired, so nothing was saved').waitFor();
      assert.equal(await page.getByLabel('State').inputValue(), 'WA');
      assert.equal(await save(), 303);
      await page.waitForURL(stack.url('/profile?saved=1'));
      assert.equal((await stack.oktaUser('demo@example.com')).profile.state, 'WA');
    });
  });

  test('the profile form works with the keyboard alone', async () => {
    await withBrowser({}, async ({ page }) => {
      await signIn(page, 'demo@example.com', stack.demoPassword, '/profile');
      await page.locator('body').focus();
      const focused = () => page.evaluate(() => document.activeElement.id);

      // The first Tab shows the skip link; Enter on it jumps past the header's links.
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Skip to the main content' });
      assert.ok(await skip.evaluate((el) => el === document.activeElement), 'the first stop is the skip link');
      const box = await skip.boundingBox();
      assert.ok(box && box.y >= 0, `the focused skip link is on screen (${JSON.stringify(box)})`);
      await page.keyboard.press('Enter');

      // Then Tab walks the form's fields in reading order (the tutorial's eight first, then the
      // rest of what the schema lets users edit), then its buttons; disabled (read-only) fields
      // are passed over. Each stop shows where the focus is.
      const stops = [];
      for (let i = 0; i < 120; i++) {
        await page.keyboard.press('Tab');
        const stop = await page.evaluate(() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {
            id: el.id || el.textContent.trim() || el.tagName,
            disabled: el.disabled === true,
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          };
        });
        if (stops.at(-1)?.id !== stop.id) stops.push(stop); // the date field has several stops
        if (stop.id === 'Back to the dashboard') break;
      }
      const ids = stops.map((s) => s.id);
      const fields = ['firstName', 'lastName', 'streetAddress', 'city', 'state', 'zipCode', 'birthdate', 'favoriteColor'];
      assert.deepEqual(ids.slice(0, fields.length), fields);
      assert.deepEqual(ids.slice(-2), ['Save', 'Back to the dashboard']);
      for (const readOnly of ['login', 'email', 'secondEmail']) assert.ok(!ids.includes(readOnly), readOnly);
      assert.deepEqual(stops.filter((s) => s.disabled).map((s) => s.id), [], 'disabled fields took the focus');
      assert.deepEqual(stops.filter((s) => !s.outline).map((s) => s.id), [], 'stops without a visible focus outline');

      // Type a new zip code and a birthday, then save with Enter on the button.
      await page.getByLabel('Zip Code').focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('97201');
      await page.keyboard.press('Tab');
      // mm dd yyyy: the date field's parts in en-US order; each full part moves to the next.
      await page.keyboard.type('02291992');
      // Out of the date field: past its calendar button, which Tab also stops on.
      for (let i = 0; i < 3 && (await focused()) !== 'favoriteColor'; i++) await page.keyboard.press('Tab');
      assert.equal(await focused(), 'favoriteColor');
      // on through the other fields to the Save button
      const onSave = () => page.evaluate(() => document.activeElement.textContent.trim() === 'Save');
      for (let i = 0; i < 100 && !(await onSave()); i++) await page.keyboard.press('Tab');
      assert.ok(await onSave(), 'Tab reaches the Save button');
      await page.keyboard.press('Enter');
      await page.waitForURL(stack.url('/profile?saved=1'));
      const user = await stack.oktaUser('demo@example.com');
      assert.equal(user.profile.zipCode, '97201');
      assert.equal(user.profile.birthdate, '1992-02-29');
    });
  });
});
