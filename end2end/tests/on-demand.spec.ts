import { expect, test, type Page } from '@playwright/test';
import { PASSWORD } from './helpers';

// Each role's screens are wasm modules of their own (src/pages/on_demand.rs): the first visit
// downloads the shell, a screen's module comes when the screen is first opened, and once signed
// in the role's other screens come in the background.

const MESSAGES_MODULE = /\/split_messages_page[^/]*\.wasm$/;

// The Lyon practice's patient: the other specs sign in the Paris patients often enough to reach
// the per-account attempt limit (10 in 15 minutes).
async function signInAsLyonPatient(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email').fill('patient@lumiere.nova-rdv.test');
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole('heading', { name: 'Prendre rendez-vous' })).toBeVisible();
}

const fetched = (page: Page) =>
  page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));

test('sign-in needs no screen module; after it the other screens are fetched and open offline', async ({ browser }, testInfo) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
  expect((await fetched(page)).filter((p) => /\/(split|chunk)_/.test(p))).toEqual([]);

  await signInAsLyonPatient(page);
  await expect.poll(async () => (await fetched(page)).some((p) => MESSAGES_MODULE.test(p))).toBe(true);
  // The manager's screen is never fetched for a patient.
  expect((await fetched(page)).some((p) => p.includes('split_manager_home'))).toBe(false);

  await context.setOffline(true);
  await page.getByRole('link', { name: 'Messages' }).click();
  await expect(page).toHaveURL(/\/messages$/);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeVisible();
  // The notification centre's panel is a module of its own too, fetched with the rest.
  await page.locator('button.bell').click();
  await expect(page.locator('#notification-panel').getByRole('heading', { name: 'Notifications' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('offline-messages-and-panel.png') });
  await context.close();
});

test('a screen whose module cannot be fetched says so, and Retry brings it', async ({ browser }, testInfo) => {
  const context = await browser.newContext();
  await context.route(MESSAGES_MODULE, (route) => route.abort('internetdisconnected'));
  const page = await context.newPage();
  await signInAsLyonPatient(page);

  await page.getByRole('link', { name: 'Messages' }).click();
  const notice = page.getByRole('alert').filter({ hasText: "Cet écran n'a pas pu être chargé" });
  await expect(notice).toBeVisible();
  // The rest of the app still works: the top bar is still live.
  await expect(page.getByTestId('connection')).toHaveText('En direct');
  await page.screenshot({ path: testInfo.outputPath('screen-unavailable.png') });

  await context.unroute(MESSAGES_MODULE);
  await notice.getByRole('button', { name: 'Réessayer' }).click();
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeVisible();
  await expect(notice).toHaveCount(0);
  await context.close();
});
