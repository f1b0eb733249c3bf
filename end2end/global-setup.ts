// Wait for the server to answer /healthz before any test clicks.
export default async function globalSetup() {
  const url = (process.env.ROSTER_URL ?? 'http://127.0.0.1:3000') + '/healthz';
  const deadline = Date.now() + 120_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Roster did not become healthy at ${url}: ${last}`);
}
