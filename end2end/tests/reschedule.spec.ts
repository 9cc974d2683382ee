import { expect, test } from '@playwright/test';
import { bernardAndKarim, bookFirstFreeTime, expectNoReload } from './helpers';

// A patient moves a request to another time from "Mes rendez-vous": the booking card turns into
// "choose a new time" for that appointment, and the practitioner's agenda follows live.
test('a patient moves an appointment and the practitioner sees the new time live', async ({ browser }, testInfo) => {
  const { doctor, patient } = await bernardAndKarim(browser);

  const slots = patient.locator('button.slot');
  const before = await bookFirstFreeTime(patient);
  // Open ones only: an earlier test's cancelled request may sit at the same time.
  const open = 'li.appointment:not([data-status="cancelled"])';
  const rows = patient.locator(open).filter({ hasText: 'Hugo Bernard' });
  await expect(rows.filter({ hasText: before })).toContainText('En attente');

  // "Déplacer" turns the card into the choice of a new time for this appointment.
  await rows.filter({ hasText: before }).getByRole('button', { name: 'Déplacer Dr Hugo Bernard' }).click();
  await expect(patient.getByRole('heading', { name: 'Déplacer un rendez-vous' })).toBeVisible();
  await expect(patient.locator('.move-note')).toContainText(before);
  await expect(patient.getByLabel('Praticien')).toBeDisabled();
  await expect(slots.first()).toBeVisible();
  await slots.first().click();
  const after = (await patient.locator('.book-bar .muted').textContent())!.trim();
  expect(after).not.toBe(before);
  await patient.screenshot({ path: testInfo.outputPath('1-patient-choosing.png'), fullPage: true });
  const moved = patient.waitForResponse((r) => r.url().endsWith('/reschedule') && r.request().method() === 'PUT');
  await patient.getByRole('button', { name: 'Déplacer ici' }).click();
  expect((await moved).status()).toBe(200);

  // Back to booking; the row shows the new time, and so does the practitioner's agenda.
  await expect(patient.getByRole('heading', { name: 'Prendre rendez-vous' })).toBeVisible();
  await expect(rows.filter({ hasText: after })).toHaveCount(1);
  await expect(rows.filter({ hasText: before })).toHaveCount(0);
  const agendaRow = doctor.locator(open).filter({ hasText: 'Karim Benali' });
  await expect(agendaRow.filter({ hasText: after.slice(-5) })).toHaveCount(1, { timeout: 1_000 });
  await expect(agendaRow.filter({ hasText: before.slice(-5) })).toHaveCount(0);
  // The practitioner can still answer the moved request from its toast, which shows the new time
  // in place of the request's first one.
  const movedToast = doctor.getByRole('status').filter({ hasText: 'Rendez-vous déplacé' });
  await expect(movedToast).toContainText(after);
  await expect(movedToast.getByRole('button', { name: 'Confirmer' })).toBeVisible();
  await expect(doctor.getByRole('status').filter({ hasText: 'Nouvelle demande de rendez-vous' })).toHaveCount(0);
  await expectNoReload(doctor);
  await expectNoReload(patient);
  await patient.screenshot({ path: testInfo.outputPath('2-patient-moved.png'), fullPage: true });
  await doctor.screenshot({ path: testInfo.outputPath('3-practitioner-moved.png'), fullPage: true });

  // Tidy up: the time goes back to other tests.
  const row = rows.filter({ hasText: after });
  await row.getByRole('button', { name: 'Annuler Dr Hugo Bernard' }).click();
  await row.getByRole('button', { name: 'Oui, annuler' }).click();
  await expect(row).toHaveCount(0);
});
