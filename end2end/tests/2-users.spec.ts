import { Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import { createStaff, enrolAndSignIn, open, roster } from '../pages/helpers';

// Manage Users as a staff member uses it: one signed-in browser for the whole story
// (a TOTP code works once, so the tests share the session instead of signing in again).
test.describe.configure({ mode: 'serial' });

const staffEmail = 'users-admin@roster.example';
const staffPassword = 'copper lantern above the quiet meadow';
const userPassword = 'violet tractor under seven lanterns';
let context: BrowserContext;
let page: Page;

const dialog = (name: string | RegExp) => page.getByRole('dialog', { name });
const toast = () => page.locator('.toasts');
const rows = () => page.locator('table.users tbody tr');

async function apiCreate(email: string, first: string, last: string, phone = '') {
  const r = await page.request.post('/api/users/create', {
    form: { email, password: userPassword, first_name: first, last_name: last, phone, language: 'en' },
  });
  expect(r.status(), await r.text()).toBe(200);
  return (await r.json()) as { id: string; version: number };
}

async function search(q: string) {
  await page.getByLabel('Search users').fill(q);
  await expect(page).toHaveURL(q ? new RegExp(`[?&]q=${encodeURIComponent(q).replace(/[()*'!]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`) : /\/admin\/users$/);
}

/** A search that finds exactly one user, the one with `email`. */
async function findsOnly(q: string, email: string) {
  await search(q);
  await expect(rows()).toHaveCount(1);
  await expect(rows().first()).toContainText(email);
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  createStaff(staffEmail, staffPassword);
  context = await browser.newContext();
  page = await context.newPage();
  await enrolAndSignIn(page, staffEmail, staffPassword);
});

test.afterAll(async () => {
  await context.close();
});

test('the menu leads to Manage Users, which starts empty', async () => {
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Manage Users' }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole('heading', { name: 'Manage Users' })).toBeVisible();
  await expect(page.getByText('No users yet.')).toBeVisible();
});

test('Create checks every field as the user leaves it and again on the server', async () => {
  await page.getByRole('button', { name: '+ Create' }).click();
  const d = dialog('Create User');
  await expect(d).toBeVisible();
  // The first field has focus.
  await expect(d.getByLabel('Email', { exact: true })).toBeFocused();

  await d.getByLabel('Email', { exact: true }).fill('not-an-email');
  await d.getByLabel('Email', { exact: true }).press('Tab');
  await expect(d.getByText('Enter a valid email address')).toBeVisible();

  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d.getByText('Password is required.')).toBeVisible();
  await expect(d.getByText('Firstname is required.')).toBeVisible();
  await expect(d.getByText('Lastname is required.')).toBeVisible();
  await expect(d.getByLabel('Email', { exact: true })).toBeFocused();

  await d.getByLabel('Email', { exact: true }).fill('Ann.Lee@Example.com');
  await d.getByLabel('Password', { exact: true }).fill('short');
  await d.getByLabel('Firstname').fill('Ann');
  await d.getByLabel('Lastname').fill('Lee');
  await d.getByLabel('Phone Number').fill('050 123 4567');
  await d.getByLabel('Phone Number').press('Tab');
  await expect(d.getByText('Start with + and the country code')).toBeVisible();
  await d.getByLabel('Phone Number').fill('+44 0000 000000');
  await d.getByLabel('Password', { exact: true }).fill('password1234');
  await expect(d.getByText(/Strength: (Very weak|Weak|Fair)/)).toBeVisible();
  await d.getByRole('button', { name: 'Save' }).click();
  // Only the server knows these two rules; its answers land by the same fields.
  await expect(d.getByText('too easy to guess').first()).toBeVisible();
  await expect(d.getByText('not a valid phone number for its country code')).toBeVisible();

  await d.getByRole('button', { name: 'Generate' }).click();
  await expect(d.getByLabel('Password', { exact: true })).toHaveAttribute('type', 'text');
  expect((await d.getByLabel('Password', { exact: true }).inputValue()).length).toBe(20);
  await expect(d.getByText('Strength: Very strong')).toBeVisible();
  await d.getByLabel('Phone Number').fill('+380 50 123 4567');
  await d.getByLabel('2FA').check();
  await d.getByLabel('Language').selectOption('uk');
  await d.getByLabel('Admin Notes').fill('Requested by Pat, ticket <b>#12</b>');
  await page.evaluate(() => ((window as any).__noReload = true));
  await d.getByRole('button', { name: 'Save' }).click();

  await expect(d).toHaveCount(0);
  await expect(toast()).toContainText('User Ann.Lee@Example.com created');
  const row = rows().filter({ hasText: 'Ann.Lee@Example.com' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Ann Lee');
  await expect(row).toContainText('NEW');
  await expect(row).toContainText('2FA pending');
  await expect(row).toContainText('+380501234567');
  await expect(row.locator('.avatar')).toHaveText('AL');
  // No page load happened.
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});

test('a duplicate email is a clear field error, ignoring case', async () => {
  await page.getByRole('button', { name: '+ Create' }).click();
  const d = dialog('Create User');
  await d.getByLabel('Email', { exact: true }).fill('ann.lee@EXAMPLE.com');
  await d.getByLabel('Password', { exact: true }).fill(userPassword);
  await d.getByLabel('Firstname').fill('Ann');
  await d.getByLabel('Lastname').fill('Again');
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d.getByText('A user with this email already exists')).toBeVisible();
  await expect(d.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // Escape closes the modal and nothing was added.
  await page.keyboard.press('Escape');
  await expect(d).toHaveCount(0);
  await expect(rows()).toHaveCount(1);
});

test('modals keep the keyboard inside and close on Escape', async () => {
  await page.getByRole('button', { name: '+ Create' }).click();
  const d = dialog('Create User');
  await expect(d.getByLabel('Email', { exact: true })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(d.getByRole('button', { name: 'Close' })).toBeFocused();
  // Past the first element, focus wraps to the last, and back.
  await page.keyboard.press('Shift+Tab');
  await expect(d.getByRole('button', { name: 'Save' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(d.getByRole('button', { name: 'Close' })).toBeFocused();
  for (let i = 0; i < 25; i++) await page.keyboard.press('Tab');
  const inside = await page.evaluate(() => !!document.activeElement?.closest('[role=dialog]'));
  expect(inside).toBe(true);
  await page.keyboard.press('Escape');
  await expect(d).toHaveCount(0);
  await expect(page.getByRole('button', { name: '+ Create' })).toBeFocused();
});

test('search follows the typing, lives in the URL, survives reload and back', async () => {
  await apiCreate('bob@example.org', 'Bob', "O'Brien", '+48 601 987 654');
  await apiCreate('zoe_50%@example.net', 'Zoë', 'Kowalska');
  await open(page, '/admin/users');
  await expect(rows()).toHaveCount(3);

  await findsOnly('brien', 'bob@example.org');

  await findsOnly('4567', 'Ann.Lee@Example.com');

  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByLabel('Search users')).toHaveValue('4567');
  await expect(rows()).toHaveCount(1);

  await page.goBack();
  await expect(page).toHaveURL(/q=brien/);
  await expect(page.getByLabel('Search users')).toHaveValue('brien');
  await expect(rows().first()).toContainText('bob@example.org');

  const ann = (await rows().count()) && (await page.request.post('/api/users/list', { form: { q: 'ann.lee' } }).then((r) => r.json()));
  await findsOnly(ann.rows[0].id.slice(0, 8), 'Ann.Lee@Example.com');

  await findsOnly('_50%', 'zoe_50%@example.net');

  // Quotes and markup are text like any other: the apostrophe finds O'Brien.
  await findsOnly("'", 'bob@example.org');
  for (const q of ['"', '<script>', '😀', "' OR 1=1 --"]) {
    await page.getByLabel('Search users').fill(q);
    await expect(page.getByText(`No users match “${q}”.`)).toBeVisible();
  }
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(rows()).toHaveCount(3);
});

test('a hostile query stays text in the results and their buttons keep the browser on Manage Users', async () => {
  // The results are server HTML brought again by the page's island; their buttons carry
  // list URLs (data-go) built from the query. Markup, a foreign address and quotes in the
  // query must neither run nor lead the browser anywhere else.
  const hostile = `"><img src=x onerror="window.__pwned=1">//evil.example/?a='b'`;
  await open(page, `/admin/users?q=${encodeURIComponent(hostile)}&sort=email`);
  await expect(page.getByText(`No users match “${hostile}”.`)).toBeVisible();
  await expect(page.locator('#user-results img')).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(page).toHaveURL(/\/admin\/users\?sort=email/);
  expect(new URL(page.url()).origin).toBe(new URL(process.env.ROSTER_URL!).origin);
  await expect(rows()).toHaveCount(3);
  // The same through the island's fetch: typed, not loaded.
  await page.getByLabel('Search users').fill(hostile);
  await expect(page.getByText(`No users match “${hostile}”.`)).toBeVisible();
  await expect(page.locator('#user-results img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(rows()).toHaveCount(3);
});

test('a search after the session ended goes to sign-in instead of showing anything', async () => {
  await open(page, '/admin/users');
  await expect(rows()).toHaveCount(3);
  // The browser loses its session (signed out in another tab, expired): the island's next
  // fetch of the results is answered with the sign-in page.
  const cookies = await context.cookies();
  await context.clearCookies();
  await page.getByLabel('Search users').fill('bob');
  await expect(page).toHaveURL(/\/admin\/login/);
  await expect(page.getByText('bob@example.org')).toHaveCount(0);
  await context.addCookies(cookies);
});

test('paging and sorting follow the URL', async () => {
  for (let i = 0; i < 27; i++) {
    await apiCreate(`pager${String(i).padStart(2, '0')}@example.com`, 'Page', `Tester${String(i).padStart(2, '0')}`);
  }
  await open(page, '/admin/users');
  await expect(rows()).toHaveCount(25);
  await expect(page.getByTestId('user-total')).toHaveText('1–25 of 30 users');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(rows()).toHaveCount(5);
  await expect(page.getByTestId('user-total')).toHaveText('26–30 of 30 users');

  await page.getByRole('button', { name: 'Email' }).click();
  await expect(page).toHaveURL(/sort=email&dir=asc/);
  await expect(page.getByRole('columnheader', { name: /Email/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows().first()).toContainText('Ann.Lee@Example.com');
  await page.getByRole('button', { name: /Email/ }).click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect(rows().first()).toContainText('zoe_50%@example.net');

  await page.getByLabel('Rows per page').selectOption('50');
  await expect(page).toHaveURL(/per=50/);
  await expect(rows()).toHaveCount(30);
});

test('Edit saves every field exactly, and a reload shows what was saved', async () => {
  await open(page, '/admin/users?q=bob%40example.org');
  await page.getByRole('button', { name: 'Edit bob@example.org' }).click();
  const d = dialog(/Edit User/);
  await expect(d.getByLabel('Email', { exact: true })).toHaveValue('bob@example.org');
  await expect(d.getByLabel('Password', { exact: true })).toHaveValue('');
  await d.getByLabel('Email', { exact: true }).fill('robert@example.org');
  await d.getByLabel('Firstname').fill('Robert');
  await d.getByLabel('Lastname').fill('Brien-Smith');
  await d.getByLabel('Phone Number').fill('+44 20 7946 0958');
  await d.getByLabel('Language').selectOption('pl');
  await d.getByLabel('Admin Notes').fill('VIP since 2024');
  await d.getByLabel('2FA').check();
  await d.getByLabel('Email Verified').check();
  await d.getByLabel('Phone Verified').check();
  await d.getByLabel('Status').selectOption('INACTIVE');
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d).toHaveCount(0);
  await expect(toast()).toContainText('Changes to robert@example.org saved');

  await open(page, '/admin/users?q=robert');
  const row = rows().first();
  await expect(row).toContainText('Robert Brien-Smith');
  await expect(row).toContainText('INACTIVE');
  await expect(row).toContainText('2FA pending');
  await page.getByRole('button', { name: 'Edit robert@example.org' }).click();
  await expect(d.getByLabel('Firstname')).toHaveValue('Robert');
  await expect(d.getByLabel('Phone Number')).toHaveValue('+442079460958');
  await expect(d.getByLabel('Language')).toHaveValue('pl');
  await expect(d.getByLabel('Admin Notes')).toHaveValue('VIP since 2024');
  await expect(d.getByLabel('2FA')).toBeChecked();
  await expect(d.getByLabel('Email Verified')).toBeChecked();
  await expect(d.getByLabel('Phone Verified')).toBeChecked();
  await expect(d.getByLabel('Status')).toHaveValue('INACTIVE');

  // Turn the switches back off and check they stay off.
  await d.getByLabel('2FA').uncheck();
  await d.getByLabel('Email Verified').uncheck();
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d).toHaveCount(0);
  await page.reload();
  // The button does something only once the page is hydrated.
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'Edit robert@example.org' }).click();
  await expect(d.getByLabel('2FA')).not.toBeChecked();
  await expect(d.getByLabel('Email Verified')).not.toBeChecked();
  await expect(d.getByLabel('Phone Verified')).toBeChecked();
  await page.keyboard.press('Escape');
});

test('two staff editing one user: the later save is refused, not merged', async ({ browser }) => {
  const other = await browser.newContext({ storageState: await context.storageState() });
  const page2 = await other.newPage();
  await open(page2, '/admin/users?q=zoe');
  await open(page, '/admin/users?q=zoe');
  await page.getByRole('button', { name: 'Edit zoe_50%@example.net' }).click();
  await page2.getByRole('button', { name: 'Edit zoe_50%@example.net' }).click();
  const d1 = dialog(/Edit User/);
  const d2 = page2.getByRole('dialog', { name: /Edit User/ });
  await expect(d2.getByLabel('Lastname')).toHaveValue('Kowalska');
  await d1.getByLabel('Lastname').fill('Kowalska-Nowak');
  await d1.getByRole('button', { name: 'Save' }).click();
  await expect(d1).toHaveCount(0);

  await d2.getByLabel('Firstname').fill('Zofia');
  await d2.getByRole('button', { name: 'Save' }).click();
  await expect(d2.getByRole('alert').first()).toContainText('changed by someone else — reload');
  await d2.getByRole('button', { name: 'Reload' }).click();
  await expect(d2.getByLabel('Lastname')).toHaveValue('Kowalska-Nowak');
  await expect(d2.getByLabel('Firstname')).toHaveValue('Zoë');
  await other.close();
});

test('the eye button shows the user and their clients; an owner cannot be deleted', async () => {
  // A client owned by Ann, as `roster seed` makes one (the clients screens come later).
  const ann = await page.request.post('/api/users/list', { form: { q: 'ann.lee' } }).then((r) => r.json());
  roster(['seed', '--users', '0', '--clients', '1', '--owner', ann.rows[0].id]);
  await open(page, '/admin/users?q=ann.lee');
  await expect(rows().first().locator('.count')).toHaveText('1');
  await page.getByRole('button', { name: 'View clients of Ann.Lee@Example.com' }).click();
  const d = dialog('User Clients');
  await expect(d.getByText(ann.rows[0].id)).toBeVisible();
  await expect(d.getByText('+380501234567')).toBeVisible();
  await expect(d.getByRole('columnheader', { name: 'Tax ID' })).toBeVisible();
  await expect(d.locator('.badge', { hasText: 'OWNER' })).toBeVisible();
  const link = d.getByRole('link').first();
  await expect(link).toHaveAttribute('href', /\/admin\/clients\/[0-9a-f-]{36}$/);
  const company = (await d.locator('tbody td').nth(1).textContent()) ?? '';
  await d.getByRole('button', { name: 'Close' }).last().click();

  await page.getByRole('button', { name: 'Delete Ann.Lee@Example.com' }).click();
  const del = dialog('Delete User');
  await expect(del).toContainText('Ann.Lee@Example.com');
  await del.getByRole('button', { name: 'Delete Ann.Lee@Example.com' }).click();
  await expect(del.getByRole('alert')).toContainText('OWNER');
  await expect(del.getByRole('alert')).toContainText(company.trim());
  await page.keyboard.press('Escape');
  await expect(rows()).toHaveCount(1);
});

test('a user who owns nothing is deleted after a confirmation naming the email', async () => {
  await open(page, '/admin/users?q=robert');
  await page.getByRole('button', { name: 'Delete robert@example.org' }).click();
  const del = dialog('Delete User');
  await expect(del).toContainText('Delete the user robert@example.org?');
  await del.getByRole('button', { name: 'Cancel' }).click();
  await expect(rows()).toHaveCount(1);
  await page.getByRole('button', { name: 'Delete robert@example.org' }).click();
  await del.getByRole('button', { name: 'Delete robert@example.org' }).click();
  await expect(toast()).toContainText('User robert@example.org deleted');
  await expect(page.getByText('No users match “robert”.')).toBeVisible();
});

test('staff who may only view see no create, edit or delete buttons, and the API agrees', async ({ browser }) => {
  createStaff('viewer@roster.example', staffPassword, ['users-view']);
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await enrolAndSignIn(p, 'viewer@roster.example', staffPassword);
  await open(p, '/admin/users');
  await expect(p.locator('table.users tbody tr').first()).toBeVisible();
  await expect(p.getByRole('button', { name: '+ Create' })).toHaveCount(0);
  // No bulk actions, no import, no boxes to tick.
  await expect(p.getByRole('button', { name: 'Bulk actions' })).toHaveCount(0);
  await expect(p.getByRole('button', { name: 'Import CSV' })).toHaveCount(0);
  await expect(p.getByRole('checkbox')).toHaveCount(0);
  // The menu offers only what this staff member may open.
  const menu = p.getByRole('navigation', { name: 'Main menu' });
  await expect(menu.getByRole('link', { name: 'Manage Users' })).toBeVisible();
  await expect(menu.getByRole('link', { name: 'Manage Clients' })).toHaveCount(0);
  await expect(p.getByRole('button', { name: /^Edit / })).toHaveCount(0);
  await expect(p.getByRole('button', { name: /^Delete / })).toHaveCount(0);
  await expect(p.getByRole('button', { name: /^View clients of / }).first()).toBeVisible();
  const r = await p.request.post('/api/users/create', { form: { email: 'x@example.com' } });
  expect(r.status()).toBe(403);
  expect((await r.json()).permission).toBe('users-create');
  await ctx.close();
});

test('filters narrow the list beside the search, live in the URL, and the export follows them', async () => {
  await page.setViewportSize({ width: 1366, height: 800 });
  const r = await page.request.post('/api/users/create', {
    form: { email: 'filter.pending@example.org', password: userPassword, first_name: 'Fil', last_name: 'Pending', two_factor: 'true', language: 'en' },
  });
  expect(r.status(), await r.text()).toBe(200);
  await open(page, '/admin/users');
  const filters = page.getByRole('search', { name: 'Filters' });
  await expect(filters).toBeHidden();
  await page.getByText('Filters', { exact: true }).click();
  await filters.getByLabel('Two-factor authentication').selectOption('pending');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/two_factor=pending/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  // Exactly the users whose 2FA is pending (Robert's, switched on earlier, among them).
  const pending = await (await page.request.post('/api/users/list', { form: { two_factor: 'pending', per_page: '100' } })).json();
  expect(pending.total).toBeGreaterThan(1);
  await expect(rows()).toHaveCount(pending.total);
  for (const row of await rows().all()) await expect(row).toContainText('2FA pending');
  await expect(rows().filter({ hasText: 'filter.pending@example.org' })).toHaveCount(1);
  await expect(page.getByText('Active filters: 1')).toBeVisible();
  // The search keeps the filters, and the filters keep the search.
  await page.getByLabel('Search users').fill('pending');
  await expect(page).toHaveURL(/two_factor=pending/);
  await expect(page).toHaveURL(/q=pending/);
  await expect(rows()).toHaveCount(1);
  const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(href).toContain('two_factor=pending');
  expect(href).toContain('q=pending');
  const csv = (await (await page.request.get(href ?? '')).text()).trim().split('\n');
  expect(csv).toHaveLength(2);
  expect(csv[1]).toContain('filter.pending@example.org');
  // A filter nobody matches says so and offers the way back.
  await open(page, '/admin/users?two_factor=pending&status=invited');
  await expect(page.getByText('No users match these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).not.toHaveURL(/two_factor/);
  await expect(rows().first()).toBeVisible();
  // A filter that cannot be one names its field, and no table is shown.
  await open(page, '/admin/users?created_from=2026-02-30');
  await expect(page.getByRole('search', { name: 'Filters' }).getByText('Enter a date as YYYY-MM-DD.')).toBeVisible();
  await expect(rows()).toHaveCount(0);
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('bulk actions: all matches of a filtered search, then ticked rows, with what was refused and why', async () => {
  await page.setViewportSize({ width: 1366, height: 800 });
  const made = [];
  for (const n of ['a', 'b', 'c']) made.push(await apiCreate(`bulk.${n}@example.org`, 'Bulk', n.toUpperCase()));
  // Two of them INACTIVE (from NEW), the third left NEW.
  const r = await page.request.post('/api/users/bulk', { form: { action: 'deactivate', ids: `${made[0].id},${made[1].id}` } });
  expect(r.status(), await r.text()).toBe(200);

  // Every INACTIVE match of the search, activated in one run.
  await open(page, '/admin/users?q=bulk.&status=inactive');
  await expect(rows()).toHaveCount(2);
  await page.getByRole('button', { name: 'Bulk actions' }).click();
  const bulk = dialog('Bulk actions');
  // Nothing ticked: the page is chosen; every match of the search is the other choice.
  await expect(bulk.getByRole('radio', { name: /ticked/ })).toBeDisabled();
  await expect(bulk.getByRole('radio', { name: 'The 2 users on this page' })).toBeChecked();
  await bulk.getByRole('radio', { name: 'All users matching this search and filters (2 users)' }).check();
  await bulk.getByRole('button', { name: 'Apply' }).click();
  await expect(bulk.getByRole('alert')).toContainText('Choose an action.');
  await bulk.getByLabel('Action').selectOption({ label: 'Activate' });
  await bulk.getByRole('button', { name: 'Apply' }).click();
  await expect(bulk.getByTestId('bulk-status')).toHaveText('2 done, 0 refused Finished.');
  await expect(bulk.getByRole('progressbar', { name: 'Progress' })).toHaveAttribute('value', '2');
  await bulk.getByRole('button', { name: 'Done' }).click();
  await expect(bulk).toBeHidden();
  // They left the filter; the list says so.
  await expect(page.getByText('No users match these filters.')).toBeVisible();

  // Ticked rows: two of the three.
  await open(page, '/admin/users?q=bulk.');
  await expect(rows()).toHaveCount(3);
  for (const n of ['a', 'c']) await page.getByRole('checkbox', { name: `Select bulk.${n}@example.org` }).check();
  await page.getByRole('button', { name: 'Bulk actions' }).click();
  await expect(bulk.getByRole('radio', { name: 'The 2 ticked users' })).toBeChecked();
  await bulk.getByLabel('Action').selectOption({ label: 'Activate' });
  await bulk.getByRole('button', { name: 'Apply' }).click();
  await expect(bulk.getByTestId('bulk-status')).toHaveText('0 done, 2 refused Finished.');
  await expect(bulk.getByRole('listitem').filter({ hasText: 'bulk.a@example.org' })).toContainText('Already ACTIVE.');
  await expect(bulk.getByRole('listitem').filter({ hasText: 'bulk.c@example.org' })).toContainText('NEW: they become active when they first sign in.');
  await page.keyboard.press('Escape');
  await expect(bulk).toBeHidden();

  // Deactivate the two, and the table shows it once the modal is closed.
  await page.getByRole('button', { name: 'Bulk actions' }).click();
  await expect(bulk.getByRole('radio', { name: 'The 2 ticked users' })).toBeChecked();
  await bulk.getByLabel('Action').selectOption({ label: 'Deactivate' });
  await bulk.getByRole('button', { name: 'Apply' }).click();
  await expect(bulk.getByTestId('bulk-status')).toHaveText('2 done, 0 refused Finished.');
  await bulk.getByRole('button', { name: 'Done' }).click();
  await expect(rows().filter({ hasText: 'bulk.a@example.org' })).toContainText('INACTIVE');
  await expect(rows().filter({ hasText: 'bulk.c@example.org' })).toContainText('INACTIVE');
  await expect(rows().filter({ hasText: 'bulk.b@example.org' })).toContainText('ACTIVE');
  // The list still fits the screen with its boxes.
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide).toBeLessThanOrEqual(1366);
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('import: a dry run row by row, then the import, and the same file again changes nothing', async () => {
  const csv = [
    'email,first_name,last_name,language,admin_notes',
    'imp.one@example.org,Ina,One,en,From the old panel',
    'imp.two@example.org,Ivo,Two,uk,',
    'not-an-email,Bad,Row,en,',
    'imp.three@example.org,Ida,"Three, Jr.",en,',
  ].join('\n');
  const upload = { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };
  await open(page, '/admin/users');
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const imp = dialog('Import users');
  await imp.getByLabel('CSV file').setInputFiles(upload);
  await expect(imp.getByTestId('import-status')).toHaveText('Dry run: 3 to create, 0 to update, 0 unchanged, 1 refused. Nothing is written yet.');
  const bad = imp.getByRole('row').filter({ hasText: 'not-an-email' });
  await expect(bad).toContainText('4');
  await expect(bad).toContainText('Refused');
  await expect(bad).toContainText('email:');
  await expect(imp.getByRole('row').filter({ hasText: 'imp.one@example.org' })).toContainText('New user, invited');
  // Nothing written yet.
  let found = await (await page.request.post('/api/users/list', { form: { q: 'imp.' } })).json();
  expect(found.total).toBe(0);
  await imp.getByRole('button', { name: 'Import 3 rows' }).click();
  await expect(imp.getByTestId('import-status')).toHaveText('Imported: 3 created, 0 updated, 0 unchanged, 1 refused.');
  await expect(imp.getByRole('progressbar', { name: 'Progress' })).toHaveAttribute('value', '1');
  await imp.getByRole('button', { name: 'Done' }).click();
  await expect(imp).toBeHidden();
  await open(page, '/admin/users?q=imp.');
  await expect(rows()).toHaveCount(3);
  await expect(rows().filter({ hasText: 'imp.three@example.org' })).toContainText('INVITED');
  // The same file again: nothing to import.
  await page.getByRole('button', { name: 'Import CSV' }).click();
  await imp.getByLabel('CSV file').setInputFiles(upload);
  await expect(imp.getByTestId('import-status')).toHaveText('Dry run: 0 to create, 0 to update, 3 unchanged, 1 refused. Nothing is written yet.');
  await expect(imp.getByRole('button', { name: /^Import \d+ rows$/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(imp).toBeHidden();
});

test('screenshots for the README: the table and the create modal, wide and on a phone', async () => {
  await open(page, '/admin/users');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: '../docs/screenshots/users-table.png' });
  await page.getByRole('button', { name: '+ Create' }).click();
  await dialog('Create User').getByLabel('Email', { exact: true }).fill('new.user@example.com');
  await page.screenshot({ path: '../docs/screenshots/create-user.png' });
  await page.keyboard.press('Escape');
  await open(page, '/admin/users?q=ann.lee');
  await page.getByRole('button', { name: 'Edit Ann.Lee@Example.com' }).click();
  await expect(dialog(/Edit User/).getByLabel('Firstname')).toHaveValue('Ann');
  await page.screenshot({ path: '../docs/screenshots/edit-user.png', fullPage: true });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'View clients of Ann.Lee@Example.com' }).click();
  await expect(dialog('User Clients').locator('.badge', { hasText: 'OWNER' })).toBeVisible();
  await page.screenshot({ path: '../docs/screenshots/user-clients.png' });
  await page.keyboard.press('Escape');
  await open(page, '/admin/users');
  await page.setViewportSize({ width: 375, height: 812 });
  await expect(rows().first()).toBeVisible();
  // Nothing runs off the side of a phone screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: '../docs/screenshots/users-phone.png' });
  await page.setViewportSize({ width: 1280, height: 800 });
});
