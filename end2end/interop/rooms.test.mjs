// Automatic rooms: a booking made over REST reaches the practitioner (rendezvous:new) and
// the patient (rendezvous:created), on every transport, and nobody of another cabinet.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  BERNARD, LEROY, LUMIERE_PATIENT, MARTIN, PATIENT, assertEventShape, book, connect, login,
  next, quiet, record,
} from './lib.mjs';

for (const transports of [['websocket'], ['polling']]) {
  test(`a booking reaches the practitioner and the patient (${transports[0]})`, async () => {
    const martin = await login(MARTIN);
    const patient = await login(PATIENT);
    const martinWs = await connect(MARTIN, { transports });
    const patientWs = await connect(PATIENT, { transports });
    const bernardWs = await connect(BERNARD, { transports });
    const bernardSeen = record(bernardWs);
    try {
      const newEvent = next(martinWs, 'rendezvous:new');
      const createdEvent = next(patientWs, 'rendezvous:created');
      const appointment = await book(patient.token, martin.id);
      const n = await newEvent;
      assertEventShape(assert, n);
      assert.equal(n.type, 'info');
      assert.equal(n.data.id, appointment.id);
      const c = await createdEvent;
      assertEventShape(assert, c);
      assert.equal(c.type, 'success');
      assert.equal(c.data.id, appointment.id);
      await quiet();
      assert.deepEqual(bernardSeen, [], 'another practitioner hears nothing');
    } finally {
      for (const s of [martinWs, patientWs, bernardWs]) s.disconnect();
    }
  });
}

test('a user of cab-lumiere receives nothing of cab-parc', async () => {
  const martin = await login(MARTIN);
  const patient = await login(PATIENT);
  const leroyWs = await connect(LEROY);
  const lumierePatientWs = await connect(LUMIERE_PATIENT);
  const martinWs = await connect(MARTIN);
  const seen = [leroyWs, lumierePatientWs].map((s) => record(s, { presence: true }));
  try {
    const heard = next(martinWs, 'rendezvous:new');
    await book(patient.token, martin.id);
    await heard;
    await quiet();
    // Presence of cab-lumiere's own people may come and go; anything about cab-parc's (Dr
    // Martin connected after them) or any other event is a leak.
    const parc = [martin.id, patient.id];
    const leaks = (events) =>
      events.filter((e) => e.name !== 'user-status' || parc.includes(e.payload.data.userId));
    assert.deepEqual(leaks(seen[0]), [], 'dr.leroy (cab-lumiere)');
    assert.deepEqual(leaks(seen[1]), [], 'the cab-lumiere patient');
  } finally {
    for (const s of [leroyWs, lumierePatientWs, martinWs]) s.disconnect();
  }
});
