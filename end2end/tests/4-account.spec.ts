import { APIRequestContext, Browser, expect, test } from '@playwright/test';
import { landed, createStaff, enrolAndSignIn, open, userPasswordStep } from '../pages/helpers';

// A user signs in at /login and sees at /account what they may do for each client.
test.describe.configure({ mode: 'serial' });

const password = 'violet tractor under seven lanterns';
let staff: APIRequestContext;
let staffContext: import('@playwright/test').BrowserContext;
const staffState = () => staffContext.storageState();
let clientId = '';
let clientVersion = 0;

async function post(path: string, form: Record<string, string>) {
  const r = await staff.post(path, { form });
  expect(r.status(), `${path}: ${await r.text()}`).toBe(200);
  return r.json();
}

async function newUser(email: string, verified: boolean) {
  const u = await post('/api/users/create', { email, password, first_name: 'Mia', last_name: 'Member' });
  if (verified) {
    await post('/api/users/update', {
      id: u.id, version: String(u.version), email, first_name: 'Mia', last_name: 'Member',
      language: 'en', status: 'NEW', email_verified: 'true',
    });
  }
  return u.id as string;
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  createStaff('account-admin@roster.example', 'quiet copper lantern over the bay');
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await enrolAndSignIn(page, 'account-admin@roster.example', 'quiet copper lantern over the bay');
  staff = ctx.request;
  staffContext = ctx;
  const owner = await newUser('olive.owner@example.com', true);
  const member = await newUser('mia.member@example.com', true);
  await newUser('nora.unverified@example.com', false);
  const c = await post('/api/clients/create', { first_name: 'Sam', last_name: 'Shop', company_name: 'Harbor Web Studio' });
  clientId = c.id;
  clientVersion = c.version;
  await post('/api/clients/associate', { client_id: clientId, user_id: owner, permissions: '' });
  await post('/api/clients/associate', { client_id: clientId, user_id: member, permissions: 'manage-domains,manage-invoices' });
});

test('/account without a session goes to /login', async ({ page }) => {
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a wrong password and an unverified email are refused with clear messages', async ({ page }) => {
  await userPasswordStep(page, 'mia.member@example.com', 'not the password at all');
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
  await page.getByLabel('Email').fill('nora.unverified@example.com');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('email address is not verified');
});

test('a member sees their client and exactly the permissions granted; a closed client grants none', async ({ page }) => {
  await userPasswordStep(page, 'mia.member@example.com', password);
  await landed(page, /\/account$/);
  await expect(page.getByTestId('account-email')).toContainText('mia.member@example.com');
  const perms = page.getByRole('list', { name: 'What you may do for Harbor Web Studio' });
  await expect(perms.getByText('✓ Manage domains')).toBeVisible();
  await expect(perms.getByText('✓ Manage invoices')).toBeVisible();
  await expect(perms.getByText('✗ Manage orders')).toBeVisible();

  // The staff's users table now says the user signed in and is ACTIVE.
  const list = await (await staff.post('/api/users/list', { form: { q: 'mia.member' } })).json();
  expect(list.rows[0].status).toBe('ACTIVE');
  expect(list.rows[0].last_sign_in_at).not.toBeNull();

  await post('/api/clients/update', {
    id: clientId, version: String(clientVersion), first_name: 'Sam', last_name: 'Shop',
    company_name: 'Harbor Web Studio', status: 'CLOSED',
  });
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(perms.getByText('✗ Manage domains')).toBeVisible();
  await expect(perms.locator('.granted')).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  const after = await page.request.post('/api/account/me');
  expect(after.status()).toBe(401);
});

test('sessions: seen on /account and in Edit; ending one signs that browser out', async ({ browser }) => {
  const signIn = async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await userPasswordStep(p, 'mia.member@example.com', password);
    await landed(p, /\/account$/);
    return { ctx, p };
  };
  const first = await signIn();
  const second = await signIn();
  await first.p.reload();
  const list = first.p.locator('ul.sessions li');
  await expect(list).toHaveCount(2);
  await expect(list.filter({ hasText: 'This browser' })).toHaveCount(1);
  await expect(list.first()).toContainText('127.0.0.1');

  // Staff see the same sessions in the user's Edit modal.
  const staffPage = await (await browser.newContext({ storageState: await staffState() })).newPage();
  await open(staffPage, '/admin/users?q=mia.member');
  await staffPage.getByRole('button', { name: 'Edit mia.member@example.com' }).click();
  await expect(staffPage.getByRole('dialog').locator('ul.sessions li')).toHaveCount(2);

  // The user ends the other session; that browser is signed out.
  await first.p.locator('ul.sessions li').filter({ hasNotText: 'This browser' }).getByRole('button', { name: /^End session/ }).click();
  await expect(list).toHaveCount(1);
  expect((await second.p.request.post('/api/account/me')).status()).toBe(401);
  await second.p.reload();
  await expect(second.p).toHaveURL(/\/login$/);
  await first.ctx.close();
  await second.ctx.close();
});

test('a user changes their own password on /account; the current one is required', async ({ page }) => {
  await userPasswordStep(page, 'mia.member@example.com', password);
  await landed(page, /\/account$/);
  await page.getByLabel('Current password').fill('not my password at all');
  await page.getByLabel('New password').fill('amber falcon over quiet rivers');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('That is not your current password.')).toBeVisible();
  await page.getByLabel('Current password').fill(password);
  await page.getByLabel('New password').fill('password1234');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('too easy to guess')).toBeVisible();
  await page.getByLabel('New password').fill('amber falcon over quiet rivers');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Password changed' })).toBeVisible();
  await expect(page.getByLabel('Current password')).toHaveValue('');
});

test('support signs in as a user with a reason, sees the banner, cannot change the password, ends it; both ends are in the trail', async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: await staffState(), viewport: { width: 1366, height: 800 } });
  const page = await ctx.newPage();
  await open(page, '/admin/users?q=mia.member');
  await page.getByRole('button', { name: 'Sign in as mia.member@example.com' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign in as mia.member@example.com' });
  await expect(dialog).toBeVisible();
  // The reason is required: refused under its field, nothing opened.
  await dialog.getByRole('button', { name: 'Sign in as mia.member@example.com' }).click();
  await expect(dialog.getByText('Give a reason of at least 5 characters')).toBeVisible();
  await dialog.getByLabel('Reason').fill('Ticket 5120: invoices missing');
  await dialog.getByRole('button', { name: 'Sign in as mia.member@example.com' }).click();

  // Her account, as she sees it, under a banner naming both people and why.
  await landed(page, /\/account$/);
  const banner = page.getByRole('region', { name: 'Signed in as this user' });
  await expect(banner).toContainText('account-admin@roster.example is signed in as Mia Member (mia.member@example.com)');
  await expect(banner).toContainText('Ticket 5120: invoices missing');
  await expect(page.locator('ul.sessions li').filter({ hasText: 'This browser' })).toContainText('Support: account-admin@roster.example');

  // Her password cannot be changed meanwhile.
  await page.getByLabel('Current password').fill(password);
  await page.getByLabel('New password').fill('amber falcon over quiet rivers');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('While signed in as this user you cannot change their password')).toBeVisible();

  // End: back on Manage Users, still signed in as staff.
  await banner.getByRole('button', { name: 'End' }).click();
  await landed(page, /\/admin\/users$/);
  expect((await page.request.post('/api/account/me')).status()).toBe(401);

  await open(page, '/admin/audit?action=user.');
  const rows = page.locator('table tbody tr');
  await expect(rows.filter({ hasText: 'user.impersonation_ended' }).first()).toContainText('Ticket 5120: invoices missing');
  await expect(rows.filter({ hasText: 'user.impersonation_started' }).first()).toContainText('mia.member@example.com');
  await ctx.close();

  // Mia reads it in her own activity, with who and why.
  const mine = await browser.newContext();
  const mia = await mine.newPage();
  // (her password is the one she chose in the test before)
  await userPasswordStep(mia, 'mia.member@example.com', 'amber falcon over quiet rivers');
  await landed(mia, /\/account$/);
  const activity = mia.locator('ul.account-activity li');
  await expect(activity.filter({ hasText: 'Support signed in as you' })).toContainText('Ticket 5120: invoices missing');
  await expect(activity.filter({ hasText: 'Support session ended' })).toHaveCount(1);
  await mine.close();
});
