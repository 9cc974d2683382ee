import { expect, test, type APIRequestContext } from '@playwright/test';
import { expectNoReload, markNoReload, PASSWORD, signIn } from './helpers';

/** Signs in through the API; the envelope's data is the flat session. */
async function session(request: APIRequestContext, email: string) {
  const r = await request.post('/api/auth/login', { data: { email, password: PASSWORD } });
  expect(r.status()).toBe(200);
  const body = await r.json();
  return (body.data ?? body) as { id: string; accessToken: string };
}

async function call(request: APIRequestContext, token: string, method: 'get' | 'post' | 'put', path: string, data?: unknown) {
  const r = await request[method](path, { headers: { Authorization: `Bearer ${token}` }, data });
  expect(r.ok(), `${method} ${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
  const body = await r.json();
  return body.data ?? body;
}

/** The doctor's last free half-hour between `fromDays` and `toDays` from today. */
async function lastFreeTime(request: APIRequestContext, doctor: { id: string; accessToken: string }, fromDays: number, toDays: number) {
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const slots = await call(
    request,
    doctor.accessToken,
    'get',
    `/api/appointments/slots?practitionerId=${doctor.id}&dateFrom=${day(fromDays)}&dateTo=${day(toDays)}&duration=30`,
  );
  return { from: day(fromDays), startTime: slots[slots.length - 1].startTime as string };
}

/** The doctor proposes a 30-minute consultation at `startTime` in the conversation. */
async function propose(request: APIRequestContext, doctor: { id: string; accessToken: string }, conversationId: string, startTime: string) {
  return call(request, doctor.accessToken, 'post', `/api/conversations/${conversationId}/proposals`, {
    practitionerId: doctor.id,
    type: 'consultation',
    startTime,
    duration: 30,
  });
}

// Dr Martin proposes a time in a conversation; the patient, on her dashboard, gets a toast that
// stays until answered, accepts from it, and the visit appears in her list, live.
test('a patient accepts a proposal from its toast', async ({ browser, request }, testInfo) => {
  const patient = await signIn(browser, 'patient2@nova-rdv.test', /\/patient$/);
  await markNoReload(patient);

  const doctor = await session(request, 'dr.martin@nova-rdv.test');
  const me = await session(request, 'patient2@nova-rdv.test');
  const patientId = me.id;
  const conversation = await call(request, doctor.accessToken, 'post', '/api/conversations', { patientId });
  // A free time next week, late in the day, so no other test's booking is in the way.
  const { from, startTime } = await lastFreeTime(request, doctor, 7, 13);
  await propose(request, doctor, conversation.id, startTime);

  const toast = patient.locator('.toast').filter({ hasText: 'Le cabinet vous propose un rendez-vous' });
  await expect(toast).toBeVisible({ timeout: 2_000 });
  await patient.screenshot({ path: testInfo.outputPath('1-proposal-toast.png'), fullPage: true });
  // Accepting refetches her appointment lists (the new visit may be on any page).
  const refetched = patient.waitForResponse((r) => r.request().method() === 'GET' && /\/api\/appointments\?/.test(r.url()));
  await toast.getByRole('button', { name: 'Accepter' }).click();
  await refetched;

  await expect(patient.locator('.toast').filter({ hasText: 'Proposition acceptée' })).toBeVisible({ timeout: 2_000 });
  await expect(toast).toHaveCount(0);
  const mine = await call(request, me.accessToken, 'get', `/api/appointments?dateFrom=${from}&limit=100`);
  const visit = mine.items.find((a: { startTime: string }) => Date.parse(a.startTime) === Date.parse(startTime));
  expect(visit?.practitionerId).toBe(doctor.id);

  // The bell counts what the server keeps unread, kept current by the live events; reading
  // everything clears it there too.
  const unread = async () =>
    (await call(request, me.accessToken, 'get', '/api/notifications?limit=1')).unreadCount as number;
  await expect.poll(unread).toBeGreaterThan(0);
  await expect(patient.getByTestId('unread-count')).toHaveText(String(await unread()));
  await patient.getByRole('button', { name: /^Notifications/ }).click();
  await patient.getByRole('button', { name: 'Tout marquer comme lu' }).click();
  await expect(patient.getByTestId('unread-count')).toHaveCount(0);
  await expect.poll(unread).toBe(0);
  await expectNoReload(patient);
  await patient.screenshot({ path: testInfo.outputPath('2-proposal-accepted.png'), fullPage: true });
});

// Answered elsewhere (another tab, the card on the Messages screen), the proposal takes its
// toast with it: no button is left asking a question already answered.
test('a proposal toast leaves once the proposal is answered elsewhere', async ({ browser, request }) => {
  const patient = await signIn(browser, 'patient2@nova-rdv.test', /\/patient$/);
  const doctor = await session(request, 'dr.martin@nova-rdv.test');
  const me = await session(request, 'patient2@nova-rdv.test');
  const conversation = await call(request, doctor.accessToken, 'post', '/api/conversations', { patientId: me.id });
  const { startTime } = await lastFreeTime(request, doctor, 15, 21);
  const proposal = await propose(request, doctor, conversation.id, startTime);
  const toast = patient.locator('.toast').filter({ hasText: 'Le cabinet vous propose un rendez-vous' });
  await expect(toast).toBeVisible({ timeout: 2_000 });
  await call(request, me.accessToken, 'put', `/api/proposals/${proposal.id}/reject`);
  await expect(toast).toHaveCount(0, { timeout: 2_000 });
});
