// Test harness of the browser tests: a fresh `mango-cs serve` on 127.0.0.1 with its own
// SQLite database per test, users made with the command line, and Debian's Chromium
// driven by playwright-core.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BINARY = process.env.MANGO_CS_BIN || join(ROOT, 'target', 'debug', 'mango-cs');
export const STATIC_DIR = process.env.MANGO_CS_STATIC_DIR || join(ROOT, 'frontend', 'dist');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Password of every user the harness creates (the server wants at least 12 characters). */
export const PASSWORD = 'correct horse battery staple';
export const ADMIN = { email: 'ada@acme.test', name: 'Ada Admin', role: 'admin' };
export const MANAGER = { email: 'max@acme.test', name: 'Max Manager', role: 'manager' };

const START_TIMEOUT_MS = 20_000;

function cli(databaseUrl, args, input) {
  return execFileSync(BINARY, args, {
    env: { ...process.env, DATABASE_URL: databaseUrl, RUST_LOG: 'warn' },
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * Starts a server on a fresh database with one business, an admin and a manager, and an
 * API token of the admin for seeding data. Call `stop()` when done.
 */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'mango-cs-e2e-'));
  const databaseUrl = `sqlite://${join(dir, 'e2e.sqlite')}`;
  cli(databaseUrl, ['businesses', 'create', '--name', 'Acme Software', '--slug', 'acme']);
  for (const user of [ADMIN, MANAGER]) {
    cli(databaseUrl, ['users', 'create', '--business', 'acme', '--email', user.email, '--name', user.name,
      '--role', user.role, '--password-stdin'], `${PASSWORD}\n`);
  }
  const token = cli(databaseUrl, ['tokens', 'create', '--email', ADMIN.email, '--name', 'e2e seeding']).trim();

  const child = spawn(BINARY, ['serve', '--bind', '127.0.0.1:0', '--static-dir', STATIC_DIR], {
    env: { ...process.env, DATABASE_URL: databaseUrl, RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });

  const baseUrl = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stderr}`));
    });
  });

  async function api(method, path, body) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    }
    return text ? JSON.parse(text) : null;
  }

  async function stop() {
    if (child.exitCode === null) {
      const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }

  return { baseUrl, api, stop, logs: () => stderr };
}

/** Launches Debian's Chromium headless, with background network features off. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-domain-reliability',
      '--disable-client-side-phishing-detection',
      '--disable-default-apps',
      '--disable-extensions',
    ],
  });
}

/**
 * Opens a page in a new browser context and collects the page's errors, so a test can
 * assert that the app logged none.
 */
export async function openPage(browser, baseUrl) {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  // Only the test server may be reached.
  await context.route((url) => !url.href.startsWith(baseUrl), (route) => route.abort());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // The browser logs every 4xx response, such as the 401 of the first session check.
    // Those are expected, so only other errors count.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });
  page.setDefaultTimeout(10_000);
  return { page, context, errors };
}

/** Signs in through the login form. */
export async function signIn(page, user = ADMIN) {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Saves a full-page screenshot as e2e/artifacts/NAME.png. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  // A page scrolled by an earlier click would show the sticky top bar mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Creates accounts through the API and returns them in the order given. */
export async function seedAccounts(server, accounts) {
  const created = [];
  for (const account of accounts) {
    created.push(await server.api('POST', '/api/v1/accounts', account));
  }
  return created;
}

/**
 * Runs `body` with a fresh server and a page on it, then closes both. Screenshots of a
 * failure go to e2e/artifacts/failed-NAME.png.
 */
export async function withApp(name, body) {
  const server = await startServer();
  const browser = await launchBrowser();
  const { page, context, errors } = await openPage(browser, server.baseUrl);
  try {
    await body({ server, page, errors });
  } catch (error) {
    await screenshot(page, `failed-${name}`).catch(() => {});
    throw error;
  } finally {
    await context.close();
    await browser.close();
    await server.stop();
  }
}
