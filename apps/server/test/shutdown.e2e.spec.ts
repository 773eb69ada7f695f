import http from 'node:http';
import { startTestServer } from './server-fixture';

// fetch (undici) keeps the socket of a stream it aborted in its pool for its keep-alive time (4 s);
// Node's server.close waits for every socket, so without dropping them after the last answer a
// stop took as long as the slowest client's keep-alive.
describe('stopping the server', () => {
  it('does not wait for a client that aborted a live stream and kept its socket', async () => {
    const s = await startTestServer();
    const abort = new AbortController();
    const response = await fetch(`${s.url}/v1/events/stream`, {
      headers: { authorization: `Bearer ${s.operatorKey}` },
      signal: abort.signal,
    });
    await response.body!.getReader().read();
    abort.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await s.close();
    // Well under the client's 4 s keep-alive, which is what it took before.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('still answers a command that is in flight when the stop begins', async () => {
    const s = await startTestServer();
    const body = JSON.stringify({ principal: 'late-agent', role: 'agent' });
    // Headers and half the body now, the rest after the stop has begun: the request is in flight.
    const request = http.request(`${s.url}/v1/keys`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${s.operatorKey}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.on('error', reject);
    });
    request.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = s.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    request.end(body.slice(10));
    const answer = await answered;
    await closing;
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ principal: 'late-agent', role: 'agent' });
  });
});
