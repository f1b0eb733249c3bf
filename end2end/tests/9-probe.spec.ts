import { Browser, BrowserContext, CDPSession, Page, expect, test } from '@playwright/test';
import { createStaff, enrolAndSignIn } from '../pages/helpers';

// What a first visit costs over the wire, counted by Chromium itself (every byte of every
// answer, headers included), and what a second visit costs once the browser has cached the
// content-hashed assets. Asserted: code arrives compressed and is not downloaded twice.
// Printed for docs/measurements.md, beside the budgets: bytes, files and time to hydration
// (the byte budget is not met yet — see the measurements — so it is reported, not asserted).
test.describe.configure({ mode: 'serial' });

const email = 'weigher@roster.example';
const password = 'quartz harbour under a slow tide';
let signedIn: { cookies: Awaited<ReturnType<BrowserContext['cookies']>> };

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


test('probe login', async ({ browser }) => {
  for (const throttled of [false, true]) for (const path of ['/login', '/admin/login']) {
    const { ctx, page, cdp } = await freshBrowser(browser, throttled, false);
    report(`first visit ${path} throttled=${throttled}`, await visit(page, cdp, path), 150 * KB);
    await ctx.close();
  }
});
