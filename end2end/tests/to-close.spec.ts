import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

// The demo leaves one of Dr Martin's visits of the last working day "confirmed": nobody said
// whether Karim Benali came. Her agenda lists it above the day, she marks it missed, it leaves
// the list at once, and the answer is the server's (still gone after a reload).
test('a practitioner closes a past visit nobody marked held or missed', async ({ browser }, testInfo) => {
  const doctor = await signIn(browser, 'dr.martin@nova-rdv.test', /\/practitioner$/);

  const toClose = doctor.locator('section.to-close');
  await expect(toClose.getByRole('heading')).toContainText('À clôturer');
  await expect(toClose.locator('.count')).toHaveText('1');
  const row = toClose.locator('li.appointment').filter({ hasText: 'Karim Benali' });
  await expect(row).toContainText('Confirmé');
  // Shown with its date, since it is not today's.
  await expect(row).toContainText('10:00');
  await doctor.screenshot({ path: testInfo.outputPath('1-to-close.png'), fullPage: true });

  const closed = doctor.waitForResponse((r) => r.url().endsWith('/no-show') && r.request().method() === 'PUT');
  await row.getByRole('button', { name: 'Absent Karim Benali' }).click();
  // Optimistic: gone before or as the server answers.
  await expect(toClose).toHaveCount(0);
  expect((await closed).status()).toBe(200);

  await doctor.reload();
  await expect(doctor.getByRole('heading', { name: "Aujourd'hui" })).toBeVisible();
  await expect(doctor.locator('section.to-close')).toHaveCount(0);
  await doctor.screenshot({ path: testInfo.outputPath('2-closed.png'), fullPage: true });
});
