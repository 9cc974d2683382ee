import { expect, type Browser, type Page } from '@playwright/test';

export const PASSWORD = 'nova-demo';

/** Opens a fresh browser context (its own storage, like another person's computer) and signs in. */
export async function signIn(browser: Browser, email: string, landing: RegExp): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(landing);
  // Live means the Socket.IO handshake succeeded with this user's token.
  await expect(page.getByTestId('connection')).toHaveText('En direct');
  return page;
}

/** Marks the page so a test can prove later that it was never reloaded. */
export async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
}

export async function expectNoReload(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
}

/**
 * Dr Bernard watching his agenda and Karim Benali (patient2) on Dr Bernard's free times, both
 * marked so a test can prove neither page reloads. Dr Bernard's agenda is otherwise quiet, so a
 * test's own request is easy to find there.
 */
export async function bernardAndKarim(browser: Browser): Promise<{ doctor: Page; patient: Page }> {
  const doctor = await signIn(browser, 'dr.bernard@nova-rdv.test', /\/practitioner$/);
  await markNoReload(doctor);
  const patient = await signIn(browser, 'patient2@nova-rdv.test', /\/patient$/);
  await markNoReload(patient);
  await patient.getByLabel('Praticien').selectOption({ label: 'Dr Hugo Bernard — Orthodontiste' });
  await expect(patient.locator('button.slot').first()).toBeVisible();
  return { doctor, patient };
}

/** Books the first free time on the patient's booking card (201 expected); returns the time as
 * the card shows it, e.g. "lun. 7 déc. · 09:00". */
export async function bookFirstFreeTime(patient: Page): Promise<string> {
  await patient.locator('button.slot').first().click();
  const when = (await patient.locator('.book-bar .muted').textContent())!.trim();
  const booked = patient.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
  await patient.getByRole('button', { name: 'Réserver' }).click();
  expect((await booked).status()).toBe(201);
  return when;
}
