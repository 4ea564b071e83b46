import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MANAGER, PASSWORD, screenshot, seedAccounts, signIn, withApp } from '../lib/harness.js';

async function openAsAdmin(page, path) {
  await page.goto(path);
  await signIn(page);
  await page.waitForURL(`**${path}`);
  await page.locator('main h1').first().waitFor();
}

test('add user, change role, deactivate', async () => {
  await withApp('admin-users', async ({ server, page, errors }) => {
    await openAsAdmin(page, '/admin/users');
    await page.getByRole('cell', { name: MANAGER.email }).waitFor();

    const form = page.locator('form', { has: page.getByRole('button', { name: 'Add user' }) });
    await form.getByLabel('Email').fill('nina@acme.test');
    await form.getByLabel('Name').fill('Nina New');
    await form.getByLabel('Role').selectOption('manager');
    await form.getByLabel('Password').fill('short');
    await form.getByRole('button', { name: 'Add user' }).click();
    assert.equal(await page.locator('#user-password-error').innerText(), 'Use at least 12 characters.');

    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Add user' }).click();
    const row = page.getByRole('row', { name: /Nina New/ });
    await row.waitFor();

    await row.getByLabel('Role of Nina New').selectOption('admin');
    await page.getByText('Nina New is now Admin.').waitFor();

    await row.getByRole('button', { name: 'Set password' }).click();
    await row.getByLabel('New password for Nina New').fill('too short');
    await row.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('A password needs at least 12 characters.').waitFor();
    await row.getByLabel('New password for Nina New').fill('a brand new password');
    await row.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Nina New has a new password and was signed out everywhere.').waitFor();
    const signIn = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nina@acme.test', password: 'a brand new password' }),
    });
    assert.equal(signIn.status, 200, 'the new password signs in');

    page.once('dialog', (dialog) => dialog.accept());
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await row.getByText('Deactivated').waitFor();
    await screenshot(page, 'admin-users');

    const users = await server.api('GET', '/api/v1/users');
    const nina = users.items.find((user) => user.email === 'nina@acme.test');
    assert.equal(nina.role, 'admin');
    assert.equal(nina.active, false);
    assert.deepEqual(errors, []);
  });
});

test('token shown once, then revoked', async () => {
  await withApp('admin-tokens', async ({ page, errors }) => {
    await openAsAdmin(page, '/tokens');
    await page.getByLabel('What is it for?').fill('Nightly sync');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByLabel('New token');
    await secret.waitFor();
    const value = await secret.innerText();
    assert.ok(value.length > 20, value);
    await screenshot(page, 'tokens-created');

    // The secret works as a bearer token.
    const response = await fetch(new URL('/api/v1/me', page.url()), { headers: { Authorization: `Bearer ${value}` } });
    assert.equal(response.status, 200);

    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByLabel('New token').count(), 0);

    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Revoke Nightly sync' }).click();
    await page.getByRole('row', { name: /Nightly sync/ }).getByText('Revoked').waitFor();
    const after = await fetch(new URL('/api/v1/me', page.url()), { headers: { Authorization: `Bearer ${value}` } });
    assert.equal(after.status, 401);
    assert.deepEqual(errors, []);
  });
});

test('custom field flows into account form', async () => {
  await withApp('admin-custom-fields', async ({ server, page, errors }) => {
    const [account] = await seedAccounts(server, [{ name: 'Acme Corp' }]);
    await openAsAdmin(page, '/admin/custom-fields');
    await page.getByText('No custom fields yet').waitFor();

    await page.getByLabel('Label').fill('Contract tier');
    assert.equal(await page.getByLabel('Key').inputValue(), 'contract_tier');
    await page.getByLabel('Type', { exact: true }).selectOption('single_select');
    await page.getByRole('button', { name: 'Add field' }).click();
    assert.equal(await page.locator('#field-options-error').innerText(), 'Enter at least one option.');
    await page.getByLabel('Options, one per line').fill('Gold\nSilver');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByRole('row', { name: /Contract tier/ }).waitFor();

    await page.getByLabel('Label').fill('Seats');
    await page.getByLabel('Type', { exact: true }).selectOption('number');
    await page.getByLabel('Every record must have a value').check();
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByRole('row', { name: /Seats/ }).waitFor();

    await page.getByRole('button', { name: 'Move Seats up' }).click();
    await page.locator('tbody tr').first().filter({ hasText: 'Seats' }).waitFor();

    await page.getByRole('button', { name: 'Edit Contract tier' }).click();
    await page.getByRole('form', { name: 'Edit Contract tier' }).getByLabel('Options, one per line').fill('Gold\nSilver\nBronze');
    await page.getByRole('button', { name: 'Save field' }).click();
    await page.getByRole('row', { name: /Gold, Silver, Bronze/ }).waitFor();
    await screenshot(page, 'admin-custom-fields');

    await page.goto(`/accounts/${account.id}`);
    await page.getByRole('button', { name: 'Edit account' }).click();
    await page.getByLabel('Contract tier').selectOption('Bronze');
    await page.getByRole('button', { name: 'Save changes' }).click();
    assert.equal(await page.locator('#account-custom-fields-seats-error').innerText(), 'Enter Seats.');
    await page.getByLabel('Seats').fill('40');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('button', { name: 'Edit account' }).waitFor();
    assert.match(await page.locator('.facts').innerText(), /Seats\s*40[\s\S]*Contract tier\s*Bronze/i);

    const saved = await server.api('GET', `/api/v1/accounts/${account.id}`);
    assert.deepEqual(saved.custom_fields, { contract_tier: 'Bronze', seats: 40 });
    assert.deepEqual(errors, []);
  });
});

test('allowed roles lock out managers', async () => {
  await withApp('admin-settings', async ({ page, errors }) => {
    await openAsAdmin(page, '/admin/settings');
    const admin = page.getByRole('checkbox', { name: /^Admin Manager access/ });
    await admin.uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    assert.match(await page.locator('#settings-allowed-roles-error').innerText(), /Keep Admin allowed/);
    await admin.check();

    await page.getByRole('checkbox', { name: /^Manager / }).uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved the allowed roles.').waitFor();
    await screenshot(page, 'admin-settings');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await signIn(page, MANAGER);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Not allowed[\s\S]*manager role is not allowed/i);
    assert.deepEqual(errors, []);
  });
});

test('new account form creates account', async () => {
  await withApp('new-account', async ({ page, errors }) => {
    await openAsAdmin(page, '/accounts');
    await page.getByRole('link', { name: 'New account' }).first().click();
    await page.getByRole('heading', { name: 'New account' }).waitFor();
    await page.getByRole('button', { name: 'Create account' }).click();
    assert.equal(await page.locator('#account-name-error').innerText(), 'Enter the account name.');
    await screenshot(page, 'account-new');

    await page.getByLabel('Name').fill('Stark Industries');
    await page.getByLabel('Domain').fill('https://www.stark.test/about');
    await page.getByLabel('Stage').selectOption('onboarding');
    await page.getByLabel('Renewal date').fill('2027-06-30');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stark Industries' }).waitFor();
    assert.match(await page.locator('.facts').innerText(), /Jun 30, 2027/);
    assert.deepEqual(errors, []);
  });
});
