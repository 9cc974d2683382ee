import { expect, test } from '@playwright/test';
import { expectNoReload, markNoReload, signIn } from './helpers';

const MARTIN = 'Dr Claire Martin — Chirurgien-dentiste';

// Two patients look at Dr Martin's free times on two computers. When one books a time, it
// leaves the other's screen at once, without a reload and without an error for the one who
// only watched.
test('a slot another patient books disappears live from a watching patient', async ({ browser }, testInfo) => {
  const watcher = await signIn(browser, 'patient@nova-rdv.test', /\/patient$/);
  await markNoReload(watcher);
  await watcher.getByLabel('Praticien').selectOption({ label: MARTIN });
  const watched = watcher.locator('button.slot').first();
  await expect(watched).toBeVisible();
  const start = (await watched.getAttribute('data-start'))!;
  const sameSlot = watcher.locator(`button.slot[data-start="${start}"]`);
  await expect(sameSlot).toHaveCount(1);

  const booker = await signIn(browser, 'patient2@nova-rdv.test', /\/patient$/);
  await booker.getByLabel('Praticien').selectOption({ label: MARTIN });
  await booker.locator(`button.slot[data-start="${start}"]`).click();
  const booked = booker.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
  await booker.getByRole('button', { name: 'Réserver' }).click();
  expect((await booked).status()).toBe(201);

  // The watcher's list drops the time on its own, quietly.
  await expect(sameSlot).toHaveCount(0, { timeout: 2_000 });
  await expect(watcher.locator('button.slot').first()).toBeVisible();
  await expect(watcher.getByText("Ce créneau vient d'être pris")).toHaveCount(0);
  await expectNoReload(watcher);
  await watcher.screenshot({ path: testInfo.outputPath('watcher-after-booking.png'), fullPage: true });
});
