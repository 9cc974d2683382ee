import { expect, test } from '@playwright/test';
import { expectNoReload, markNoReload, PASSWORD, signIn } from './helpers';

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

// Watching ends with a socket: after the connection drops and comes back, the screen watches
// the agenda again by itself.
test('a watching patient still sees slots go after her connection dropped and came back', async ({ browser }) => {
  const context = await browser.newContext();
  // Keeps the app's websockets within reach, to cut them as a network failure would.
  await context.addInitScript(() => {
    const sockets: WebSocket[] = ((window as unknown as { __sockets: WebSocket[] }).__sockets = []);
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    } as typeof WebSocket;
  });
  const watcher = await context.newPage();
  await watcher.goto('/');
  await watcher.getByLabel('Email').fill('patient@nova-rdv.test');
  await watcher.getByLabel('Mot de passe').fill(PASSWORD);
  await watcher.getByRole('button', { name: 'Se connecter' }).click();
  await expect(watcher).toHaveURL(/\/patient$/);
  const connection = watcher.getByTestId('connection');
  await expect(connection).toHaveText('En direct');
  await markNoReload(watcher);
  await watcher.getByLabel('Praticien').selectOption({ label: MARTIN });
  await expect(watcher.locator('button.slot').first()).toBeVisible();

  await watcher.evaluate(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.forEach((s) => s.close()));
  await expect(connection).not.toHaveText('En direct');
  await expect(connection).toHaveText('En direct', { timeout: 15_000 });

  const start = (await watcher.locator('button.slot').first().getAttribute('data-start'))!;
  const sameSlot = watcher.locator(`button.slot[data-start="${start}"]`);
  const booker = await signIn(browser, 'patient2@nova-rdv.test', /\/patient$/);
  await booker.getByLabel('Praticien').selectOption({ label: MARTIN });
  await booker.locator(`button.slot[data-start="${start}"]`).click();
  const booked = booker.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
  await booker.getByRole('button', { name: 'Réserver' }).click();
  expect((await booked).status()).toBe(201);

  await expect(sameSlot).toHaveCount(0, { timeout: 2_000 });
  await expectNoReload(watcher);
});
