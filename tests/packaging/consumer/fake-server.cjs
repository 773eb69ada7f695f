// A stand-in for `ballast serve` in the packed-packages check (scripts/pack-check.mjs copies it next
// to client-example.mjs and client-example.cjs): the installed project has no CLI and no database,
// and the client needs neither. It answers the three calls the examples make the way the real
// server does: a command 201 with its events, a 404 refusal as JSON, and a live stream
// (text/event-stream) that sends one event and stays open. It remembers what the client sent.
const { createServer } = require('node:http');

const EVENT = {
  streamId: 'treasury-a',
  revision: 0,
  position: 1,
  eventId: 'e-1',
  type: 'Deposited',
  version: 1,
  data: { amount: '1', at: 0 },
  metadata: { commandId: 'dep-1' },
  hash: '0'.repeat(64),
};

/** Starts the server on a free port of 127.0.0.1: `{ url, seen, close() }`. */
function startFakeServer() {
  const seen = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.authorization,
        idempotencyKey: request.headers['idempotency-key'],
        contentType: request.headers['content-type'],
        body,
      });
      const json = (status, value) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      if (request.method === 'POST' && request.url === '/v1/treasuries/a/commands') {
        json(201, {
          streamId: 'treasury-a',
          commandId: 'dep-1',
          replayed: false,
          events: [{ type: 'Deposited', at: 0, amount: '1' }],
          position: 1,
          revision: 0,
        });
      } else if (request.method === 'GET' && request.url === '/v1/events/stream') {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.write(`: heartbeat\n\nid: 1\nevent: event\ndata: ${JSON.stringify(EVENT)}\n\n`);
      } else {
        json(404, { code: 'NOT_FOUND', message: `nothing at ${request.method} ${request.url}` });
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        seen,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

module.exports = { startFakeServer };
