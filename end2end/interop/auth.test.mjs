// The handshake with the official client: a valid token connects over either transport;
// a missing or invalid one gets seed 004's connect_error messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PATIENT, connect, connected, login, socket } from './lib.mjs';

test('a valid token connects over WebSocket only', async () => {
  const s = await connect(PATIENT, { transports: ['websocket'] });
  try {
    assert.equal(s.io.engine.transport.name, 'websocket');
    assert.ok(s.id);
  } finally {
    s.disconnect();
  }
});

test('a valid token connects over HTTP long-polling only', async () => {
  const s = await connect(PATIENT, { transports: ['polling'], upgrade: false });
  try {
    assert.equal(s.io.engine.transport.name, 'polling');
    assert.ok(s.id);
  } finally {
    s.disconnect();
  }
});

test('the default client starts with polling and upgrades to WebSocket', async () => {
  const s = await connect(PATIENT);
  try {
    if (s.io.engine.transport.name !== 'websocket') {
      await new Promise((resolve) => s.io.engine.once('upgrade', resolve));
    }
    assert.equal(s.io.engine.transport.name, 'websocket');
  } finally {
    s.disconnect();
  }
});

for (const [what, auth] of [
  ['no auth', undefined],
  ['no token', {}],
  ['an empty token', { token: '' }],
  ['a token that is not a string', { token: 42 }],
]) {
  test(`${what} is refused: "Token d'authentification requis"`, async () => {
    const s = socket(auth);
    try {
      await assert.rejects(connected(s), (err) => {
        assert.equal(err.message, "Token d'authentification requis");
        return true;
      });
    } finally {
      s.close();
    }
  });
}

test('an invalid token is refused: "Token invalide"', async () => {
  const { token } = await login(PATIENT);
  for (const bad of ['not-a-jwt', `${token.slice(0, -4)}AAAA`]) {
    const s = socket({ token: bad });
    try {
      await assert.rejects(connected(s), (err) => {
        assert.equal(err.message, 'Token invalide');
        return true;
      });
    } finally {
      s.close();
    }
  }
});
