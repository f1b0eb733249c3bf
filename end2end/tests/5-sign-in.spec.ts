import { APIRequestContext, Browser, BrowserContext, Page, expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { landed, confirmEnrolment, continuePastRecoveryCodes, createStaff, enrolAndSignIn, open, remember, rememberCookies, totpCode, userPasswordStep } from '../pages/helpers';

// The seed's troubleshooting, made true: account states, lockout, 2FA as staff switch it,
// recovery codes, and /login and /account in the user's language.
test.describe.configure({ mode: 'serial' });

const password = 'violet tractor under seven lanterns';
let staff: APIRequestContext;
let staffContext: BrowserContext;

async function post(path: string, form: Record<string, string>) {
  const r = await staff.post(path, { form });
  expect(r.status(), `${path}: ${await r.text()}`).toBe(200);
  return r.json();
}

/** A user as staff make one: verified email, the given language and 2FA switch. */
async function newUser(email: string, opts: { language?: string; twoFactor?: boolean; status?: string } = {}) {
  // Staff verify the email by hand just below: no verification link is mailed.
  const u = await post('/api/users/create', { email, password, first_name: 'Tess', last_name: 'Tester', send_verification: 'false' });
  await post('/api/users/update', {
    id: u.id, version: String(u.version), email, first_name: 'Tess', last_name: 'Tester',
    language: opts.language ?? 'en', status: opts.status ?? 'NEW', email_verified: 'true',
    two_factor: opts.twoFactor ? 'true' : 'false',
  });
  return u.id as string;
}

async function staffPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ storageState: await staffContext.storageState() })).newPage();
}

const passwordStep = (page: Page, email: string, pw = password) =>
  userPasswordStep(page, email, pw);

test.beforeAll(async ({ browser }) => {
  createStaff('signin-admin@roster.example', 'quiet copper lantern over the bay');
  staffContext = await browser.newContext();
  const page = await staffContext.newPage();
  await enrolAndSignIn(page, 'signin-admin@roster.example', 'quiet copper lantern over the bay');
  staff = staffContext.request;
});

test('NEW becomes ACTIVE at the first sign-in; INACTIVE is refused', async ({ page, browser }) => {
  const id = await newUser('nell.new@example.com');
  const admin = await staffPage(browser);
  await open(admin, '/admin/users?q=nell.new');
  await expect(admin.getByRole('row', { name: /nell\.new/ })).toContainText('NEW');

  await passwordStep(page, 'nell.new@example.com');
  await landed(page, /\/account$/);
  await admin.reload();
  const row = admin.getByRole('row', { name: /nell\.new/ });
  await expect(row).toContainText('ACTIVE');
  await expect(row).toContainText('127.0.0.1'); // last sign-in address

  const u = await post('/api/users/get', { id });
  await post('/api/users/update', {
    id, version: String(u.version), email: u.email, first_name: u.first_name, last_name: u.last_name,
    language: 'en', status: 'INACTIVE', email_verified: 'true',
  });
  // deactivation ended the session
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page).toHaveURL(/\/login$/);
  await passwordStep(page, 'nell.new@example.com');
  await expect(page.getByRole('alert')).toHaveText('This account is inactive. Contact an administrator.');
  await admin.context().close();
});

test('ten wrong passwords lock the account; staff unlock it from Edit', async ({ page, browser }) => {
  await newUser('lee.locked@example.com');
  await open(page, '/login');
  await page.getByLabel('Email').fill('lee.locked@example.com');
  for (let i = 0; i < 10; i++) {
    await page.getByLabel('Password', { exact: true }).fill(`wrong guess number ${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
  }
  // a wrong password is answered the same for every account: nothing tells a guesser the email is real
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
  // the right password does not get in while locked, and says why
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Too many failed attempts');

  const admin = await staffPage(browser);
  await open(admin, '/admin/users?q=lee.locked');
  await expect(admin.getByRole('row', { name: /lee\.locked/ })).toContainText('LOCKED');
  await admin.getByRole('button', { name: 'Edit lee.locked@example.com' }).click();
  await admin.getByRole('dialog').getByRole('button', { name: 'Unlock' }).click();
  await expect(admin.getByRole('dialog').getByRole('button', { name: 'Unlock' })).toHaveCount(0);
  await admin.keyboard.press('Escape');
  await expect(admin.getByRole('row', { name: /lee\.locked/ })).not.toContainText('LOCKED');

  // The refused form kept the email, never the password.
  await expect(page.getByLabel('Email')).toHaveValue('lee.locked@example.com');
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await landed(page, /\/account$/);
  await admin.context().close();
});

test('2FA switched on by staff: forced enrolment, codes work once, a recovery code works once; switched off: password alone, then enrol again from /account', async ({ browser }) => {
  await newUser('tara.totp@example.com');
  const admin = await staffPage(browser);
  await open(admin, '/admin/users?q=tara.totp');
  await expect(admin.getByRole('row', { name: /tara\.totp/ }).getByText('2FA off')).toBeVisible();
  await admin.getByRole('button', { name: 'Edit tara.totp@example.com' }).click();
  await admin.getByRole('dialog').getByLabel('2FA').check();
  await admin.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByRole('dialog')).toHaveCount(0);
  await expect(admin.getByRole('row', { name: /tara\.totp/ }).getByText('2FA pending')).toBeVisible();

  // Forced enrolment: the QR code and the key, confirmed by one code; no way around it.
  const ctx1 = await browser.newContext();
  const p1 = await ctx1.newPage();
  await passwordStep(p1, 'tara.totp@example.com');
  await expect(p1.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible();
  await expect(p1.getByRole('img', { name: 'QR code for your authenticator app' }).locator('svg')).toBeVisible();
  expect((await p1.request.post('/api/account/me')).status()).toBe(401);
  const secret = (await p1.getByTestId('totp-secret').textContent()) ?? '';
  remember(secret, password);
  await p1.getByLabel('Authentication code').fill(totpCode(secret));
  await p1.getByRole('button', { name: 'Confirm and sign in' }).click();
  const codes = await continuePastRecoveryCodes(p1);
  await landed(p1, /\/account$/);
  await expect(p1.getByTestId('two-factor-state')).toContainText('On · Recovery codes left: 10');
  // staff switched it on, so the user cannot switch it off
  await expect(p1.getByRole('button', { name: 'Turn off two-factor authentication' })).toHaveCount(0);
  await admin.reload();
  await expect(admin.getByRole('row', { name: /tara\.totp/ }).getByText('2FA on')).toBeVisible();

  // The next code signs in; the same code again is a replay and is refused.
  const next = totpCode(secret, 1);
  const ctx2 = await browser.newContext();
  const p2 = await ctx2.newPage();
  await passwordStep(p2, 'tara.totp@example.com');
  await p2.getByLabel('Authentication code').fill(next);
  await p2.getByRole('button', { name: 'Verify' }).click();
  await landed(p2, /\/account$/);
  const ctx3 = await browser.newContext();
  const p3 = await ctx3.newPage();
  await passwordStep(p3, 'tara.totp@example.com');
  await p3.getByLabel('Authentication code').fill(next);
  await p3.getByRole('button', { name: 'Verify' }).click();
  await expect(p3.getByRole('alert')).toHaveText('That code was already used. Wait for the next code and enter it.');

  // A recovery code instead: it works once.
  await p3.getByLabel('Authentication code').fill(codes[0]);
  await p3.getByRole('button', { name: 'Verify' }).click();
  await landed(p3, /\/account$/);
  await rememberCookies(p3);
  await expect(p3.getByTestId('two-factor-state')).toContainText('Recovery codes left: 9');
  const ctx4 = await browser.newContext();
  const p4 = await ctx4.newPage();
  await passwordStep(p4, 'tara.totp@example.com');
  await p4.getByLabel('Authentication code').fill(codes[0]);
  await p4.getByRole('button', { name: 'Verify' }).click();
  await expect(p4.getByRole('alert')).toContainText('That code is not valid');

  // Staff switch 2FA off (the seed's lockout remedy): sessions end, password alone works.
  await admin.getByRole('button', { name: 'Edit tara.totp@example.com' }).click();
  await admin.getByRole('dialog').getByLabel('2FA').uncheck();
  await admin.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByRole('dialog')).toHaveCount(0);
  await expect(admin.getByRole('row', { name: /tara\.totp/ }).getByText('2FA off')).toBeVisible();
  await p1.reload();
  await expect(p1).toHaveURL(/\/login$/);
  await passwordStep(p4, 'tara.totp@example.com');
  await landed(p4, /\/account$/);
  await expect(p4.getByTestId('two-factor-state')).toHaveText('Off');

  // …and the user may enrol again from /account, and (their own choice) turn it off.
  await p4.getByRole('button', { name: 'Set up' }).click();
  const again = (await p4.getByTestId('totp-secret').textContent()) ?? '';
  expect(again).not.toBe(secret);
  await p4.getByLabel('Authentication code').fill(totpCode(again));
  await p4.getByRole('button', { name: 'Confirm' }).click();
  await continuePastRecoveryCodes(p4);
  await expect(p4.getByTestId('two-factor-state')).toContainText('On · Recovery codes left: 10');
  const card = p4.getByRole('region', { name: 'Two-factor authentication' });
  await card.getByRole('button', { name: 'Turn off two-factor authentication' }).click();
  await card.getByLabel('Current password').fill(password);
  await card.getByRole('button', { name: 'Turn off two-factor authentication' }).click();
  await expect(p4.getByTestId('two-factor-state')).toHaveText('Off');
  for (const c of [ctx1, ctx2, ctx3, ctx4]) await c.close();
  await admin.context().close();
});

test('/login speaks the browser\'s language and /account the user\'s', async ({ browser }) => {
  await newUser('uma.uk@example.com', { language: 'uk' });
  const ctx = await browser.newContext({ locale: 'de-DE' });
  const page = await ctx.newPage();
  await open(page, '/login');
  await expect(page.getByRole('heading', { name: 'Anmelden' })).toBeVisible();
  await page.getByLabel('E-Mail').fill('uma.uk@example.com');
  await page.getByLabel('Passwort').fill('falsches passwort hier');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('alert')).toHaveText('E-Mail oder Passwort ist falsch.');
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();

  // The account page follows the user's Language (Ukrainian), not the browser's.
  await landed(page, /\/account$/);
  await expect(page.getByRole('heading', { name: 'Ваш обліковий запис' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Ваші клієнти' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Вийти', exact: true })).toBeVisible();
  // a field error in the same language, and nothing saved
  await page.getByLabel("Ім'я").fill('');
  await page.getByRole('button', { name: 'Зберегти профіль' }).click();
  await expect(page.getByText("Вкажіть ім'я.")).toBeVisible();
  // choosing German switches the page
  await page.getByLabel("Ім'я").fill('Uma');
  await page.getByLabel('Мова').selectOption('de');
  await page.getByRole('button', { name: 'Зберегти профіль' }).click();
  await expect(page.getByRole('heading', { name: 'Ihr Konto' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Profil gespeichert.' })).toBeVisible();
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('heading', { name: 'Ihr Konto' })).toBeVisible();
  await expect(page.getByLabel('Vorname')).toHaveValue('Uma');
  await ctx.close();
});

test('staff sign in and enrol with JavaScript off: the sign-in page is plain forms', async ({ browser }) => {
  const email = 'jo.nojs@roster.example';
  const pw = 'maple orchard beyond the river';
  createStaff(email, pw, ['users-view']);
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto('/admin/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  await page.getByLabel('Password', { exact: true }).fill(pw);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  remember(secret, pw);
  // A wrong code: said so, and the same key to scan.
  await page.getByLabel('Authentication code').fill('000000');
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not valid');
  await expect(page.getByTestId('totp-secret')).toHaveText(secret);
  await page.getByLabel('Authentication code').fill(totpCode(secret));
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await continuePastRecoveryCodes(page);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  await ctx.close();
});

/** The mails the SMTP server on loopback received for `to` (.ci/e2e runs it), once there are `n`. */
async function mailsTo(to: string, n: number): Promise<{ subject: string; text: string; html: string }[]> {
  const dir = process.env.ROSTER_MAIL_DIR ?? '';
  expect(dir, 'ROSTER_MAIL_DIR: the SMTP sink of .ci/e2e').not.toBe('');
  let found: { subject: string; text: string; html: string; rcpt_tos: string[] }[] = [];
  await expect.poll(() => {
    found = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))
      .filter((m) => m.rcpt_tos.includes(to));
    return found.length;
  }, { timeout: 20_000 }).toBeGreaterThanOrEqual(n);
  return found;
}

test('forgot password: the link by mail sets a new password once, and 2FA is still asked for', async ({ browser }) => {
  const email = 'fay.forgot@example.com';
  await newUser(email, { twoFactor: true });
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await open(page, '/login');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('is on its way');

  const [mail] = await mailsTo(email, 1);
  expect(mail.subject).toBe('Reset your Roster password');
  const link = /https?:\/\/\S+\/login\/reset\?token=[A-Za-z0-9_-]+/.exec(mail.text)![0];
  remember(new URL(link).searchParams.get('token')!);
  const fresh = 'harbour lights over the slate roofs';
  remember(fresh);

  await page.goto(link);
  await page.getByLabel('New password').fill('password');
  await page.getByRole('button', { name: 'Choose a new password' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('New password').fill(fresh);
  await page.getByRole('button', { name: 'Choose a new password' }).click();
  await expect(page.getByRole('status')).toContainText('Sign in with the new password');

  // The link is spent.
  await page.goto(link);
  await expect(page.getByRole('alert')).toContainText('no longer valid');
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();

  // The old password no longer works; the new one does, and 2FA is still required.
  await passwordStep(page, email);
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
  await passwordStep(page, email, fresh);
  await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible();
  // And she was told her password changed.
  const [, notice] = await mailsTo(email, 2);
  expect(notice.subject).toBe('Your Roster password was changed');
  await ctx.close();
});

test('a new user confirms the email from the mailed link; staff send a password reset from Edit', async ({ browser }) => {
  const email = 'vera.verify@example.com';
  // As the Create modal sends it: the verification link on by default.
  await post('/api/users/create', { email, password, first_name: 'Vera', last_name: 'Verify' });
  const [mail] = await mailsTo(email, 1);
  expect(mail.subject).toBe('Confirm your email for Roster');
  const link = /https?:\/\/\S+\/verify-email\?token=[A-Za-z0-9_-]+/.exec(mail.text)![0];
  remember(new URL(link).searchParams.get('token')!);

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  // Unverified: sign-in is refused, as the seed's troubleshooting says.
  await passwordStep(page, email);
  await expect(page.getByRole('alert')).toBeVisible();
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByRole('status')).toContainText('Your email is confirmed');
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByRole('alert')).toContainText('no longer valid');
  await passwordStep(page, email);
  await landed(page, /\/account$/);

  const admin = await staffPage(browser);
  await open(admin, '/admin/users?q=vera.verify');
  await admin.getByRole('button', { name: `Edit ${email}` }).click();
  const dialog = admin.getByRole('dialog');
  await expect(dialog.getByRole('switch', { name: 'Email Verified' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Send password reset' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'A reset link was sent' })).toContainText(email);
  const [, reset] = await mailsTo(email, 2);
  expect(reset.subject).toBe('Reset your Roster password');
  remember(/token=([A-Za-z0-9_-]+)/.exec(reset.text)![1]);
  await ctx.close();
});

test('staff invite by email from Create; the invitation sets the password and 2FA is enrolled at the first sign-in', async ({ browser }) => {
  const email = 'ines.invited@example.com';
  const admin = await staffPage(browser);
  await open(admin, '/admin/users');
  await admin.getByRole('button', { name: '+ Create' }).click();
  const d = admin.getByRole('dialog', { name: 'Create User' });
  await d.getByRole('switch', { name: 'Invite by email' }).check();
  // No password here: the invited user chooses it.
  await expect(d.getByLabel('Password', { exact: true })).toHaveCount(0);
  await expect(d.getByRole('switch', { name: 'Send verification email' })).toHaveCount(0);
  await d.getByLabel('Email', { exact: true }).fill(email);
  await d.getByLabel('Firstname').fill('Ines');
  await d.getByLabel('Lastname').fill('Invited');
  await d.getByRole('switch', { name: '2FA' }).check();
  await d.getByRole('button', { name: 'Save and invite' }).click();
  await expect(d).toHaveCount(0);
  await open(admin, '/admin/users?q=ines.invited');
  await expect(admin.getByRole('row', { name: /ines\.invited/ }).getByText('INVITED', { exact: true })).toBeVisible();

  // Edit tells when it expires and can send it again (the first link is then void).
  await admin.getByRole('button', { name: `Edit ${email}` }).click();
  const edit = admin.getByRole('dialog');
  await expect(edit.getByRole('status').filter({ hasText: 'the invitation works until' })).toBeVisible();
  const [first] = await mailsTo(email, 1);
  expect(first.subject).toBe('You are invited to Roster');
  await edit.getByRole('button', { name: 'Resend invitation' }).click();
  await expect(edit.getByRole('status').filter({ hasText: 'A new invitation was sent' })).toContainText(email);
  await edit.getByRole('button', { name: 'Cancel' }).click();
  const [, mail] = await mailsTo(email, 2);
  const pattern = /https?:\/\/\S+\/accept-invitation\?token=[A-Za-z0-9_-]+/;
  const oldLink = pattern.exec(first.text)![0];
  const link = pattern.exec(mail.text)![0];
  remember(new URL(oldLink).searchParams.get('token')!, new URL(link).searchParams.get('token')!);
  const chosen = 'lantern moss beside the quiet ferry';
  remember(chosen);

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(oldLink);
  await expect(page.getByRole('alert')).toContainText('no longer valid');
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Accept the invitation' })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  await page.getByLabel('New password').fill('ines');
  await page.getByRole('button', { name: 'Accept the invitation' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('New password').fill(chosen);
  await page.getByRole('button', { name: 'Accept the invitation' }).click();
  await expect(page.getByRole('status')).toContainText('two-factor authentication');
  await page.getByRole('link', { name: 'Sign in' }).click();

  // The first sign-in: the password she chose, then the authenticator she sets up.
  await passwordStep(page, email, chosen);
  await confirmEnrolment(page);
  await landed(page, /\/account$/);
  await rememberCookies(page);

  // The link is spent; the table no longer says INVITED.
  await page.goto(link);
  await expect(page.getByRole('alert')).toContainText('no longer valid');
  await admin.reload();
  await expect(admin.getByRole('row', { name: /ines\.invited/ }).getByText('INVITED', { exact: true })).toHaveCount(0);
  await ctx.close();
});
