import { AxeBuilder } from '@axe-core/playwright';
import { Browser, BrowserContext, Page, expect, test } from '@playwright/test';
import { createStaff, enrolAndSignIn, landed, open } from '../pages/helpers';

// Accessibility measured, not assumed: axe-core (WCAG 2.x A and AA rules) on every page and
// every open modal, in the light and the dark theme. Asserted: no serious or critical
// violation. Every violation found, of any impact, is printed for the record.
test.describe.configure({ mode: 'serial' });

const email = 'axe@roster.example';
const password = 'amber lighthouse above the reef';
let staff: BrowserContext;
let clientId = '';

async function audit(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  for (const v of result.violations) {
    console.log(`[axe] ${what}: ${v.id} (${v.impact}) × ${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id} × ${v.nodes.length}`), what).toEqual([]);
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  createStaff(email, password);
  staff = await browser.newContext();
  const page = await staff.newPage();
  await enrolAndSignIn(page, email, password);
  // Rows in every state a pill shows: NEW, ACTIVE, INACTIVE, INVITED, 2FA pending.
  const post = async (path: string, form: Record<string, string>) => {
    const r = await page.request.post(path, { form });
    expect(r.status(), await r.text()).toBe(200);
    return r.json();
  };
  for (let i = 0; i < 4; i++) {
    await post('/api/users/create', {
      email: `axe.user${i}@example.com`, password: 'violet tractor under seven lanterns',
      first_name: 'Axe', last_name: `User${i}`, two_factor: i % 2 ? 'true' : 'false', send_verification: 'false',
    });
  }
  await post('/api/users/create', { email: 'axe.invited@example.com', first_name: 'Axe', last_name: 'Invited', invite: 'true' });
  const client = await post('/api/clients/create', { first_name: 'Ada', last_name: 'Axe', company_name: 'Axe Audits Ltd' });
  clientId = client.id;
  // Two members (the owner, and one whose permissions a modal edits) and a waiting offer.
  const users = (await post('/api/users/list', { q: 'axe.user' })).rows as { id: string; email: string }[];
  for (const email of ['axe.user1@example.com', 'axe.user3@example.com']) {
    const user = users.find((u) => u.email === email)!;
    await post('/api/clients/associate', { client_id: clientId, user_id: user.id, permissions: 'manage-domains' });
  }
  await post('/api/clients/invite', { client_id: clientId, email: 'axe.offer@example.com', permissions: '' });
});

test.afterAll(async () => {
  await staff.close();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`admin pages and their modals in the ${scheme} theme`, async () => {
    const page = await staff.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    // Manage Users also with its filters open (a filter is set).
    const pages = ['/admin', '/admin/users', '/admin/users?signed_in=never&created_from=2020-01-01', '/admin/clients', `/admin/clients/${clientId}`, `/admin/clients/${clientId}?tab=users`, `/admin/clients/${clientId}?tab=activity`, '/admin/staff', '/admin/audit', '/admin/mail', '/admin/me'];
    for (const path of pages) {
      await open(page, path);
      await audit(page, `${scheme} ${path}`);
    }
    await open(page, '/admin/users?q=axe.');
    await page.getByRole('button', { name: '+ Create' }).click();
    await expect(page.getByRole('dialog', { name: 'Create User' })).toBeVisible();
    await audit(page, `${scheme} Create User`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Edit axe.invited@example.com' }).click();
    await expect(page.getByRole('dialog').getByRole('button', { name: 'Resend invitation' })).toBeVisible();
    await audit(page, `${scheme} Edit User`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Delete axe.user0@example.com' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await audit(page, `${scheme} Delete User`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'View clients of axe.user1@example.com' }).click();
    await expect(page.getByRole('dialog', { name: 'User Clients' })).toBeVisible();
    await audit(page, `${scheme} User Clients`);
    await page.keyboard.press('Escape');
    // Bulk actions: the choice, then a run's result (nothing to end: a refusal listed).
    await page.getByRole('checkbox', { name: 'Select axe.user0@example.com' }).check();
    await page.getByRole('button', { name: 'Bulk actions' }).click();
    const bulk = page.getByRole('dialog', { name: 'Bulk actions' });
    await expect(bulk.getByRole('radio', { name: 'The 1 ticked users' })).toBeChecked();
    await audit(page, `${scheme} Bulk actions`);
    await bulk.getByLabel('Action').selectOption({ label: 'End sessions' });
    await bulk.getByRole('button', { name: 'Apply' }).click();
    await expect(bulk.getByTestId('bulk-status')).toHaveText('0 done, 1 refused Finished.');
    await audit(page, `${scheme} Bulk actions result`);
    await page.keyboard.press('Escape');

    await open(page, '/admin/clients');
    await page.getByRole('button', { name: '+ Create' }).click();
    await expect(page.getByRole('dialog', { name: 'Create Client' })).toBeVisible();
    await audit(page, `${scheme} Create Client`);
    await page.keyboard.press('Escape');

    await open(page, `/admin/clients/${clientId}?tab=users`);
    await page.getByRole('button', { name: '+ Associate User' }).click();
    await page.getByRole('dialog').getByLabel('Find a user').fill('axe.');
    await expect(page.getByRole('dialog').getByRole('button', { name: /axe\.user0/ })).toBeVisible();
    await audit(page, `${scheme} Associate User`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Permissions of axe.user3@example.com' }).or(page.getByRole('button', { name: 'Edit permissions of axe.user3@example.com' })).click();
    await expect(page.getByRole('dialog', { name: /Permissions/ })).toBeVisible();
    await audit(page, `${scheme} Permissions`);
    await page.keyboard.press('Escape');

    await open(page, '/admin/staff');
    await page.getByRole('button', { name: '+ Add staff member' }).click();
    await expect(page.getByRole('dialog', { name: 'Add staff member' })).toBeVisible();
    await audit(page, `${scheme} Add staff member`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: `Edit ${email}` }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await audit(page, `${scheme} Edit staff member`);
    await page.keyboard.press('Escape');

    // Sign in as a user: the reason dialog, then /account under the support banner.
    await open(page, '/admin/users?q=axe.');
    await page.getByRole('button', { name: 'Sign in as axe.user1@example.com' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in as axe.user1@example.com' });
    await expect(dialog).toBeVisible();
    await audit(page, `${scheme} Sign in as`);
    await dialog.getByLabel('Reason').fill(`Accessibility check, ${scheme} theme`);
    await dialog.getByRole('button', { name: 'Sign in as axe.user1@example.com' }).click();
    const banner = page.getByRole('region', { name: 'Signed in as this user' });
    await expect(banner).toBeVisible();
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await audit(page, `${scheme} /account signed in as a user`);
    await banner.getByRole('button', { name: 'End' }).click();
    await expect(page).toHaveURL(/\/admin\/users$/);
    await page.close();
  });

  test(`sign-in pages and /account in the ${scheme} theme`, async ({ browser }) => {
    const ctx = await browser.newContext({ colorScheme: scheme });
    const page = await ctx.newPage();
    for (const path of ['/login', '/login/forgot', '/admin/login', '/admin/login/forgot', '/accept-invitation?token=x', '/verify-email?token=x']) {
      await page.goto(path);
      await audit(page, `${scheme} ${path}`);
    }
    await page.goto('/login');
    await page.getByLabel('Email').fill('axe.user0@example.com');
    await page.getByLabel('Password', { exact: true }).fill('violet tractor under seven lanterns');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').or(page.getByRole('heading', { name: /account/i }))).toBeVisible();
    await audit(page, `${scheme} /login after a refusal or /account`);
    await ctx.close();
  });
}

for (const width of [1280, 1366]) {
  test(`the lists fit a ${width} px wide screen with their row actions in view`, async () => {
    const page = await staff.newPage();
    await page.setViewportSize({ width, height: 800 });
    // The widest rows a list has: a long name and a long email.
    const r = await page.request.post('/api/users/create', {
      form: {
        email: `maximiliana.wide.${width}@very-long-subdomain.customer-hosting-company.example`,
        password: 'violet tractor under seven lanterns', first_name: 'Maximiliana Josefina',
        last_name: 'Wolfeschlegelsteinhausen', phone: `+44 20 7946 0${width % 1000}`, send_verification: 'false',
      },
    });
    expect(r.status(), await r.text()).toBe(200);
    for (const path of ['/admin/users', '/admin/users?signed_in=never', '/admin/clients', '/admin/staff']) {
      await open(page, path);
      // Nor does the page around it (the filters' form included).
      const page_overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(page_overflow, `${path}: the page fits`).toBeLessThanOrEqual(0);
      const wrap = page.locator('.table-wrap').first();
      await expect(wrap).toBeVisible();
      const { scroll, client } = await wrap.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
      console.log(`[fit] ${path} at ${width} px: table ${scroll} px in ${client} px`);
      expect(scroll, `${path}: no sideways scrolling`).toBeLessThanOrEqual(client);
      const last = wrap.locator('tbody tr').first().locator('td').last();
      const box = (await last.boundingBox())!;
      expect(box.x + box.width, `${path}: the row actions are in view`).toBeLessThanOrEqual(width);
    }
    await page.close();
  });
}
