import { expect, Page } from '@playwright/test';
import * as fs from 'fs';
import { execFileSync } from 'child_process';
import * as OTPAuth from 'otpauth';

/** Open a page and wait until the WASM has hydrated it. Every page must hydrate under the
 *  Content-Security-Policy without the browser blocking anything. */
export async function open(page: Page, path: string) {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations?: string[] };
    if (w.cspViolations) return;
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations!.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(path);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const blocked = await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
  expect(blocked, `blocked by the Content-Security-Policy on ${path}`).toEqual([]);
}

/** After a navigation the page does itself: wait for the URL, then for hydration. */
export async function landed(page: Page, url: RegExp) {
  await expect(page).toHaveURL(url);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/** The one-time setup link the server printed to its log on first start. */
export function setupLinkFromLog(): string {
  const log = fs.readFileSync(process.env.ROSTER_SERVER_LOG ?? '', 'utf8');
  const m = log.match(/https?:\/\/\S+\/admin\/setup\?token=[A-Za-z0-9_-]+/);
  if (!m) throw new Error('no setup link in the server log');
  return new URL(m[0]).pathname + new URL(m[0]).search;
}

/** The TOTP code for a base32 secret, `offsetSteps` 30-second steps from now. */
export function totpCode(secret: string, offsetSteps = 0): string {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

export async function signInWithPassword(page: Page, email: string, password: string) {
  await open(page, '/admin/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A user's password step on /login (English labels). */
export async function userPasswordStep(page: Page, email: string, password: string) {
  await open(page, '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Run the `roster` binary against the test server's own data directory. */
export function roster(args: string[], input?: string): string {
  const bin = process.env.ROSTER_BIN;
  if (!bin) throw new Error('ROSTER_BIN is not set (run the tests through .ci/e2e)');
  return execFileSync(bin, args, {
    input,
    env: { ...process.env, ROSTER_DATA_DIR: process.env.ROSTER_DATA_DIR ?? '' },
    encoding: 'utf8',
  });
}

/**
 * Remember a secret the tests saw (a password, TOTP secret, recovery code, session token),
 * so that the last test can check that none of them reached the audit trail or the log.
 */
export function remember(...secrets: string[]) {
  const dir = process.env.ROSTER_DATA_DIR;
  if (!dir) return;
  fs.appendFileSync(`${dir}/secrets-seen.txt`, secrets.filter((s) => s.length >= 6).map((s) => s + '\n').join(''));
}

export function rememberedSecrets(): string[] {
  const file = `${process.env.ROSTER_DATA_DIR}/secrets-seen.txt`;
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** Remember the session cookies of a browser context. */
export async function rememberCookies(page: Page) {
  remember(...(await page.context().cookies()).map((c) => c.value));
}

/** A staff member made with the CLI, as a script would (2FA enrolment at first sign-in). */
export function createStaff(email: string, password: string, permissions?: string[]) {
  remember(password);
  const extra = permissions ? ['--permissions', permissions.join(',')] : [];
  roster(['staff', 'create', '--email', email, '--password-stdin', ...extra], password + '\n');
}

/** Sign in a new staff member through the forced enrolment; returns the TOTP secret. */
export async function enrolAndSignIn(page: Page, email: string, password: string): Promise<string> {
  await signInWithPassword(page, email, password);
  const secret = await confirmEnrolment(page);
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await rememberCookies(page);
  return secret;
}

/** On a forced enrolment page (staff or user): the key read, a code confirmed, the
 * recovery codes passed; returns the TOTP secret. */
export async function confirmEnrolment(page: Page): Promise<string> {
  await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  remember(secret);
  await page.getByLabel('Authentication code').fill(totpCode(secret));
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await continuePastRecoveryCodes(page);
  return secret;
}

/** After enrolment: the ten recovery codes are shown once; returns them and goes on. */
export async function continuePastRecoveryCodes(page: Page): Promise<string[]> {
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  const list = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(list).toHaveCount(10);
  const codes = (await list.allTextContents()).map((c) => c.trim());
  remember(...codes);
  // A link on the sign-in page (a plain form flow), a button on /account.
  const name = 'I have saved them — continue';
  await page.getByRole('link', { name }).or(page.getByRole('button', { name })).click();
  return codes;
}
