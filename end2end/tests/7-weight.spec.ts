import { Browser, BrowserContext, CDPSession, Page, expect, test } from '@playwright/test';
import { createStaff, enrolAndSignIn } from '../pages/helpers';

// What a first visit costs over the wire, counted by Chromium itself (every byte of every
// answer, headers included), and what a second visit costs once the browser has cached the
// content-hashed assets. Asserted: code arrives compressed and is not downloaded twice.
// Printed for docs/measurements.md, beside the budgets: bytes, files and time to hydration.
// Asserted on every admin page: at most 12 code files (the splitter merges its chunks) and
// 200 KB in all.
test.describe.configure({ mode: 'serial' });

const email = 'weigher@roster.example';
const password = 'quartz harbour under a slow tide';
let signedIn: { cookies: Awaited<ReturnType<BrowserContext['cookies']>> };
// A client's page, made by beforeAll.
let clientPage = '';
const CLIENT_PAGE = '/admin/clients/:id';
// The same client's Users tab: a page of its own (a link), with its own island.
const CLIENT_USERS = '/admin/clients/:id?tab=users';

const KB = 1024;
const BUDGET = 200 * KB;
const MAX_CODE_FILES = 12;

type Visit = { bytes: number; requests: number; codeFiles: number; compressedCode: number; codeBytesOverNetwork: number; hydratedMs: number };

/** Open `path` in `page` and count what came over the network until the page hydrated. */
async function visit(page: Page, cdp: CDPSession, path: string): Promise<Visit> {
  const urls = new Map<string, string>();
  const cached = new Set<string>();
  let bytes = 0;
  let codeBytesOverNetwork = 0;
  const code = (url: string) => /\.(wasm|js)(\?|$)/.test(url);
  const codeSeen = new Set<string>();
  let compressedCode = 0;
  const onResponse = (e: { requestId: string; response: { url: string; fromDiskCache?: boolean; headers: Record<string, string> } }) => {
    urls.set(e.requestId, e.response.url);
    if (e.response.fromDiskCache) cached.add(e.requestId);
    if (code(e.response.url) && !codeSeen.has(e.response.url)) {
      codeSeen.add(e.response.url);
      const encoding = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1];
      if (encoding === 'br') compressedCode += 1;
    }
  };
  const onCache = (e: { requestId: string }) => cached.add(e.requestId);
  const onDone = (e: { requestId: string; encodedDataLength: number }) => {
    if (cached.has(e.requestId)) return;
    bytes += e.encodedDataLength;
    if (code(urls.get(e.requestId) ?? '')) codeBytesOverNetwork += e.encodedDataLength;
  };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.requestServedFromCache', onCache);
  cdp.on('Network.loadingFinished', onDone);
  await page.goto(path);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  // Let late chunks and data requests of the hydrated page finish before counting.
  await page.waitForLoadState('networkidle');
  const hydratedMs = await page.evaluate(() => (window as unknown as { hydratedAt?: number }).hydratedAt ?? -1);
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.requestServedFromCache', onCache);
  cdp.off('Network.loadingFinished', onDone);
  return { bytes, requests: urls.size, codeFiles: codeSeen.size, compressedCode, codeBytesOverNetwork, hydratedMs: Math.round(hydratedMs) };
}

/** A new browser profile (empty cache), optionally signed in as the staff member. */
async function freshBrowser(browser: Browser, throttled: boolean, withCookies: boolean) {
  const ctx = await browser.newContext();
  if (withCookies) await ctx.addCookies(signedIn.cookies);
  // The moment the page marks itself hydrated, measured from navigation start.
  await ctx.addInitScript(() => {
    new MutationObserver(() => {
      const w = window as unknown as { hydratedAt?: number };
      if (!w.hydratedAt && document.body?.getAttribute('data-hydrated') === 'true') w.hydratedAt = performance.now();
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  if (throttled) {
    // 10 Mbit/s both ways, 40 ms round trips.
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 });
  }
  return { ctx, page, cdp };
}

function report(what: string, v: Visit, budget = BUDGET) {
  const over = v.bytes > budget || v.codeFiles > MAX_CODE_FILES ? `  OVER the budget (${budget / KB} KB, ${MAX_CODE_FILES} code files)` : '';
  console.log(`[weight] ${what}: ${v.bytes} bytes (${(v.bytes / KB).toFixed(1)} KB) in ${v.requests} requests, ` +
    `${v.codeFiles} code files, hydrated at ${v.hydratedMs} ms${over}`);
}

test.beforeAll(async ({ browser }) => {
  createStaff(email, password);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await enrolAndSignIn(page, email, password);
  signedIn = { cookies: await ctx.cookies() };
  const made = await page.request.post('/api/clients/create', { form: { first_name: 'Wendy', last_name: 'Weight', company_name: 'Scales Hosting' } });
  expect(made.status()).toBe(200);
  clientPage = `/admin/clients/${(await made.json()).id}`;
  await ctx.close();
});

const ADMIN_PAGES = ['/admin/users', '/admin/clients', CLIENT_PAGE, CLIENT_USERS, '/admin', '/admin/audit', '/admin/staff', '/admin/me'];

for (const name of ADMIN_PAGES) {
  test(`a first visit to ${name} gets its code compressed; a second downloads no code`, async ({ browser }) => {
    const path = name.replace(CLIENT_PAGE, clientPage).replace(CLIENT_USERS, `${clientPage}?tab=users`);
    const { ctx, page, cdp } = await freshBrowser(browser, false, true);
    const first = await visit(page, cdp, path);
    report(`first visit ${name}`, first);
    expect(first.compressedCode, 'every code file arrives brotli-compressed').toBe(first.codeFiles);
    expect(first.codeFiles, 'code files of a first visit').toBeLessThanOrEqual(MAX_CODE_FILES);
    expect(first.bytes, 'bytes of a first visit').toBeLessThanOrEqual(BUDGET);
    const again = await visit(page, cdp, path);
    console.log(`[weight] second visit ${path}: ${again.bytes} bytes, ${again.codeBytesOverNetwork} of them code`);
    expect(again.codeBytesOverNetwork, 'code downloaded again on a second visit').toBe(0);
    expect(again.bytes).toBeLessThan(first.bytes / 4);
    await ctx.close();
  });
}

// Every visitor's first page, and lighter than the lists: its forms are plain HTML, so it
// loads no island chunk of its own.
const SIGN_IN_BUDGET = 150 * KB;

test('the sign-in pages are lighter than the lists and load no island of their own', async ({ browser }) => {
  for (const path of ['/login', '/admin/login']) {
    const { ctx, page, cdp } = await freshBrowser(browser, false, false);
    const first = await visit(page, cdp, path);
    report(`first visit ${path}`, first, SIGN_IN_BUDGET);
    expect(first.compressedCode, 'every code file arrives brotli-compressed').toBe(first.codeFiles);
    expect(first.bytes, 'bytes of a first visit').toBeLessThanOrEqual(SIGN_IN_BUDGET);
    await expect(page.locator('head link[rel="preload"][href*="/pkg/split_"]')).toHaveCount(0);
    await ctx.close();
  }
});

test('a first visit on a 10 Mbit/s link with 40 ms round trips (figures for the record)', async ({ browser }) => {
  for (const path of ['/admin/users', '/login']) {
    const { ctx, page, cdp } = await freshBrowser(browser, true, path.startsWith('/admin'));
    report(`first visit ${path}, 10 Mbit/s 40 ms`, await visit(page, cdp, path));
    await ctx.close();
  }
  // Localhost, five fresh profiles: the median time to hydration.
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { ctx, page, cdp } = await freshBrowser(browser, false, true);
    times.push((await visit(page, cdp, '/admin/users')).hydratedMs);
    await ctx.close();
  }
  times.sort((a, b) => a - b);
  console.log(`[weight] /admin/users hydrated on localhost, median of 5 fresh profiles: ${times[2]} ms (${times.join(', ')})`);
  expect(times.every((t) => t > 0)).toBe(true);
});
