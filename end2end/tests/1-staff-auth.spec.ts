import { expect, test } from '@playwright/test';
import { continuePastRecoveryCodes, open, setupLinkFromLog, signInWithPassword, totpCode } from '../pages/helpers';

// One story, in order: first-run setup, forced enrolment, sign-in with codes, sign-out.
test.describe.configure({ mode: 'serial' });

const email = 'admin@roster.example';
const password = 'violet tractor under seven lanterns';
let secret = '';
let enrolmentCode = '';

test('the setup link refuses a weak password and creates the first staff member', async ({ page }) => {
  const link = setupLinkFromLog();
  await open(page, link);
  await expect(page.getByRole('heading', { name: 'Create the first staff account' })).toBeVisible();

  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create staff account' }).click();
  await expect(page.getByText('Enter a valid email address')).toBeVisible();
  await expect(page.getByText('Password must be at least 12 characters.')).toBeVisible();

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('password1234');
  await page.getByRole('button', { name: 'Create staff account' }).click();
  await expect(page.getByText('too easy to guess')).toBeVisible();

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create staff account' }).click();
  await expect(page.getByRole('status')).toContainText('The staff account was created');
});

test('the setup link works only once', async ({ page }) => {
  await open(page, setupLinkFromLog());
  await expect(page.getByRole('alert')).toContainText('no longer valid');
  await expect(page.getByLabel('Email')).toHaveCount(0);
});

test('admin pages without a session go to sign-in', async ({ page }) => {
  await page.goto('/admin/users');
  await expect(page).toHaveURL(/\/admin\/login$/);
});

test('a wrong password is refused without saying whether the email exists', async ({ page }) => {
  await signInWithPassword(page, email, 'wrong password entirely');
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
  await signInWithPassword(page, 'nobody@roster.example', 'wrong password entirely');
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
});

test('first sign-in forces TOTP enrolment with a QR code, then lands in the admin shell', async ({ page }) => {
  await signInWithPassword(page, email, password);
  await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  await page.getByLabel('Authentication code').fill('000000' === totpCode(secret) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not valid');

  enrolmentCode = totpCode(secret);
  await page.getByLabel('Authentication code').fill(enrolmentCode);
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  const codes = await continuePastRecoveryCodes(page);
  expect(codes[0]).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);

  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  const menu = page.getByRole('navigation', { name: 'Main menu' });
  await expect(menu.getByRole('link', { name: 'Manage Users' })).toBeVisible();
  await expect(menu.getByRole('link', { name: 'Manage Clients' })).toBeVisible();
  await expect(page.getByText('Manage staff')).toBeVisible();
});

test('a replayed code is refused, a wrong code is refused, the next code works; sign-out ends the session', async ({ page }) => {
  await signInWithPassword(page, email, password);
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();

  await page.getByLabel('Authentication code').fill(enrolmentCode);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText(/already used|not valid/);

  await page.getByLabel('Authentication code').fill('12345');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Enter the 6-digit code from your app, or a recovery code')).toBeVisible();

  // The next step's code is inside the ±1 step window and newer than the used one.
  await page.getByLabel('Authentication code').fill(totpCode(secret, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  const before = await page.request.post('/api/auth/staff/me');
  expect(before.status()).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login$/);
  const after = await page.request.post('/api/users/list');
  expect(after.status()).toBe(401);
  expect((await after.json()).message).toContain('not signed in');
});
