import { expect, test } from '@playwright/test';
import { bernardAndKarim, bookFirstFreeTime, expectNoReload } from './helpers';

// A patient phones to change a time: the practitioner moves the appointment from the agenda (the
// booking card opens above it for that appointment), and the patient's list follows live.
test('a practitioner moves an appointment from the agenda and the patient sees it live', async ({ browser }, testInfo) => {
  const { doctor, patient } = await bernardAndKarim(browser);

  const before = await bookFirstFreeTime(patient);

  // Open ones only: an earlier test's cancelled request may sit at the same time.
  const open = 'li.appointment:not([data-status="cancelled"])';
  const agendaRows = doctor.locator(open).filter({ hasText: 'Karim Benali' });
  const agendaRow = agendaRows.filter({ hasText: before.slice(-5) });
  await expect(agendaRow).toContainText('En attente', { timeout: 1_000 });
  await agendaRow.getByRole('button', { name: 'Déplacer Karim Benali' }).click();

  const card = doctor.locator('.moving');
  await expect(card.getByRole('heading', { name: 'Déplacer un rendez-vous' })).toBeVisible();
  await expect(card.locator('.move-note')).toContainText(before);
  await expect(card.locator('.move-note')).toContainText('Karim Benali');
  await expect(card.getByLabel('Praticien')).toBeDisabled();
  // 10:00 is free for Dr Bernard, but Karim sees Dr Martin then (10:00 every weekday in the
  // demo): the card says so before anything is moved. The second day's 11:00 is clear (other
  // specs book Karim on the first day's free times).
  const warning = card.locator('.move-warning');
  await card.locator('button.slot').filter({ hasText: '10:00' }).first().click();
  await expect(warning).toContainText('Karim Benali a déjà un rendez-vous à cette heure : Dr Claire Martin, 10:00');
  await doctor.screenshot({ path: testInfo.outputPath('1-practitioner-warned.png'), fullPage: true });
  await card.locator('button.slot').filter({ hasText: '11:00' }).nth(1).click();
  await expect(card.locator('.book-bar .muted')).toContainText('11:00');
  await expect(warning).toHaveCount(0);
  const after = (await card.locator('.book-bar .muted').textContent())!.trim();
  expect(after).not.toBe(before);
  await doctor.screenshot({ path: testInfo.outputPath('2-practitioner-choosing.png'), fullPage: true });
  const moved = doctor.waitForResponse((r) => r.url().endsWith('/reschedule') && r.request().method() === 'PUT');
  await card.getByRole('button', { name: 'Déplacer ici' }).click();
  expect((await moved).status()).toBe(200);

  // The card closes; the agenda and the patient's list show the new time, still to confirm.
  await expect(card).toHaveCount(0);
  await expect(agendaRows.filter({ hasText: after.slice(-5) })).toContainText('En attente');
  await expect(agendaRows.filter({ hasText: before.slice(-5) })).toHaveCount(0);
  const myRows = patient.locator(open).filter({ hasText: 'Hugo Bernard' });
  await expect(myRows.filter({ hasText: after })).toHaveCount(1, { timeout: 1_000 });
  await expect(myRows.filter({ hasText: before })).toHaveCount(0);
  await expectNoReload(doctor);
  await expectNoReload(patient);
  await doctor.screenshot({ path: testInfo.outputPath('3-practitioner-moved.png'), fullPage: true });
  await patient.screenshot({ path: testInfo.outputPath('4-patient-moved.png'), fullPage: true });

  // Tidy up: the time goes back to other tests.
  const row = myRows.filter({ hasText: after });
  await row.getByRole('button', { name: 'Annuler Dr Hugo Bernard' }).click();
  await row.getByRole('button', { name: 'Oui, annuler' }).click();
  await expect(row).toHaveCount(0);
});
