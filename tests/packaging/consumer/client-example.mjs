// @ballast/client as someone who installed the packed packages uses it: plain `node`, ESM. There is
// no `ballast serve` in the installed project, so fake-server.cjs stands in for it on a local port.
// scripts/pack-check.mjs copies this file into the empty project and checks the JSON line it prints.
import { ballastClient, StreamRefused } from '@ballast/client';
import fakeServer from './fake-server.cjs';

const server = await fakeServer.startFakeServer();
try {
  const client = ballastClient({ url: server.url, key: 'bk_example' });
  const executed = await client.treasuries.execute('a', { type: 'Deposit', amount: '1' }, { idempotencyKey: 'dep-1' });
  const refused = await client.treasuries.get('nobody');
  // A live stream: an RxJS Observable over server-sent events (eventsource-parser); one event, then unsubscribe.
  const followed = await new Promise((resolve, reject) => {
    const subscription = client.follow.events().subscribe({
      next: (event) => {
        subscription.unsubscribe();
        resolve(event);
      },
      error: reject,
    });
  });
  const command = server.seen.find((request) => request.method === 'POST');
  console.log(
    JSON.stringify({
      format: 'esm',
      executed: executed.ok
        ? `${executed.status} ${executed.events.map((e) => e.type).join(',')} at ${executed.position}`
        : executed.code,
      replayed: executed.ok && executed.replayed,
      refused: refused.ok ? 'ok' : `${refused.status} ${refused.code}`,
      followed: `${followed.position} ${followed.streamId} ${followed.type}`,
      sent: command && `${command.authorization} ${command.idempotencyKey} ${command.contentType} ${command.body}`,
      streamRefusedIsError:
        new StreamRefused({ ok: false, status: 401, code: 'UNAUTHORIZED', message: '' }) instanceof Error,
    }),
  );
} finally {
  await server.close();
}
