import { expect, test } from '@playwright/test';
import { expectNoReload, markNoReload, PASSWORD, signIn } from './helpers';

// Léa writes to the practice from the Messages screen; Dr Martin, on his own Messages screen,
// sees it arrive, sees her typing, answers; she sees the answer live and he sees it marked read.
// Then he proposes a time in the thread and she accepts it from the card.
test('a patient and a practitioner talk live, with read marks and a proposal', async ({ browser }, testInfo) => {
  // Presence counts people, not tabs: someone left signed in by an earlier spec (same browser)
  // would keep Léa online after her tab here closes.
  await Promise.all(browser.contexts().map((c) => c.close()));
  const patient = await signIn(browser, 'patient@nova-rdv.test', /\/patient$/);
  const doctor = await signIn(browser, 'dr.martin@nova-rdv.test', /\/practitioner$/);

  await doctor.getByRole('link', { name: 'Messages' }).click();
  await expect(doctor).toHaveURL(/\/messages$/);
  await markNoReload(doctor);
  await patient.getByRole('link', { name: 'Messages' }).click();
  await markNoReload(patient);

  // "Write to the practice": one button per practitioner, opening the conversation with them.
  await patient.locator('.start-conversation').getByRole('button', { name: 'Claire Martin' }).click();
  await expect(patient.getByRole('heading', { name: 'Claire Martin' })).toBeVisible();
  // Both have the app open: each is shown online to the other.
  await expect(patient.locator('.thread-head .presence')).toHaveText('En ligne');
  const question = `Puis-je venir plus tôt ? ${Date.now()}`;
  await patient.getByRole('textbox', { name: 'Votre message' }).fill(question);
  await patient.getByRole('button', { name: 'Envoyer' }).click();
  await expect(patient.locator('.bubble.mine').filter({ hasText: question })).toBeVisible();

  // The doctor's list moves live, and his Messages link counts the unread message until he
  // opens the conversation.
  const row = doctor.getByRole('button', { name: /Léa Dubois/ });
  await expect(row).toContainText(question, { timeout: 3_000 });
  const badge = doctor.getByTestId('messages-unread');
  const unread = async () => ((await badge.count()) ? Number((await badge.innerText()).match(/\d+/)?.[0]) : 0);
  await expect(badge).toBeVisible();
  const before = await unread();
  expect(before).toBeGreaterThan(0);
  await doctor.screenshot({ path: testInfo.outputPath('0-doctor-unread.png') });
  await expect(row).toHaveAccessibleName(/^Léa Dubois · En ligne/);
  await row.click();
  await expect(doctor.locator('.bubble').filter({ hasText: question })).toBeVisible();
  await expect(doctor.locator('.thread-head .presence')).toHaveText('En ligne');
  await expect.poll(unread, { timeout: 3_000 }).toBeLessThan(before);

  // Typing shows on the other side while he types.
  const reply = `Oui, venez à 16 h. ${Date.now()}`;
  const box = doctor.getByRole('textbox', { name: 'Votre message' });
  await box.pressSequentially(reply.slice(0, 8), { delay: 30 });
  await expect(patient.getByText('Claire Martin écrit…')).toBeVisible({ timeout: 3_000 });
  await box.fill(reply);
  await doctor.getByRole('button', { name: 'Envoyer' }).click();

  // The patient sees the answer without reloading, the typing line goes, and the doctor
  // sees his answer read (her open screen marked it).
  await expect(patient.locator('.bubble').filter({ hasText: reply })).toBeVisible({ timeout: 3_000 });
  await expect(patient.getByText('Claire Martin écrit…')).toBeHidden();
  // The thread on her screen shows it: no "new message" toast repeats it.
  await expect(patient.locator('.toast').filter({ hasText: 'Nouveau message' })).toHaveCount(0);
  await expect(doctor.locator('.bubble.mine').filter({ hasText: reply })).toContainText('Lu', { timeout: 3_000 });
  await patient.screenshot({ path: testInfo.outputPath('1-patient-thread.png'), fullPage: true });
  await doctor.screenshot({ path: testInfo.outputPath('2-doctor-read.png'), fullPage: true });

  // A proposal: a weekday two weeks ahead at 16:00 (Europe/Paris, the contexts' time zone).
  const day = new Date(Date.now() + 14 * 86_400_000);
  while (day.getDay() === 0 || day.getDay() === 6) day.setDate(day.getDate() + 1);
  const date = day.toISOString().slice(0, 10);
  await doctor.getByLabel('Date').fill(date);
  await doctor.getByLabel('Heure').fill('16:00');
  await doctor.getByLabel('Durée (min)').selectOption('30');
  await doctor.getByRole('button', { name: 'Proposer un créneau' }).click();

  const card = patient.locator('.proposal-card').filter({ hasText: '16:00' });
  await expect(card).toContainText('En attente de réponse', { timeout: 3_000 });
  // The card in the open thread carries the buttons: no toast repeats them.
  await expect(patient.locator('.toast').filter({ hasText: 'Le cabinet vous propose un rendez-vous' })).toHaveCount(0);
  await patient.screenshot({ path: testInfo.outputPath('3-patient-proposal.png'), fullPage: true });
  await card.getByRole('button', { name: 'Accepter' }).click();
  await expect(card).toContainText('Accepté');
  await expect(doctor.locator('.proposal-card').filter({ hasText: '16:00' })).toContainText('Accepté', { timeout: 3_000 });
  await doctor.screenshot({ path: testInfo.outputPath('4-doctor-accepted.png'), fullPage: true });

  await patient.emulateMedia({ colorScheme: 'dark' });
  await patient.screenshot({ path: testInfo.outputPath('5-patient-dark.png'), fullPage: true });

  await expectNoReload(patient);
  await expectNoReload(doctor);

  // She closes the app: the doctor sees her go offline, live.
  await patient.context().close();
  await expect(doctor.locator('.thread-head .presence')).toHaveText('Hors ligne', { timeout: 3_000 });
  await expect(row).toHaveAccessibleName(/^Léa Dubois · Hors ligne/);
  await doctor.screenshot({ path: testInfo.outputPath('6-doctor-patient-offline.png'), fullPage: true });
});

// A long conversation opens on its newest page; "Older messages" brings the rest, in order.
test('older messages load a page at a time', async ({ browser, request }) => {
  const login = await request.post('/api/auth/login', { data: { email: 'patient@nova-rdv.test', password: PASSWORD } });
  const me = (await login.json()).data as { accessToken: string };
  const auth = { Authorization: `Bearer ${me.accessToken}` };
  const practitioners = (await (await request.get('/api/practitioners', { headers: auth })).json()).data as {
    id: string;
    lastName: string;
  }[];
  const bernard = practitioners.find((p) => p.lastName === 'Bernard')!;
  const opened = await request.post('/api/conversations', { headers: auth, data: { practitionerId: bernard.id } });
  const conversation = (await opened.json()).data as { id: string };
  for (let i = 1; i <= 32; i++) {
    const r = await request.post(`/api/conversations/${conversation.id}/messages`, { headers: auth, data: { content: `Message n°${i}` } });
    expect(r.ok()).toBeTruthy();
  }

  const patient = await signIn(browser, 'patient@nova-rdv.test', /\/patient$/);
  await patient.getByRole('link', { name: 'Messages' }).click();
  await patient.locator('.start-conversation').getByRole('button', { name: 'Hugo Bernard' }).click();
  await expect(patient.locator('.bubble').filter({ hasText: /^Message n°32/ })).toBeVisible();
  await expect(patient.locator('.bubble')).toHaveCount(30);
  await patient.getByRole('button', { name: 'Messages plus anciens' }).click();
  await expect(patient.locator('.bubble')).toHaveCount(32);
  await expect(patient.locator('.bubble').first()).toContainText('Message n°1');
  await expect(patient.getByRole('button', { name: 'Messages plus anciens' })).toBeHidden();
});
