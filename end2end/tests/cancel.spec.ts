import { expect, test } from '@playwright/test';
import { bernardAndKarim, bookFirstFreeTime, expectNoReload } from './helpers';

// A patient cancels a request from "Mes rendez-vous": asked once more before it goes, the row
// turns "Annulé" at once, the practitioner's agenda follows live and the time is offered again.
test('a patient cancels an appointment and the practitioner sees it live', async ({ browser }, testInfo) => {
  const { doctor, patient } = await bernardAndKarim(browser);

  // The first free time: the earliest, so on the first page of the patient's list.
  const slots = patient.locator('button.slot');
  const offered = await slots.count();
  const when = await bookFirstFreeTime(patient);
  const time = when.slice(-5);
  await expect(slots).toHaveCount(offered - 1);

  const myRow = patient.locator('li.appointment').filter({ hasText: when }).filter({ hasText: 'Hugo Bernard' });
  await expect(myRow).toContainText('En attente');
  const agendaRow = doctor
    .locator('li.appointment')
    .filter({ hasText: 'Karim Benali' })
    .filter({ hasText: time });
  await expect(agendaRow).toContainText('En attente', { timeout: 1_000 });

  // One click asks; only the second one cancels.
  await myRow.getByRole('button', { name: 'Annuler Dr Hugo Bernard' }).click();
  await expect(myRow).toContainText('Annuler ce rendez-vous ?');
  await expect(myRow).toContainText('En attente');
  await patient.screenshot({ path: testInfo.outputPath('1-patient-asked.png'), fullPage: true });
  const cancelled = patient.waitForResponse((r) => r.url().endsWith('/cancel') && r.request().method() === 'PUT');
  await myRow.getByRole('button', { name: 'Oui, annuler' }).click();
  expect((await cancelled).status()).toBe(200);

  await expect(myRow).toContainText('Annulé');
  await expect(myRow.getByRole('button')).toHaveCount(0);
  await expect(agendaRow).toContainText('Annulé', { timeout: 1_000 });
  await expect(slots).toHaveCount(offered);
  await expectNoReload(doctor);
  await expectNoReload(patient);
  await patient.screenshot({ path: testInfo.outputPath('2-patient-cancelled.png'), fullPage: true });
  await doctor.screenshot({ path: testInfo.outputPath('3-practitioner-cancelled.png'), fullPage: true });
});
