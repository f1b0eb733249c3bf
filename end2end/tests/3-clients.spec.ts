import { Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import { createStaff, enrolAndSignIn, landed, open } from '../pages/helpers';

// Manage Clients and the client's Users tab, as a staff member uses them.
test.describe.configure({ mode: 'serial' });

const staffEmail = 'clients-admin@roster.example';
const staffPassword = 'granite harbour beneath the willow';
let context: BrowserContext;
let page: Page;

const dialog = (name: string | RegExp) => page.getByRole('dialog', { name });
const toast = () => page.locator('.toasts');
/** A client's Profile tab after a save: the page again, saying so. */
const saved = (p: Page = page) => p.getByRole('status').filter({ hasText: 'Client saved' });
const profileUrl = /\/admin\/clients\/[0-9a-f-]{36}(\?saved=1)?$/;
/** Open a tab of a client's page: a link, so a page load, ready once its island hydrated. */
async function openTab(name: 'Profile' | 'Users' | 'Activity') {
  await page.getByRole('navigation', { name: 'Client' }).getByRole('link', { name, exact: true }).click();
  await landed(page, name === 'Profile' ? profileUrl : new RegExp(`\\?tab=${name.toLowerCase()}$`));
  await expect(page.getByRole('navigation', { name: 'Client' }).getByRole('link', { name, exact: true })).toHaveAttribute('aria-current', 'page');
}

async function apiUser(email: string, first: string, last: string) {
  const r = await page.request.post('/api/users/create', {
    form: { email, password: 'violet tractor under seven lanterns', first_name: first, last_name: last },
  });
  expect(r.status(), await r.text()).toBe(200);
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  createStaff(staffEmail, staffPassword);
  context = await browser.newContext();
  page = await context.newPage();
  await enrolAndSignIn(page, staffEmail, staffPassword);
  await apiUser('olga.owner@example.com', 'Olga', 'Owner');
  await apiUser('hal.helper@example.com', 'Hal', 'Helper');
});

test.afterAll(async () => {
  await context.close();
});

test('create a client; a duplicate tax ID is refused by its field', async () => {
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Manage Clients' }).click();
  await expect(page.getByRole('heading', { name: 'Manage Clients' })).toBeVisible();
  await page.getByRole('button', { name: '+ Create' }).click();
  let d = dialog('Create Client');
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d.getByText('Firstname is required.')).toBeVisible();
  await d.getByLabel('Firstname').fill('Pat');
  await d.getByLabel('Lastname').fill('Doe');
  await d.getByLabel('Company Name').fill('Acme Hosting Ltd');
  await d.getByLabel('Tax ID').fill('gb 123 456');
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(toast()).toContainText('Client Acme Hosting Ltd created');
  await expect(page.getByRole('row', { name: /Acme Hosting Ltd/ })).toContainText('GB123456');

  await page.getByRole('button', { name: '+ Create' }).click();
  d = dialog('Create Client');
  await d.getByLabel('Firstname').fill('Copy');
  await d.getByLabel('Lastname').fill('Cat');
  await d.getByLabel('Tax ID').fill('GB123456');
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d.getByText('Another client already has this tax ID.')).toBeVisible();
  await page.keyboard.press('Escape');
});

test('search and sort clients, with both in the URL', async () => {
  const r = await page.request.post('/api/clients/create', { form: { first_name: 'Zed', last_name: 'Alpha', company_name: 'Beta Web' } });
  expect(r.status()).toBe(200);
  await open(page, '/admin/clients');
  const rows = page.locator('table.clients tbody tr');
  // Other tests add clients too: check the order of ours, not the whole list.
  const position = async (text: string) => (await rows.allInnerTexts()).findIndex((t) => t.includes(text));
  await expect(rows.filter({ hasText: 'Beta Web' })).toHaveCount(1);
  expect(await position('Acme Hosting Ltd')).toBeLessThan(await position('Beta Web'));
  await page.getByRole('button', { name: 'Company Name' }).click();
  await expect(page).toHaveURL(/sort=company&dir=desc/);
  await expect(page.getByRole('columnheader', { name: /Company Name/ })).toHaveAttribute('aria-sort', 'descending');
  expect(await position('Beta Web')).toBeLessThan(await position('Acme Hosting Ltd'));
  await page.getByRole('button', { name: 'Client', exact: true }).click();
  await expect(page).toHaveURL(/sort=name&dir=asc/);
  await expect(page.getByRole('columnheader', { name: /Client/ })).toHaveAttribute('aria-sort', 'ascending');
  expect(await position('Zed Alpha')).toBeLessThan(await position('Pat Doe'));
  await page.getByLabel('Search clients').fill('acme');
  await expect(page).toHaveURL(/q=acme/);
  await expect(rows).toHaveCount(1);
  await page.getByLabel('Search clients').fill('nothing-like-this');
  await expect(page.getByText('No clients match “nothing-like-this”.')).toBeVisible();
});

test('associate two users, move ownership, refuse removing the owner, edit permissions', async () => {
  await open(page, '/admin/clients?q=acme');
  await page.getByRole('link', { name: 'Pat Doe' }).click();
  await landed(page, profileUrl);
  await expect(page.getByRole('heading', { name: 'Acme Hosting Ltd' })).toBeVisible();
  // Profile (a plain form: a save is a page load): edit and save, then the Users tab.
  await page.getByLabel('Company Name').fill('Acme Hosting Group');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(saved()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Acme Hosting Group' })).toBeVisible();
  await page.getByLabel('Company Name').fill('Acme Hosting Ltd');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Hosting Ltd' })).toBeVisible();
  await openTab('Users');
  await expect(page.getByText('No users yet.')).toBeVisible();

  // The first user becomes the owner.
  await page.getByRole('button', { name: '+ Associate User' }).click();
  let d = dialog('Associate User');
  await d.getByLabel('Find a user').fill('olga');
  await d.getByRole('button', { name: /olga.owner@example.com/ }).click();
  await d.getByRole('button', { name: 'Associate' }).click();
  await expect(toast()).toContainText('User associated as the owner');
  const olga = page.getByRole('row', { name: /olga.owner/ });
  await expect(olga.locator('.badge', { hasText: 'OWNER' })).toBeVisible();

  await page.getByRole('button', { name: '+ Associate User' }).click();
  d = dialog('Associate User');
  await d.getByLabel('Find a user').fill('hal.helper');
  await d.getByRole('button', { name: /hal.helper@example.com/ }).click();
  await d.getByLabel('Manage domains').check();
  await d.getByLabel('Manage invoices').check();
  await d.getByRole('button', { name: 'Associate' }).click();
  const hal = page.getByRole('row', { name: /hal.helper/ });
  await expect(hal).toContainText('Manage domains, Manage invoices');

  await page.getByRole('button', { name: 'Edit permissions of hal.helper@example.com' }).click();
  d = dialog(/Permissions/);
  await d.getByLabel('Manage invoices').uncheck();
  await d.getByLabel('Manage orders').check();
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(hal).toContainText('Manage domains, Manage orders');

  await page.getByRole('button', { name: 'Make hal.helper@example.com the owner' }).click();
  await expect(toast()).toContainText('Ownership moved');
  await expect(hal.locator('.badge', { hasText: 'OWNER' })).toBeVisible();
  await expect(olga.locator('.badge', { hasText: 'OWNER' })).toHaveCount(0);
  await expect(olga).toContainText('Manage users');

  await page.getByRole('button', { name: 'Remove hal.helper@example.com' }).click();
  await expect(page.getByRole('alert')).toContainText('The owner cannot be removed');
});

test('an email nobody has is invited from the Users tab; the offer waits there and can be withdrawn', async () => {
  await open(page, '/admin/clients?q=acme');
  await page.getByRole('link', { name: 'Pat Doe' }).click();
  await landed(page, profileUrl);
  await openTab('Users');
  await page.getByRole('button', { name: '+ Associate User' }).click();
  const d = dialog('Associate User');
  await d.getByLabel('Find a user').fill('nina.newcomer@example.com');
  await expect(d.getByText('No user has the email nina.newcomer@example.com.')).toBeVisible();
  await d.getByRole('button', { name: 'Invite nina.newcomer@example.com by email' }).click();
  await expect(d.getByText('will be invited by email and associated once they accept')).toBeVisible();
  await d.getByLabel('Manage support tickets').check();
  await d.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(toast()).toContainText('Invitation sent');
  await expect(page.getByRole('heading', { name: 'Invited, not accepted yet' })).toBeVisible();
  const nina = page.getByRole('row', { name: /nina\.newcomer/ });
  await expect(nina).toContainText('Manage support tickets');
  await expect(nina.locator('.badge', { hasText: 'INVITED' })).toBeVisible();
  // Not a member until she accepts.
  await expect(page.getByRole('button', { name: 'Remove nina.newcomer@example.com' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Cancel the invitation of nina.newcomer@example.com' }).click();
  await expect(toast()).toContainText('Invitation cancelled');
  await expect(nina).toHaveCount(0);
  // She stays a user, INVITED, for Manage Users to resend or delete.
  await open(page, '/admin/users?q=nina.newcomer');
  await expect(page.getByRole('row', { name: /nina\.newcomer/ }).getByText('INVITED', { exact: true })).toBeVisible();
});

test('the users table counter and the clients modal follow', async () => {
  await open(page, '/admin/users?q=hal.helper');
  const row = page.locator('table.users tbody tr').first();
  await expect(row.locator('.count')).toHaveText('1');
  await page.getByRole('button', { name: 'View clients of hal.helper@example.com' }).click();
  const d = dialog('User Clients');
  await expect(d.getByRole('cell', { name: 'Acme Hosting Ltd' })).toBeVisible();
  await expect(d.locator('.badge', { hasText: 'OWNER' })).toBeVisible();
  await d.getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: 'Acme Hosting Ltd' })).toBeVisible();

  await openTab('Users');
  await page.getByRole('button', { name: 'Remove olga.owner@example.com' }).click();
  await expect(toast()).toContainText('User removed from the client');
  await open(page, '/admin/users?q=olga');
  await expect(page.locator('table.users tbody tr').first().locator('.count')).toHaveText('0');
});

test("a client's tab is in its URL; a save made elsewhere meanwhile is refused, not overwritten", async () => {
  const made = await page.request.post('/api/clients/create', { form: { first_name: 'Tab', last_name: 'Keeper', company_name: 'Tabs Ltd' } });
  expect(made.status()).toBe(200);
  const url = `/admin/clients/${(await made.json()).id}`;
  await open(page, url);
  await landed(page, profileUrl);
  await page.getByLabel('Company Name').fill('Tabs Group');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Tabs Group' })).toBeVisible();

  // The Activity tab lists the change; a reload and a shared link land on it again.
  await openTab('Activity');
  await expect(page.getByRole('cell', { name: 'client.updated' })).toBeVisible();
  await page.reload();
  await landed(page, /\?tab=activity$/);
  await expect(page.getByRole('cell', { name: 'client.updated' })).toBeVisible();
  const other = await context.newPage();
  await other.goto(`${url}?tab=users`);
  await expect(other.getByRole('navigation', { name: 'Client' }).getByRole('link', { name: 'Users', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(other.getByText('No users yet.')).toBeVisible();
  // A tab the page does not know, or markup in its place, opens Profile and runs nothing.
  await other.goto(`${url}?tab=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E`);
  await expect(other.getByLabel('Company Name')).toHaveValue('Tabs Group');
  await expect(other.locator('img[src="x"]')).toHaveCount(0);

  // Two pages open on the same profile: the second save names a version that is gone.
  await other.goto(url);
  await landed(other, profileUrl);
  await openTab('Profile');
  await page.getByLabel('Company Name').fill('Tabs First');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Tabs First' })).toBeVisible();
  await other.getByLabel('Company Name').fill('Tabs Second');
  await other.getByRole('button', { name: 'Save' }).click();
  await expect(other.getByRole('alert')).toContainText('changed by someone else');
  // What was typed stays in the form, unsaved.
  await expect(other.getByLabel('Company Name')).toHaveValue('Tabs Second');
  await other.close();
  await page.reload();
  await landed(page, profileUrl);
  await expect(page.getByRole('heading', { name: 'Tabs First' })).toBeVisible();
  // Saved twice in a row from one page: the page follows its own new version.
  await page.getByLabel('Tax ID').fill('TB-1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(saved()).toBeVisible();
  await expect(page.getByLabel('Tax ID')).toHaveValue('TB-1');
  // Enter in a field saves, as the form's first button is Save.
  await page.getByLabel('Tax ID').fill('TB-2');
  await page.getByLabel('Tax ID').press('Enter');
  await expect(page.getByLabel('Tax ID')).toHaveValue('TB-2');
  await expect(saved()).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('Tax ID')).toHaveValue('TB-2');

  // Delete client asks first; Cancel keeps it, Delete removes it and lands on the list.
  await page.getByRole('link', { name: 'Delete client' }).click();
  await expect(page.getByRole('heading', { name: 'Delete Client' })).toBeVisible();
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.getByLabel('Tax ID')).toHaveValue('TB-2');
  await page.getByRole('link', { name: 'Delete client' }).click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await landed(page, /\/admin\/clients$/);
  await page.getByLabel('Search clients').fill('TB-2');
  await expect(page.getByText('No clients match “TB-2”.')).toBeVisible();
});
