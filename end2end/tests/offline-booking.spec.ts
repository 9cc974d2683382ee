import { expect, test, type APIRequestContext, type Request } from '@playwright/test';
import { PASSWORD, signIn } from './helpers';

async function apiLogin(request: APIRequestContext, email: string) {
  const r = await request.post('/api/auth/login', { data: { email, password: PASSWORD } });
  expect(r.status()).toBe(200);
  const { data } = await r.json();
  return { Authorization: `Bearer ${data.accessToken}`, 'X-Tenant-ID': data.cabinetId };
}

// A patient loses the network, books anyway, and gets the network back: the booking waits in
// the offline queue (banner visible), goes out once when the browser is online again, and
// reaches the practitioner's agenda exactly once.
test('a booking made offline is sent once when the network returns', async ({ browser, request }, testInfo) => {
  const patient = await signIn(browser, 'patient@nova-rdv.test', /\/patient$/);
  const posts: Request[] = [];
  patient.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/appointments') posts.push(r);
  });

  // Dr Bernard, so this test does not compete with the live-booking one for Dr Martin's slots.
  const select = patient.getByLabel('Praticien');
  const bernard = await select.locator('option', { hasText: 'Bernard' }).getAttribute('value');
  await select.selectOption(bernard!);
  const slot = patient.locator('button.slot').first();
  await expect(slot).toBeVisible();
  const slotTime = (await slot.textContent())!.trim();

  await patient.context().setOffline(true);
  await expect(patient.getByTestId('offline-banner')).toContainText('Vous êtes hors ligne');
  await expect(patient.getByTestId('connection')).toHaveText('Hors ligne');
  await slot.click();
  await patient.getByRole('button', { name: 'Réserver' }).click();

  const banner = patient.getByTestId('offline-banner');
  await expect(banner).toContainText("1 modification en attente d'envoi");
  await expect(banner).toContainText(slotTime);
  await expect(patient.getByRole('status').filter({ hasText: 'réservation partira dès le retour du réseau' })).toBeVisible();
  // Kept in localStorage (it would survive a reload), with its Idempotency-Key.
  const queued = await patient.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('nova_outbox:'))
      .map((k) => JSON.parse(localStorage.getItem(k)!)),
  );
  expect(queued).toHaveLength(1);
  expect(queued[0]).toHaveLength(1);
  expect(queued[0][0].key).toMatch(/^[0-9a-f-]{36}$/);
  expect(posts).toHaveLength(0);
  await patient.screenshot({ path: testInfo.outputPath('1-patient-offline-queued.png'), fullPage: true });

  const sent = patient.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/appointments');
  await patient.context().setOffline(false);
  const response = await sent;
  expect(response.status()).toBe(201);
  expect(response.request().headers()['idempotency-key']).toBe(queued[0][0].key);
  await expect(patient.getByRole('status').filter({ hasText: 'Modification hors ligne envoyée' })).toBeVisible();
  await expect(banner).toHaveCount(0);
  await expect(patient.getByTestId('connection')).toHaveText('En direct');
  const mine = patient.locator('li.appointment[data-status="pending"]').filter({ hasText: 'Bernard' }).filter({ hasText: slotTime });
  await expect(mine).toHaveCount(1);
  await patient.screenshot({ path: testInfo.outputPath('2-patient-back-online.png'), fullPage: true });

  // Exactly once: no second POST shortly after (a double replay would show here)…
  await patient.waitForTimeout(2_000);
  expect(posts).toHaveLength(1);
  const { startTime, practitionerId } = response.request().postDataJSON();

  // …and exactly one appointment for this patient at that time, as the API sees it.
  const headers = await apiLogin(request, 'patient@nova-rdv.test');
  const list = await request.get(`/api/appointments?dateFrom=${startTime.slice(0, 10)}&limit=100`, { headers });
  const { data } = await list.json();
  const same = data.items.filter(
    (a: { startTime: string; practitionerId: string }) =>
      Date.parse(a.startTime) === Date.parse(startTime) && a.practitionerId === practitionerId,
  );
  expect(same).toHaveLength(1);

  // The practitioner's agenda shows it once.
  const doctor = await signIn(browser, 'dr.bernard@nova-rdv.test', /\/practitioner$/);
  const rows = doctor.locator('li.appointment[data-status="pending"]').filter({ hasText: 'Léa Dubois' }).filter({ hasText: slotTime });
  await expect(rows).toHaveCount(1);
  await doctor.screenshot({ path: testInfo.outputPath('3-practitioner-agenda.png'), fullPage: true });
});
