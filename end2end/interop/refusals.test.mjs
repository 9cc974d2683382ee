// Client events the server must refuse, with an error ack and no effect: joining rooms other
// than one's conversations, malformed payloads, flooding. Acks are
// `{ok:false, error:{code, message}}`.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PATIENT, ask, connect, login } from './lib.mjs';

function assertRefused(ack, what, code) {
  assert.equal(ack?.ok, false, `${what}: ${JSON.stringify(ack)}`);
  assert.equal(typeof ack.error?.code, 'string', `${what}: ${JSON.stringify(ack)}`);
  assert.equal(typeof ack.error?.message, 'string', `${what}: ${JSON.stringify(ack)}`);
  if (code) assert.equal(ack.error.code, code, what);
}

test('join-room refuses every room that is not one of the caller\'s conversations', async () => {
  const s = await connect(PATIENT);
  try {
    for (const room of ['role:ADMIN', 'role:SUPERADMIN', 'user:other', 'cabinet:x', 'cabinet:cab-parc']) {
      assertRefused(await ask(s, 'join-room', room), `join-room ${room}`);
    }
    assertRefused(
      await ask(s, 'join-room', 'conversation:does-not-exist'),
      'a conversation the caller is not part of',
    );
  } finally {
    s.disconnect();
  }
});

test('a malformed payload gets an error ack, and the socket stays usable', async () => {
  const s = await connect(PATIENT);
  try {
    for (const payload of [42, null, { room: ['x'] }, '']) {
      assertRefused(await ask(s, 'join-room', payload), `join-room ${JSON.stringify(payload)}`);
    }
    assert.ok(s.connected, 'still connected');
  } finally {
    s.disconnect();
  }
});

test('a flooding socket is answered RATE_LIMITED', async () => {
  const s = await connect(PATIENT);
  try {
    const acks = await Promise.all(
      Array.from({ length: 60 }, () => ask(s, 'join-room', 'role:ADMIN')),
    );
    const limited = acks.filter((a) => a?.error?.code === 'RATE_LIMITED');
    assert.ok(limited.length > 0, `no RATE_LIMITED among ${JSON.stringify(acks.slice(-3))}`);
    for (const a of acks) assertRefused(a, 'every flooded join-room');
  } finally {
    s.disconnect();
  }
  // Another socket of the same user has its own budget.
  const { token } = await login(PATIENT);
  assert.ok(token);
});
