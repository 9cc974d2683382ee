import { test, expect } from '@playwright/test';

test('GET /api/health answers the success envelope', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ success: true, data: { status: 'ok' } });
});

test('/ serves the app page titled "Nova RDV"', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-type'] ?? '').toContain('text/html');
  await expect(page).toHaveTitle('Nova RDV');
});
