import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { MANAGER, screenshot, seedAccounts, signIn, withApp } from '../lib/harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const STAGE_LABELS = { churning: 'Churning', at_risk: 'At risk', expanding: 'Expanding', on_track: 'On track' };
const REASON_LABELS = {
  cancelled: 'Subscription cancelled',
  churned: 'Account churned',
  cancel_at_period_end: 'Cancels at period end',
  past_due: 'Payment past due',
  at_risk_flag: 'Flagged at risk',
  low_health: 'Low health',
  expanding: 'Account expanding',
};
/** ISO 4217 decimal places of the currencies the test uses. */
const DIGITS = { USD: 2, JPY: 0, KWD: 3 };

/** Returns the ISO timestamp `days` days from now (negative for the past). */
function timeIn(days) {
  return new Date(Date.now() + days * DAY_MS).toISOString();
}

/** Returns the `YYYY-MM-DD` date `days` days from today in UTC. */
function dateIn(days) {
  return timeIn(days).slice(0, 10);
}

/** Formats minor units like the app: major units, thousands separators. */
function formatAmount(amount, currency) {
  const digits = DIGITS[currency];
  const sign = amount < 0 ? '-' : '';
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+$)/g, ',');
  return digits === 0 ? `${sign}${whole}` : `${sign}${whole}.${text.slice(text.length - digits)}`;
}

/** Formats a `YYYY-MM-DD` date like the app: "Mar 4, 2026". */
function formatDate(date) {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

/** Splits CSV text into rows of fields, with RFC 4180 quoting. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
    } else if (character === '"') {
      quoted = true;
    } else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += character;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Creates four accounts and three subscriptions whose periods end 10, 45 and 80 days from
 * now, so each window contains a different set: Acme (USD, on track) and Umbrella (an
 * account renewing by date in 20 days) in 30 days, Globex (JPY, cancels at period end)
 * from 60 days, Initech (KWD, past due) only in 90 days.
 */
async function seedPipeline(server) {
  const me = await server.api('GET', '/api/v1/me');
  const users = await server.api('GET', '/api/v1/users/assignable');
  const manager = users.find((user) => user.email === MANAGER.email);
  const [acme, globex, initech, umbrella] = await seedAccounts(server, [
    { name: 'Acme Corp', domain: 'acme.test', stage: 'active', csm_id: me.user.id },
    { name: 'Globex', domain: 'globex.test', stage: 'active', csm_id: manager.id },
    { name: 'Initech', domain: 'initech.test', stage: 'renewal', csm_id: me.user.id },
    { name: 'Umbrella', domain: 'umbrella.test', stage: 'active', renewal_date: dateIn(20) },
  ]);
  const subscription = (account, externalId, fields) => ({
    external_id: externalId, account_id: account.id, status: 'active', quantity: 1, interval: 'year',
    current_period_start: timeIn(-300), cancel_at_period_end: false, ...fields,
  });
  const result = await server.api('POST', '/api/v1/subscriptions', {
    items: [
      subscription(acme, 'sub-acme', { plan_name: 'Team', quantity: 10, unit_amount: 4900, currency: 'USD', current_period_end: timeIn(10) }),
      subscription(globex, 'sub-globex', {
        plan_name: 'Business', unit_amount: 120000, currency: 'JPY', interval: 'month',
        current_period_start: timeIn(-15), current_period_end: timeIn(45), cancel_at_period_end: true,
      }),
      subscription(initech, 'sub-initech', { plan_name: 'Starter', status: 'past_due', quantity: 3, unit_amount: 1234, currency: 'KWD', current_period_end: timeIn(80) }),
    ],
  });
  assert.deepEqual(result.errors, [], 'subscriptions rejected');
  return { me: me.user, acme, globex, initech, umbrella };
}

/** Opens `path`, which sends the browser to the login page, and signs in there. */
async function openSignedIn(page, path) {
  await page.goto(path);
  await signIn(page);
  await page.waitForURL(`**${path}`);
  await page.locator('main h1').first().waitFor();
}

/** Waits until the table shows the list of `window` days, then checks each row against the API. */
async function checkRows(page, server, window, query, nameOf) {
  const list = await server.api('GET', `/api/v1/renewals?window=${window}&limit=200${query}`);
  await page.locator('main table caption', { hasText: `Renewals in the next ${window} days` }).waitFor({ state: 'attached' });
  const rows = page.locator('main section[aria-label="Renewal list"] tbody tr');
  await page.waitForFunction(
    (count) => document.querySelectorAll('main section[aria-label="Renewal list"] tbody tr').length === count,
    list.items.length,
  );
  assert.equal(await rows.count(), list.items.length, `${window}-day rows`);
  for (const [index, entry] of list.items.entries()) {
    const row = rows.nth(index);
    const cells = (await row.locator('td').allInnerTexts()).map((text) => text.trim());
    assert.ok(cells[0].startsWith(entry.account.name), `row ${index} account: ${cells[0]}`);
    assert.equal(cells[1], entry.account.csm_id ? nameOf.get(entry.account.csm_id) : '—', `${entry.account.name} CSM`);
    assert.equal(cells[2], formatDate(entry.renewal_date), `${entry.account.name} date`);
    assert.equal(cells[3], entry.days_to_renewal === 1 ? '1 day' : `${entry.days_to_renewal} days`);
    const arr = entry.arr ? `${formatAmount(entry.arr.amount, entry.arr.currency)} ${entry.arr.currency}` : '—';
    assert.equal(cells[4], arr, `${entry.account.name} ARR`);
    const reason = entry.stage_reason ? `\n${REASON_LABELS[entry.stage_reason]}` : '';
    assert.equal(cells[5].replace(/\s*\n\s*/g, '\n'), `${STAGE_LABELS[entry.stage]}${reason}`, `${entry.account.name} stage`);
    assert.equal(await row.getByRole('button', { name: 'Generate renewal proposal' }).count(), entry.subscription ? 1 : 0);
  }
  return list;
}

/** Checks every stage chip's count against the summary of the same filters. */
async function checkChips(page, server, window, query) {
  const summary = await server.api('GET', `/api/v1/renewals/summary?window=${window}${query}`);
  assert.equal(await page.locator('.chip[data-stage="all"] .chip-count').innerText(), String(summary.total), `${window}-day total`);
  for (const stage of summary.stages) {
    const count = await page.locator(`.chip[data-stage="${stage.stage}"] .chip-count`).innerText();
    assert.equal(count, String(stage.count), `${window}-day ${stage.stage} count`);
  }
  return summary;
}

test('renewals page matches the API', async () => {
  await withApp('renewals', async ({ server, page, errors }) => {
    const { me, acme } = await seedPipeline(server);
    const users = await server.api('GET', '/api/v1/users/assignable');
    const nameOf = new Map(users.map((user) => [user.id, user.name]));

    await openSignedIn(page, '/renewals');
    const expected = { 30: ['Acme Corp', 'Umbrella'], 60: ['Acme Corp', 'Umbrella', 'Globex'], 90: ['Acme Corp', 'Umbrella', 'Globex', 'Initech'] };
    for (const window of [30, 60, 90]) {
      await page.getByRole('group', { name: 'Renewing within' }).getByRole('button', { name: `${window} days` }).click();
      await page.waitForURL(window === 90 ? /\/renewals$/ : `**/renewals?window=${window}`);
      const list = await checkRows(page, server, window, '', nameOf);
      assert.deepEqual(list.items.map((entry) => entry.account.name), expected[window], `${window}-day entries`);
      await page.locator('.chip[data-stage="all"] .chip-count', { hasText: String(list.total) }).waitFor();
      const summary = await checkChips(page, server, window, '');
      const totals = summary.total_arr.map((money) => `${formatAmount(money.amount, money.currency)} ${money.currency}`).join(' · ');
      assert.equal(await page.locator('.renewal-totals .renewal-total').first().innerText(), `ARR renewing in ${window} days: ${totals}`);
      if (window === 30) await screenshot(page, 'renewals-30-days');
    }
    await screenshot(page, 'renewals');

    // A stage chip narrows the table and stays in the address.
    await page.locator('.chip[data-stage="churning"]').click();
    await page.waitForURL('**/renewals?stage=churning');
    await checkRows(page, server, 90, '&stage=churning', nameOf);
    await page.locator('.chip[data-stage="all"]').click();
    await page.waitForURL(/\/renewals$/);

    // "My accounts" filters by the signed-in user as CSM.
    await page.getByLabel('My accounts').check();
    await page.waitForURL('**/renewals?mine=true');
    const mine = await checkRows(page, server, 90, `&csm_id=${me.id}`, nameOf);
    assert.deepEqual(mine.items.map((entry) => entry.account.name), ['Acme Corp', 'Initech']);
    await checkChips(page, server, 90, `&csm_id=${me.id}`);
    await page.getByLabel('My accounts').uncheck();
    await page.waitForURL(/\/renewals$/);
    await checkRows(page, server, 90, '', nameOf);

    // The export contains exactly the listed entries.
    const exportLink = page.getByRole('link', { name: 'Export CSV' });
    assert.equal(await exportLink.getAttribute('href'), '/api/v1/renewals.csv?window=90');
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    const [header, ...records] = parseCsv(readFileSync(await download.path(), 'utf8')).filter((row) => row.some((field) => field !== ''));
    const list = await server.api('GET', '/api/v1/renewals?window=90&limit=200');
    const column = (name) => header.indexOf(name);
    for (const name of ['account_id', 'account', 'renewal_date', 'arr', 'stage']) {
      assert.ok(column(name) >= 0, `CSV header lacks ${name}: ${header}`);
    }
    assert.equal(records.length, list.items.length, 'CSV rows');
    for (const [index, entry] of list.items.entries()) {
      const record = records[index];
      assert.equal(record[column('account_id')], entry.account.id);
      assert.equal(record[column('account')], entry.account.name);
      assert.equal(record[column('renewal_date')], entry.renewal_date);
      assert.equal(record[column('stage')], entry.stage);
      assert.equal(record[column('arr')], entry.arr ? formatAmount(entry.arr.amount, entry.arr.currency).replaceAll(',', '') : '');
    }

    // Generating a proposal opens the editor with the default 5% uplift: 49.00 becomes 51.45.
    const acmeRow = page.locator(`main tr[data-account-id="${acme.id}"]`);
    await acmeRow.getByRole('button', { name: 'Generate renewal proposal' }).click();
    await page.waitForURL('**/proposals/*');
    const proposalId = page.url().split('/proposals/')[1];
    await page.getByRole('heading', { name: 'Renewal proposal for Acme Corp' }).waitFor();
    const lineCells = async (index) => (await page.locator('table[aria-label="Proposal lines"] tbody tr').nth(index).locator('td').allInnerTexts()).map((text) => text.trim());
    assert.deepEqual(await lineCells(0), ['Team', '10', '49.00', '51.45', 'Yearly', '514.50']);
    assert.equal(await page.getByTestId('proposal-uplift').innerText(), '5%');
    assert.equal(await page.getByTestId('proposal-total').innerText(), '514.50 USD');
    assert.equal(await page.locator('table[aria-label="Proposal lines"] tfoot td').innerText(), '514.50');
    await screenshot(page, 'proposal-draft');

    // The uplift is checked before sending.
    await page.getByLabel('Uplift (%)').fill('7.255');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#proposal-uplift-error', { hasText: 'Use at most two decimals.' }).waitFor();
    assert.equal(await page.getByLabel('Uplift (%)').getAttribute('aria-invalid'), 'true');

    // 7.25% of 49.00 is 3.5525, so the price rounds to 52.55.
    await page.getByLabel('Uplift (%)').fill('7.25');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('proposal-uplift').filter({ hasText: '7.25%' }).waitFor();
    assert.deepEqual(await lineCells(0), ['Team', '10', '49.00', '52.55', 'Yearly', '525.50']);
    assert.equal(await page.getByTestId('proposal-total').innerText(), '525.50 USD');

    // A new line needs a description; the message sits next to its field.
    await page.getByRole('button', { name: 'Add line' }).click();
    await page.getByLabel('List price of line 2').fill('1,200');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('tr[data-line-key] .field-error', { hasText: 'Enter a description.' }).waitFor();
    await page.getByLabel('Description of line 2').fill('Onboarding package');
    await page.getByRole('button', { name: 'Save changes' }).click();
    // 1,200.00 with 7.25% is 1,287.00; the total adds 525.50.
    await page.getByTestId('proposal-total').filter({ hasText: '1,812.50 USD' }).waitFor();
    assert.deepEqual(await lineCells(1), ['Onboarding package', '1', '1,200.00', '1,287.00', 'Yearly', '1,287.00']);
    const saved = await server.api('GET', `/api/v1/proposals/${proposalId}`);
    assert.equal(saved.uplift_percentage, 7.25);
    assert.equal(saved.total_amount, 181250);
    await screenshot(page, 'proposal-edited');

    // Sent, the proposal is read-only; then it is won.
    await page.getByRole('button', { name: 'Mark as sent' }).click();
    await page.getByRole('button', { name: 'Mark as won' }).waitFor();
    assert.equal(await page.getByLabel('Uplift (%)').count(), 0, 'no editor once sent');
    assert.equal(await page.locator('.facts .badge').innerText(), 'Sent');
    await screenshot(page, 'proposal-sent');
    await page.getByRole('button', { name: 'Mark as won' }).click();
    await page.locator('.facts .badge', { hasText: 'Won' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Mark as/ }).count(), 0);
    assert.equal((await server.api('GET', `/api/v1/proposals/${proposalId}`)).status, 'won');
    await screenshot(page, 'proposal-won');

    // The account page lists the proposal.
    await page.getByRole('main').getByRole('link', { name: 'Acme Corp' }).first().click();
    await page.getByRole('heading', { name: 'Proposals' }).waitFor();
    const proposalRows = page.locator('table[aria-label="Proposals"] tbody tr');
    await proposalRows.first().waitFor();
    assert.equal(await proposalRows.count(), 1);
    const proposalCells = (await proposalRows.first().locator('td').allInnerTexts()).map((text) => text.trim());
    assert.deepEqual(proposalCells.slice(1), ['Won', '7.25%', '1,812.50 USD']);
    await screenshot(page, 'account-proposals');
    await proposalRows.first().getByRole('link').click();
    await page.waitForURL(`**/proposals/${proposalId}`);

    assert.deepEqual(errors, []);
  });
});

test('proposal edits show server conflicts', async () => {
  await withApp('proposal-conflict', async ({ server, page, errors }) => {
    await seedPipeline(server);
    const list = await server.api('GET', '/api/v1/renewals?window=30');
    const entry = list.items.find((item) => item.subscription);
    const proposal = await server.api('POST', `/api/v1/renewals/${entry.subscription.id}/proposal`);

    await openSignedIn(page, `/proposals/${proposal.id}`);
    await page.getByLabel('Uplift (%)').waitFor();
    // Another user sends the proposal while this page still shows the draft.
    await server.api('POST', `/api/v1/proposals/${proposal.id}/status`, { status: 'sent' });
    await page.getByLabel('Uplift (%)').fill('9');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const alert = page.getByRole('main').getByRole('alert');
    await alert.filter({ hasText: 'Could not save the proposal' }).waitFor();
    // The page reloads the proposal and drops the editor.
    await page.getByRole('button', { name: 'Mark as won' }).waitFor();
    assert.equal(await page.getByLabel('Uplift (%)').count(), 0);
    await screenshot(page, 'proposal-conflict');
    assert.deepEqual(errors, []);
  });
});

test('dashboard lists the next renewals', async () => {
  await withApp('dashboard-renewals', async ({ server, page, errors }) => {
    await seedPipeline(server);
    const list = await server.api('GET', '/api/v1/renewals?window=60&limit=10');

    await openSignedIn(page, '/dashboard');
    const rows = page.locator('table[aria-label="Upcoming renewals"] tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), list.items.length);
    for (const [index, entry] of list.items.entries()) {
      const cells = (await rows.nth(index).locator('td').allInnerTexts()).map((text) => text.trim());
      assert.equal(cells[0], entry.account.name);
      assert.equal(cells[3], `${entry.days_to_renewal} days`);
    }
    await screenshot(page, 'dashboard-renewals');
    await page.getByRole('link', { name: 'Open renewals' }).click();
    await page.waitForURL('**/renewals?window=60');
    await page.locator('.segment[aria-pressed="true"]', { hasText: '60 days' }).waitFor();
    assert.deepEqual(errors, []);
  });
});
