// What every interop test needs: the server's address, demo sign-ins, sockets from the
// official client, and waiting for (or for the absence of) events.
import { io } from 'socket.io-client';

export const URL = process.env.NOVA_URL ?? 'http://127.0.0.1:18081';
export const PASSWORD = 'nova-demo';
export const MARTIN = 'dr.martin@nova-rdv.test';
export const BERNARD = 'dr.bernard@nova-rdv.test';
export const PATIENT = 'patient@nova-rdv.test';
export const PATIENT2 = 'patient2@nova-rdv.test';
export const MANAGER = 'manager@nova-rdv.test';
export const ADMIN = 'admin@nova-rdv.test';
export const LEROY = 'dr.leroy@lumiere.nova-rdv.test';
export const LUMIERE_PATIENT = 'patient@lumiere.nova-rdv.test';

/** How long to wait for something that should come, and to listen for what must not. */
export const PATIENCE = 5_000;
export const QUIET = 500;

const sessions = new Map();

/** Signs in once per address (`{token, id}`). */
export async function login(email) {
  if (sessions.has(email)) return sessions.get(email);
  const res = await fetch(`${URL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(body)}`);
  const session = { token: body.data.accessToken, id: body.data.id };
  sessions.set(email, session);
  return session;
}

export async function api(method, path, token, body) {
  const res = await fetch(`${URL}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** A socket that is not yet connected; `auth` as the client would send it. */
export function socket(auth, options = {}) {
  return io(URL, { auth, reconnection: false, forceNew: true, timeout: PATIENCE, ...options });
}

/** Resolves when connected, rejects with the `connect_error`. */
export function connected(s) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connect within patience')), PATIENCE);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** A connected socket for this demo user. */
export async function connect(email, options = {}) {
  const { token } = await login(email);
  return connected(socket({ token }, options));
}

/**
 * Records every event a socket receives, the managers' periodic dashboard aside, and presence
 * (`user-status`) unless `presence` is set: colleagues of one cabinet legitimately see each
 * other come and go, so only cross-cabinet checks should count it.
 */
export function record(s, { presence = false } = {}) {
  const seen = [];
  s.onAny((name, payload) => {
    if (name === 'metrics:update' || (name === 'user-status' && !presence)) return;
    seen.push({ name, payload });
  });
  return seen;
}

/** The next `name` event's payload. */
export function next(s, name) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${PATIENCE} ms`)), PATIENCE);
    s.once(name, (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

export const quiet = () => new Promise((r) => setTimeout(r, QUIET));

/** Emits and waits for the ack (rejects when none comes in time). */
export function ask(s, event, ...args) {
  return s.timeout(PATIENCE).emitWithAck(event, ...args);
}

/** The first free slot of a practitioner from tomorrow on, for `duration` minutes. */
export async function freeSlot(token, practitionerId, duration = 30) {
  const day = (d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  const q = `practitionerId=${practitionerId}&dateFrom=${day(1)}&dateTo=${day(14)}&duration=${duration}`;
  const { status, body } = await api('GET', `/api/appointments/slots?${q}`, token);
  if (status !== 200) throw new Error(`slots: ${status} ${JSON.stringify(body)}`);
  const slot = body.data.find((s) => s.available);
  if (!slot) throw new Error('no free slot within two weeks');
  return slot;
}

/** Books the first free slot with a practitioner; returns the appointment. */
export async function book(patientToken, practitionerId) {
  const slot = await freeSlot(patientToken, practitionerId);
  const { status, body } = await api('POST', '/api/appointments', patientToken, {
    practitionerId,
    type: 'consultation',
    startTime: slot.startTime,
    duration: 30,
  });
  if (status !== 201) throw new Error(`booking: ${status} ${JSON.stringify(body)}`);
  return body.data;
}

/** Seed 004's payload shape. */
export function assertEventShape(assert, payload) {
  for (const key of ['id', 'type', 'message', 'data', 'timestamp']) {
    assert.ok(key in payload, `payload lacks ${key}: ${JSON.stringify(payload)}`);
  }
  assert.ok(!Number.isNaN(Date.parse(payload.timestamp)));
}
