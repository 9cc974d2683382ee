import { expect, test } from '@playwright/test';
import { expectNoReload, markNoReload, signIn } from './helpers';

// A patient books with Dr Martin while Dr Martin watches the agenda; the practitioner confirms and
// the patient sees it, each side live, with no reload.
test('a booking reaches the practitioner live and the confirmation reaches the patient', async ({ browser }, testInfo) => {
  const doctor = await signIn(browser, 'dr.martin@nova-rdv.test', /\/practitioner$/);
  await expect(doctor.getByRole('heading', { name: 'Mon agenda' })).toBeVisible();
  await markNoReload(doctor);
  const pendingRows = doctor.locator('li.appointment[data-status="pending"]');
  await expect(pendingRows).toHaveCount(0);
  await doctor.screenshot({ path: testInfo.outputPath('1-practitioner-before.png'), fullPage: true });

  const patient = await signIn(browser, 'patient@nova-rdv.test', /\/patient$/);
  await markNoReload(patient);
  await patient.getByLabel('Praticien').selectOption({ label: 'Dr Claire Martin — Chirurgien-dentiste' });
  const firstSlot = patient.locator('button.slot').first();
  await expect(firstSlot).toBeVisible();
  const slotTime = (await firstSlot.textContent())!.trim();
  await firstSlot.click();
  await expect(firstSlot).toHaveAttribute('aria-pressed', 'true');
  await patient.screenshot({ path: testInfo.outputPath('2-patient-slot-chosen.png'), fullPage: true });

  const booked = patient.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
  await patient.getByRole('button', { name: 'Réserver' }).click();
  expect((await booked).status()).toBe(201);

  // Within a second, without reload: a toast and a new pending row for this patient.
  await expect(doctor.getByRole('status').filter({ hasText: 'Nouvelle demande de rendez-vous' })).toBeVisible({ timeout: 1_000 });
  const newRow = pendingRows.filter({ hasText: 'Léa Dubois' });
  await expect(newRow).toHaveCount(1, { timeout: 1_000 });
  await expect(newRow).toContainText(slotTime);
  await expect(newRow).toContainText('En attente');
  await expectNoReload(doctor);
  await doctor.screenshot({ path: testInfo.outputPath('3-practitioner-new-request.png'), fullPage: true });

  // The patient's own list shows the request as pending, and the slot is no longer offered.
  const myRow = patient.locator('li.appointment').filter({ hasText: 'Claire Martin' });
  await expect(myRow).toContainText('En attente');

  await doctor.getByRole('button', { name: 'Confirmer Léa Dubois' }).click();
  await expect(doctor.locator('li.appointment').filter({ hasText: 'Léa Dubois' })).toContainText('Confirmé');

  await expect(patient.getByRole('status').filter({ hasText: 'Rendez-vous confirmé' })).toBeVisible({ timeout: 1_000 });
  await expect(myRow).toContainText('Confirmé', { timeout: 1_000 });
  await expectNoReload(patient);
  await patient.screenshot({ path: testInfo.outputPath('4-patient-confirmed.png'), fullPage: true });
});

test('a wrong password is refused with a readable message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('patient@nova-rdv.test');
  await page.getByLabel('Mot de passe').fill('wrong-password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('Email ou mot de passe incorrect.');
  await expect(page).toHaveURL(/\/login$/);
});

test('each role lands on its own dashboard and cannot open another', async ({ browser }) => {
  const manager = await signIn(browser, 'manager@nova-rdv.test', /\/manager$/);
  await expect(manager.getByRole('heading', { name: "Le cabinet aujourd'hui" })).toBeVisible();
  await manager.goto('/patient');
  await expect(manager).toHaveURL(/\/manager$/);
});
