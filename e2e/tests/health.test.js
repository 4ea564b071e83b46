import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MANAGER, screenshot, seedAccounts, signIn, withApp } from '../lib/harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const COMPONENTS = ['usage', 'support', 'sentiment', 'contract_risk'];
const STAGE_LABELS = { prospect: 'Prospect', onboarding: 'Onboarding', active: 'Active', renewal: 'Renewal', expanding: 'Expanding', churned: 'Churned' };
const REASON_LABELS = { low_health: 'Low health', low_usage: 'Low usage', champion_left: 'Champion left' };

/** Returns the ISO timestamp `days` days before now. */
function daysAgo(days) {
  return new Date(Date.now() - days * DAY_MS).toISOString();
}

/** Returns the `YYYY-MM-DD` date `days` days from today in UTC (negative for the past). */
function dateIn(days) {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}

/** Sends one ingestion batch and fails the test on any rejected item. */
async function ingest(server, path, items) {
  const result = await server.api('POST', path, { items });
  assert.deepEqual(result.errors, [], `${path} rejected items`);
}

/**
 * Creates accounts and signals whose snapshot covers the bands. Acme has every kind of
 * signal and is healthy. Globex and Soylent are live with low usage and a past or near
 * renewal, so the job flags them and notifies their CSM, the admin. Initech falls in
 * between, Umbrella has no signals, and the distribution leaves out the churned Hooli.
 */
async function seedBook(server) {
  const me = await server.api('GET', '/api/v1/me');
  const users = await server.api('GET', '/api/v1/users/assignable');
  const manager = users.find((user) => user.email === MANAGER.email);
  const [acme, globex, initech, umbrella, soylent] = await seedAccounts(server, [
    { name: 'Acme Corp', domain: 'acme.test', stage: 'active', renewal_date: dateIn(400), csm_id: me.user.id },
    { name: 'Globex', domain: 'globex.test', stage: 'active', renewal_date: dateIn(-30), csm_id: me.user.id },
    { name: 'Initech', domain: 'initech.test', stage: 'renewal', csm_id: manager.id },
    { name: 'Umbrella', domain: 'umbrella.test', stage: 'onboarding' },
    { name: 'Soylent', domain: 'soylent.test', stage: 'renewal', renewal_date: dateIn(20), csm_id: me.user.id },
    { name: 'Hooli', domain: 'hooli.test', stage: 'churned' },
  ]);

  await ingest(server, '/api/v1/usage-events', [
    { external_id: 'u-acme', domain: 'acme.test', event: 'report_exported', occurred_at: daysAgo(2) },
    { external_id: 'u-globex', domain: 'globex.test', event: 'login', occurred_at: daysAgo(50) },
    { external_id: 'u-initech', domain: 'initech.test', event: 'login', occurred_at: daysAgo(30) },
    { external_id: 'u-soylent', domain: 'soylent.test', event: 'login', occurred_at: daysAgo(40) },
  ]);
  await ingest(server, '/api/v1/support-tickets', [
    { external_id: 't-1', subject: 'Export is slow', status: 'open', reporter_email: 'ops@acme.test', opened_at: daysAgo(10) },
    { external_id: 't-2', subject: 'Cannot sign in', status: 'open', reporter_email: 'it@initech.test', opened_at: daysAgo(40) },
    { external_id: 't-3', subject: 'Invoice copy', status: 'pending', reporter_email: 'ap@initech.test', opened_at: daysAgo(3) },
  ]);
  await ingest(server, '/api/v1/survey-responses', [
    { external_id: 's-1', respondent_email: 'cto@acme.test', kind: 'nps', score: 9, responded_at: daysAgo(20) },
    { external_id: 's-2', respondent_email: 'pm@initech.test', kind: 'csat', score: 5, responded_at: daysAgo(15) },
    { external_id: 's-3', respondent_email: 'qa@initech.test', kind: 'csat', score: 2, responded_at: daysAgo(12) },
  ]);
  await ingest(server, '/api/v1/subscriptions', [
    {
      external_id: 'sub-initech', account_id: initech.id, plan_name: 'Team', status: 'active', quantity: 25,
      unit_amount: 4900, currency: 'USD', interval: 'year', current_period_start: daysAgo(275),
      current_period_end: new Date(Date.now() + 90 * DAY_MS).toISOString(),
    },
  ]);
  return { acme, globex, initech, umbrella, soylent };
}

/** Opens `path`, which sends the browser to the login page, and signs in there. */
async function openSignedIn(page, path) {
  await page.goto(path);
  await signIn(page);
  await page.waitForURL(`**${path}`);
  await page.locator('main h1').first().waitFor();
}

/** Reads a score as the page shows it: a number, or null for the dash of no input. */
function shownScore(text) {
  const trimmed = text.trim();
  return trimmed === '—' ? null : Number(trimmed);
}

/** Rounds like the page: at most two decimals. */
function twoDecimals(value) {
  return value === null ? null : Math.round(value * 100) / 100;
}

test('dashboard numbers match the API', async () => {
  await withApp('health-dashboard', async ({ server, page, errors }) => {
    await seedBook(server);
    const run = await server.api('POST', '/api/v1/jobs/health-snapshot/runs');
    assert.equal(run.status, 'succeeded');
    // Created after the run, so it has no score and counts as Unknown.
    await seedAccounts(server, [{ name: 'Vandelay', domain: 'vandelay.test', stage: 'onboarding' }]);
    const dashboard = await server.api('GET', '/api/v1/dashboard');
    const users = await server.api('GET', '/api/v1/users/assignable');
    const nameOf = new Map(users.map((user) => [user.id, user.name]));

    await page.goto('/');
    await signIn(page);
    await page.waitForURL('**/dashboard');
    await page.getByRole('heading', { name: 'At-risk accounts' }).waitFor();

    assert.equal(dashboard.distribution.length, 5);
    for (const band of dashboard.distribution) {
      const bar = page.locator(`.chart-bars g[data-key="${band.band}"]`);
      assert.equal(await bar.locator('.bar-count').textContent(), String(band.count), `${band.band} count`);
      assert.equal(await bar.locator('.bar-label').textContent(), band.label, `${band.band} label`);
    }
    const counts = Object.fromEntries(dashboard.distribution.map((band) => [band.band, band.count]));
    assert.ok(counts.healthy >= 1, 'Acme is healthy');
    assert.ok(counts.critical >= 1, 'Globex is critical');
    assert.equal(counts.unknown, 1, 'Vandelay has no score');

    const rows = page.locator('table[aria-label="At-risk accounts"] tbody tr');
    await rows.first().waitFor();
    assert.ok(dashboard.at_risk.length >= 2, 'Globex and Soylent are at risk');
    assert.equal(await rows.count(), dashboard.at_risk.length);
    for (const [index, account] of dashboard.at_risk.entries()) {
      const cells = (await rows.nth(index).locator('td').allInnerTexts()).map((text) => text.trim());
      assert.equal(cells[0], account.name);
      assert.equal(cells[1], account.health_score === null ? '—' : String(account.health_score), `${account.name} score`);
      assert.equal(cells[2], STAGE_LABELS[account.stage]);
      assert.equal(cells[3], account.at_risk_reasons.map((reason) => REASON_LABELS[reason]).join(', ') || '—');
      assert.equal(cells[4], account.csm_id ? nameOf.get(account.csm_id) : '—', `${account.name} CSM`);
    }
    const summary = await page.locator('#at-risk-title + p').innerText();
    assert.match(summary, new RegExp(`^${dashboard.at_risk_total} live accounts? scores? under ${dashboard.at_risk_threshold}`));
    await screenshot(page, 'dashboard');

    // The accounts list stays one click away.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();
    assert.deepEqual(errors, []);
  });
});

test('health panel matches the API', async () => {
  await withApp('health-panel', async ({ server, page, errors }) => {
    const { acme, globex } = await seedBook(server);
    await server.api('POST', '/api/v1/jobs/health-snapshot/runs', { as_of: dateIn(-1) });
    await server.api('POST', '/api/v1/jobs/health-snapshot/runs');

    await openSignedIn(page, '/dashboard');
    await page.getByRole('link', { name: 'Globex' }).click();
    await page.getByRole('heading', { level: 1, name: 'Globex' }).waitFor();

    for (const account of [globex, acme]) {
      if (account !== globex) {
        await page.goto(`/accounts/${account.id}`);
        await page.getByRole('heading', { level: 1, name: account.name }).waitFor();
      }
      const health = await server.api('GET', `/api/v1/accounts/${account.id}/health`);
      const history = await server.api('GET', `/api/v1/accounts/${account.id}/health/history?days=90`);
      const card = page.locator('.health-card');
      await card.locator('[data-testid="overall-score"]').waitFor();

      assert.equal(await card.locator('[data-testid="overall-score"]').innerText(), String(health.overall_score));
      assert.equal(await card.locator('[data-testid="overall-band"]').innerText(), { healthy: 'Healthy', ok: 'OK', at_risk: 'At risk', critical: 'Critical' }[health.band]);
      assert.match(await card.locator('.health-as-of').innerText(), /^As of /);
      const change = health.overall_score - health.previous_overall_score;
      const changeText = (await card.locator('[data-testid="overall-change"]').innerText()).replace('\u2212', '-').replace('±', '');
      assert.equal(Number(changeText), change, `${account.name} change`);

      for (const key of COMPONENTS) {
        const component = health.components[key];
        const item = card.locator(`.health-component[data-component="${key}"]`);
        assert.equal(shownScore(await item.locator('.component-score').innerText()), twoDecimals(component.score), `${account.name} ${key} score`);
        assert.equal(await item.locator('.weight-value').innerText(), String(component.weight), `${key} weight`);
        assert.equal(await item.locator('.component-narrative').innerText(), component.narrative);
        const shownInputs = await item.locator('.inputs dt').count();
        assert.equal(shownInputs, Object.keys(component.inputs).length, `${key} inputs`);
      }

      await card.locator('.chart-line .chart-dot').first().waitFor();
      assert.equal(await card.locator('.chart-line .chart-dot').count(), history.items.length);
      assert.equal(history.items.length, 2);
      const lastDot = card.locator('.chart-line .chart-dot').last();
      assert.equal(await lastDot.getAttribute('data-score'), String(health.overall_score));
      if (account === globex) {
        await screenshot(page, 'account-health');
      }
    }
    assert.deepEqual(errors, []);
  });
});

test('bell shows at-risk notification', async () => {
  await withApp('health-bell', async ({ server, page, errors }) => {
    const { globex } = await seedBook(server);
    await openSignedIn(page, '/dashboard');
    assert.equal(await page.locator('.bell-count').count(), 0);

    await server.api('POST', '/api/v1/jobs/health-snapshot/runs');
    const inbox = await server.api('GET', '/api/v1/notifications');
    assert.equal(inbox.unread, 2, 'Globex and Soylent notify their CSM, the admin');

    // Opening the bell refreshes the count without waiting for the next poll.
    const bell = page.getByRole('button', { name: /^Notifications/ });
    await bell.click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    const globexItem = panel.locator('.inbox-item', { hasText: 'Globex is at risk' });
    await globexItem.waitFor();
    assert.equal(await page.locator('.bell-count').innerText(), '2');
    assert.equal(await panel.locator('.inbox-unread').count(), 2);
    assert.match(await globexItem.innerText(), /Health \d+/);
    await screenshot(page, 'bell-inbox');

    await globexItem.getByRole('button', { name: 'Mark read' }).click();
    await page.waitForFunction(() => document.querySelector('.bell-count')?.textContent === '1');
    assert.equal(await panel.locator('.inbox-unread').count(), 1);

    await panel.locator('.inbox-item', { hasText: 'Globex is at risk' }).getByRole('link', { name: 'Open account' }).click();
    await page.waitForURL(`**/accounts/${globex.id}`);
    await page.getByRole('heading', { level: 1, name: 'Globex' }).waitFor();

    await bell.click();
    await panel.getByRole('button', { name: 'Mark all read' }).click();
    await page.locator('.bell-count').waitFor({ state: 'detached' });
    assert.equal((await server.api('GET', '/api/v1/notifications')).unread, 0);

    await panel.getByRole('link', { name: 'Notification preferences' }).click();
    await page.getByRole('heading', { name: 'Notification preferences' }).waitFor();
    const atRiskRow = page.getByRole('row', { name: /flagged at risk/ });
    const email = atRiskRow.getByRole('checkbox', { name: /By email$/ });
    assert.equal(await atRiskRow.getByRole('checkbox', { name: /In the app$/ }).isChecked(), true);
    assert.equal(await email.isChecked(), true);
    await email.uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Saved your notification preferences.').waitFor();
    await screenshot(page, 'notification-preferences');
    const preferences = await server.api('GET', '/api/v1/notifications/preferences');
    const atRisk = preferences.items.filter((item) => item.kind === 'account_at_risk');
    const byChannel = Object.fromEntries(atRisk.map((item) => [item.channel, item.enabled]));
    assert.deepEqual(byChannel, { in_app: true, email: false });
    assert.deepEqual(errors, []);
  });
});

test('jobs page runs the snapshot', async () => {
  await withApp('health-jobs', async ({ server, page, errors }) => {
    const { acme } = await seedBook(server);
    await openSignedIn(page, `/accounts/${acme.id}`);
    await page.getByText('No health score yet').waitFor();
    await page.locator('.health-card').getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await page.getByText('No runs yet').waitFor();

    await page.getByRole('button', { name: 'Run health snapshot now' }).click();
    const outcome = page.getByRole('status').filter({ hasText: 'Health snapshot for' });
    await outcome.waitFor();
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    const runs = await server.api('GET', '/api/v1/jobs/runs');
    assert.equal(runs.total, 1);
    const [run] = runs.items;
    assert.match(await outcome.innerText(), new RegExp(`Accounts scored ${run.counts.accounts_scored}`));

    const cells = (await rows.first().locator('td').allInnerTexts()).map((text) => text.trim());
    assert.equal(cells[1], 'health-snapshot');
    assert.equal(cells[3], 'API or Run now');
    assert.equal(cells[4], 'Succeeded');
    for (const [key, value] of Object.entries(run.counts)) {
      const label = key.replaceAll('_', ' ').replace(/^./, (first) => first.toUpperCase());
      assert.match(cells[5], new RegExp(`${label}\\s+${value}`), key);
    }
    assert.equal(cells[6], '—');

    await page.getByRole('button', { name: 'Run health snapshot now' }).click();
    await page.locator('tbody tr').nth(1).waitFor();
    assert.equal((await server.api('GET', '/api/v1/jobs/runs')).total, 2);
    await screenshot(page, 'jobs');

    await page.goto(`/accounts/${acme.id}`);
    const health = await server.api('GET', `/api/v1/accounts/${acme.id}/health`);
    const score = page.locator('.health-card [data-testid="overall-score"]');
    await score.waitFor();
    assert.equal(await score.innerText(), String(health.overall_score));
    assert.deepEqual(errors, []);
  });
});

test('health settings show API validation', async () => {
  await withApp('health-settings', async ({ server, page, errors }) => {
    await openSignedIn(page, '/admin/settings');
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Save health settings' }) });
    const save = form.getByRole('button', { name: 'Save health settings' });
    for (const label of ['Usage', 'Support', 'Sentiment', 'Contract risk']) {
      await form.getByLabel(label).fill('0');
    }
    await save.click();
    await page.locator('#settings-health-weights-error').waitFor();
    assert.equal(await page.locator('#settings-health-weights-error').innerText(), 'At least one weight must be above 0.');

    await form.getByLabel('Usage').fill('150');
    await form.getByLabel('At-risk threshold').fill('101');
    await save.click();
    await page.locator('#settings-health-weights-usage-error').waitFor();
    assert.equal(await page.locator('#settings-health-weights-usage-error').innerText(), 'Must be 0 to 100.');
    assert.equal(await page.locator('#settings-at-risk-threshold-error').innerText(), 'Must be 0 to 100.');

    await form.getByLabel('Usage').fill('4.5');
    await save.click();
    assert.equal(await page.locator('#settings-health-weights-usage-error').innerText(), 'Enter a whole number from 0 to 100.');

    await form.getByLabel('Usage').fill('40');
    await form.getByLabel('Support').fill('20');
    await form.getByLabel('Sentiment').fill('10');
    await form.getByLabel('Contract risk').fill('30');
    await form.getByLabel('At-risk threshold').fill('45');
    await save.click();
    await page.getByText('Saved the health settings.').waitFor();
    await screenshot(page, 'settings-health');

    const settings = await server.api('GET', '/api/v1/settings');
    assert.deepEqual(settings.health_weights, { usage: 40, support: 20, sentiment: 10, contract_risk: 30 });
    assert.equal(settings.at_risk_threshold, 45);
    assert.deepEqual(errors, []);
  });
});
