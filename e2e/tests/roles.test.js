import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MANAGER, screenshot, signIn, withApp } from '../lib/harness.js';

test('manager does not see admin pages', async () => {
  await withApp('manager-no-admin', async ({ page, errors }) => {
    await page.goto('/accounts');
    await signIn(page, MANAGER);
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    assert.match(await page.locator('.user-box').innerText(), /Max Manager\s*Manager/);

    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Accounts' }).count(), 1);
    assert.equal(await nav.getByText('Administration').count(), 0);
    for (const name of ['Users', 'Custom fields', 'Settings']) {
      assert.equal(await nav.getByRole('link', { name }).count(), 0, name);
    }

    for (const path of ['/admin/users', '/admin/custom-fields', '/admin/settings']) {
      await page.goto(path);
      await page.getByText('Admins only').waitFor();
    }
    await screenshot(page, 'manager-admin-page');
    assert.deepEqual(errors, []);
  });
});

test('admin sees admin pages', async () => {
  await withApp('admin-nav', async ({ page }) => {
    await page.goto('/accounts');
    await signIn(page);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await nav.getByRole('link', { name: 'Custom fields' }).click();
    await page.getByRole('heading', { name: 'Custom fields' }).waitFor();
    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
  });
});

test('unknown address shows not found', async () => {
  await withApp('not-found', async ({ page }) => {
    await page.goto('/accounts');
    await signIn(page);
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    await page.goto('/no/such/page');
    await page.getByText('Page not found').waitFor();
    await screenshot(page, 'not-found');
    await page.goto('/accounts/not-an-id');
    await page.getByText('Page not found').waitFor();
  });
});
