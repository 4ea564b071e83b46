import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { screenshot, seedAccounts, signIn, withApp } from '../lib/harness.js';

const BOOK = [
  { name: 'Acme Corp', domain: 'acme.test', stage: 'active', renewal_date: '2027-03-01' },
  { name: 'Globex', domain: 'globex.test', stage: 'renewal', at_risk: true, at_risk_reasons: ['low_usage', 'champion_left'] },
  { name: 'Initech', domain: 'initech.test', stage: 'onboarding' },
  { name: 'Umbrella', domain: 'umbrella.test', stage: 'renewal' },
  { name: 'Hooli', domain: 'hooli.test', stage: 'churned' },
];

/** Opens `path`, which sends the browser to the login page, and signs in there. */
async function openSignedIn(page, path = '/accounts') {
  await page.goto(path);
  await signIn(page);
  await page.waitForURL(`**${path}`);
  await page.locator('main h1').first().waitFor();
}

test('filter list and open account', async () => {
  await withApp('filter-open', async ({ server, page, errors }) => {
    await seedAccounts(server, BOOK);
    await openSignedIn(page);
    await page.getByRole('link', { name: 'Hooli' }).waitFor();
    await screenshot(page, 'accounts-list');

    assert.equal(await page.title(), 'Accounts · Mango CS');
    assert.match(await page.locator('tbody tr', { hasText: 'Acme Corp' }).innerText(), /Mar 1, 2027/);

    await page.getByLabel('Stage').selectOption('renewal');
    await page.waitForURL(/stage=renewal/);
    await page.getByRole('link', { name: 'Acme Corp' }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('tbody tr').count(), 2);

    await page.getByLabel('Risk', { exact: true }).selectOption('true');
    await page.waitForURL(/at_risk=true/);
    await page.getByRole('link', { name: 'Umbrella' }).waitFor({ state: 'detached' });
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /Globex[\s\S]*Renewal[\s\S]*At risk/);
    await screenshot(page, 'accounts-filtered');

    // The filters live in the address: reloading keeps the view.
    await page.reload();
    await page.getByRole('link', { name: 'Globex' }).waitFor();
    assert.equal(await page.getByLabel('Stage').inputValue(), 'renewal');
    assert.equal(await page.getByLabel('Risk', { exact: true }).inputValue(), 'true');

    const exportLink = page.getByRole('link', { name: 'Export CSV' });
    assert.equal(await exportLink.getAttribute('href'), '/api/v1/accounts.csv?stage=renewal&at_risk=true');
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.match(csv, /^id,name,domain/);
    assert.match(csv, /Globex/);
    assert.doesNotMatch(csv, /Umbrella|Acme Corp/);

    await page.getByRole('link', { name: 'Globex' }).click();
    await page.getByRole('heading', { level: 1, name: 'Globex' }).waitFor();
    assert.equal(await page.title(), 'Globex · Mango CS');
    assert.match(await page.locator('.risk-reasons').innerText(), /Low usage, Champion left/);
    assert.deepEqual(errors, []);
  });
});

test('search, sort and empty state', async () => {
  await withApp('search-sort', async ({ server, page }) => {
    await seedAccounts(server, BOOK);
    await openSignedIn(page);
    await page.getByLabel('Search').fill('glob');
    await page.waitForURL(/q=glob/);
    await page.getByRole('link', { name: 'Initech' }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('tbody tr').count(), 1);

    await page.getByLabel('Search').fill('zzz-no-match');
    await page.getByText('No accounts match these filters').waitFor();
    await screenshot(page, 'accounts-no-match');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.waitForURL(/\/accounts$/);
    await page.getByRole('link', { name: 'Hooli' }).waitFor();

    await page.getByRole('button', { name: /^Account/ }).click();
    await page.waitForURL(/sort=-name/);
    await page.getByRole('columnheader', { name: /Account/ }).and(page.locator('[aria-sort="descending"]')).waitFor();
    const first = await page.locator('tbody tr').first().innerText();
    assert.match(first, /^Umbrella/);
  });
});

test('empty book invites import', async () => {
  await withApp('empty-book', async ({ page }) => {
    await openSignedIn(page);
    await page.getByText('No accounts yet').waitFor();
    await screenshot(page, 'accounts-empty');
  });
});

test('edit the account', async () => {
  await withApp('edit-account', async ({ server, page, errors }) => {
    const [account] = await seedAccounts(server, [BOOK[0]]);
    await openSignedIn(page, `/accounts/${account.id}`);
    await page.getByRole('heading', { level: 1, name: 'Acme Corp' }).waitFor();
    await screenshot(page, 'account-detail');

    await page.getByRole('button', { name: 'Edit account' }).click();
    await page.getByLabel('Name').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    assert.equal(await page.locator('#account-name-error').innerText(), 'Enter the account name.');

    await page.getByLabel('Name').fill('Acme Corporation');
    await page.getByLabel('Stage').selectOption('expanding');
    await page.getByLabel('CSM').selectOption({ label: 'Max Manager (max@acme.test)' });
    await page.getByLabel('At risk').check();
    await page.getByLabel('Budget cuts').check();
    await screenshot(page, 'account-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await page.getByRole('heading', { level: 1, name: 'Acme Corporation' }).waitFor();
    assert.match(await page.locator('.account-title').innerText(), /Expanding/);
    assert.match(await page.locator('.risk-reasons').innerText(), /Budget cuts/);
    assert.match(await page.locator('.facts').innerText(), /CSM\s*Max Manager/);

    const saved = await server.api('GET', `/api/v1/accounts/${account.id}`);
    assert.equal(saved.name, 'Acme Corporation');
    assert.equal(saved.stage, 'expanding');
    assert.deepEqual(saved.at_risk_reasons, ['budget_cuts']);
    assert.deepEqual(errors, []);
  });
});

test('invalid domain shows field error', async () => {
  await withApp('edit-invalid-domain', async ({ server, page }) => {
    const [account] = await seedAccounts(server, [BOOK[0]]);
    await openSignedIn(page, `/accounts/${account.id}`);
    await page.getByRole('button', { name: 'Edit account' }).click();
    await page.getByLabel('Domain').fill('not a domain');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#account-domain-error').waitFor();
    assert.equal(await page.getByLabel('Domain').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'account-edit-error');
  });
});

test('add a champion contact', async () => {
  await withApp('add-contact', async ({ server, page, errors }) => {
    const [account] = await seedAccounts(server, [BOOK[0]]);
    await openSignedIn(page, `/accounts/${account.id}`);
    await page.getByText('No contacts yet').waitFor();

    await page.getByRole('button', { name: 'Add contact' }).click();
    const form = page.getByRole('form', { name: 'New contact' });
    await form.getByLabel('Name').fill('Carla Champion');
    await form.getByLabel('Job title').fill('VP Operations');
    await form.getByLabel('Email').fill('carla@acme.test');
    await form.getByLabel('Champion').check();
    await form.getByRole('button', { name: 'Add contact' }).click();

    const item = page.locator('.contact-item', { hasText: 'Carla Champion' });
    await item.waitFor();
    assert.match(await item.innerText(), /VP Operations · carla@acme\.test/);
    assert.match(await item.locator('.badge-champion').innerText(), /Champion/);
    await screenshot(page, 'account-contacts');

    await item.getByRole('button', { name: 'Edit Carla Champion' }).click();
    const edit = page.getByRole('form', { name: 'Edit contact' });
    await edit.getByLabel('Economic buyer').check();
    await edit.getByRole('button', { name: 'Save contact' }).click();
    await page.locator('.contact-item', { hasText: 'Economic buyer' }).waitFor();

    const contacts = await server.api('GET', `/api/v1/accounts/${account.id}/contacts`);
    assert.equal(contacts.items.length, 1);
    assert.equal(contacts.items[0].champion, true);
    assert.equal(contacts.items[0].economic_buyer, true);

    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Remove Carla Champion' }).click();
    await page.getByText('No contacts yet').waitFor();
    assert.deepEqual(errors, []);
  });
});

test('log a note at the top', async () => {
  await withApp('log-note', async ({ server, page, errors }) => {
    const [account] = await seedAccounts(server, [BOOK[0]]);
    await server.api('POST', `/api/v1/accounts/${account.id}/activities`, {
      kind: 'call', subject: 'Kickoff call', occurred_at: '2026-01-05T10:00:00Z',
    });
    await openSignedIn(page, `/accounts/${account.id}`);
    await page.locator('.timeline-item', { hasText: 'Kickoff call' }).waitFor();

    const form = page.getByRole('form', { name: 'Log activity' });
    await form.getByRole('button', { name: 'Log activity' }).click();
    assert.equal(await page.locator('#activity-subject-error').innerText(), 'Enter a subject.');

    await form.getByLabel('Note').check();
    await form.getByLabel('Subject').fill('Renewal risk discussed');
    await form.getByLabel('Details').fill('Budget review in March.');
    await form.getByRole('button', { name: 'Log activity' }).click();

    const first = page.locator('.timeline-item').first();
    await first.filter({ hasText: 'Renewal risk discussed' }).waitFor();
    assert.match(await first.innerText(), /Note[\s\S]*Renewal risk discussed[\s\S]*Ada Admin[\s\S]*Budget review in March\./);
    assert.equal(await form.getByLabel('Subject').inputValue(), '');
    await screenshot(page, 'account-timeline');
    assert.deepEqual(errors, []);
  });
});
