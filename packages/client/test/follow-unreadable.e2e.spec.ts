import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ballastClient } from '../src';

// A stream whose event data is not JSON cannot be read by reconnecting: the Observable errors once,
// naming the event, instead of reconnecting to the same event forever.
describe('following a stream that sends an event it cannot read', () => {
  let server: Server;
  let url: string;
  let connects = 0;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      connects += 1;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('id: 1\nevent: event\ndata: {"position":1}\n\n');
      response.write('id: 2\nevent: event\ndata: {not json\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('delivers what it could read, then errors without reconnecting', async () => {
    const client = ballastClient({ url, key: `bk_0123456789abcdef_${'A'.repeat(43)}` });
    const received: unknown[] = [];
    const failure = await new Promise<Error>((resolve, reject) =>
      client.follow.events().subscribe({
        next: (event) => received.push(event),
        error: resolve,
        complete: () => reject(new Error('completed instead of failing')),
      }),
    );
    expect(received).toEqual([{ position: 1 }]);
    expect(failure.message).toMatch(/event 2 carries data that is not JSON/);
    expect(connects).toBe(1);
  });
});
