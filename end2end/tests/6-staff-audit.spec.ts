import { APIRequestContext, BrowserContext, Page, expect, test } from '@playwright/test';
import * as fs from 'fs';
import { createStaff, enrolAndSignIn, landed, open, remember, rememberCookies, rememberedSecrets, signInWithPassword, totpCode } from '../pages/helpers';

// Who may manage users is itself managed, and everything leaves a trail. Runs last: its
// final test reads the whole trail and the server log for every secret the tests saw.
test.describe.configure({ mode: 'serial' });

const adminEmail = 'chief@roster.example';
const adminPassword = 'granite lighthouse beyond the northern pier';
let admin: Page;
let adminContext: BrowserContext;
let api: APIRequestContext;

test.beforeAll(async ({ browser }) => {
  createStaff(adminEmail, adminPassword);
  adminContext = await browser.newContext();
  admin = await adminContext.newPage();
  await enrolAndSignIn(admin, adminEmail, adminPassword);
  api = adminContext.request;
});

test('an administrator adds a Support member, who can look but not change', async ({ browser }) => {
  const made = await api.post('/api/users/create', { form: { email: 'vera.visible@example.com', password: 'marble orchard at the quiet dawn', first_name: 'Vera', last_name: 'Visible' } });
  expect(made.status()).toBe(200);
  remember('marble orchard at the quiet dawn');
  await open(admin, '/admin/staff');
  await admin.getByRole('button', { name: '+ Add staff member' }).click();
  const d = admin.getByRole('dialog', { name: 'Add staff member' });
  await d.getByLabel('Email').fill('sue.support@roster.example');
  const supportPassword = 'velvet compass under winter rain';
  remember(supportPassword);
  await d.getByLabel('Password').fill(supportPassword);
  await d.getByRole('button', { name: 'Use Support' }).click();
  await expect(d.getByTestId('staff-role')).toHaveText('Support');
  await d.getByRole('button', { name: 'Add' }).click();
  await expect(d).toHaveCount(0);
  const row = admin.getByRole('row', { name: /sue\.support/ });
  await expect(row).toContainText('Support');
  await expect(row).toContainText('users-view, clients-view');
  await admin.setViewportSize({ width: 1280, height: 720 });
  await admin.screenshot({ path: '../docs/screenshots/staff.png' });

  const ctx = await browser.newContext();
  const sue = await ctx.newPage();
  await enrolAndSignIn(sue, 'sue.support@roster.example', supportPassword);
  const menu = sue.getByRole('navigation');
  await expect(menu.getByRole('link', { name: 'Manage Users' })).toBeVisible();
  await expect(menu.getByRole('link', { name: 'Staff' })).toHaveCount(0);
  await expect(menu.getByRole('link', { name: 'Audit trail' })).toHaveCount(0);
  await open(sue, '/admin/users');
  await expect(sue.locator('table.users tbody tr').first()).toBeVisible();
  await expect(sue.getByRole('button', { name: '+ Create' })).toHaveCount(0);
  await expect(sue.getByRole('button', { name: /^Edit / })).toHaveCount(0);
  // and the server refuses what the UI hides
  const r = await sue.request.post('/api/users/create', { form: { email: 'x@example.com', password: 'orchid tunnel beneath the sea' } });
  expect(r.status()).toBe(403);
  expect((await sue.request.post('/api/audit/list')).status()).toBe(403);
  expect((await sue.request.post('/api/staff/list')).status()).toBe(403);
  await ctx.close();
});

test('the last administrator cannot lock themselves out', async () => {
  await open(admin, '/admin/staff');
  await admin.getByRole('button', { name: `Edit ${adminEmail}` }).click();
  const d = admin.getByRole('dialog');
  await d.getByLabel('Manage staff').uncheck();
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d.getByRole('alert')).toContainText('You cannot remove your own staff-manage permission');
  await d.getByLabel('Manage staff').check();
  await d.getByLabel('Active', { exact: true }).uncheck();
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d.getByRole('alert')).toContainText('You cannot deactivate yourself');
  await admin.keyboard.press('Escape');
  // nothing changed
  const me = admin.getByRole('row', { name: new RegExp(adminEmail.replace('.', '\\.')) });
  await expect(me).toContainText('Administrator');
  await expect(me).toContainText('ACTIVE');
});

test('a stranger\'s wrong passwords lock strangers out, not the owner\'s browser; an administrator sees why and lifts it', async ({ browser }) => {
  const email = 'lena.locked@roster.example';
  const password = 'copper kettle over the quiet harbour';
  createStaff(email, password, ['users-view']);
  const ownContext = await browser.newContext();
  const own = await ownContext.newPage();
  const secret = await enrolAndSignIn(own, email, password);
  await own.getByRole('button', { name: 'Sign out' }).click();
  await landed(own, /\/admin\/login/);

  // Another browser guesses: five wrong passwords, then even the right one is refused.
  const stranger = await browser.newContext();
  for (let i = 0; i < 5; i++) {
    const r = await stranger.request.post('/api/auth/staff/sign-in', { form: { email, password: `not the password ${i}` } });
    expect(r.status()).toBe(401);
  }
  const refused = await stranger.request.post('/api/auth/staff/sign-in', { form: { email, password } });
  expect(refused.status()).toBe(423);
  await stranger.close();

  // The owner's own browser still gets in with password and code.
  await signInWithPassword(own, email, password);
  await expect(own.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
  await own.getByLabel('Authentication code').fill(totpCode(secret, 1));
  await own.getByRole('button', { name: 'Verify' }).click();
  await expect(own.getByTestId('signed-in-as')).toHaveText(email);
  await rememberCookies(own);
  await ownContext.close();

  // The staff list shows the lock and its reason; Edit lifts it.
  await open(admin, '/admin/staff');
  const row = admin.getByRole('row', { name: /lena\.locked/ });
  await expect(row).toContainText('LOCKED');
  await expect(row).toContainText('locked after wrong passwords');
  await admin.getByRole('button', { name: `Edit ${email}` }).click();
  const d = admin.getByRole('dialog');
  await expect(d.getByRole('heading', { name: 'Sign-in locked' })).toBeVisible();
  await d.getByRole('button', { name: 'Unlock' }).click();
  await expect(d).toHaveCount(0);
  await expect(admin.getByRole('row', { name: /lena\.locked/ })).not.toContainText('LOCKED');
  const again = await (await browser.newContext()).request.post('/api/auth/staff/sign-in', { form: { email, password } });
  expect(again.status()).toBe(200);
});

test('staff change their own password and end their other sessions on My account', async ({ browser }) => {
  const email = 'mo.self@roster.example';
  const password = 'pewter lantern by the winter gate';
  const next = 'saffron harbour under seven bridges';
  remember(next);
  createStaff(email, password, ['users-view']);
  const firstContext = await browser.newContext();
  const first = await firstContext.newPage();
  const secret = await enrolAndSignIn(first, email, password);
  // A second browser signs in too.
  const secondContext = await browser.newContext();
  const second = await secondContext.newPage();
  await signInWithPassword(second, email, password);
  await second.getByLabel('Authentication code').fill(totpCode(secret, 1));
  await second.getByRole('button', { name: 'Verify' }).click();
  await expect(second.getByTestId('signed-in-as')).toHaveText(email);
  await rememberCookies(second);

  await first.getByTestId('signed-in-as').click();
  await landed(first, /\/admin\/me$/);
  await expect(first.getByRole('heading', { name: 'My account' })).toBeVisible();
  const sessions = first.getByRole('listitem').filter({ hasText: '127.0.0.1' });
  await expect(sessions).toHaveCount(2);
  await expect(first.getByText('This browser')).toBeVisible();

  // A wrong current password is a field error; the right one changes it.
  await first.getByLabel('Current password').fill('certainly not it');
  await first.getByLabel('New password', { exact: true }).fill(next);
  await first.getByRole('button', { name: 'Change password' }).click();
  await expect(first.getByText('That is not your current password.')).toBeVisible();
  // Neither typed password comes back in the refused form.
  await expect(first.getByLabel('Current password')).toHaveValue('');
  await expect(first.getByLabel('New password', { exact: true })).toHaveValue('');
  await first.getByLabel('Current password').fill(password);
  await first.getByLabel('New password', { exact: true }).fill(next);
  await first.getByRole('button', { name: 'Change password' }).click();
  await expect(first.getByText('Password changed. Your other sessions were signed out.')).toBeVisible();
  // The other browser is signed out; the list says so at once, and again after a reload.
  await expect(sessions).toHaveCount(1);
  await first.reload();
  await expect(first.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(first.getByRole('listitem').filter({ hasText: '127.0.0.1' })).toHaveCount(1);
  const other = await second.request.post('/api/auth/staff/me');
  expect(other.status()).toBe(401);
  await firstContext.close();
  await secondContext.close();
});

test('staff end another browser\'s session with its End button on My account', async ({ browser }) => {
  const email = 'ines.end@roster.example';
  const password = 'copper meadow past the old mill';
  createStaff(email, password, ['users-view']);
  const firstContext = await browser.newContext();
  const first = await firstContext.newPage();
  const secret = await enrolAndSignIn(first, email, password);
  const secondContext = await browser.newContext({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' });
  const second = await secondContext.newPage();
  await signInWithPassword(second, email, password);
  await second.getByLabel('Authentication code').fill(totpCode(secret, 1));
  await second.getByRole('button', { name: 'Verify' }).click();
  await expect(second.getByTestId('signed-in-as')).toHaveText(email);

  await open(first, '/admin/me');
  const sessions = first.getByRole('listitem').filter({ hasText: '127.0.0.1' });
  await expect(sessions).toHaveCount(2);
  // The current browser has no End button; the other one has, named by its browser.
  await expect(sessions.filter({ hasText: 'This browser' }).getByRole('button')).toHaveCount(0);
  await first.getByRole('button', { name: /^End session .*Firefox/ }).click();
  await expect(first.getByRole('status').filter({ hasText: 'Sessions ended: 1' })).toBeVisible();
  await expect(sessions).toHaveCount(1);
  await expect(first.getByText('This browser')).toBeVisible();
  expect((await second.request.post('/api/auth/staff/me')).status()).toBe(401);
  // This browser is still signed in.
  expect((await first.request.post('/api/auth/staff/me')).status()).toBe(200);
  await firstContext.close();
  await secondContext.close();
});

test('staff choose their language on My account; the admin pages and the server\'s messages follow', async ({ browser }) => {
  const email = 'olena.uk@roster.example';
  const password = 'amber kettle under the quiet bridge';
  createStaff(email, password, ['users-view', 'clients-view']);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await enrolAndSignIn(page, email, password);
  await open(page, '/admin/me');
  await page.getByLabel('Language').selectOption('uk');
  await page.getByRole('button', { name: 'Save language' }).click();
  // The page comes back in Ukrainian, rendered so on the server and hydrated without change.
  await expect(page.getByRole('heading', { name: 'Мій обліковий запис' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'uk');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  // A refusal from the server, in the same language.
  await page.getByLabel('Поточний пароль').fill('certainly not it');
  await page.getByLabel('Новий пароль', { exact: true }).fill('a brand new passphrase of mine');
  await page.getByRole('button', { name: 'Змінити пароль' }).click();
  await expect(page.getByText('Це не ваш поточний пароль.')).toBeVisible();
  // Every admin page, opened or reached through the menu.
  await open(page, '/admin/users');
  await expect(page.getByRole('heading', { name: 'Керування користувачами' })).toBeVisible();
  await expect(page.getByLabel('Пошук користувачів')).toBeVisible();
  await page.getByRole('link', { name: 'Керування клієнтами' }).click();
  await expect(page.getByRole('heading', { name: 'Керування клієнтами' })).toBeVisible();
  // Another staff member's pages stay in their own language.
  await open(admin, '/admin/users');
  await expect(admin.getByRole('heading', { name: 'Manage Users' })).toBeVisible();
  // And back to English.
  await open(page, '/admin/me');
  await page.getByLabel('Мова').selectOption('en');
  await page.getByRole('button', { name: 'Зберегти мову' }).click();
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await ctx.close();
});

test('the trail: a user\'s Activity tab, /admin/audit filters, CSV, and who last changed Admin Notes', async () => {
  const u = await (await api.post('/api/users/create', {
    form: { email: 'audrey.audit@example.com', password: 'saffron bicycle across the dunes', first_name: 'Audrey', last_name: 'Audit', admin_notes: 'First note' },
  })).json();
  remember('saffron bicycle across the dunes');
  await open(admin, '/admin/users?q=audrey.audit');
  await admin.getByRole('button', { name: 'Edit audrey.audit@example.com' }).click();
  const d = admin.getByRole('dialog');
  await expect(d.getByTestId('notes-changed')).toContainText(`Admin Notes last changed by ${adminEmail}`);
  await d.getByLabel('Lastname').fill('Auditor');
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d).toHaveCount(0);
  await admin.getByRole('button', { name: 'Edit audrey.audit@example.com' }).click();
  await d.getByRole('tab', { name: 'Activity' }).click();
  const events = d.getByRole('tabpanel', { name: 'Activity' }).locator('tbody tr');
  await expect(events).toHaveCount(2);
  await expect(events.first()).toContainText('user.updated');
  await expect(events.first()).toContainText('last_name: Audit → Auditor');
  await expect(events.first()).toContainText(adminEmail);
  await expect(events.nth(1)).toContainText('user.created');
  await admin.keyboard.press('Escape');

  // /admin/audit: filters in the URL, the same selection as CSV.
  await open(admin, '/admin/audit');
  await admin.getByLabel('Target').fill('audrey.audit');
  await admin.getByLabel('Action').selectOption('user.updated');
  await admin.getByRole('button', { name: 'Apply filters' }).click();
  await expect(admin).toHaveURL(/target=audrey\.audit/);
  await expect(admin.getByTestId('audit-count')).toHaveText('1 event');
  await admin.reload();
  await expect(admin.getByTestId('audit-count')).toHaveText('1 event');
  await expect(admin.getByLabel('Target')).toHaveValue('audrey.audit');
  await admin.getByLabel('From', { exact: true }).fill('2026-03-01');
  await admin.getByLabel('To', { exact: true }).fill('2026-02-01');
  await admin.getByRole('button', { name: 'Apply filters' }).click();
  await expect(admin.getByText('The range ends before it starts.')).toBeVisible();

  await admin.getByLabel('From', { exact: true }).fill('');
  await admin.getByLabel('To', { exact: true }).fill('');
  // The filters are a GET form: each Apply loads the page of its URL.
  await admin.getByRole('button', { name: 'Apply filters' }).click();
  await expect(admin).not.toHaveURL(/from=2026/);
  const href = await admin.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(href).toContain('target=audrey.audit');
  const csv = await (await admin.request.get(href ?? '')).text();
  const lines = csv.trim().split('\n');
  expect(lines[0]).toBe('time,actor_kind,actor,action,target_kind,target,target_id,changes,ip');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('last_name: Audit → Auditor');
  expect(lines[1]).toContain(u.id);

  await admin.getByLabel('Target').fill('');
  await admin.getByLabel('Action').selectOption('');
  await admin.getByRole('button', { name: 'Apply filters' }).click();
  await expect(admin).not.toHaveURL(/target=audrey/);
  await expect(admin.locator('table.audit tbody tr').first()).toBeVisible();
  await admin.screenshot({ path: '../docs/screenshots/audit.png' });

  // Sign-in failures are there with their reason.
  expect((await api.post('/api/auth/user/sign-in', { form: { email: 'audrey.audit@example.com', password: 'not her password at all' } })).status()).toBe(401);
  await admin.getByLabel('Target').fill('');
  await admin.getByLabel('Action').selectOption('sign_in.refused');
  await admin.getByRole('button', { name: 'Apply filters' }).click();
  await expect(admin).toHaveURL(/action=sign_in\.refused/);
  await expect(admin.locator('table.audit tbody tr').first()).toContainText('reason:');
});

test('the audit trail filters and pages with JavaScript off', async ({ browser }) => {
  // The page is server HTML: a GET form and links, no island of its own.
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  await ctx.addCookies(await adminContext.cookies());
  const page = await ctx.newPage();
  await page.goto('/admin/audit');
  await page.getByLabel('Target').fill('audrey.audit');
  await page.getByLabel('Action').selectOption('user.updated');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/target=audrey\.audit/);
  await expect(page.getByTestId('audit-count')).toHaveText('1 event');
  await expect(page.getByLabel('Target')).toHaveValue('audrey.audit');
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', /target=audrey\.audit/);
  await page.getByRole('link', { name: 'Clear' }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.getByLabel('Target')).toHaveValue('');
  await ctx.close();
});

test('no password, TOTP secret, recovery code or session token is in the trail or the log', async () => {
  const secrets = rememberedSecrets();
  remember(...(await adminContext.cookies()).map((c) => c.value));
  const all = [...secrets, ...(await adminContext.cookies()).map((c) => c.value)];
  expect(all.length).toBeGreaterThan(20);
  const trail = await (await admin.request.get('/admin/audit/export.csv')).text();
  expect(trail.split('\n').length).toBeGreaterThan(10);
  const log = fs.readFileSync(process.env.ROSTER_SERVER_LOG ?? '', 'utf8');
  expect(log.length).toBeGreaterThan(0);
  for (const s of all) {
    expect(trail.includes(s), `a secret is in the audit trail: ${s.slice(0, 3)}…`).toBe(false);
    expect(log.includes(s), `a secret is in the server log: ${s.slice(0, 3)}…`).toBe(false);
  }
});
