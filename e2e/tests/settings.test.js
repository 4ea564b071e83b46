import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MANAGER, screenshot, seedAccounts, signIn, withApp } from '../lib/harness.js';

async function openAsAdmin(page, path) {
  await page.goto(path);
  await signIn(page);
  await page.waitForURL(`**${path}`);
  await page.locator('main h1').first().waitFor();
}

function card(page, title) {
  return page.locator('section.card', { has: page.getByRole('heading', { name: title, exact: true }) });
}

test('renewal settings and labels are kept', async () => {
  await withApp('settings-renewals-labels', async ({ server, page, errors }) => {
    await seedAccounts(server, [{ name: 'Initech', stage: 'active' }]);
    await openAsAdmin(page, '/admin/settings');

    const renewals = card(page, 'Renewals');
    await renewals.getByLabel('Uplift percentage').fill('7.5');
    await renewals.getByLabel('Days before renewal').fill('45');
    await renewals.getByRole('button', { name: 'Add day' }).click();
    await renewals.getByLabel('Days before renewal').fill('10');
    await renewals.getByLabel('Days before renewal').press('Enter');
    const before = await renewals.getByRole('list', { name: 'Reminder days' }).locator('li').allInnerTexts();
    assert.ok(before.length >= 2, before.join(' | '));
    await renewals.getByRole('button', { name: 'Save renewal settings' }).click();
    await page.getByText('Saved the renewal settings.').waitFor();

    const labels = card(page, 'Labels');
    await labels.getByLabel('Stage “Active”').fill('Live');
    await labels.getByRole('button', { name: 'Save labels' }).click();
    await page.getByText('Saved the labels.').waitFor();

    const saved = await server.api('GET', '/api/v1/settings');
    assert.equal(saved.uplift_percentage, 7.5);
    assert.ok(saved.reminder_cadence.includes(45), JSON.stringify(saved.reminder_cadence));
    assert.ok(saved.reminder_cadence.includes(10), JSON.stringify(saved.reminder_cadence));
    assert.equal(saved.labels.stages.active, 'Live');

    await page.reload();
    await page.locator('main h1').first().waitFor();
    assert.equal(await card(page, 'Renewals').getByLabel('Uplift percentage').inputValue(), '7.5');
    const days = await card(page, 'Renewals').getByRole('list', { name: 'Reminder days' }).locator('li span').allInnerTexts();
    const numbers = days.map((text) => Number.parseInt(text, 10));
    assert.deepEqual(numbers, [...saved.reminder_cadence].sort((a, b) => a - b), 'shown sorted, as saved');
    assert.equal(await card(page, 'Labels').getByLabel('Stage “Active”').inputValue(), 'Live');
    await screenshot(page, 'settings-renewals-labels');

    // The new stage label shows in the accounts list.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    const row = page.getByRole('row', { name: /Initech/ });
    await row.waitFor();
    assert.equal(await row.locator('.badge').first().innerText(), 'Live');
    assert.equal(await page.locator('#filter-stage option[value="active"]').innerText(), 'Live');
    await screenshot(page, 'settings-stage-label-in-list');

    // The API rejects an uplift over 100, and the form shows why next to the input.
    await page.goto('/admin/settings');
    await card(page, 'Renewals').getByLabel('Uplift percentage').fill('100.5');
    await card(page, 'Renewals').getByRole('button', { name: 'Save renewal settings' }).click();
    const message = page.locator('#settings-uplift-percentage-error');
    await message.waitFor();
    assert.match(await message.innerText(), /100/);
    assert.equal(await card(page, 'Renewals').getByLabel('Uplift percentage').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'settings-uplift-invalid');
    assert.equal((await server.api('GET', '/api/v1/settings')).uplift_percentage, 7.5);
    assert.deepEqual(errors, []);
  });
});

test('renewals turned off and on again', async () => {
  await withApp('settings-feature-off', async ({ server, page, errors }) => {
    await openAsAdmin(page, '/admin/settings');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Renewals' }).waitFor();

    const features = card(page, 'Features');
    await features.getByRole('checkbox', { name: /^Renewals/ }).uncheck();
    await features.getByRole('button', { name: 'Save features' }).click();
    await page.getByText('Saved the features.').waitFor();
    await nav.getByRole('link', { name: 'Renewals' }).waitFor({ state: 'detached' });
    assert.equal((await server.api('GET', '/api/v1/settings')).features.renewals, false);

    await page.goto('/renewals');
    await page.getByText('This feature is turned off for your business').waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Renewals' }).count(), 0);
    await screenshot(page, 'settings-renewals-off');

    await page.goto('/dashboard');
    await page.getByRole('heading', { name: 'Expansion candidates' }).waitFor();
    // The settings load after the page, so the renewals panel may show for a moment.
    await page.getByRole('heading', { name: /Renewals in the next/ }).waitFor({ state: 'detached' });

    await page.goto('/admin/settings');
    await card(page, 'Features').getByRole('checkbox', { name: /^Renewals/ }).check();
    await card(page, 'Features').getByRole('button', { name: 'Save features' }).click();
    await page.getByText('Saved the features.').waitFor();
    await nav.getByRole('link', { name: 'Renewals' }).click();
    await page.getByRole('heading', { name: 'Renewals', exact: true }).waitFor();
    assert.equal(await page.getByText('This feature is turned off for your business').count(), 0);
    assert.equal((await server.api('GET', '/api/v1/settings')).features.renewals, true);
    assert.deepEqual(errors, []);
  });
});

test('manager sees renewals off from the 404', async () => {
  await withApp('settings-feature-off-manager', async ({ server, page, errors }) => {
    await server.api('PUT', '/api/v1/settings', { features: { renewals: false } });
    await page.goto('/renewals');
    await signIn(page, MANAGER);
    await page.waitForURL('**/renewals');
    await page.getByText('This feature is turned off for your business').waitFor();
    await page.getByText('Ask an admin if you need it.').waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Renewals' }).waitFor({ state: 'detached' });
    await screenshot(page, 'settings-renewals-off-manager');
    assert.deepEqual(errors, []);
  });
});

test('expansion panel lists API candidates', async () => {
  await withApp('settings-expansion', async ({ server, page, errors }) => {
    const [quiet] = await seedAccounts(server, [
      { name: 'Quiet Champion Co', stage: 'active' },
      { name: 'No Champion Inc', stage: 'active' },
    ]);
    await server.api('POST', `/api/v1/accounts/${quiet.id}/contacts`, { name: 'Cora Champion', champion: true });
    const expected = await server.api('GET', '/api/v1/expansion-candidates?limit=10');
    assert.equal(expected.total, 1, JSON.stringify(expected));
    assert.deepEqual(expected.items[0].signals, ['dormant_champion']);

    await openAsAdmin(page, '/dashboard');
    const panel = page.getByTestId('expansion-panel');
    const row = panel.getByRole('row', { name: /Quiet Champion Co/ });
    await row.waitFor();
    assert.match(await row.innerText(), /Champion gone quiet/);
    assert.equal(await panel.getByRole('row', { name: /No Champion Inc/ }).count(), 0);
    assert.equal(await panel.getByTestId('expansion-total').innerText(), '1 candidate.');
    assert.equal(await row.getByRole('link', { name: 'Quiet Champion Co' }).getAttribute('href'), `/accounts/${quiet.id}`);
    await screenshot(page, 'settings-expansion-panel');

    // With expansion off, the panel is gone.
    await server.api('PUT', '/api/v1/settings', { features: { expansion: false } });
    await page.reload();
    await page.getByRole('heading', { name: 'Health distribution' }).waitFor();
    await page.getByRole('heading', { name: /Renewals in the next/ }).waitFor();
    await page.getByTestId('expansion-panel').waitFor({ state: 'detached' });

    // With health scores off, the dashboard's health sections and the account's health
    // panel are gone.
    await server.api('PUT', '/api/v1/settings', { features: { health_score: false } });
    await page.reload();
    await page.getByRole('heading', { name: /Renewals in the next/ }).waitFor();
    // The settings load after the page, so the sections may show for a moment.
    await page.getByRole('heading', { name: 'Health distribution' }).waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('heading', { name: 'At-risk accounts' }).count(), 0);
    await page.goto(`/accounts/${quiet.id}`);
    await page.getByRole('heading', { name: 'Quiet Champion Co' }).waitFor();
    await page.getByRole('heading', { name: 'Health', exact: true }).waitFor({ state: 'detached' });
    await screenshot(page, 'settings-health-off-account');
    assert.deepEqual(errors, []);
  });
});
