import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ADMIN, PASSWORD, screenshot, seedAccounts, signIn, withApp } from '../lib/harness.js';

test('sign in and sign out', async () => {
  await withApp('sign-in-out', async ({ page, errors }) => {
    await page.goto('/');
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'login');

    await signIn(page);
    await page.waitForURL('**/dashboard');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const userBox = page.locator('.user-box');
    assert.match(await userBox.innerText(), /Ada Admin\s*Admin/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // The session is gone on the server too.
    await page.goto('/accounts');
    await page.waitForURL(/\/login\?next=\/accounts$/);
    assert.deepEqual(errors, []);
  });
});

test('wrong password shows error', async () => {
  await withApp('wrong-password', async ({ page, errors }) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Wrong email or password/);
    assert.equal(await page.getByLabel('Password').inputValue(), '');
    assert.match(page.url(), /\/login$/);
    await screenshot(page, 'login-wrong-password');
    assert.deepEqual(errors, []);
  });
});

test('empty login fields are flagged', async () => {
  await withApp('login-validation', async ({ page }) => {
    await page.goto('/login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await page.locator('#login-email-error').innerText(), 'Enter your email.');
    assert.equal(await page.locator('#login-password-error').innerText(), 'Enter your password.');
    assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    // The first field to fix gets the keyboard focus.
    await page.waitForFunction(() => document.activeElement?.id === 'login-email');

    // Typing in a field clears its message.
    await page.getByLabel('Email').fill('ada@acme.test');
    assert.equal(await page.locator('#login-email-error').count(), 0);
    assert.equal(await page.locator('#login-password-error').count(), 1);
  });
});

test('repeated failures show throttling message', async () => {
  await withApp('login-throttled', async ({ page }) => {
    await page.goto('/login');
    let text = '';
    for (let attempt = 0; attempt < 8 && !/Too many attempts/.test(text); attempt += 1) {
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(`wrong password ${attempt}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.getByRole('alert').waitFor();
      text = await page.getByRole('alert').innerText();
    }
    assert.match(text, /Too many attempts/);
    assert.match(text, /Try again in \d+ (minute|minutes|second|seconds)\./);
    await screenshot(page, 'login-throttled');
  });
});

test('deep link opens after login', async () => {
  await withApp('deep-link', async ({ server, page }) => {
    const [account] = await seedAccounts(server, [{ name: 'Globex', domain: 'globex.test' }]);
    await page.goto(`/accounts/${account.id}`);
    await page.waitForURL(/\/login\?next=/);
    await signIn(page);
    await page.waitForURL(`**/accounts/${account.id}`);
    await page.getByRole('heading', { level: 1, name: 'Globex' }).waitFor();
  });
});

test('expired session returns to login and back', async () => {
  await withApp('session-expiry', async ({ server, page }) => {
    await seedAccounts(server, [{ name: 'Initech', stage: 'renewal' }]);
    await page.goto('/accounts?stage=renewal');
    await signIn(page);
    await page.waitForURL('**/accounts?stage=renewal');
    await page.getByRole('link', { name: 'Initech' }).waitFor();

    // Ending the session behind the app's back is what an expiry looks like to it.
    await page.context().clearCookies();
    await page.getByLabel('Search').fill('Init');
    await page.waitForURL(/\/login\?next=/);
    await page.getByText('Your session has ended').waitFor();
    await screenshot(page, 'login-session-expired');

    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/accounts\?.*stage=renewal/);
    await page.getByRole('link', { name: 'Initech' }).waitFor();
  });
});

test('session ended during a write returns to login', async () => {
  await withApp('session-ended-write', async ({ server, page, errors }) => {
    const [account] = await seedAccounts(server, [{ name: 'Initech' }]);
    await page.goto(`/accounts/${account.id}`);
    await signIn(page);
    await page.waitForURL(`**/accounts/${account.id}`);
    await page.getByLabel('Subject').waitFor();

    await page.context().clearCookies();
    await page.getByLabel('Subject').fill('Call notes');
    await page.getByRole('button', { name: 'Log activity' }).click();
    await page.waitForURL(/\/login\?next=/);
    await page.getByText('Your session has ended').waitFor();
    assert.deepEqual(errors, [], 'the app raised no error');
  });
});
