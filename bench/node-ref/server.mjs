// The fan-out benchmark's reference server on Node's socket.io: the same socket handshake
// (auth.token; the room is the cabinet), GET /api/health and POST /api/announcements
// (emits notification:general to the announcer's cabinet). It trusts the tokens' claims
// without checking their signature: it does less work than Nova, never more.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const claims = (token) => JSON.parse(Buffer.from(String(token).split('.')[1] ?? '', 'base64url') || '{}');
const http = createServer((req, res) => {
  if (req.url === '/api/health') return res.end('{"success":true}');
  if (req.method !== 'POST' || req.url !== '/api/announcements') return (res.statusCode = 404), res.end();
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const { cab } = claims((req.headers.authorization ?? '').replace('Bearer ', ''));
    const { message } = JSON.parse(body);
    const event = { id: crypto.randomUUID(), type: 'info', message, data: { kind: 'announcement' }, timestamp: new Date().toISOString() };
    io.to(`cabinet:${cab}`).emit('notification:general', event);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ success: true, data: { message } }));
  });
});
const io = new Server(http, { transports: ['websocket', 'polling'] });
io.use((socket, next) => {
  try {
    socket.data.cab = claims(socket.handshake.auth?.token).cab;
    return socket.data.cab ? next() : next(new Error('Token invalide'));
  } catch {
    return next(new Error('Token invalide'));
  }
});
io.on('connection', (socket) => socket.join(`cabinet:${socket.data.cab}`));
http.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
