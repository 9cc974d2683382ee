import { expect, test, type Page } from '@playwright/test';
import { expectNoReload, markNoReload, signIn } from './helpers';

const figure = (page: Page, id: string) => page.locator(`[data-figure="${id}"] .figure-value`);

/** Today in the cabinet's time zone (the demo cabinet is in Paris, like the browser). */
function parisDay(at: Date): string {
  return at.toLocaleDateString('en-CA', { timeZone: 'Europe/Paris' });
}

// The manager's figures come from the server's `metrics:update` pushes: who is connected moves
// when a patient signs in and out, and a booking is reflected without a reload.
test('the manager sees live metrics: connections and a booking, without reload', async ({ browser }, testInfo) => {
  // Connections count people, not tabs: a patient left signed in by an earlier spec (same
  // browser) would hide this one's arrival. Nobody else is connected once they are closed.
  await Promise.all(browser.contexts().map((c) => c.close()));
  const manager = await signIn(browser, 'manager@nova-rdv.test', /\/manager$/);
  await expect(manager.getByRole('region', { name: 'Indicateurs en direct' })).toBeVisible();
  // The dashboard query answers first; the first push brings who is connected (at least the
  // manager herself).
  await expect(figure(manager, 'fill-rate')).toHaveText(/^\d+\s%$/);
  await expect(figure(manager, 'connected-staff')).toHaveText(/^[1-9]\d*$/);
  await expect(manager.locator('.load-table tbody tr')).not.toHaveCount(0);
  await markNoReload(manager);
  await expect(figure(manager, 'connected-patients')).toHaveText('0');
  const patientsBefore = 0;

  const patient = await signIn(browser, 'patient@nova-rdv.test', /\/patient$/);
  // Pushed soon after a connection (the server waits 250 ms for a burst), not at the next 5 s tick.
  await expect(figure(manager, 'connected-patients')).toHaveText(String(patientsBefore + 1), { timeout: 3_000 });

  const pending = figure(manager, 'pending');
  const pendingBefore = Number(await pending.textContent());
  await patient.getByLabel('Praticien').selectOption({ label: 'Dr Claire Martin — Chirurgien-dentiste' });
  const firstSlot = patient.locator('button.slot').first();
  await firstSlot.click();
  const booked = patient.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
  await patient.getByRole('button', { name: 'Réserver' }).click();
  const response = await booked;
  expect(response.status()).toBe(201);
  const body = await response.json();
  const startTime: string = (body.data ?? body).startTime;

  // The booking's notifications are timed by the server: a latency figure is there now.
  await expect(figure(manager, 'latency')).toHaveText(/^\d+,\d \/ \d+,\d ms$/, { timeout: 3_000 });
  if (parisDay(new Date(startTime)) === parisDay(new Date())) {
    // Booked for today: today's pending count moves with it.
    await expect(pending).toHaveText(String(pendingBefore + 1), { timeout: 3_000 });
  } else {
    // Booked for another day: today's figures stay as they were.
    await expect(pending).toHaveText(String(pendingBefore));
  }

  await manager.screenshot({ path: testInfo.outputPath('manager-light.png'), fullPage: true });
  await manager.emulateMedia({ colorScheme: 'dark' });
  await manager.screenshot({ path: testInfo.outputPath('manager-dark.png'), fullPage: true });
  await manager.emulateMedia({ colorScheme: 'light' });

  // The patient leaves: the figure falls back.
  await patient.context().close();
  await expect(figure(manager, 'connected-patients')).toHaveText(String(patientsBefore), { timeout: 3_000 });
  await expectNoReload(manager);
});
