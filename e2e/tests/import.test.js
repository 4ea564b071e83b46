import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { screenshot, signIn, withApp } from '../lib/harness.js';

const CSV = [
  'Company name,Website,Lifecycle Stage,Renewal Date,Vertical',
  'Wayne Enterprises,https://wayne.test,Customer,2027-01-31,Defense',
  ',nameless.test,Customer,2027-02-01,Retail',
  'Cyberdyne,cyberdyne.test,,2027-03-15,Robotics',
].join('\n');

test('import with one bad row', async () => {
  await withApp('import', async ({ server, page, errors }) => {
    const dir = mkdtempSync(join(tmpdir(), 'mango-cs-csv-'));
    const file = join(dir, 'accounts.csv');
    writeFileSync(file, CSV);

    await page.goto('/import');
    await signIn(page);
    await page.getByRole('heading', { name: 'Import accounts' }).waitFor();
    await screenshot(page, 'import-empty');

    await page.getByLabel('CSV file').setInputFiles(file);
    await page.getByRole('heading', { name: 'Preview' }).waitFor();
    const counts = page.locator('.counts');
    assert.match(await counts.innerText(), /2\s*New accounts[\s\S]*1\s*Rows with errors/);

    const field = (header) => page.getByLabel(`Field for the column ${header}`);
    assert.equal(await field('Company name').inputValue(), 'name');
    assert.equal(await field('Website').inputValue(), 'website');
    assert.equal(await field('Vertical').inputValue(), 'ignore');
    assert.match(await page.getByRole('row', { name: /^Vertical/ }).innerText(), /Not recognised/);

    // Mapping a column by hand checks the file again with that mapping.
    await field('Vertical').selectOption('industry');
    await page.getByRole('row', { name: /^Vertical/ }).filter({ hasText: 'Imported' }).waitFor();
    assert.equal(await field('Vertical').inputValue(), 'industry');

    const badRow = page.locator('.import-rows tbody tr').nth(1);
    assert.match(await badRow.getAttribute('class'), /row-error/);
    assert.match(await badRow.innerText(), /name/i);
    assert.match(await page.locator('.import-problems').innerText(), /^[\s\S]*2\s*Error\s*name/m);
    await screenshot(page, 'import-preview');

    await page.getByRole('button', { name: 'Import 2 accounts' }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor();
    assert.match(await page.locator('.counts').innerText(), /2\s*New accounts/);
    await screenshot(page, 'import-done');

    await page.getByRole('link', { name: 'View accounts' }).click();
    await page.getByRole('link', { name: 'Wayne Enterprises' }).waitFor();
    await page.getByRole('link', { name: 'Cyberdyne' }).waitFor();
    const list = await server.api('GET', '/api/v1/accounts');
    assert.equal(list.total, 2);
    const wayne = list.items.find((account) => account.name === 'Wayne Enterprises');
    assert.equal(wayne.domain, 'wayne.test');
    assert.equal(wayne.industry, 'Defense');
    assert.deepEqual(errors, []);
  });
});
